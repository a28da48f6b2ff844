//! Assembles page data from the store (server only).

use crate::error::AppError;
use crate::model::report::{Completeness, Report, ReportLine, ReportState};
use crate::model::reporting::Timeliness;
use crate::model::target::{TargetStatus, periods_of_year, year_of};
use crate::model::view::{
    ComparedSeries, IndicatorCard, IndicatorQuery, IndicatorView, MAX_COMPARED, Point, RankOrder,
    RankRow, RankScope, Recomputed, RevisionHistory, UnitGroup, UnitView, sort_ranking,
};
use crate::model::{Indicator, Period, Unit, UnitKind};
use crate::store::{ObservationQuery, Store, StoreError};
use std::collections::HashMap;

/// The units from the nation down to the parent of `unit`.
pub async fn breadcrumb(store: &dyn Store, unit: &Unit) -> Result<Vec<Unit>, StoreError> {
    let mut path = Vec::new();
    let mut parent = unit.parent.clone();
    while let Some(p) = parent {
        match store.unit(&p).await? {
            Some(u) => {
                parent = u.parent.clone();
                path.insert(0, u);
            }
            None => break,
        }
    }
    Ok(path)
}

/// The page of one unit, or `None` when no such unit exists.
pub async fn unit_view(
    store: &dyn Store,
    catalogue: &crate::catalogue::CatalogueIndex,
    recent: Option<&crate::indicators::recent::RecentCache>,
    code: &str,
    today: chrono::NaiveDate,
) -> Result<Option<UnitView>, StoreError> {
    let Some(unit) = catalogue.units.get(code).cloned() else {
        return Ok(None);
    };

    // Read first: a change committed while the page is assembled is then sent again, never lost.
    let seq = store.current_seq().await?;
    let breadcrumb = breadcrumb(store, &unit).await?;

    // The cards' points, possibly kept from an earlier page: the page's stream then resumes
    // from the seq they are true at.
    let (points_at, points) =
        crate::indicators::recent::RecentCache::recent(recent, store, &unit.code, seq).await?;
    let seq = seq.min(points_at);
    // Retired indicators leave the boards; their pages stay at their addresses. The nation
    // shows every indicator (a province-only one says so); other units show theirs.
    let mut cards: Vec<IndicatorCard> = catalogue
        .in_order()
        .filter(|i| i.is_active())
        .filter(|i| unit.kind == UnitKind::National || i.is_reported_by(unit.kind))
        .cloned()
        .map(|indicator| {
            let recent = points.get(&indicator.code).cloned().unwrap_or_default();
            let reported_here = indicator.is_reported_by(unit.kind);
            IndicatorCard {
                indicator,
                recent,
                reported_here,
                standing: None,
            }
        })
        .collect();
    for card in &mut cards {
        let latest = card.latest().map(|p| p.period);
        card.standing =
            card_standing(store, catalogue, &card.indicator, &unit.code, latest, today).await?;
    }
    let simulated = cards
        .iter()
        .flat_map(|c| c.recent.iter())
        .any(|p| p.simulated);

    // The units below as they are today (an ended one's history stays at its address); the
    // reports count every unit that owed the period, ended since or not.
    let below = store.children(&unit.code).await?;
    let kids: Vec<Unit> = below
        .iter()
        .filter(|u| u.in_force(today))
        .cloned()
        .collect();
    let group = |kind: UnitKind, vi: &str, en: &str| UnitGroup {
        title_vi: vi.to_string(),
        title_en: en.to_string(),
        units: kids
            .iter()
            .filter(|u| u.kind == kind)
            .cloned()
            .collect::<Vec<Unit>>(),
    };
    let children = [
        group(UnitKind::Ministry, "Bộ, cơ quan ngang bộ", "Ministries"),
        group(
            UnitKind::Province,
            "Tỉnh, thành phố",
            "Provinces and cities",
        ),
        group(
            UnitKind::Commune,
            "Xã, phường, đặc khu",
            "Communes and wards",
        ),
    ]
    .into_iter()
    .filter(|g| !g.units.is_empty())
    .collect();

    let (completeness, reports) = reporting(store, catalogue, &unit, &below, today).await?;
    let predecessors: Vec<_> = catalogue.predecessors_of(&unit.code).cloned().collect();
    let predecessor_pages = predecessors
        .iter()
        .filter(|s| {
            catalogue
                .units
                .get(&s.former_code)
                .is_some_and(|u| u.ended == Some(s.effective))
        })
        .map(|s| s.former_code.clone())
        .collect();
    let successors = catalogue
        .successors_of(&unit.code)
        .filter(|s| unit.ended == Some(s.effective))
        .map(|s| (s.clone(), catalogue.name_vi(&s.successor)))
        .collect();
    Ok(Some(UnitView {
        explanations: None,
        predecessors,
        predecessor_pages,
        successors,
        unit,
        breadcrumb,
        cards,
        children,
        simulated,
        seq,
        completeness,
        reports,
    }))
}

