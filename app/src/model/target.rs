//! Mục tiêu, kế hoạch, tình trạng thực hiện: a unit's target for an indicator in a year (one
//! value or a range), the plan (the expected path by the indicator's own periods), and the
//! standing judged from them by the indicator's rule. Pure: the server and the browser judge
//! alike, and the tests need no database.

use crate::model::indicator::{GoodDirection, Indicator, Periodicity};
use crate::model::period::Period;
use crate::model::view::Point;
use crate::model::year_to_date::YearToDate;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A target: one value (`low == high`) or a range such as 8,3–8,5 %.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub low: f64,
    pub high: f64,
}

impl Goal {
    pub fn value(v: f64) -> Goal {
        Goal { low: v, high: v }
    }

    pub fn is_range(&self) -> bool {
        self.low != self.high
    }

    /// "8,5" or "8,3–8,5", in the reader's language.
    pub fn text(&self, lang: crate::model::i18n::Lang, decimals: u8) -> String {
        if self.is_range() {
            format!(
                "{}–{}",
                lang.number(self.low, decimals),
                lang.number(self.high, decimals)
            )
        } else {
            lang.number(self.low, decimals)
        }
    }

    /// How far `value` lies from the goal on its bad side (0 inside it or beyond it on the good
    /// side; for an indicator with no good direction, outside the range either way).
    pub fn shortfall(&self, value: f64, direction: GoodDirection) -> f64 {
        match direction {
            GoodDirection::Up => (self.low - value).max(0.0),
            GoodDirection::Down => (value - self.high).max(0.0),
            GoodDirection::None => (self.low - value).max(value - self.high).max(0.0),
        }
    }

    /// What a shortfall is a share of: the goal's bound on the bad side. A goal of zero has no
    /// size to take a share of, so a shortfall is then measured in the measure itself.
    fn size(&self, direction: GoodDirection) -> f64 {
        let bound = match direction {
            GoodDirection::Up => self.low.abs(),
            GoodDirection::Down => self.high.abs(),
            GoodDirection::None => self.low.abs().max(self.high.abs()),
        };
        if bound > 0.0 { bound } else { 1.0 }
    }

    /// The shortfall as a share of the goal (0,1: ten per cent short); it ranks units.
    pub fn gap(&self, value: f64, direction: GoodDirection) -> f64 {
        self.shortfall(value, direction) / self.size(direction)
    }
}

/// One unit's targets for one indicator in one year: the year's target and the plan's points.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Goals {
    pub year: i32,
    pub target: Option<Goal>,
    /// The expected value of each planned period, oldest first. For an indicator counted over
    /// the year ([`Indicator::year_total`]) each is the year to date at the period's end.
    pub plan: Vec<(Period, f64)>,
}

impl Goals {
    pub fn is_empty(&self) -> bool {
        self.target.is_none() && self.plan.is_empty()
    }

    pub fn planned(&self, period: &Period) -> Option<f64> {
        self.plan.iter().find(|(p, _)| p == period).map(|(_, v)| *v)
    }
}

/// One stored line of targets: a year's target (`period` a year; a range up to `value_max`),
/// or a plan's expected value for a shorter period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetRow {
    pub indicator: String,
    pub unit: String,
    pub period: Period,
    pub value: f64,
    pub value_max: Option<f64>,
}

impl TargetRow {
    /// A year's target rather than a plan's point.
    pub fn is_target(&self) -> bool {
        matches!(self.period, Period::Year(_))
    }
}

/// Every unit's targets and plans, by indicator and unit: read with the catalogue, so that every
/// page and screen judges standings from the same reading.
#[derive(Clone, Debug, Default)]
pub struct TargetBook {
    by_key: std::collections::HashMap<(String, String), Vec<TargetRow>>,
}

impl TargetBook {
    pub fn new(rows: Vec<TargetRow>) -> TargetBook {
        let mut by_key: std::collections::HashMap<(String, String), Vec<TargetRow>> =
            Default::default();
        for r in rows {
            by_key
                .entry((r.indicator.clone(), r.unit.clone()))
                .or_default()
                .push(r);
        }
        for rows in by_key.values_mut() {
            rows.sort_by_key(|r| reading_order(&r.period));
        }
        TargetBook { by_key }
    }

