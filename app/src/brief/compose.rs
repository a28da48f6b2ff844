//! Reads a brief from the store: the values as they stood at one seq (one read, then judged
//! with the same rules as the cards, the scorecard and the contributions), the reports,
//! requests and tasks as they stand on the day.

use crate::brief::model::*;
use crate::catalogue::CatalogueIndex;
use crate::error::AppError;
use crate::model::contribution::Contributions;
use crate::model::explanation::{ExplanationQuery, Turn};
use crate::model::meeting::{MeetingKind, MeetingQuery};
use crate::model::target::{Standing, TargetStatus, year_of};
use crate::model::task::{TaskChange, TaskClass, TaskQuery};
use crate::model::view::Point;
use crate::model::year_to_date::YearToDate;
use crate::model::{Indicator, Observation, Period, Periodicity, UnitCode, UnitKind};
use crate::store::{ObservationQuery, Store};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::collections::{BTreeMap, HashMap};

/// Values drawn in a figure's small chart.
const CHART_POINTS: usize = 12;
/// National figures whose change is split into the provinces' parts: one per field.
const MOVERS: usize = 8;

/// What to compose: a month, optionally for a given meeting and at a given seq (default: the
/// regular meeting held in the month after, and the current seq).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BriefRequest {
    pub month: String,
    pub meeting: Option<i64>,
    pub seq: Option<i64>,
    /// The fields with a one-page annex each.
    pub annex: Vec<crate::model::indicator::Field>,
}

/// Reads a month from a person's or a command's text: `2026-11` (or `11/2026`). The month
/// must have begun.
pub fn parse_month(text: &str, today: NaiveDate) -> Result<Period, AppError> {
    let t = text.trim();
    let swapped;
    let t = match t.split_once('/') {
        Some((m, y)) if m.len() <= 2 && y.len() == 4 => {
            swapped = format!("{y}-{m:0>2}");
            swapped.as_str()
        }
        _ => t,
    };
    let month = Period::parse(t)
        .ok()
        .filter(|p| p.periodicity() == Periodicity::Monthly)
        .ok_or_else(|| {
            AppError::invalid(format!(
                "tháng “{}” không đúng dạng NNNN-TT, ví dụ 2026-11 (a month is written YYYY-MM)",
                text.trim()
            ))
        })?;
    if month.start() > today {
        return Err(AppError::invalid(format!(
            "tháng {} chưa bắt đầu (that month has not begun)",
            month.label_vi()
        )));
    }
    Ok(month)
}

/// The brief `request` asks for, composed at `now`.
pub async fn compose(
    store: &dyn Store,
    catalogue: &CatalogueIndex,
    request: &BriefRequest,
    now: DateTime<Utc>,
) -> Result<Brief, AppError> {
    let today = crate::model::vietnam_time(now).date();
    let month = parse_month(&request.month, today)?;
    let current = store.current_seq().await?;
    let seq = match request.seq {
        None => current,
        Some(s) if (0..=current).contains(&s) => s,
        Some(s) => {
            return Err(AppError::invalid(format!(
                "seq {s} không có: số liệu mới đến seq {current} (no such seq yet)"
            )));
        }
    };
    let meeting = meeting_of(store, month, request.meeting).await?;
    let values = Values::read(store, month, seq).await?;
    let year = month.start().year();

    let figures = figures(catalogue, &values);
    let off_track = off_track(catalogue, &values, month, year);
    let movers = movers(catalogue, &values, &figures);
    let below = store.children(UnitCode::NATIONAL).await?;
    let nation = catalogue
        .units
        .get(UnitCode::NATIONAL)
        .cloned()
        .ok_or_else(|| AppError::not_found("không có đơn vị toàn quốc (no national unit)"))?;
    let (reporting, _) =
        crate::indicators::views::reporting(store, catalogue, &nation, &below, today).await?;
    let explanations = explanations(store, catalogue, month, today).await?;
    let tasks = tasks(store, catalogue, month, today).await?;
    let annexes: Vec<Annex> = request
        .annex
        .iter()
        .map(|field| annex(catalogue, &values, &nation, &below, *field, month))
        .collect();
    Ok(Brief {
        simulated: figures.iter().any(|f| f.simulated)
            || annexes
                .iter()
                .flat_map(|a| &a.rows)
                .flat_map(|r| r.cells.iter().flatten())
                .any(|c| c.simulated),
        month,
        seq,
        composed_at: now,
        judged_on: today,
        meeting,
        figures,
        off_track,
        movers,
        reporting,
        explanations,
        tasks,
        annexes,
    })
}