/// The line a unit page shows a signed-in reader about the unit's explanation requests (the
/// nation's: every request), counted on `today`.
pub async fn explanation_line(
    store: &dyn Store,
    unit: &Unit,
    today: chrono::NaiveDate,
) -> Result<Option<(String, String)>, StoreError> {
    use crate::model::explanation::{ExplanationCounts, ExplanationQuery};
    let requests = store
        .explanations(&ExplanationQuery {
            units: (unit.kind != UnitKind::National).then(|| vec![unit.code.clone()]),
            ..Default::default()
        })
        .await?;
    Ok(ExplanationCounts::of(&requests, today).line())
}

/// Reports the page shows, per regime in force: the level below's completeness for the
/// regime's latest period that is due, and the unit's own last six reports.
pub async fn reporting(
    store: &dyn Store,
    catalogue: &crate::catalogue::CatalogueIndex,
    unit: &Unit,
    kids: &[Unit],
    today: chrono::NaiveDate,
) -> Result<(Vec<Completeness>, Vec<ReportLine>), StoreError> {
    let holidays = store.reporting_calendar().await?.days_off();
    let below: Vec<UnitKind> = match unit.kind {
        UnitKind::National => vec![UnitKind::Province, UnitKind::Ministry],
        UnitKind::Province => vec![UnitKind::Commune],
        _ => vec![],
    };
    let indicator = |c: &str| catalogue.indicators.get(c);
    let mut completeness = Vec::new();
    let mut states: HashMap<Period, Vec<ReportState>> = HashMap::new();
    for regime in &catalogue.regimes {
        for kind in &below {
            let Some(set) = regime.data_set(*kind, indicator) else {
                continue;
            };
            let rules = set.rules;
            // The latest period whose deadline has come (or comes today): the one to judge.
            let mut period = rules.period_on(set.periodicity, today);
            while rules.deadline(&period, &holidays) > today {
                period = period.prev();
            }
            if !set.asks_for(&period, &holidays) {
                continue;
            }
            if let std::collections::hash_map::Entry::Vacant(e) = states.entry(period) {
                e.insert(store.report_states(&period).await?);
            }
            let deadline = rules.deadline(&period, &holidays);
            let mut c = Completeness {
                regime: set.regime.clone(),
                name_vi: set.name_vi.clone(),
                name_en: set.name_en.clone(),
                kind: *kind,
                period,
                deadline,
                expected: 0,
                on_time: 0,
                late: 0,
                not_due: 0,
                missing: Vec::new(),
            };
            for u in kids
                .iter()
                .filter(|u| u.kind == *kind && u.reports(&period) && regime.covers(u))
            {
                c.expected += 1;
                let submitted = states[&period]
                    .iter()
                    .find(|s| s.unit == u.code && s.regime == set.regime)
                    .and_then(ReportState::submitted_on);
                match rules.timeliness(&period, &holidays, submitted, today) {
                    Timeliness::OnTime => c.on_time += 1,
                    Timeliness::Late => c.late += 1,
                    Timeliness::NotDue => c.not_due += 1,
                    Timeliness::Missing => c.missing.push(u.clone()),
                }
            }
            if c.expected > 0 {
                completeness.push(c);
            }
        }
    }
    let mut own = Vec::new();
    let sets = crate::model::regime::data_sets_of(&catalogue.regimes, unit, indicator);
    if !sets.is_empty() {
        // Six of each regime's periods: 6 weeks of a weekly one, 1½ years of a quarterly one.
        let stored = store.reports_of(&unit.code, 160).await?;
        for set in &sets {
            let mut p = set.rules.period_on(set.periodicity, today);
            for _ in 0..6 {
                if !set.asks_for(&p, &holidays) || unit.started.is_some_and(|s| p.start() < s) {
                    break;
                }
                // Periods after it ended are its successors'.
                if !unit.reports(&p) {
                    p = p.prev();
                    continue;
                }
                let report = stored
                    .iter()
                    .find(|r| r.period == p && r.regime == set.regime);
                let submitted = report.and_then(Report::submitted_on);
                own.push(ReportLine {
                    regime: set.regime.clone(),
                    name_vi: set.name_vi.clone(),
                    name_en: set.name_en.clone(),
                    period: p,
                    deadline: set.rules.deadline(&p, &holidays),
                    status: report.map(|r| r.status),
                    timeliness: set.rules.timeliness(&p, &holidays, submitted, today),
                });
                p = p.prev();
            }
        }
    }
    Ok((completeness, own))
}