    /// Every row, by indicator, unit and period.
    pub fn rows(&self) -> Vec<&TargetRow> {
        let mut all: Vec<&TargetRow> = self.by_key.values().flatten().collect();
        all.sort_by(|a, b| {
            (&a.indicator, &a.unit, reading_order(&a.period)).cmp(&(
                &b.indicator,
                &b.unit,
                reading_order(&b.period),
            ))
        });
        all
    }

    pub fn row(&self, indicator: &str, unit: &str, period: &Period) -> Option<&TargetRow> {
        self.by_key
            .get(&(indicator.to_string(), unit.to_string()))?
            .iter()
            .find(|r| r.period == *period)
    }

    /// The targets of `unit` for `indicator` in `year`. The nation without a target of its own
    /// for the year keeps the catalogue's standing target (`Indicator::target`), as before
    /// targets were set by year.
    pub fn goals(&self, indicator: &Indicator, unit: &str, year: i32) -> Goals {
        let rows = self
            .by_key
            .get(&(indicator.code.clone(), unit.to_string()))
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut goals = Goals {
            year,
            ..Default::default()
        };
        for r in rows.iter().filter(|r| year_of(&r.period) == year) {
            if r.is_target() {
                goals.target = Some(Goal {
                    low: r.value,
                    high: r.value_max.unwrap_or(r.value),
                });
            } else {
                goals.plan.push((r.period, r.value));
            }
        }
        if goals.target.is_none() && unit == crate::model::UnitCode::NATIONAL {
            goals.target = indicator.target.map(Goal::value);
        }
        goals
    }
}

/// As people read targets: by year, the year's target before its plan, the plan in time order.
fn reading_order(p: &Period) -> (i32, bool, NaiveDate) {
    (year_of(p), !matches!(p, Period::Year(_)), p.start())
}

/// Tình trạng thực hiện.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Listed first wherever standings are sorted: red first.
    OffTrack,
    AtRisk,
    OnTrack,
    CannotJudge,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::OnTrack => "on_track",
            Standing::AtRisk => "at_risk",
            Standing::OffTrack => "off_track",
            Standing::CannotJudge => "cannot_judge",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Standing::OnTrack => "Đúng tiến độ",
            Standing::AtRisk => "Có nguy cơ chậm",
            Standing::OffTrack => "Chậm, không đạt",
            Standing::CannotJudge => "Chưa đủ căn cứ đánh giá",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Standing::OnTrack => "On track",
            Standing::AtRisk => "At risk",
            Standing::OffTrack => "Off track",
            Standing::CannotJudge => "Cannot judge yet",
        }
    }
}

/// What a standing is judged by: editable per indicator in the catalogue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StandingBy {
    /// The plan where it has the latest period; else the projection for a figure counted over
    /// the year, the latest value against the target for any other.
    #[default]
    Auto,
    /// The latest value against the plan's value for its period.
    Plan,
    /// The latest value (the year's total once complete, for a figure counted over the year)
    /// against the year's target.
    Target,
    /// The year's end at the current pace against the target.
    Projection,
}

impl StandingBy {
    pub const ALL: [StandingBy; 4] = [
        StandingBy::Auto,
        StandingBy::Plan,
        StandingBy::Target,
        StandingBy::Projection,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StandingBy::Auto => "auto",
            StandingBy::Plan => "plan",
            StandingBy::Target => "target",
            StandingBy::Projection => "projection",
        }
    }

    pub fn parse(s: &str) -> Option<StandingBy> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            StandingBy::Auto => "Tự động (kế hoạch, dự báo hoặc mục tiêu)",
            StandingBy::Plan => "So với kế hoạch của kỳ",
            StandingBy::Target => "So với mục tiêu năm",
            StandingBy::Projection => "Dự báo cuối năm so với mục tiêu",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            StandingBy::Auto => "Automatic (plan, projection or target)",
            StandingBy::Plan => "Against the period's plan",
            StandingBy::Target => "Against the year's target",
            StandingBy::Projection => "Year-end projection against the target",
        }
    }
}

/// The default margin of "at risk": within 5 % of the goal on its bad side.
pub const AT_RISK_WITHIN_DEFAULT: f64 = 5.0;

/// How the year's end was projected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectionMethod {
    /// This year so far, scaled by last year's share of the same periods in its whole.
    Seasonal,
    /// The pace of this year so far (a straight line through its values).
    Trend,
}

