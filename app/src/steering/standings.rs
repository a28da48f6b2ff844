//! Where every unit of a level stands on an indicator in a year: one read of the indicator's
//! values for the level, judged unit by unit as a card judges one (`TargetStatus::of`).

use crate::catalogue::CatalogueIndex;
use crate::model::target::{TargetStatus, periods_of_year, year_of};
use crate::model::view::Point;
use crate::model::year_to_date::YearToDate;
use crate::model::{Indicator, Period, Unit, UnitCode};
use crate::steering::scorecard::*;
use crate::store::{ObservationQuery, Store, StoreError};
use std::collections::HashMap;

/// The status of each of `units` that has a target or plan for `indicator` in `year`.
pub async fn statuses(
    store: &dyn Store,
    catalogue: &CatalogueIndex,
    indicator: &Indicator,
    units: &[&Unit],
    year: i32,
) -> Result<HashMap<String, TargetStatus>, StoreError> {
    let goals: Vec<_> = units
        .iter()
        .map(|u| {
            (
                u.code.as_str(),
                catalogue.targets.goals(indicator, &u.code, year),
            )
        })
        .filter(|(_, g)| !g.is_empty())
        .collect();
    if goals.is_empty() {
        return Ok(HashMap::new());
    }
    // Last year's values too: a projection takes its seasons from them.
    let values = store
        .observations(&ObservationQuery {
            indicator: Some(indicator.code.clone()),
            parent: Some(UnitCode::NATIONAL.to_string()),
            from: periods_of_year(indicator.periodicity, year - 1)
                .first()
                .copied(),
            to: periods_of_year(indicator.periodicity, year).last().copied(),
            ..Default::default()
        })
        .await?;
    let mut series: HashMap<&str, Vec<Point>> = HashMap::new();
    for o in &values {
        series
            .entry(o.unit.as_str())
            .or_default()
            .push(Point::from(o));
    }
    Ok(goals
        .into_iter()
        .filter_map(|(unit, goals)| {
            let points = series.get(unit).map(Vec::as_slice).unwrap_or_default();
            TargetStatus::of(indicator, points, goals).map(|s| (unit.to_string(), s))
        })
        .collect())
}

/// The scorecard at `query`'s address, as of `today`. Without a year: this year's, unless no
/// unit has a value in it yet (early in January the latest figures are last year's), then last
/// year's, as a card judges the year of its latest value.
pub async fn scorecard(
    store: &dyn Store,
    catalogue: &CatalogueIndex,
    query: &ScorecardQuery,
    today: chrono::NaiveDate,
) -> Result<ScorecardView, StoreError> {
    let this_year = scorecard_of(store, catalogue, query, today).await?;
    let judged = |v: &ScorecardView| {
        v.rows
            .iter()
            .flat_map(|r| r.cells.iter().flatten())
            .any(|c| c.compared.is_some())
    };
    let last = this_year.year - 1;
    if query.year.is_some() || judged(&this_year) || !this_year.years.contains(&last) {
        return Ok(this_year);
    }
    let earlier = ScorecardQuery {
        year: Some(last),
        ..query.clone()
    };
    scorecard_of(store, catalogue, &earlier, today).await
}