/// Every task, classed as of today, for the wall and the head of the task pages.
pub async fn task_board(
    store: &dyn Store,
    catalogue: &crate::catalogue::CatalogueIndex,
    today: chrono::NaiveDate,
) -> Result<crate::model::task::TaskBoard, StoreError> {
    let tasks = store.tasks(&Default::default()).await?;
    Ok(crate::model::task::TaskBoard::of(
        &tasks,
        |code| catalogue.name_vi(code),
        today,
    ))
}

/// Longest range shown at once, in years (a longer one is refused with a message).
pub const MAX_RANGE_YEARS: i32 = 20;
/// Points shown when no range is given.
pub const DEFAULT_POINTS: usize = 24;

/// An indicator's page: the one place its data is assembled, for the page, its CSV and its
/// chart image alike.
pub async fn indicator_view(
    store: &dyn Store,
    catalogue: &crate::catalogue::CatalogueIndex,
    query: &IndicatorQuery,
) -> Result<IndicatorView, AppError> {
    use crate::model::UnitCode;
    let shown = |s: &str| s.chars().take(40).collect::<String>();
    // Read first: a change committed while the page is assembled is then sent again, never lost.
    let seq = store.current_seq().await?;
    let indicators = store.indicators().await?;
    let Some(indicator) = indicators.into_iter().find(|i| i.code == query.code) else {
        return Err(AppError::not_found(format!(
            "Không có chỉ tiêu mã “{}”. (No such indicator.)",
            shown(&query.code)
        )));
    };
    let unit_code = match query.unit.trim() {
        "" => "VN".to_string(),
        u => UnitCode::parse(u)
            .map_err(|e| AppError::invalid(e.to_string()))?
            .as_str()
            .to_string(),
    };
    let Some(unit) = store.unit(&unit_code).await? else {
        return Err(AppError::not_found(format!(
            "Không có đơn vị mã “{unit_code}”. (No such unit.)"
        )));
    };
    let period_of = |name: &str, text: &str| -> Result<Option<Period>, AppError> {
        match text.trim() {
            "" => Ok(None),
            t => {
                let p = Period::parse(t).map_err(|e| AppError::invalid(format!("{name}: {e}")))?;
                if p.periodicity() != indicator.periodicity {
                    return Err(AppError::invalid(format!(
                        "{name}: chỉ tiêu này theo {}, không theo kỳ “{p}” (wrong periodicity)",
                        indicator.periodicity.label_vi()
                    )));
                }
                Ok(Some(p))
            }
        }
    };
    let (from, to) = (period_of("from", &query.from)?, period_of("to", &query.to)?);
    let asked_period = period_of("period", &query.period)?;
    let rev = period_of("rev", &query.rev)?;
    if let (Some(f), Some(t)) = (from, to) {
        if f.start() > t.start() {
            return Err(AppError::invalid(
                "“from” phải trước “to”. (The range starts after it ends.)",
            ));
        }
        if t.start().years_since(f.start()).unwrap_or(0) as i32 >= MAX_RANGE_YEARS {
            return Err(AppError::invalid(format!(
                "Khoảng thời gian tối đa {MAX_RANGE_YEARS} năm. (At most {MAX_RANGE_YEARS} years at once.)"
            )));
        }
    }
    // Counted before anything is looked up, so a list of 500 codes costs nothing.
    let asked = query.compared();
    if asked.len() >= MAX_COMPARED {
        return Err(AppError::invalid(format!(
            "So sánh tối đa {MAX_COMPARED} đơn vị trên một biểu đồ, đang yêu cầu {}. (At most {MAX_COMPARED} units on one chart.)",
            asked.len() + 1
        )));
    }
    let mut compared_units: Vec<Unit> = Vec::new();
    for c in asked {
        let code = UnitCode::parse(c).map_err(|e| AppError::invalid(format!("compare: {e}")))?;
        let Some(u) = store.unit(code.as_str()).await? else {
            return Err(AppError::invalid(format!(
                "compare: không có đơn vị mã “{code}”. (No such unit to compare.)"
            )));
        };
        if u.code != unit.code && !compared_units.iter().any(|k| k.code == u.code) {
            compared_units.push(u);
        }
    }

    let breadcrumb = breadcrumb(store, &unit).await?;
    let code = indicator.code.clone();
    // A unit that took over others in a recorded reorganisation (their history kept under
    // their codes): its series runs back through theirs, added up as the rollup adds units.
    let taken_over: Vec<(&crate::model::Succession, &Unit)> = catalogue
        .predecessors_of(&unit.code)
        .filter_map(|s| {
            let u = catalogue.units.get(&s.former_code)?;
            (u.ended == Some(s.effective)).then_some((s, u))
        })
        .collect();
    let recomputed = match taken_over.iter().map(|(s, _)| s.effective).max() {
        Some(before) if indicator.rollup == crate::model::indicator::Rollup::Sum => {
            Some(Recomputed {
                before,
                from: taken_over
                    .iter()
                    .map(|(s, _)| s.former_name.clone())
                    .collect(),
            })
        }
        _ => None,
    };
    let former: Vec<&Unit> = match recomputed {
        Some(_) => taken_over.iter().map(|(_, u)| *u).collect(),
        None => Vec::new(),
    };
    let mut series: Vec<Point> = boundary_values(store, &code, &unit, &former, from, to).await?;
    if from.is_none() && series.len() > DEFAULT_POINTS {
        series.drain(..series.len() - DEFAULT_POINTS);
    }
    // Values of another unit (or of a year earlier) at each of the series' periods.
    let aligned = |values: Vec<crate::model::Observation>, shift: fn(&Period) -> Period| {
        let by_period: HashMap<Period, f64> =
            values.into_iter().map(|o| (o.period, o.value)).collect();
        series
            .iter()
            .map(|p| by_period.get(&shift(&p.period)).copied())
            .collect::<Vec<_>>()
    };
    let (first, last) = (
        series.first().map(|p| p.period),
        series.last().map(|p| p.period),
    );
    let year_ago = match (first, last) {
        (Some(f), Some(l)) => {
            let earlier = boundary_values(
                store,
                &code,
                &unit,
                &former,
                Some(f.year_ago()),
                Some(l.year_ago()),
            )
            .await?;
            let by_period: HashMap<Period, f64> =
                earlier.into_iter().map(|p| (p.period, p.value)).collect();
            series
                .iter()
                .map(|p| by_period.get(&p.period.year_ago()).copied())
                .collect()
        }
        _ => Vec::new(),
    };
    let mut compared = Vec::new();
    for u in compared_units {
        let values = match (first, last) {
            (Some(f), Some(l)) => aligned(
                values(store, &code, Some(&u.code), Some(f), Some(l)).await?,
                |p| *p,
            ),
            _ => Vec::new(),
        };
        compared.push(ComparedSeries { unit: u, values });
    }

    let order = RankOrder::parse(query.order.trim());
    let ranking_period = asked_period.or(last);
    let scope = ranking_scope(&indicator, &unit, &breadcrumb);
    let mut ranking = Vec::new();
    let mut unreported = Vec::new();
    if let (Some(p), Some((_, parent, kind))) = (ranking_period, &scope) {
        let members: HashMap<String, String> = store
            .children(parent)
            .await?
            .into_iter()
            .filter(|u| u.kind == *kind)
            .map(|u| (u.code, u.name_vi))
            .collect();
        let earlier: HashMap<String, f64> = values_under(store, &code, parent, p.year_ago())
            .await?
            .into_iter()
            .filter(|o| members.contains_key(&o.unit))
            .map(|o| (o.unit, o.value))
            .collect();
        ranking = values_under(store, &code, parent, p)
            .await?
            .into_iter()
            .filter_map(|o| {
                let name_vi = members.get(&o.unit)?.clone();
                Some(RankRow {
                    year_ago: earlier.get(&o.unit).copied(),
                    unit: o.unit,
                    name_vi,
                    value: o.value,
                    simulated: o.simulated,
                })
            })
            .collect();
        sort_ranking(&mut ranking, order, indicator.good_direction);
        unreported = members
            .into_iter()
            .filter(|(code, _)| !ranking.iter().any(|r| r.unit == *code))
            .collect();
        unreported.sort_by(|a: &(String, String), b| a.1.cmp(&b.1));
    }
    let history = match rev {
        Some(p) => Some(RevisionHistory {
            period: p,
            revisions: store.revisions(&indicator.code, &unit.code, &p).await?,
        }),
        None => None,
    };
    let simulated = series.iter().any(|p| p.simulated) || ranking.iter().any(|r| r.simulated);
    let normal = |p: Option<Period>| p.map(|p| p.to_string()).unwrap_or_default();
    let query = IndicatorQuery {
        code: indicator.code.clone(),
        unit: unit.code.clone(),
        from: normal(from),
        to: normal(to),
        period: normal(asked_period),
        order: if order == RankOrder::Best {
            String::new()
        } else {
            order.as_str().to_string()
        },
        compare: compared
            .iter()
            .map(|c| c.unit.code.as_str())
            .collect::<Vec<_>>()
            .join(","),
        rev: normal(rev),
    };
    // The targets of the year the view ends in.
    let standing = match series.last() {
        Some(p) => {
            target_status(store, catalogue, &indicator, &unit.code, year_of(&p.period)).await?
        }
        None => None,
    };
    // What moved the figure into the ranking's period: where the members add up to it.
    let members = crate::steering::contributions::members_of(catalogue, &indicator, &unit).ok();
    let contributions = match (ranking_period, members) {
        (Some(p), Some(members)) => Some(
            crate::steering::contributions::between(
                store,
                catalogue,
                &indicator,
                &unit,
                &members,
                (p.prev(), p),
            )
            .await?,
        ),
        _ => None,
    };
    let notes = match (series.first(), series.last()) {
        (Some(a), Some(b)) => crate::notes::api::on_chart(
            catalogue,
            &indicator,
            &unit.code,
            &breadcrumb,
            (a.period.start(), b.period.end()),
        ),
        _ => Vec::new(),
    };
    let mut consistency = Vec::new();
    if unit.code == crate::model::UnitCode::NATIONAL {
        for i in crate::quality::check::touching(catalogue.indicators.values(), &indicator.code) {
            if let Some(c) = crate::quality::check::check(store, catalogue, i).await? {
                consistency.push(c);
            }
        }
    }
    Ok(IndicatorView {
        standing,
        explanations: None,
        contributions,
        consistency,
        notes,
        may_write_notes: false,
        following: None,
        query,
        indicator,
        unit,
        breadcrumb,
        series,
        year_ago,
        compared,
        from,
        to,
        ranking_period,
        ranking_scope: scope.map(|(s, _, _)| s),
        ranking,
        unreported,
        order,
        history,
        simulated,
        seq,
        recomputed,
    })
}

