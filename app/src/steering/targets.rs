//! The targets page's data: one indicator's targets and plans for a year, unit by unit, as the
//! secretariat and administrators edit them, and the save that sends the cells through the
//! catalogue's one path in for targets (checked, audited, announced).

use crate::error::AppError;
use crate::model::Period;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One indicator's targets and plans in a year, every unit that reports it a row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetSheet {
    /// The indicator shown (empty: none chosen, or none to choose).
    pub indicator: String,
    pub year: i32,
    /// What may be chosen: indicators in use that some unit reports (code, name), by name.
    pub choices: Vec<(String, String)>,
    /// The measure, as the reader's language says it.
    pub measure: String,
    /// A figure counted over the year: its plan runs year to date.
    pub year_total: bool,
    /// The plan's periods in the year, each with its short heading; none for a yearly
    /// figure, and none for a weekly or daily one (a plan that long goes by file).
    pub periods: Vec<(Period, String)>,
    pub rows: Vec<SheetRow>,
}

/// A unit's line: its year's target (one value, or a range) and its plan, as stored, written
/// as the reader types numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetRow {
    pub unit: String,
    pub name: String,
    pub target: String,
    pub target_max: String,
    /// One per `periods`.
    pub plan: Vec<String>,
    /// The catalogue's national target the nation keeps while it has no line of its own.
    pub fallback: Option<String>,
}

/// A cell as typed: the year's target (`period` the year) or a plan point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetCell {
    pub unit: String,
    pub period: String,
    pub target: String,
    #[serde(default)]
    pub target_max: String,
}

/// The plan's periods a page can hold in one row.
#[cfg(feature = "ssr")]
fn plan_periods(periodicity: crate::model::Periodicity, year: i32) -> Vec<Period> {
    use crate::model::Periodicity;
    match periodicity {
        Periodicity::Monthly | Periodicity::Quarterly | Periodicity::HalfYearly => {
            crate::model::target::periods_of_year(periodicity, year)
        }
        _ => Vec::new(),
    }
}

#[cfg(feature = "ssr")]
fn short_heading(p: &Period, lang: crate::model::i18n::Lang) -> String {
    use crate::model::i18n::Lang;
    match (p, lang) {
        (Period::Month(_, m), Lang::Vi) => format!("T{m}"),
        (Period::Month(_, m), Lang::En) => format!("M{m}"),
        (Period::Quarter(_, q), Lang::Vi) => format!("Quý {q}"),
        (Period::Quarter(_, q), Lang::En) => format!("Q{q}"),
        (Period::Half(_, 1), Lang::Vi) => "6 tháng đầu".into(),
        (Period::Half(_, _), Lang::Vi) => "6 tháng cuối".into(),
        (Period::Half(_, h), Lang::En) => format!("H{h}"),
        (p, lang) => lang.period(p),
    }
}

/// The sheet at `/targets?indicator=&year=` (each as written there; empty for none).
#[server(prefix = "/fn", endpoint = "targets_sheet")]
pub async fn targets_sheet(indicator: String, year: String) -> Result<TargetSheet, AppError> {
    use crate::model::auth::Action;
    use crate::model::format::decimals_needed;
    use crate::model::{UnitCode, UnitKind};
    crate::request::require(&Action::SetTargets {
        unit: UnitCode::NATIONAL.into(),
    })?;
    let lang = crate::shell::layout::current_lang();
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    let today = crate::request::clock().today();
    let year = year
        .trim()
        .parse()
        .ok()
        .filter(|y| (1900..=2200).contains(y))
        .unwrap_or(chrono::Datelike::year(&today));
    let mut choices: Vec<(String, String)> = catalogue
        .indicators
        .values()
        .filter(|i| i.is_active() && !i.reported_by.is_empty())
        .map(|i| {
            (
                i.code.clone(),
                lang.pick(&i.name_vi, &i.name_en).to_string(),
            )
        })
        .collect();
    // By name as people look one up: "Cán cân…" before "Chỉ số…".
    choices.sort_by_cached_key(|c| crate::model::i18n::fold_vi(&c.1));
    let chosen = catalogue
        .indicators
        .get(indicator.trim())
        .filter(|i| i.is_active() && !i.reported_by.is_empty());
    let Some(i) = chosen else {
        if !indicator.trim().is_empty() {
            return Err(AppError::not_found(
                "Không có chỉ tiêu này, hoặc chỉ tiêu đã ngừng dùng. (No such indicator in use.)",
            ));
        }
        return Ok(TargetSheet {
            indicator: String::new(),
            year,
            choices,
            measure: String::new(),
            year_total: false,
            periods: Vec::new(),
            rows: Vec::new(),
        });
    };
    let periods = plan_periods(i.periodicity, year);
    // The units of that year: today's, or those in force at its end for a year gone by.
    let day = chrono::NaiveDate::from_ymd_opt(year, 12, 31).map_or(today, |end| end.min(today));
    let shown = |v: f64| lang.number(v, decimals_needed(v));
    let text = |v: Option<f64>| v.map(shown).unwrap_or_default();
    let rows = [UnitKind::National, UnitKind::Ministry, UnitKind::Province]
        .into_iter()
        .filter(|k| i.is_reported_by(*k))
        .flat_map(|k| catalogue.in_force(k, day))
        .map(|u| {
            let year_row = catalogue.targets.row(&i.code, &u.code, &Period::Year(year));
            SheetRow {
                unit: u.code.clone(),
                name: lang.unit_name(u),
                target: text(year_row.map(|r| r.value)),
                target_max: text(year_row.and_then(|r| r.value_max)),
                plan: periods
                    .iter()
                    .map(|p| text(catalogue.targets.row(&i.code, &u.code, p).map(|r| r.value)))
                    .collect(),
                fallback: (u.code == UnitCode::NATIONAL)
                    .then_some(i.target)
                    .flatten()
                    .map(shown),
            }
        })
        .collect();
    Ok(TargetSheet {
        indicator: i.code.clone(),
        year,
        choices,
        measure: lang.pick(&i.measure_vi, &i.measure).to_string(),
        year_total: i.year_total,
        periods: periods
            .iter()
            .map(|p| (*p, short_heading(p, lang)))
            .collect(),
        rows,
    })
}