impl ProjectionMethod {
    /// How a projection says what it was made from.
    pub fn label_vi(self) -> &'static str {
        match self {
            ProjectionMethod::Seasonal => "dự báo cả năm (theo cơ cấu các kỳ của năm trước)",
            ProjectionMethod::Trend => "dự báo cả năm (theo xu hướng năm nay)",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ProjectionMethod::Seasonal => "year-end projection (last year's seasonal profile)",
            ProjectionMethod::Trend => "year-end projection (this year's trend)",
        }
    }
}

/// The year's end at the current pace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    pub method: ProjectionMethod,
    /// The projected value of the year (its total, for a figure counted over the year; its last
    /// period's value for any other).
    pub year_end: f64,
    /// The projected path from the latest value to the year's last period, for the chart.
    pub path: Vec<(Period, f64)>,
}

/// A standing and what it rests on, for the card's line and the scorecard's cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Judgement {
    pub standing: Standing,
    /// What was compared: the basis actually used (never `Auto`).
    pub by: StandingBy,
    /// The value compared (the latest, the year to date, or the projection).
    pub compared: Option<f64>,
    /// The goal it was compared with.
    pub goal: Option<Goal>,
    /// The period the value compared belongs to.
    pub period: Option<Period>,
}

impl Judgement {
    fn cannot(by: StandingBy) -> Judgement {
        Judgement {
            standing: Standing::CannotJudge,
            by,
            compared: None,
            goal: None,
            period: None,
        }
    }
}

/// What a card or an indicator page says of a unit's year against its targets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetStatus {
    pub goals: Goals,
    pub judgement: Judgement,
    /// The year's end at the current pace, with the path the chart draws.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projection: Option<Projection>,
    /// For a figure counted over the year: its year to date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_to_date: Option<YearToDate>,
}

impl TargetStatus {
    /// The status of `goals` from `series` (this year's values and last year's, any order);
    /// None when the unit has no target or plan for the year.
    pub fn of(indicator: &Indicator, series: &[Point], goals: Goals) -> Option<TargetStatus> {
        if goals.is_empty() {
            return None;
        }
        let year = goals.year;
        let projection = project(indicator, series, year);
        Some(TargetStatus {
            judgement: judge(indicator, series, &goals, projection.as_ref()),
            projection,
            year_to_date: indicator
                .year_total
                .then(|| YearToDate::of(series, year))
                .flatten(),
            goals,
        })
    }
}

/// A standing as a card shows it, its words made on the server in both languages, so that
/// every page's wasm carries a badge and two lines, not the judging and its types.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StandingNote {
    pub standing: Standing,
    /// What it rests on, Vietnamese then English: "Kế hoạch Quý III/2026: 7,80".
    pub basis: (String, String),
}

impl TargetStatus {
    /// Its note for `indicator`, in both languages.
    pub fn note(&self, indicator: &Indicator) -> StandingNote {
        use crate::model::i18n::Lang;
        let both = |f: &dyn Fn(Lang) -> String| (f(Lang::Vi), f(Lang::En));
        let d = indicator.decimals;
        let j = &self.judgement;
        let basis = both(&|lang: Lang| {
            let goal = j
                .goal
                .or(self.goals.target)
                .map_or_else(|| "–".into(), |g| g.text(lang, d));
            let what = match (j.by, j.period) {
                (StandingBy::Plan, Some(p)) => format!(
                    "{} {}: {goal}",
                    lang.pick("Kế hoạch", "Plan for"),
                    lang.period(&p)
                ),
                _ => format!(
                    "{} {}: {goal}",
                    lang.pick("Mục tiêu năm", "Target for"),
                    self.goals.year
                ),
            };
            match &self.projection {
                Some(p) if j.by == StandingBy::Projection => format!(
                    "{what} · {}: {}",
                    lang.pick(p.method.label_vi(), p.method.label_en()),
                    lang.number(p.year_end, d)
                ),
                _ => what,
            }
        });
        StandingNote {
            standing: j.standing,
            basis,
        }
    }
}

/// Values by period, as a chart draws a line through them.
pub type Line = Vec<(Period, f64)>;