/// One indicator's points for `unit` within a range, on its boundary of today: with `former`
/// (the units it took over), each period they reported is their sum with the unit's own value
/// when it reported it too, and a period missing any of them is left out rather than shown as
/// a part of the whole.
async fn boundary_values(
    store: &dyn Store,
    indicator: &str,
    unit: &Unit,
    former: &[&Unit],
    from: Option<Period>,
    to: Option<Period>,
) -> Result<Vec<Point>, StoreError> {
    let point = |o: crate::model::Observation| Point::from(&o);
    let own = values(store, indicator, Some(&unit.code), from, to).await?;
    if former.is_empty() {
        return Ok(own.into_iter().map(point).collect());
    }
    let mut by_unit: Vec<(&Unit, HashMap<Period, crate::model::Observation>)> = Vec::new();
    by_unit.push((unit, own.into_iter().map(|o| (o.period, o)).collect()));
    for u in former {
        let v = values(store, indicator, Some(&u.code), from, to).await?;
        by_unit.push((u, v.into_iter().map(|o| (o.period, o)).collect()));
    }
    let mut periods: Vec<Period> = by_unit
        .iter()
        .flat_map(|(_, v)| v.keys().copied())
        .collect();
    periods.sort_by_key(Period::start);
    periods.dedup();
    Ok(periods
        .into_iter()
        .filter_map(|p| {
            let mut sum = Point {
                period: p,
                value: 0.0,
                simulated: false,
                outlier: false,
            };
            let mut parts = 0;
            for (_, v) in by_unit.iter().filter(|(u, _)| u.reports(&p)) {
                let o = v.get(&p)?;
                sum.value += o.value;
                sum.simulated |= o.simulated;
                parts += 1;
            }
            (parts > 0).then_some(sum)
        })
        .collect())
}

