//! The regimes' server functions, for administrators: the list with what the form offers, and
//! saving one regime from the form. Every change goes through `catalogue::write` (checked,
//! stored with its audit, announced), as a regimes file does.

// The regime form is one server function with a parameter per field (as the page posts them).
#![allow(clippy::too_many_arguments)]

use crate::catalogue::api::Saved;
use crate::error::AppError;
use crate::model::regime::Regime;
use crate::model::{Periodicity, UnitKind};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An indicator a regime may carry, as the form lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub periodicity: Periodicity,
    pub reported_by: Vec<UnitKind>,
}

/// What the regimes page shows and offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegimesView {
    /// Every regime, retired ones too, in their order.
    pub regimes: Vec<Regime>,
    /// The regime being edited, with whether reports were made under it (its periodicity is
    /// then fixed).
    pub editing: Option<(Regime, bool)>,
    /// Indicators in use (a derived one is shown on the form computed, never typed).
    pub indicators: Vec<Choice>,
    /// Ministries and provinces a regime may name one by one: code, Vietnamese name, kind.
    pub units: Vec<(String, String, UnitKind)>,
    /// The communes the regime being edited names (found by name on the form, not listed):
    /// code, name with its province.
    pub communes: Vec<(String, String)>,
}

/// The regimes page's data; `edit` (a code) with what its form needs.
#[server(prefix = "/fn", endpoint = "regimes_admin")]
pub async fn regimes_admin(#[server(default)] edit: String) -> Result<RegimesView, AppError> {
    use crate::model::auth::Action;
    crate::request::require(&Action::ManageCatalogue)?;
    let store = expect_context::<crate::store::SharedStore>();
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    let regimes = catalogue.regimes.clone();
    let editing = match regimes.iter().find(|r| r.code == edit) {
        Some(r) => {
            let with_reports = store
                .regimes_with_reports()
                .await
                .map_err(AppError::unavailable)?;
            Some((r.clone(), with_reports.contains(&r.code)))
        }
        None => None,
    };
    let mut indicators: Vec<Choice> = catalogue
        .indicators
        .values()
        .filter(|i| i.is_active())
        .map(|i| Choice {
            code: i.code.clone(),
            name_vi: i.name_vi.clone(),
            name_en: i.name_en.clone(),
            periodicity: i.periodicity,
            reported_by: i.reported_by.clone(),
        })
        .collect();
    indicators.sort_by(|a, b| a.name_vi.cmp(&b.name_vi));
    let mut units: Vec<(String, String, UnitKind)> = catalogue
        .units
        .values()
        .filter(|u| matches!(u.kind, UnitKind::Ministry | UnitKind::Province))
        .map(|u| (u.code.clone(), u.name_vi.clone(), u.kind))
        .collect();
    units.sort_by(|a, b| (a.2 != UnitKind::Ministry, &a.1).cmp(&(b.2 != UnitKind::Ministry, &b.1)));
    let lang = crate::shell::layout::current_lang();
    let communes = editing
        .iter()
        .flat_map(|(r, _)| r.units.iter())
        .filter_map(|code| catalogue.units.get(code))
        .filter(|u| u.kind == UnitKind::Commune)
        .map(|u| {
            let province = u
                .parent
                .as_deref()
                .and_then(|p| catalogue.units.get(p))
                .map(|p| lang.unit_name(p))
                .unwrap_or_default();
            (
                u.code.clone(),
                format!("{} ({province})", lang.unit_name(u)),
            )
        })
        .collect();
    Ok(RegimesView {
        regimes,
        editing,
        indicators,
        units,
        communes,
    })
}

/// The regime form, field by field as the page sends it; lists (kinds, units, indicators) are
/// codes joined by `|`, as the regimes file writes them; `in_force_from` a day (a new regime:
/// today when empty). `retire` = "1" retires the regime, "0" puts it back in use, empty
/// leaves it.
#[server(prefix = "/fn", endpoint = "regime_save")]
pub async fn regime_save(
    #[server(default)] new: String,
    code: String,
    name_vi: String,
    name_en: String,
    legal_basis: String,
    periodicity: String,
    #[server(default)] kinds: String,
    #[server(default)] units: String,
    #[server(default)] cutoff_day: String,
    deadline_working_days: String,
    #[server(default)] indicators: String,
    #[server(default)] in_force_from: String,
    #[server(default)] retire: String,
) -> Result<Saved, AppError> {
    use crate::catalogue::Problem;
    use crate::catalogue::regime_file::set;
    use crate::model::auth::Action;
    use crate::model::regime::blank;
    let (viewer, auth) = crate::request::require(&Action::ManageCatalogue)?;
    let store = expect_context::<crate::store::SharedStore>();
    let live = expect_context::<crate::catalogue::LiveCatalogue>();
    let code = code.trim().to_string();
    let new = new == "1";
    // The form is read as a one-line regimes file would be, by the same rules.
    let mut regime = live
        .now()
        .regimes
        .iter()
        .find(|r| r.code == code && !new)
        .cloned()
        .unwrap_or_else(blank);
    let mut problems = Vec::new();
    for (column, text) in [
        ("code", code.as_str()),
        ("name_vi", name_vi.trim()),
        ("name_en", name_en.trim()),
        ("legal_basis", legal_basis.trim()),
        ("periodicity", periodicity.trim()),
        ("kinds", kinds.trim()),
        ("units", units.trim()),
        ("cutoff_day", cutoff_day.trim()),
        ("deadline_working_days", deadline_working_days.trim()),
        ("indicators", indicators.trim()),
        ("in_force_from", in_force_from.trim()),
    ] {
        if let Err(message) = set(&mut regime, column, text) {
            problems.push(Problem {
                line: 0,
                column: column.into(),
                message,
            });
        }
    }
    // A new regime asks for the reports due from the day it is made, unless told otherwise.
    if new && regime.in_force_from.is_none() {
        regime.in_force_from = Some(crate::request::clock().today());
    }
    match retire.as_str() {
        "1" if regime.retired_at.is_none() => {
            regime.retired_at = Some(crate::request::clock().now())
        }
        "0" => regime.retired_at = None,
        _ => {}
    }
    if !problems.is_empty() {
        return Ok(Saved::Refused(problems));
    }
    let by = crate::request::audit_by(&viewer, &auth, "", &code);
    let outcome = crate::catalogue::write::save_regime(store.as_ref(), &live, regime, new, &by)
        .await
        .map_err(AppError::from)?;
    Ok(outcome.into())
}