/// The plan and the projection as a chart of the indicator's own periods draws them: for a
/// figure counted over the year (whose plan and projection are years to date), each period's
/// own share, where the period before it is known. The projection leaves out its first point,
/// the latest value, which the chart's series already ends on.
pub fn chart_paths(indicator: &Indicator, status: &TargetStatus) -> (Line, Line) {
    let projected: &[(Period, f64)] = status
        .projection
        .as_ref()
        .map(|p| p.path.as_slice())
        .unwrap_or_default();
    if !indicator.year_total {
        return (
            status.goals.plan.clone(),
            projected.iter().skip(1).copied().collect(),
        );
    }
    let periods = periods_of_year(indicator.periodicity, status.goals.year);
    let plan = status
        .goals
        .plan
        .iter()
        .filter_map(|(p, v)| {
            let k = periods.iter().position(|x| x == p)?;
            let before = match k {
                0 => Some(0.0),
                _ => status.goals.planned(&periods[k - 1]),
            }?;
            Some((*p, v - before))
        })
        .collect();
    let projection = projected
        .windows(2)
        .map(|w| (w[1].0, w[1].1 - w[0].1))
        .collect();
    (plan, projection)
}

/// The target line a chart of `unit` draws: the low end of its year's target, or for the nation
/// without one the catalogue's target; a province never gets the nation's.
pub fn chart_target(
    indicator: &Indicator,
    unit: &str,
    status: Option<&TargetStatus>,
) -> Option<f64> {
    match status.and_then(|s| s.goals.target) {
        Some(g) => Some(g.low),
        None if unit == crate::model::UnitCode::NATIONAL => indicator.target,
        None => None,
    }
}

/// The periods of `year` in `periodicity`, in order (ISO weeks of that ISO year).
pub fn periods_of_year(periodicity: Periodicity, year: i32) -> Vec<Period> {
    let Some(first_day) = NaiveDate::from_ymd_opt(year, 1, 4) else {
        return Vec::new();
    };
    let belongs = |p: &Period| match p {
        Period::Week(y, _) => *y == year,
        other => other.start().year() == year,
    };
    let mut p = Period::containing(periodicity, first_day);
    // Back to the year's first period (1 January for every periodicity but ISO weeks).
    while belongs(&p.prev()) {
        p = p.prev();
    }
    let mut out = Vec::new();
    while belongs(&p) {
        out.push(p);
        p = p.next();
    }
    out
}

/// The year a period belongs to for targets (an ISO week to its ISO year).
pub fn year_of(period: &Period) -> i32 {
    match period {
        Period::Week(y, _) => *y,
        p => p.start().year(),
    }
}

/// The values of `year` in `series`, oldest first.
fn this_year(series: &[Point], year: i32) -> Vec<&Point> {
    let mut this: Vec<&Point> = series
        .iter()
        .filter(|p| year_of(&p.period) == year)
        .collect();
    this.sort_by_key(|p| p.period);
    this
}

/// The value of `period` in `series`, if it has one.
fn value_at(series: &[Point], period: Period) -> Option<f64> {
    series.iter().find(|x| x.period == period).map(|x| x.value)
}