/// How `unit` stands against its targets for `indicator` in `year` (None: no target or plan
/// that year), from that year's values and the year before's (the projection's seasons).
pub async fn target_status(
    store: &dyn Store,
    catalogue: &crate::catalogue::CatalogueIndex,
    indicator: &Indicator,
    unit: &str,
    year: i32,
) -> Result<Option<TargetStatus>, StoreError> {
    let goals = catalogue.targets.goals(indicator, unit, year);
    if goals.is_empty() {
        return Ok(None);
    }
    let from = periods_of_year(indicator.periodicity, year - 1)
        .first()
        .copied();
    let to = periods_of_year(indicator.periodicity, year).last().copied();
    let series: Vec<Point> = values(store, &indicator.code, Some(unit), from, to)
        .await?
        .iter()
        .map(Point::from)
        .collect();
    Ok(TargetStatus::of(indicator, &series, goals))
}

/// A card's standing: the unit's year against its targets, the year being that of the card's
/// latest value, else this one (in January the card still speaks of last year's December).
pub async fn card_standing(
    store: &dyn Store,
    catalogue: &crate::catalogue::CatalogueIndex,
    indicator: &Indicator,
    unit: &str,
    latest: Option<Period>,
    today: chrono::NaiveDate,
) -> Result<Option<crate::model::target::StandingNote>, StoreError> {
    let year = latest.map_or(chrono::Datelike::year(&today), |p| year_of(&p));
    Ok(target_status(store, catalogue, indicator, unit, year)
        .await?
        .map(|s| s.note(indicator)))
}