/// Saves the sheet's cells of one indicator: each read as the reader types numbers, then
/// checked and stored as lines of the targets file are (a cell left empty takes the target or
/// plan point away). A problem names the unit and period and nothing is stored.
#[server(prefix = "/fn", endpoint = "targets_save", input = server_fn::codec::Json)]
pub async fn targets_save(
    indicator: String,
    cells: Vec<SheetCell>,
) -> Result<crate::catalogue::api::Saved, AppError> {
    use crate::catalogue::Problem;
    use crate::catalogue::api::Saved;
    use crate::catalogue::target_file::{TargetEntry, lines_of};
    use crate::model::auth::Action;
    use crate::model::typed_number;
    let (viewer, auth) = crate::request::require(&Action::SetTargets {
        unit: crate::model::UnitCode::NATIONAL.into(),
    })?;
    let lang = crate::shell::layout::current_lang();
    let store = expect_context::<crate::store::SharedStore>();
    let live = expect_context::<crate::catalogue::LiveCatalogue>();
    let catalogue = live.now();
    // Where a problem is, as the sheet shows it: the unit and the period, not a line.
    let place = |unit: &str, period: Option<&Period>| {
        let name = catalogue
            .units
            .get(unit)
            .map_or_else(|| unit.to_string(), |u| lang.unit_name(u));
        match period {
            Some(p) => format!("{name}, {}", lang.period(p)),
            None => name,
        }
    };
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    for cell in &cells {
        let period = Period::parse(&cell.period);
        let mut read = |column: &str, text: &str| match typed_number::read(text, lang) {
            Ok(v) => v.map(|t| t.value),
            Err(e) => {
                problems.push(Problem {
                    line: 0,
                    column: column.into(),
                    message: format!("{}: {e}", place(&cell.unit, period.as_ref().ok())),
                });
                None
            }
        };
        let (value, value_max) = (
            read("target", &cell.target),
            read("target_max", &cell.target_max),
        );
        match period {
            Ok(period) => entries.push(TargetEntry::new(
                &indicator, &cell.unit, period, value, value_max,
            )),
            Err(e) => problems.push(Problem {
                line: 0,
                column: "period".into(),
                message: e.to_string(),
            }),
        }
    }
    if !problems.is_empty() {
        return Ok(Saved::Refused(problems));
    }
    let (lines, more) = lines_of(entries, &catalogue.targets);
    let places: std::collections::HashMap<usize, String> = lines
        .iter()
        .map(|l| (l.line, place(&l.item.unit, Some(&l.item.period))))
        .collect();
    let located = |problems: Vec<Problem>| {
        problems
            .into_iter()
            .map(|p| Problem {
                message: match places.get(&p.line) {
                    Some(place) => format!("{place}: {}", p.message),
                    None => p.message,
                },
                line: 0,
                ..p
            })
            .collect::<Vec<_>>()
    };
    let refused = crate::catalogue::write::unauthorised(&lines, |a| viewer.can(a));
    if !refused.is_empty() {
        return Ok(Saved::Refused(located(refused)));
    }
    let by = crate::request::audit_by(&viewer, &auth, "", &indicator);
    let outcome = crate::catalogue::write::set_targets(store.as_ref(), &live, lines, more, &by)
        .await
        .map_err(AppError::from)?;
    Ok(match Saved::from(outcome) {
        Saved::Refused(p) => Saved::Refused(located(p)),
        done => done,
    })
}