/// Projects the year's end from `series` (every period's value, any order).
pub fn project(indicator: &Indicator, series: &[Point], year: i32) -> Option<Projection> {
    let periods = periods_of_year(indicator.periodicity, year);
    periods.last()?;
    let this = this_year(series, year);
    let latest = this.last()?;
    let remaining: Vec<Period> = periods
        .iter()
        .copied()
        .filter(|p| *p > latest.period)
        .collect();
    if indicator.year_total {
        let YearToDate {
            sum: ytd,
            last_year: last_ytd,
            ..
        } = YearToDate::of(series, year)?;
        let last_year: Option<f64> = periods.iter().map(|p| value_at(series, p.year_ago())).sum();
        let (method, factor_each): (ProjectionMethod, Vec<f64>) = match (last_ytd, last_year) {
            (Some(before), Some(whole)) if before > 0.0 && whole > 0.0 => (
                ProjectionMethod::Seasonal,
                remaining
                    .iter()
                    .map(|p| value_at(series, p.year_ago()).unwrap_or(0.0) * ytd / before)
                    .collect(),
            ),
            _ => (
                ProjectionMethod::Trend,
                remaining.iter().map(|_| ytd / this.len() as f64).collect(),
            ),
        };
        let mut running = ytd;
        let mut path = vec![(latest.period, ytd)];
        for (p, add) in remaining.iter().zip(factor_each) {
            running += add;
            path.push((*p, running));
        }
        return Some(Projection {
            method,
            year_end: running,
            path,
        });
    }
    // A rate or a level: a straight line through this year's values (least squares), from the
    // latest value on; one value alone is its own pace.
    let n = this.len() as f64;
    let index = |p: &Period| periods.iter().position(|x| x == p).unwrap_or(0) as f64;
    let slope = if this.len() >= 2 {
        let mx = this.iter().map(|p| index(&p.period)).sum::<f64>() / n;
        let my = this.iter().map(|p| p.value).sum::<f64>() / n;
        let sxy: f64 = this
            .iter()
            .map(|p| (index(&p.period) - mx) * (p.value - my))
            .sum();
        let sxx: f64 = this.iter().map(|p| (index(&p.period) - mx).powi(2)).sum();
        if sxx > 0.0 { sxy / sxx } else { 0.0 }
    } else {
        0.0
    };
    let start = index(&latest.period);
    let mut path = vec![(latest.period, latest.value)];
    for p in &remaining {
        path.push((*p, latest.value + slope * (index(p) - start)));
    }
    let mut year_end = path.last().map_or(latest.value, |(_, v)| *v);
    if let Some(lo) = indicator.valid_min {
        year_end = year_end.max(lo);
    }
    if let Some(hi) = indicator.valid_max {
        year_end = year_end.min(hi);
    }
    Some(Projection {
        method: ProjectionMethod::Trend,
        year_end,
        path,
    })
}

/// Where `value` stands against `goal`: on track on the good side of it or within it; at risk
/// within `at_risk_within` % of the goal on the bad side; off track beyond.
pub fn standing_of(
    value: f64,
    goal: Goal,
    direction: GoodDirection,
    at_risk_within: f64,
) -> Standing {
    let short = goal.shortfall(value, direction);
    if short <= 0.0 {
        return Standing::OnTrack;
    }
    if goal.gap(value, direction) <= at_risk_within / 100.0 {
        Standing::AtRisk
    } else {
        Standing::OffTrack
    }
}