/// One field's annex: its first [`ANNEX_COLUMNS`] indicators the provinces report, each at its
/// latest period ending within the month, for the nation and each province in force then.
fn annex(
    catalogue: &CatalogueIndex,
    values: &Values,
    nation: &crate::model::Unit,
    provinces: &[crate::model::Unit],
    field: crate::model::indicator::Field,
    month: Period,
) -> Annex {
    let mut units = vec![nation];
    units.extend(
        provinces
            .iter()
            .filter(|u| u.kind == UnitKind::Province && u.in_force(month.end())),
    );
    let columns: Vec<(&Indicator, Period)> = catalogue
        .in_order()
        .filter(|i| i.is_active() && i.field == field && i.is_reported_by(UnitKind::Province))
        .filter_map(|i| {
            // The latest period any of them has: a unit without it shows a dash.
            let period = units
                .iter()
                .filter_map(|u| values.of(&i.code, &u.code).last().map(|o| o.period))
                .max_by_key(|p| p.start())?;
            Some((i, period))
        })
        .take(ANNEX_COLUMNS)
        .collect();
    let rows = units
        .iter()
        .map(|u| AnnexRow {
            unit: u.code.clone(),
            unit_vi: u.name_vi.clone(),
            unit_en: u.name_en.clone(),
            cells: columns
                .iter()
                .map(|(i, period)| {
                    let o = values
                        .of(&i.code, &u.code)
                        .iter()
                        .find(|o| o.period == *period)?;
                    let standing = status(catalogue, values, i, &u.code, year_of(period))
                        .map(|s| s.judgement.standing);
                    Some(AnnexCell {
                        value: o.value,
                        standing,
                        source: o.source,
                        simulated: o.simulated,
                    })
                })
                .collect(),
        })
        .collect();
    Annex {
        field,
        columns: columns
            .into_iter()
            .map(|(i, period)| AnnexColumn {
                indicator: i.code.clone(),
                name_vi: i.name_vi.clone(),
                name_en: i.name_en.clone(),
                measure_vi: i.measure_vi.clone(),
                measure_en: i.measure.clone(),
                decimals: i.decimals,
                period,
            })
            .collect(),
        rows,
    }
}

/// The meeting asked for, or the regular meeting held in the month after `month`.
async fn meeting_of(
    store: &dyn Store,
    month: Period,
    id: Option<i64>,
) -> Result<Option<BriefMeeting>, AppError> {
    let meeting = match id {
        Some(id) => Some(store.meeting(id).await?.ok_or_else(|| {
            AppError::not_found(format!("không có cuộc họp số {id} (no such meeting)"))
        })?),
        None => {
            let next = month.next();
            store
                .meetings(&MeetingQuery {
                    kind: Some(MeetingKind::Regular),
                    from: Some(next.start()),
                    to: Some(next.end()),
                })
                .await?
                .into_iter()
                .min_by_key(|m| m.starts_at)
        }
    };
    Ok(meeting.map(|m| BriefMeeting {
        id: m.id,
        title: m.title,
        starts_at: m.starts_at,
        place: m.place,
        chair: m.chair,
    }))
}

/// The nation's, the provinces' and the ministries' values from January of the year before
/// `month` to its end, as they stood at `seq`.
struct Values {
    series: HashMap<(String, String), Vec<Observation>>,
}