async fn scorecard_of(
    store: &dyn Store,
    catalogue: &CatalogueIndex,
    query: &ScorecardQuery,
    today: chrono::NaiveDate,
) -> Result<ScorecardView, StoreError> {
    let seq = store.current_seq().await?;
    let level = level_of(query.level.as_deref());
    let year = query.year.unwrap_or(chrono::Datelike::year(&today));
    let units = catalogue.in_force(level, today);
    let rows_here: Vec<_> = catalogue
        .targets
        .rows()
        .into_iter()
        .filter(|r| {
            catalogue
                .units
                .get(&r.unit)
                .is_some_and(|u| u.kind == level)
        })
        .collect();
    let targeted: std::collections::HashSet<&str> = rows_here
        .iter()
        .filter(|r| year_of(&r.period) == year)
        .map(|r| r.indicator.as_str())
        .collect();
    let choices: Vec<ScoreColumn> = catalogue
        .in_order()
        .filter(|i| i.is_active() && i.is_reported_by(level))
        .map(|i| ScoreColumn {
            code: i.code.clone(),
            name_vi: i.name_vi.clone(),
            name_en: i.name_en.clone(),
            measure_vi: i.measure_vi.clone(),
            measure: i.measure.clone(),
            decimals: i.decimals,
            has_targets: targeted.contains(i.code.as_str()),
        })
        .collect();
    // The columns asked for, as the catalogue knows them; else those with targets this year.
    let asked: Vec<String> = query.codes().iter().map(|c| c.to_uppercase()).collect();
    let columns: Vec<ScoreColumn> = if asked.is_empty() {
        choices.iter().filter(|c| c.has_targets).cloned().collect()
    } else {
        let mut columns: Vec<ScoreColumn> = Vec::new();
        for code in &asked {
            if let Some(c) = choices.iter().find(|c| &c.code == code)
                && !columns.contains(c)
            {
                columns.push(c.clone());
            }
        }
        columns
    };

    let mut rows: Vec<ScoreRow> = units
        .iter()
        .map(|u| ScoreRow {
            code: u.code.clone(),
            name_vi: u.name_vi.clone(),
            name_en: u.name_en.clone(),
            cells: Vec::with_capacity(columns.len()),
        })
        .collect();
    for column in &columns {
        let Some(indicator) = catalogue.indicators.get(&column.code) else {
            continue;
        };
        let statuses = statuses(store, catalogue, indicator, &units, year).await?;
        for row in &mut rows {
            row.cells.push(statuses.get(&row.code).map(|s| {
                let j = &s.judgement;
                ScoreCell {
                    standing: j.standing,
                    compared: j.compared,
                    goal: j.goal,
                    basis: s.note(indicator).basis,
                    gap: match (j.goal, j.compared) {
                        (Some(g), Some(v)) => g.gap(v, indicator.good_direction),
                        _ => 0.0,
                    },
                    year_to_date: s.year_to_date,
                }
            }));
        }
    }
    let sort = query.sort.as_deref().and_then(|s| {
        columns
            .iter()
            .position(|c| c.code == s.trim().to_uppercase())
    });
    sort_rows(&mut rows, sort);

    let mut counts: Vec<(crate::model::target::Standing, usize)> = Vec::new();
    for cell in rows.iter().flat_map(|r| r.cells.iter().flatten()) {
        match counts.iter_mut().find(|(s, _)| *s == cell.standing) {
            Some((_, n)) => *n += 1,
            None => counts.push((cell.standing, 1)),
        }
    }
    counts.sort();
    let mut years: Vec<i32> = rows_here
        .iter()
        .map(|r| year_of(&r.period))
        .chain([year])
        .collect();
    years.sort();
    years.dedup();

    Ok(ScorecardView {
        query: ScorecardQuery {
            level: Some(level_word(level).to_string()),
            indicators: Some(
                columns
                    .iter()
                    .map(|c| c.code.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            year: Some(year),
            sort: sort.map(|i| columns[i].code.clone()),
        },
        level,
        year,
        years,
        columns,
        choices,
        rows,
        counts,
        seq,
        may_set_targets: false,
    })
}

/// What a wall shows of steering on `today`: the provinces' figures off track or at risk
/// against this year's targets, worst first, and the explanation requests counted.
pub async fn wall(
    store: &dyn Store,
    catalogue: &CatalogueIndex,
    today: chrono::NaiveDate,
) -> Result<WallSteering, StoreError> {
    use crate::model::explanation::{ExplanationCounts, ExplanationQuery};
    use crate::model::target::Standing;
    let card = scorecard(store, catalogue, &ScorecardQuery::default(), today).await?;
    let requests = store.explanations(&ExplanationQuery::default()).await?;
    let explanations = ExplanationCounts::of(&requests, today);
    let mut at_risk: Vec<AtRiskRow> = Vec::new();
    for row in &card.rows {
        for (cell, column) in row.cells.iter().zip(&card.columns) {
            let Some(cell) = cell
                .as_ref()
                .filter(|c| matches!(c.standing, Standing::OffTrack | Standing::AtRisk))
            else {
                continue;
            };
            // The newest request about this unit's figure (the list is newest first).
            let asked = requests
                .iter()
                .find(|r| r.unit == row.code && r.indicator == column.code)
                .map(|r| r.state());
            at_risk.push(AtRiskRow {
                unit: row.code.clone(),
                unit_name: row.name_vi.clone(),
                indicator: column.code.clone(),
                indicator_name: column.name_vi.clone(),
                cell: cell.clone(),
                decimals: column.decimals,
                asked,
            });
        }
    }
    at_risk.sort_by(|a, b| {
        a.cell
            .standing
            .cmp(&b.cell.standing)
            .then(b.cell.gap.total_cmp(&a.cell.gap))
    });
    at_risk.truncate(AT_RISK_ROWS);
    // The nation's cards, judged as its page judges them (only figures with goals are read).
    let latest = store
        .latest(&crate::store::LatestScope::Unit(UnitCode::NATIONAL.into()))
        .await?
        .observations;
    let mut national = Vec::new();
    for indicator in catalogue.in_order().filter(|i| i.is_active()) {
        let period = latest
            .iter()
            .find(|o| o.indicator == indicator.code)
            .map(|o| o.period);
        let note = crate::indicators::views::card_standing(
            store,
            catalogue,
            indicator,
            UnitCode::NATIONAL,
            period,
            today,
        )
        .await?;
        if let Some(note) = note {
            national.push((indicator.code.clone(), note));
        }
    }
    Ok(WallSteering {
        at_risk,
        explanations,
        national,
    })
}

/// A published value's place against its unit's goals, as the open data gives it.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct OnRecord {
    /// The year's target (its low end, for a range), where the unit has one.
    pub target: Option<f64>,
    /// The upper end of a year's target set as a range.
    pub target_max: Option<f64>,
    /// The plan's expected value for this period (year to date, for a figure counted over the
    /// year), where the unit has one.
    pub plan: Option<f64>,
    /// Where the unit stood when this was its latest value, as its card judged it then; none
    /// without a target or plan that year.
    pub standing: Option<crate::model::target::Standing>,
    /// For a figure counted over the year (exports, revenue…): the sum of the year's values up
    /// to this period; none while a period of the year before it is missing.
    pub year_to_date: Option<f64>,
    /// The same periods of last year, summed, where last year has them all.
    pub year_to_date_last_year: Option<f64>,
}

/// `rows`' goals, standings and years to date, in their order. A series on the page that has
/// goals or is counted over the year is read once: its two years of values before the page's
/// first (one query for all of them), then each value is judged, and summed, on the values up
/// to its period.
pub async fn on_record(
    store: &dyn Store,
    catalogue: &CatalogueIndex,
    rows: &[crate::model::Observation],
) -> Result<Vec<OnRecord>, StoreError> {
    let mut out = vec![OnRecord::default(); rows.len()];
    let mut series: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, o) in rows.iter().enumerate() {
        series
            .entry((o.indicator.as_str(), o.unit.as_str()))
            .or_default()
            .push(i);
    }
    let mut wanted: HashMap<usize, Vec<(String, String, Period)>> = HashMap::new();
    series.retain(|(code, unit), members| {
        let Some(indicator) = catalogue.indicators.get(*code) else {
            return false;
        };
        members.sort_by_key(|&i| rows[i].period.start());
        let has_goals = || {
            members.iter().any(|&i| {
                let year = year_of(&rows[i].period);
                !catalogue.targets.goals(indicator, unit, year).is_empty()
            })
        };
        if !YearToDate::counts(indicator) && !has_goals() {
            return false;
        }
        let first = rows[members[0]].period;
        let per_year = periods_of_year(indicator.periodicity, year_of(&first)).len();
        wanted.entry(2 * per_year.max(1)).or_default().push((
            code.to_string(),
            unit.to_string(),
            first,
        ));
        true
    });
    let mut history = HashMap::new();
    for (per_series, list) in wanted {
        history.extend(store.values_before(&list, per_series).await?);
    }
    for ((code, unit), members) in series {
        let Some(indicator) = catalogue.indicators.get(code) else {
            continue;
        };
        let before = history
            .get(&(code.to_string(), unit.to_string()))
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut known: Vec<Point> = before
            .iter()
            .rev()
            .map(|&(period, value)| Point {
                period,
                value,
                simulated: false,
                outlier: false,
            })
            .collect();
        for i in members {
            let period = rows[i].period;
            known.push(Point::from(&rows[i]));
            let year = year_of(&period);
            let goals = catalogue.targets.goals(indicator, unit, year);
            let ytd = YearToDate::counts(indicator)
                .then(|| YearToDate::of(&known, year))
                .flatten();
            out[i] = OnRecord {
                target: goals.target.map(|g| g.low),
                target_max: goals.target.filter(|g| g.is_range()).map(|g| g.high),
                plan: goals.planned(&period),
                year_to_date: ytd.map(|y| y.sum),
                year_to_date_last_year: ytd.and_then(|y| y.last_year),
                standing: TargetStatus::of(indicator, &known, goals).map(|s| s.judgement.standing),
            };
        }
    }
    Ok(out)
}
