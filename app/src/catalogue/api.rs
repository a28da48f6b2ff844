//! The catalogue's server functions, for administrators: the list with what the pickers offer,
//! saving one indicator from the form, retiring or restoring one, importing a file. Every
//! change goes through `catalogue::write` (checked, stored with its audit, announced).

// The indicator form is one server function with a parameter per field (as the HTML form
// posts them), more than clippy's default of seven.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::Indicator;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the catalogue page shows and offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogueView {
    /// The indicators the filter lets through, in catalogue order.
    pub shown: Vec<Indicator>,
    /// Indicators in the catalogue, retired ones too.
    pub total: usize,
    /// The indicator being edited, with whether it has values (its periodicity and rollup
    /// are then fixed).
    pub editing: Option<(Indicator, bool)>,
    /// Indicators in use (code, Vietnamese and English name): what a formula may name.
    pub in_use: Vec<(String, String, String)>,
    /// The owners an indicator may have: ministries' codes and names.
    pub ministries: Vec<(String, String)>,
}

/// What a catalogue change did, or every reason it did nothing.
pub use crate::catalogue::Problem;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Saved {
    /// Saved: the codes created or changed (empty: nothing differed).
    Done {
        created: Vec<String>,
        changed: Vec<String>,
    },
    Refused(Vec<Problem>),
}

#[cfg(feature = "ssr")]
impl From<crate::catalogue::write::Outcome> for Saved {
    fn from(outcome: crate::catalogue::write::Outcome) -> Saved {
        match outcome {
            crate::catalogue::write::Outcome::Applied {
                created, changed, ..
            } => Saved::Done { created, changed },
            crate::catalogue::write::Outcome::Refused(p) => Saved::Refused(p),
        }
    }
}

#[cfg(feature = "ssr")]
fn saved(outcome: crate::catalogue::write::Outcome) -> Saved {
    outcome.into()
}