impl Values {
    async fn read(store: &dyn Store, month: Period, seq: i64) -> Result<Values, AppError> {
        let from = Period::containing(
            Periodicity::Yearly,
            NaiveDate::from_ymd_opt(month.start().year() - 1, 1, 1).unwrap_or(month.start()),
        );
        let mut series: HashMap<(String, String), Vec<Observation>> = HashMap::new();
        for (unit, parent) in [
            (Some(UnitCode::NATIONAL), None),
            (None, Some(UnitCode::NATIONAL)),
        ] {
            let rows = store
                .observations(&ObservationQuery {
                    unit: unit.map(str::to_string),
                    parent: parent.map(str::to_string),
                    from: Some(from),
                    to: Some(month),
                    as_of: Some(seq),
                    ..Default::default()
                })
                .await?;
            for o in rows {
                // Periods reaching past the month (a year, a quarter not yet ended) are not
                // its figures.
                if o.period.end() <= month.end() {
                    series
                        .entry((o.indicator.clone(), o.unit.clone()))
                        .or_default()
                        .push(o);
                }
            }
        }
        for s in series.values_mut() {
            s.sort_by_key(|o| o.period.start());
        }
        Ok(Values { series })
    }

    fn of(&self, indicator: &str, unit: &str) -> &[Observation] {
        self.series
            .get(&(indicator.to_string(), unit.to_string()))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    fn points(&self, indicator: &str, unit: &str) -> Vec<Point> {
        self.of(indicator, unit).iter().map(Point::from).collect()
    }

    fn at(&self, indicator: &str, unit: &str, period: Period) -> Option<f64> {
        self.of(indicator, unit)
            .iter()
            .find(|o| o.period == period)
            .map(|o| o.value)
    }
}

fn status(
    catalogue: &CatalogueIndex,
    values: &Values,
    indicator: &Indicator,
    unit: &str,
    year: i32,
) -> Option<TargetStatus> {
    let goals = catalogue.targets.goals(indicator, unit, year);
    TargetStatus::of(indicator, &values.points(&indicator.code, unit), goals)
}

fn figures(catalogue: &CatalogueIndex, values: &Values) -> Vec<Figure> {
    let nation = UnitCode::NATIONAL;
    catalogue
        .in_order()
        .filter(|i| i.is_active())
        .filter_map(|i| {
            let series = values.of(&i.code, nation);
            let latest = series.last()?;
            let p = latest.period;
            let status = status(catalogue, values, i, nation, year_of(&p));
            let points = values.points(&i.code, nation);
            let year_to_date = status.as_ref().and_then(|s| s.year_to_date).or_else(|| {
                i.year_total
                    .then(|| YearToDate::of(&points, year_of(&p)))
                    .flatten()
            });
            let note = status.as_ref().map(|s| s.note(i));
            Some(Figure {
                indicator: i.code.clone(),
                name_vi: i.name_vi.clone(),
                name_en: i.name_en.clone(),
                measure_vi: i.measure_vi.clone(),
                measure_en: i.measure.clone(),
                decimals: i.decimals,
                change: i.change,
                field: i.field,
                period: p,
                value: latest.value,
                source: latest.source,
                simulated: series.iter().rev().take(CHART_POINTS).any(|o| o.simulated),
                previous: values.at(&i.code, nation, p.prev()).map(|v| (p.prev(), v)),
                year_ago: values.at(&i.code, nation, p.year_ago()),
                year_to_date,
                target: status.as_ref().and_then(|s| s.goals.target),
                standing: note.as_ref().map(|n| n.standing),
                basis: note.map(|n| n.basis),
                points: series
                    .iter()
                    .rev()
                    .take(CHART_POINTS)
                    .rev()
                    .map(|o| (o.period, o.value))
                    .collect(),
            })
        })
        .collect()
}

fn off_track(
    catalogue: &CatalogueIndex,
    values: &Values,
    month: Period,
    year: i32,
) -> Vec<OffTrack> {
    let mut out = Vec::new();
    let targeted: std::collections::BTreeSet<(&str, &str)> = catalogue
        .targets
        .rows()
        .into_iter()
        .filter(|r| year_of(&r.period) == year)
        .map(|r| (r.indicator.as_str(), r.unit.as_str()))
        .collect();
    let order: HashMap<&str, usize> = catalogue
        .in_order()
        .enumerate()
        .map(|(n, i)| (i.code.as_str(), n))
        .collect();
    for (code, unit_code) in targeted {
        let (Some(i), Some(unit)) = (
            catalogue.indicators.get(code),
            catalogue.units.get(unit_code),
        ) else {
            continue;
        };
        if !i.is_active() || !unit.in_force(month.end()) {
            continue;
        }
        let Some(s) = status(catalogue, values, i, unit_code, year) else {
            continue;
        };
        if !matches!(s.judgement.standing, Standing::OffTrack | Standing::AtRisk) {
            continue;
        }
        let note = s.note(i);
        out.push(OffTrack {
            indicator: i.code.clone(),
            indicator_vi: i.name_vi.clone(),
            indicator_en: i.name_en.clone(),
            unit: unit.code.clone(),
            unit_vi: unit.name_vi.clone(),
            unit_en: unit.name_en.clone(),
            kind: unit.kind,
            standing: s.judgement.standing,
            decimals: i.decimals,
            value: s.judgement.compared,
            period: s.judgement.period,
            basis: note.basis,
        });
    }
    // Red first; the nation before its units; then the catalogue's order.
    out.sort_by_key(|o| {
        (
            o.standing,
            o.kind != UnitKind::National,
            order
                .get(o.indicator.as_str())
                .copied()
                .unwrap_or(usize::MAX),
            o.unit.clone(),
        )
    });
    out
}

/// The parts of the change of the national figures made from their units' (summed, or a mean
/// weighted by another indicator): the first of each field in the catalogue's order, so that
/// the brief says what moved each area rather than trade's figures alone.
fn movers(catalogue: &CatalogueIndex, values: &Values, figures: &[Figure]) -> Vec<Contributions> {
    let Some(nation) = catalogue.units.get(UnitCode::NATIONAL) else {
        return Vec::new();
    };
    let mut fields = std::collections::HashSet::new();
    figures
        .iter()
        .filter_map(|f| {
            let i = catalogue.indicators.get(&f.indicator)?;
            // A field already told is not split again.
            if fields.contains(&i.field) {
                return None;
            }
            let (before_period, before) = f.previous?;
            let members = crate::steering::contributions::members_of(catalogue, i, nation).ok()?;
            let parts = crate::steering::contributions::split(
                catalogue,
                i,
                UnitCode::NATIONAL,
                &members,
                (before_period, f.period),
                (Some(before), Some(f.value)),
                |of, member, p| values.at(of, member, p),
            );
            (!parts.members.is_empty() && fields.insert(i.field)).then_some(parts)
        })
        .take(MOVERS)
        .collect()
}

/// Requests still waiting, and those answered or closed within the month, overdue first.
async fn explanations(
    store: &dyn Store,
    catalogue: &CatalogueIndex,
    month: Period,
    today: NaiveDate,
) -> Result<Vec<ExplanationLine>, AppError> {
    let requests = store.explanations(&ExplanationQuery::default()).await?;
    let in_month = |t: DateTime<Utc>| {
        let d = crate::model::vietnam_time(t).date();
        d >= month.start() && d <= month.end()
    };
    let mut lines: Vec<ExplanationLine> = requests
        .iter()
        .filter(|r| {
            r.state() != crate::model::explanation::ExplanationState::Accepted
                || r.turns.iter().any(|t| in_month(t.at))
        })
        .map(|r| {
            let indicator = catalogue.indicators.get(&r.indicator);
            ExplanationLine {
                id: r.id,
                indicator: r.indicator.clone(),
                indicator_vi: indicator.map_or(r.indicator.clone(), |i| i.name_vi.clone()),
                indicator_en: indicator.map_or(r.indicator.clone(), |i| i.name_en.clone()),
                unit_vi: catalogue.name_vi(&r.unit),
                period: r.period,
                question: r.question().to_string(),
                answer: r.turns.iter().rev().find_map(|t| match &t.turn {
                    Turn::Answer { text, .. } => Some(text.clone()),
                    _ => None,
                }),
                state: r.state(),
                timeliness: r.timeliness(today),
                due: r.due(),
            }
        })
        .collect();
    lines.sort_by_key(|l| (l.timeliness, l.due, l.id));
    Ok(lines)
}

async fn tasks(
    store: &dyn Store,
    catalogue: &CatalogueIndex,
    month: Period,
    today: NaiveDate,
) -> Result<TaskPart, AppError> {
    let all = store.tasks(&TaskQuery::default()).await?;
    let next_cycle_ends = month.next().end();
    let line = |t: &crate::model::task::Task| TaskLine {
        id: t.id,
        content: t.content.clone(),
        lead_vi: catalogue.name_vi(&t.lead),
        document: t.source.document().number.clone(),
        deadline: t.deadline,
        done_on: t.done_on,
        extended_to: t.extended_to,
        percent: t.percent,
    };
    let in_month = |d: NaiveDate| d >= month.start() && d <= month.end();
    let mut counts: HashMap<TaskClass, u32> = HashMap::new();
    let mut overdue: BTreeMap<String, Vec<TaskLine>> = BTreeMap::new();
    let mut part = TaskPart {
        next_cycle_ends: Some(next_cycle_ends),
        ..Default::default()
    };
    for t in all.iter().filter(|t| t.assigned_on <= today) {
        let class = t.class_on(today);
        *counts.entry(class).or_default() += 1;
        match class {
            TaskClass::Overdue => overdue.entry(t.lead.clone()).or_default().push(line(t)),
            TaskClass::InProgress
                if t.dates()
                    .deadline_in_force()
                    .is_some_and(|d| d <= next_cycle_ends) =>
            {
                part.due_soon.push(line(t))
            }
            TaskClass::DoneLate if t.done_on.is_some_and(in_month) => part.done_late.push(line(t)),
            _ => {}
        }
        let extended = t.history.iter().any(|e| {
            matches!(e.what, TaskChange::ExtensionGranted { .. })
                && in_month(crate::model::vietnam_time(e.at).date())
        });
        if extended {
            part.extended.push(line(t));
        }
    }
    part.counts = TaskClass::ALL
        .iter()
        .map(|c| (*c, counts.get(c).copied().unwrap_or(0)))
        .collect();
    let mut overdue: Vec<UnitTasks> = overdue
        .into_iter()
        .map(|(lead, mut tasks)| {
            tasks.sort_by_key(|t| (t.deadline, t.id));
            UnitTasks {
                unit_vi: catalogue.name_vi(&lead),
                tasks,
            }
        })
        .collect();
    overdue.sort_by(|a, b| {
        b.tasks
            .len()
            .cmp(&a.tasks.len())
            .then_with(|| a.unit_vi.cmp(&b.unit_vi))
    });
    part.overdue = overdue;
    part.due_soon
        .sort_by_key(|t| (t.extended_to.or(t.deadline), t.id));
    Ok(part)
}

#[cfg(test)]
mod tests {
    use super::parse_month;
    use chrono::NaiveDate;

    #[test]
    fn months_are_read_as_people_write_them() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        for text in ["2026-11", " 11/2026 ", "2026-12"] {
            assert!(parse_month(text, today).is_ok(), "{text}");
        }
        assert_eq!(parse_month("1/2026", today).unwrap().to_string(), "2026-01");
        for (text, words) in [
            ("2026-13", "không đúng dạng"),
            ("2026-Q3", "không đúng dạng"),
            ("", "không đúng dạng"),
            ("2027-01", "chưa bắt đầu"),
        ] {
            let e = parse_month(text, today).unwrap_err();
            assert!(e.message.contains(words), "{text}: {}", e.message);
        }
    }
}
