//! The units' server functions, for administrators: the reorganisations recorded, and recording
//! one from the form (units merged into one, from a day). Every change goes through
//! `catalogue::write` (checked, stored with its audit, announced), as a units file does.

use crate::catalogue::api::Saved;
use crate::error::AppError;
use crate::model::UnitKind;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A unit a recorded reorganisation starts or ends, as the list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reorganised {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    /// A commune's province.
    pub within: Option<String>,
    pub started: Option<chrono::NaiveDate>,
    pub ended: Option<chrono::NaiveDate>,
    /// Who takes it over: code and name.
    pub successors: Vec<(String, String)>,
}

/// What the units page shows and offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitsView {
    /// Units that start or end on a recorded day, the latest day first.
    pub reorganised: Vec<Reorganised>,
    /// The former provinces of the 2025 reorganisation (kept as names that lead on).
    pub former_2025: usize,
    /// The provinces in force, for a new commune's province: code, name.
    pub provinces: Vec<(String, String)>,
    /// Today on the server's clock (a day from tomorrow on is a reorganisation to come).
    pub today: chrono::NaiveDate,
}

/// The units page's data.
#[server(prefix = "/fn", endpoint = "units_admin")]
pub async fn units_admin() -> Result<UnitsView, AppError> {
    use crate::model::auth::Action;
    crate::request::require(&Action::ManageCatalogue)?;
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    let today = crate::request::clock().today();
    let lang = crate::shell::layout::current_lang();
    let name = |code: &str| {
        catalogue
            .units
            .get(code)
            .map(|u| lang.unit_name(u))
            .unwrap_or_else(|| code.to_string())
    };
    let mut reorganised: Vec<Reorganised> = catalogue
        .units
        .values()
        .filter(|u| u.started.is_some() || u.ended.is_some())
        .map(|u| Reorganised {
            code: u.code.clone(),
            name: lang.unit_name(u),
            kind: u.kind,
            within: (u.kind == UnitKind::Commune)
                .then(|| u.parent.as_deref().map(name))
                .flatten(),
            started: u.started,
            ended: u.ended,
            successors: catalogue
                .successors_of(&u.code)
                .filter(|s| Some(s.effective) == u.ended)
                .map(|s| (s.successor.clone(), name(&s.successor)))
                .collect(),
        })
        .collect();
    reorganised.sort_by(|a, b| {
        let day = |r: &Reorganised| r.ended.or(r.started);
        (day(b), &a.code).cmp(&(day(a), &b.code))
    });
    let former_2025 = catalogue
        .successions
        .iter()
        .filter(|s| {
            catalogue
                .units
                .get(&s.former_code)
                .is_none_or(|u| u.ended != Some(s.effective))
        })
        .count();
    let mut provinces: Vec<(String, String)> = catalogue
        .in_force(UnitKind::Province, today)
        .into_iter()
        .map(|u| (u.code.clone(), lang.unit_name(u)))
        .collect();
    provinces.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(UnitsView {
        reorganised,
        former_2025,
        provinces,
        today,
    })
}

/// Records a merger: the `former` units (codes joined by `|`) end on `effective` (YYYY-MM-DD)
/// and `successor` takes them over: a unit in force, or a new one with the names given (a new
/// commune in `parent`, by default the province of the former communes), which starts that day.
#[server(prefix = "/fn", endpoint = "units_merge")]
pub async fn units_merge(
    #[server(default)] former: String,
    #[server(default)] successor: String,
    #[server(default)] name_vi: String,
    #[server(default)] name_en: String,
    #[server(default)] parent: String,
    #[server(default)] effective: String,
) -> Result<Saved, AppError> {
    use crate::catalogue::Problem;
    use crate::catalogue::unit_file::UnitRecord;
    use crate::catalogue::write::save_units;
    use crate::model::auth::Action;
    let (viewer, auth) = crate::request::require(&Action::ManageCatalogue)?;
    let store = expect_context::<crate::store::SharedStore>();
    let live = expect_context::<crate::catalogue::LiveCatalogue>();
    let today = crate::request::clock().today();
    let current = live.now();
    let refused = |column: &str, message: &str| {
        Ok(Saved::Refused(vec![Problem {
            line: 0,
            column: column.into(),
            message: message.into(),
        }]))
    };
    let Ok(day) = chrono::NaiveDate::parse_from_str(effective.trim(), "%Y-%m-%d") else {
        return refused(
            "ended",
            "Chọn ngày sáp nhập có hiệu lực (the day the merger takes effect)",
        );
    };
    let codes: Vec<&str> = former
        .split('|')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    if codes.is_empty() {
        return refused(
            "code",
            "Chọn ít nhất một đơn vị được sáp nhập (pick the units merged)",
        );
    }
    let successor = successor.trim().to_string();
    if successor.is_empty() {
        return refused(
            "successors",
            "Chọn hoặc đặt mã đơn vị kế thừa (pick or name the successor)",
        );
    }
    let mut records = Vec::new();
    let mut kinds = Vec::new();
    let mut parents = Vec::new();
    for code in &codes {
        let Some(u) = current.units.get(*code) else {
            return refused(
                "code",
                &format!(
                    "Không có đơn vị mã “{}” (no such unit)",
                    code.chars().take(40).collect::<String>()
                ),
            );
        };
        kinds.push(u.kind);
        parents.push(u.parent.clone());
        records.push(UnitRecord {
            unit: crate::model::Unit {
                ended: Some(day),
                ..u.clone()
            },
            successors: vec![successor.clone()],
        });
    }
    if !current.units.contains_key(&successor) {
        // A new unit, of the former units' kind and where they were unless told otherwise.
        let parent = Some(parent.trim().to_string())
            .filter(|p| !p.is_empty())
            .or_else(|| parents[0].clone());
        records.push(UnitRecord {
            unit: crate::model::Unit {
                code: successor.clone(),
                kind: kinds[0],
                name_vi: name_vi.trim().to_string(),
                name_en: Some(name_en.trim().to_string()).filter(|n| !n.is_empty()),
                parent,
                started: Some(day),
                ended: None,
            },
            successors: Vec::new(),
        });
    }
    let by = crate::request::audit_by(&viewer, &auth, "", &successor);
    let outcome = save_units(store.as_ref(), &live, records, &by, today)
        .await
        .map_err(AppError::from)?;
    Ok(outcome.into())
}