/// The catalogue page's data: the indicators of `field` (empty: all) whose code or name holds
/// every word of `q` (without diacritics), retired ones only with `retired`; and `edit` (a
/// code) with what its form needs.
#[server(prefix = "/fn", endpoint = "catalogue_admin")]
pub async fn catalogue_admin(
    #[server(default)] field: String,
    #[server(default)] q: String,
    #[server(default)] retired: String,
    #[server(default)] edit: String,
) -> Result<CatalogueView, AppError> {
    use crate::model::auth::Action;
    use crate::model::{Field, UnitKind};
    use crate::search::index::fold;
    crate::request::require(&Action::ManageCatalogue)?;
    let store = expect_context::<crate::store::SharedStore>();
    let all = store.indicators().await.map_err(AppError::unavailable)?;
    let wanted = Field::parse(&field);
    let q: String = q.chars().take(80).collect();
    let words: Vec<String> = fold(&q)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    let shown = all
        .iter()
        .filter(|i| !retired.is_empty() || i.is_active())
        .filter(|i| wanted.is_none_or(|f| i.field == f))
        .filter(|i| {
            let hay = fold(&format!("{} {} {}", i.code, i.name_vi, i.name_en));
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .cloned()
        .collect();
    let editing = match all.iter().find(|i| i.code == edit) {
        Some(i) => {
            let with_values = store
                .indicators_with_values()
                .await
                .map_err(AppError::unavailable)?;
            Some((i.clone(), with_values.contains(&i.code)))
        }
        None => None,
    };
    let in_use = all
        .iter()
        .filter(|i| i.is_active())
        .map(|i| (i.code.clone(), i.name_vi.clone(), i.name_en.clone()))
        .collect();
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    let mut ministries: Vec<(String, String)> = catalogue
        .units
        .values()
        .filter(|u| u.kind == UnitKind::Ministry)
        .map(|u| (u.code.clone(), u.name_vi.clone()))
        .collect();
    ministries.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(CatalogueView {
        shown,
        total: all.len(),
        editing,
        in_use,
        ministries,
    })
}

/// The indicator form, field by field as typed. Numbers are read in either writing (1.234,5
/// or 1,234.5); an empty bound is no bound.
#[server(prefix = "/fn", endpoint = "catalogue_save")]
pub async fn catalogue_save(
    #[server(default)] new: String,
    code: String,
    name_vi: String,
    name_en: String,
    field: String,
    measure: String,
    measure_vi: String,
    periodicity: String,
    rollup: String,
    #[server(default)] national: String,
    good_direction: String,
    change: String,
    owner: String,
    #[server(default)] by_national: String,
    #[server(default)] by_ministry: String,
    #[server(default)] by_province: String,
    #[server(default)] by_commune: String,
    #[server(default)] target: String,
    decimals: String,
    #[server(default)] valid_min: String,
    #[server(default)] valid_max: String,
    #[server(default)] formula: String,
    #[server(default)] year_total: String,
    #[server(default)] standing_by: String,
    #[server(default)] at_risk_within: String,
    #[server(default)] consistency_within: String,
    #[server(default)] checked_against: String,
    #[server(default)] weight: String,
) -> Result<Saved, AppError> {
    use crate::catalogue::file::COLUMNS;
    use crate::model::auth::Action;
    let (viewer, auth) = crate::request::require(&Action::ManageCatalogue)?;
    let store = expect_context::<crate::store::SharedStore>();
    let live = expect_context::<crate::catalogue::LiveCatalogue>();
    let code = code.trim().to_string();
    let new = new == "1";
    // The form is read as a one-line catalogue file would be, by the same rules; numbers are
    // first read as people type them.
    let mut problems = Vec::new();
    let lang = crate::shell::layout::current_lang();
    let mut number = |column: &str, text: &str| match crate::model::typed_number::read(text, lang)
        .map(|t| t.map(|t| t.value))
    {
        Ok(v) => v.map(|v| v.to_string()).unwrap_or_default(),
        Err(e) => {
            problems.push(Problem {
                line: 0,
                column: column.into(),
                message: e,
            });
            String::new()
        }
    };
    let reported_by: Vec<&str> = [
        ("national", &by_national),
        ("ministry", &by_ministry),
        ("province", &by_province),
        ("commune", &by_commune),
    ]
    .into_iter()
    .filter(|(_, on)| !on.is_empty())
    .map(|(k, _)| k)
    .collect();
    let cells: Vec<(&str, String)> = vec![
        ("code", code.clone()),
        ("name_vi", name_vi.trim().into()),
        ("name_en", name_en.trim().into()),
        ("field", field),
        ("measure", measure.trim().into()),
        ("measure_vi", measure_vi.trim().into()),
        ("periodicity", periodicity),
        ("rollup", rollup),
        ("national", national),
        ("good_direction", good_direction),
        ("change", change),
        ("owner", owner),
        ("reported_by", reported_by.join("|")),
        ("target", number("target", &target)),
        ("decimals", decimals.trim().into()),
        ("valid_min", number("valid_min", &valid_min)),
        ("valid_max", number("valid_max", &valid_max)),
        ("formula", formula.trim().into()),
        (
            "year_total",
            if year_total.is_empty() { "no" } else { "yes" }.into(),
        ),
        ("standing_by", standing_by),
        ("at_risk_within", number("at_risk_within", &at_risk_within)),
        (
            "consistency_within",
            number("consistency_within", &consistency_within),
        ),
        ("checked_against", checked_against.trim().into()),
        ("weight", weight.trim().into()),
    ];
    debug_assert!(cells.iter().all(|(c, _)| COLUMNS.contains(c)));
    if !problems.is_empty() {
        return Ok(Saved::Refused(problems));
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(cells.iter().map(|(c, _)| *c));
    let _ = w.write_record(cells.iter().map(|(_, v)| v.as_str()));
    let file = w.into_inner().unwrap_or_default();
    let catalogue = live.now();
    let (lines, mut problems) = crate::catalogue::file::read(&file, &catalogue.indicators);
    // Problems of a form have no line.
    for p in &mut problems {
        p.line = 0;
    }
    let by = crate::request::audit_by(&viewer, &auth, "", &code);
    let outcome = match lines.into_iter().next() {
        Some(line) if problems.is_empty() => {
            crate::catalogue::write::save_one(store.as_ref(), &live, line.item, new, &by)
                .await
                .map_err(AppError::from)?
        }
        _ => crate::catalogue::write::Outcome::Refused(problems),
    };
    Ok(saved(outcome))
}

/// Retires an indicator (`retire` = "1") or puts it back in use.
#[server(prefix = "/fn", endpoint = "catalogue_retire")]
pub async fn catalogue_retire(code: String, retire: String) -> Result<Saved, AppError> {
    use crate::model::auth::Action;
    let (viewer, auth) = crate::request::require(&Action::ManageCatalogue)?;
    let store = expect_context::<crate::store::SharedStore>();
    let live = expect_context::<crate::catalogue::LiveCatalogue>();
    let Some(mut indicator) = live.now().indicators.get(&code).cloned() else {
        return Err(AppError::not_found(
            "Không có chỉ tiêu này. (No such indicator.)",
        ));
    };
    indicator.retired_at = (retire == "1").then(|| crate::request::clock().now());
    let by = crate::request::audit_by(&viewer, &auth, "", &code);
    let outcome = crate::catalogue::write::save_one(store.as_ref(), &live, indicator, false, &by)
        .await
        .map_err(AppError::from)?;
    Ok(saved(outcome))
}

/// Imports a catalogue file (its text, as the browser read it): administrators any, the
/// secretariat a targets file.
#[server(prefix = "/fn", endpoint = "catalogue_import")]
pub async fn catalogue_import(text: String) -> Result<Saved, AppError> {
    use crate::catalogue::target_file;
    use crate::model::auth::Action;
    let store = expect_context::<crate::store::SharedStore>();
    let live = expect_context::<crate::catalogue::LiveCatalogue>();
    let targets = target_file::is_targets_file(text.as_bytes());
    let (viewer, auth) = crate::request::require(&if targets {
        // Whoever may set the nation's targets works on the targets file; each line's unit is
        // checked below, by the same rule as the API's.
        Action::SetTargets { unit: "VN".into() }
    } else {
        Action::ManageCatalogue
    })?;
    if targets {
        let (lines, _) = target_file::read(text.as_bytes(), &live.now().targets);
        let refused = crate::catalogue::write::unauthorised(&lines, |a| viewer.can(a));
        if !refused.is_empty() {
            return Ok(Saved::Refused(refused));
        }
    }
    let by = crate::request::audit_by(&viewer, &auth, "", "");
    let today = crate::request::clock().today();
    let outcome =
        crate::catalogue::write::import(store.as_ref(), &live, text.as_bytes(), &by, today)
            .await
            .map_err(AppError::from)?;
    Ok(saved(outcome))
}