/// One indicator's values for one unit (or every unit) within a range.
async fn values(
    store: &dyn Store,
    indicator: &str,
    unit: Option<&str>,
    from: Option<Period>,
    to: Option<Period>,
) -> Result<Vec<crate::model::Observation>, StoreError> {
    store
        .observations(&ObservationQuery {
            indicator: Some(indicator.to_string()),
            unit: unit.map(str::to_string),
            from,
            to,
            ..Default::default()
        })
        .await
}

/// One indicator's values for one period, for the units under `parent`.
async fn values_under(
    store: &dyn Store,
    indicator: &str,
    parent: &str,
    period: Period,
) -> Result<Vec<crate::model::Observation>, StoreError> {
    store
        .observations(&ObservationQuery {
            indicator: Some(indicator.to_string()),
            parent: Some(parent.to_string()),
            from: Some(period),
            to: Some(period),
            ..Default::default()
        })
        .await
}

/// Whom an indicator's ranking compares for `unit`, with the parent whose children they are:
/// the level below when it reports the indicator, else the unit's peers.
fn ranking_scope(
    indicator: &Indicator,
    unit: &Unit,
    breadcrumb: &[Unit],
) -> Option<(RankScope, String, UnitKind)> {
    let reports = |k| indicator.is_reported_by(k);
    let national = |kind: UnitKind| match kind {
        UnitKind::Province => Some((RankScope::Provinces, "VN".to_string(), kind)),
        UnitKind::Ministry => Some((RankScope::Ministries, "VN".to_string(), kind)),
        _ => None,
    };
    match unit.kind {
        UnitKind::National if reports(UnitKind::Province) => national(UnitKind::Province),
        UnitKind::National if reports(UnitKind::Ministry) => national(UnitKind::Ministry),
        UnitKind::Province if reports(UnitKind::Commune) => Some((
            RankScope::CommunesOf(unit.name_vi.clone()),
            unit.code.clone(),
            UnitKind::Commune,
        )),
        UnitKind::Province if reports(UnitKind::Province) => national(UnitKind::Province),
        UnitKind::Ministry if reports(UnitKind::Ministry) => national(UnitKind::Ministry),
        UnitKind::Commune if reports(UnitKind::Commune) => breadcrumb.last().map(|p| {
            (
                RankScope::CommunesOf(p.name_vi.clone()),
                p.code.clone(),
                UnitKind::Commune,
            )
        }),
        _ => None,
    }
}