/// Judges the standing of one unit's indicator in `goals.year` from its values (`series`, any
/// order, any years) by the indicator's rule; `projection` is the year's, made by [`project`].
pub fn judge(
    indicator: &Indicator,
    series: &[Point],
    goals: &Goals,
    projection: Option<&Projection>,
) -> Judgement {
    let year = goals.year;
    let rule = indicator.standing_by;
    let this = this_year(series, year);
    let Some(latest) = this.last().copied() else {
        return Judgement::cannot(rule);
    };
    let periods = periods_of_year(indicator.periodicity, year);
    let complete = periods.last() == Some(&latest.period);
    // The value a goal speaks of: the year to date for a figure counted over the year.
    let current = if indicator.year_total {
        match YearToDate::of(series, year) {
            Some(y) => y.sum,
            // A period missing this year: the sum would read as a fall.
            None => return Judgement::cannot(rule),
        }
    } else {
        latest.value
    };
    let by = match rule {
        StandingBy::Auto if goals.planned(&latest.period).is_some() => StandingBy::Plan,
        StandingBy::Auto if indicator.year_total && !complete => StandingBy::Projection,
        StandingBy::Auto => StandingBy::Target,
        other => other,
    };
    let (compared, goal) = match by {
        StandingBy::Plan => match goals.planned(&latest.period) {
            Some(v) => (current, Goal::value(v)),
            None => return Judgement::cannot(by),
        },
        StandingBy::Target => match goals.target {
            // A year's total is judged once the year is complete.
            Some(_) if indicator.year_total && !complete => return Judgement::cannot(by),
            Some(g) => (current, g),
            None => return Judgement::cannot(by),
        },
        StandingBy::Projection | StandingBy::Auto => {
            let Some(g) = goals.target else {
                return Judgement::cannot(by);
            };
            match projection {
                Some(p) => (p.year_end, g),
                None => return Judgement::cannot(by),
            }
        }
    };
    Judgement {
        standing: standing_of(
            compared,
            goal,
            indicator.good_direction,
            indicator.at_risk_within.unwrap_or(AT_RISK_WITHIN_DEFAULT),
        ),
        by,
        compared: Some(compared),
        goal: Some(goal),
        period: Some(latest.period),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Judged as [`TargetStatus::of`] judges: with the year's projection.
    fn judge(i: &Indicator, series: &[Point], goals: &Goals) -> Judgement {
        super::judge(i, series, goals, project(i, series, goals.year).as_ref())
    }

    fn point(p: &str, v: f64) -> Point {
        Point {
            period: Period::parse(p).unwrap(),
            value: v,
            simulated: false,
            outlier: false,
        }
    }

    fn growth() -> Indicator {
        Indicator {
            code: "GRDP_GROWTH".into(),
            periodicity: Periodicity::Quarterly,
            good_direction: GoodDirection::Up,
            ..Default::default()
        }
    }

    fn exports() -> Indicator {
        Indicator {
            code: "EXPORT_VALUE".into(),
            periodicity: Periodicity::Monthly,
            good_direction: GoodDirection::Up,
            year_total: true,
            ..Default::default()
        }
    }

    fn goals(target: Option<Goal>, plan: &[(&str, f64)]) -> Goals {
        Goals {
            year: 2026,
            target,
            plan: plan
                .iter()
                .map(|(p, v)| (Period::parse(p).unwrap(), *v))
                .collect(),
        }
    }

    #[test]
    fn a_chart_draws_a_year_to_date_plan_and_projection_period_by_period() {
        let mut i = exports();
        let goals = Goals {
            year: 2026,
            target: Some(Goal::value(120.0)),
            plan: vec![
                (Period::parse("2026-01").unwrap(), 10.0),
                (Period::parse("2026-02").unwrap(), 25.0),
                (Period::parse("2026-04").unwrap(), 45.0),
            ],
        };
        let series: Vec<Point> = ["2026-01", "2026-02", "2026-03"]
            .iter()
            .map(|p| point(p, 10.0))
            .collect();
        let status = TargetStatus::of(&i, &series, goals.clone()).unwrap();
        let (plan, projection) = chart_paths(&i, &status);
        // March has no plan, so April's own share cannot be told.
        assert_eq!(
            plan,
            vec![
                (Period::parse("2026-01").unwrap(), 10.0),
                (Period::parse("2026-02").unwrap(), 15.0)
            ]
        );
        assert_eq!(projection.len(), 9, "April to December");
        assert!(
            projection.iter().all(|(_, v)| (*v - 10.0).abs() < 1e-9),
            "{projection:?}"
        );
        // A rate's plan and projection are drawn as they are.
        i.year_total = false;
        let status = TargetStatus::of(&i, &series, goals).unwrap();
        let (plan, projection) = chart_paths(&i, &status);
        assert_eq!(plan[2], (Period::parse("2026-04").unwrap(), 45.0));
        assert_eq!(
            projection.first().map(|p| p.0),
            Period::parse("2026-04").ok()
        );
    }

    #[test]
    fn a_growth_rate_is_judged_by_its_latest_value_against_the_target() {
        let g = goals(Some(Goal::value(8.0)), &[]);
        let series = [point("2026-Q2", 7.0), point("2026-Q3", 8.1)];
        let j = judge(&growth(), &series, &g);
        assert_eq!((j.standing, j.by), (Standing::OnTrack, StandingBy::Target));
        // 7.7 is 0.3 short of 8: within 5 % (0.4) is at risk; 7.5 is off track.
        let j = judge(&growth(), &[point("2026-Q3", 7.7)], &g);
        assert_eq!(j.standing, Standing::AtRisk);
        let j = judge(&growth(), &[point("2026-Q3", 7.5)], &g);
        assert_eq!(j.standing, Standing::OffTrack);
        assert_eq!(j.compared, Some(7.5));
        assert_eq!(j.period, Some(Period::parse("2026-Q3").unwrap()));
    }

    #[test]
    fn a_range_is_met_anywhere_inside_it_and_a_lower_good_direction_mirrors() {
        let g = goals(
            Some(Goal {
                low: 8.3,
                high: 8.5,
            }),
            &[],
        );
        assert_eq!(
            judge(&growth(), &[point("2026-Q1", 8.4)], &g).standing,
            Standing::OnTrack
        );
        let cpi = Indicator {
            good_direction: GoodDirection::Down,
            ..growth()
        };
        let g = goals(Some(Goal::value(4.5)), &[]);
        assert_eq!(
            judge(&cpi, &[point("2026-Q1", 4.4)], &g).standing,
            Standing::OnTrack
        );
        assert_eq!(
            judge(&cpi, &[point("2026-Q1", 4.6)], &g).standing,
            Standing::AtRisk
        );
        assert_eq!(
            judge(&cpi, &[point("2026-Q1", 5.5)], &g).standing,
            Standing::OffTrack
        );
    }

    #[test]
    fn the_plan_judges_the_period_it_has_before_the_target() {
        let g = goals(
            Some(Goal::value(8.0)),
            &[("2026-Q1", 6.5), ("2026-Q2", 7.0)],
        );
        let j = judge(&growth(), &[point("2026-Q1", 6.6)], &g);
        assert_eq!((j.standing, j.by), (Standing::OnTrack, StandingBy::Plan));
        assert_eq!(j.goal, Some(Goal::value(6.5)));
        // No plan for the third quarter: the target again.
        let j = judge(&growth(), &[point("2026-Q3", 6.6)], &g);
        assert_eq!((j.standing, j.by), (Standing::OffTrack, StandingBy::Target));
    }

    #[test]
    fn nothing_this_year_or_no_goal_cannot_be_judged() {
        let g = goals(Some(Goal::value(8.0)), &[]);
        assert_eq!(
            judge(&growth(), &[point("2025-Q4", 9.0)], &g).standing,
            Standing::CannotJudge
        );
        assert_eq!(
            judge(&growth(), &[point("2026-Q1", 9.0)], &goals(None, &[])).standing,
            Standing::CannotJudge
        );
    }

    #[test]
    fn a_year_total_is_projected_with_last_years_seasons() {
        // Last year 10 a month but 40 in December; this year 11 a month to November.
        let mut series: Vec<Point> = (1..=11)
            .map(|m| point(&format!("2025-{m:02}"), 10.0))
            .collect();
        series.push(point("2025-12", 40.0));
        series.extend((1..=11).map(|m| point(&format!("2026-{m:02}"), 11.0)));
        let p = project(&exports(), &series, 2026).unwrap();
        assert_eq!(p.method, ProjectionMethod::Seasonal);
        // 121 so far, and December at last year's 40 × 1.1.
        assert!((p.year_end - 165.0).abs() < 1e-9, "{}", p.year_end);
        let g = goals(Some(Goal::value(160.0)), &[]);
        let j = judge(&exports(), &series, &g);
        assert_eq!(
            (j.standing, j.by),
            (Standing::OnTrack, StandingBy::Projection)
        );
        // Against 175: 10 short is beyond 5 % (8.75): off track.
        let g = goals(Some(Goal::value(175.0)), &[]);
        assert_eq!(judge(&exports(), &series, &g).standing, Standing::OffTrack);
        // Judged by its target alone, a year's total waits for the year to end.
        let by_target = Indicator {
            standing_by: StandingBy::Target,
            ..exports()
        };
        assert_eq!(
            judge(&by_target, &series, &g).standing,
            Standing::CannotJudge
        );
    }

    #[test]
    fn without_last_year_a_year_total_keeps_its_pace() {
        let series: Vec<Point> = (1..=6)
            .map(|m| point(&format!("2026-{m:02}"), 10.0))
            .collect();
        let p = project(&exports(), &series, 2026).unwrap();
        assert_eq!(p.method, ProjectionMethod::Trend);
        assert!((p.year_end - 120.0).abs() < 1e-9);
        assert_eq!(p.path.len(), 7);
    }

    #[test]
    fn a_year_has_its_periods() {
        assert_eq!(periods_of_year(Periodicity::Monthly, 2026).len(), 12);
        assert_eq!(periods_of_year(Periodicity::Quarterly, 2026).len(), 4);
        assert_eq!(
            periods_of_year(Periodicity::Yearly, 2026),
            vec![Period::Year(2026)]
        );
        assert_eq!(periods_of_year(Periodicity::Weekly, 2026).len(), 53);
        assert_eq!(periods_of_year(Periodicity::Daily, 2028).len(), 366);
    }
}
