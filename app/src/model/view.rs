//! What a unit's page shows, assembled on the server and sent to the browser once.

use crate::model::{ChangeKind, Indicator, Period, Unit};
use serde::{Deserialize, Serialize};

/// Sent as `["2026-10",4.66,1]`: the national overview carries 4,800 points, and their field
/// names were half of its page's bytes and of the time to write and read them. The third
/// element holds the flags: 1 simulated, 2 far from its history ([`Point::flags`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "(Period, f64, u8)", into = "(Period, f64, u8)")]
pub struct Point {
    pub period: Period,
    pub value: f64,
    pub simulated: bool,
    /// The value arrived far from its own history (published, and flagged on screen).
    pub outlier: bool,
}

impl Point {
    const SIMULATED: u8 = 1;
    const OUTLIER: u8 = 2;

    /// The flags as sent.
    pub fn flags(&self) -> u8 {
        u8::from(self.simulated) * Self::SIMULATED + u8::from(self.outlier) * Self::OUTLIER
    }
}

impl From<(Period, f64, u8)> for Point {
    fn from((period, value, flags): (Period, f64, u8)) -> Point {
        Point {
            period,
            value,
            simulated: flags & Point::SIMULATED != 0,
            outlier: flags & Point::OUTLIER != 0,
        }
    }
}

impl From<&crate::model::Observation> for Point {
    fn from(o: &crate::model::Observation) -> Point {
        Point {
            period: o.period,
            value: o.value,
            simulated: o.simulated,
            outlier: o.outlier.is_some(),
        }
    }
}

impl From<Point> for (Period, f64, u8) {
    fn from(p: Point) -> (Period, f64, u8) {
        let flags = p.flags();
        (p.period, p.value, flags)
    }
}

/// One indicator as a unit's page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorCard {
    pub indicator: Indicator,
    /// Oldest first, at most [`SPARKLINE_POINTS`]; the last is the latest value.
    pub recent: Vec<Point>,
    /// Whether this unit reports the indicator at all.
    pub reported_here: bool,
    /// The year of the latest value against the unit's targets, when it has some.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standing: Option<crate::model::target::StandingNote>,
}

pub const SPARKLINE_POINTS: usize = 24;

impl IndicatorCard {
    pub fn latest(&self) -> Option<&Point> {
        self.recent.last()
    }

    /// Takes a value from the live stream: a revision of a period shown replaces it; a period
    /// newer than the latest is added (the oldest falls off beyond [`SPARKLINE_POINTS`]); an older
    /// period not shown is ignored. True when what the card shows changed.
    pub fn apply(&mut self, point: Point) -> bool {
        if let Some(p) = self.recent.iter_mut().find(|p| p.period == point.period) {
            if p.value.to_bits() == point.value.to_bits()
                && p.simulated == point.simulated
                && p.outlier == point.outlier
            {
                return false;
            }
            *p = point;
            return true;
        }
        if self
            .latest()
            .is_some_and(|l| point.period.start() < l.period.start())
        {
            return false;
        }
        self.recent.push(point);
        if self.recent.len() > SPARKLINE_POINTS {
            self.recent.remove(0);
        }
        true
    }

    /// Distance of the latest value from the target, in the indicator's measure, when both exist.
    pub fn against_target(&self) -> Option<f64> {
        Some(self.latest()?.value - self.indicator.target?)
    }

    /// The value of the period just before the latest one, if it was reported.
    pub fn previous(&self) -> Option<&Point> {
        let latest = self.latest()?;
        let prev = latest.period.prev();
        self.recent.iter().rev().nth(1).filter(|p| p.period == prev)
    }

    /// Change against the previous period, said as the indicator's catalogue entry says.
    pub fn change(&self) -> Option<Change> {
        let (latest, previous) = (self.latest()?, self.previous()?);
        Change::between(self.indicator.change, latest.value, previous.value)
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    pub amount: f64,
    pub kind: ChangeKind,
}

impl Change {
    /// From `before` to `now`; None for a per cent change from zero (it has no size).
    pub fn between(kind: ChangeKind, now: f64, before: f64) -> Option<Change> {
        let amount = match kind {
            ChangeKind::Percent if before == 0.0 => return None,
            ChangeKind::Percent => (now - before) / before.abs() * 100.0,
            ChangeKind::Points | ChangeKind::Difference => now - before,
        };
        Some(Change { amount, kind })
    }

    /// How a screen says it ("+1,2%", "−0,35 điểm %", "+443,2 triệu USD").
    pub fn text(&self, lang: crate::model::i18n::Lang, indicator: &Indicator) -> String {
        self.text_in(
            lang,
            indicator.decimals,
            (&indicator.measure_vi, &indicator.measure),
        )
    }

    /// As [`Change::text`], from the indicator's decimals and measure (Vietnamese, English).
    pub fn text_in(
        &self,
        lang: crate::model::i18n::Lang,
        decimals: u8,
        (measure_vi, measure_en): (&str, &str),
    ) -> String {
        match self.kind {
            ChangeKind::Percent => format!("{}%", lang.signed(self.amount, 1)),
            ChangeKind::Points => format!(
                "{} {}",
                lang.signed(self.amount, 2),
                lang.pick("điểm %", "pp")
            ),
            ChangeKind::Difference => format!(
                "{} {}",
                lang.signed(self.amount, decimals),
                lang.pick(measure_vi, measure_en)
            ),
        }
    }
}

/// Whether a change is good news, bad news or neither, by the indicator's good direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Good,
    Bad,
    Neutral,
}

impl Tone {
    pub fn of(direction: crate::model::GoodDirection, amount: f64) -> Tone {
        use crate::model::GoodDirection as D;
        const EPS: f64 = 1e-9;
        match direction {
            _ if amount.abs() < EPS => Tone::Neutral,
            D::Up if amount > 0.0 => Tone::Good,
            D::Down if amount < 0.0 => Tone::Good,
            D::None => Tone::Neutral,
            _ => Tone::Bad,
        }
    }
    pub fn class(self) -> &'static str {
        match self {
            Tone::Good => "good",
            Tone::Bad => "bad",
            Tone::Neutral => "neutral",
        }
    }
}

/// A group of units one level down (the ministries, the provinces, a province's communes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitGroup {
    pub title_vi: String,
    pub title_en: String,
    pub units: Vec<Unit>,
}

/// Everything a unit's page shows: `/` is this for `VN`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitView {
    pub unit: Unit,
    /// From the nation down to the parent of this unit.
    pub breadcrumb: Vec<Unit>,
    pub cards: Vec<IndicatorCard>,
    pub children: Vec<UnitGroup>,
    /// True when any value on the page is simulated.
    pub simulated: bool,
    /// The stream's seq this view is current at (an open page listens from here).
    pub seq: i64,
    /// How the units below reported the latest monthly period (the nation: provinces and
    /// ministries; a province: its communes).
    pub completeness: Vec<crate::model::report::Completeness>,
    /// This unit's own monthly reports, newest first (units that report).
    pub reports: Vec<crate::model::report::ReportLine>,
    /// The former units it took over (a province of the 2025 reorganisation), or takes over
    /// on a day to come.
    pub predecessors: Vec<crate::model::Succession>,
    /// Of those, the ones whose history is kept under their own code (a unit a recorded
    /// reorganisation ended, not a code of 2025 given up).
    pub predecessor_pages: Vec<String>,
    /// The units that take this one over when it ends, with their names.
    pub successors: Vec<(crate::model::Succession, String)>,
    /// Its explanation requests counted, in words (Vietnamese, English), for a signed-in
    /// reader (the nation: all of them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanations: Option<(String, String)>,
}

/// A wall screen as its page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisplayInfo {
    pub id: i64,
    pub name: String,
}

/// One province on the wall's map: its newest value of the map indicator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapValue {
    pub unit: String,
    pub name_vi: String,
    pub period: Period,
    pub value: f64,
    pub simulated: bool,
    /// The value arrived far from its history.
    #[serde(default)]
    pub outlier: bool,
}

/// What a wall screen shows when it loads; the live stream keeps it current afterwards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WallView {
    pub display: DisplayInfo,
    pub config: crate::model::display::DisplayConfig,
    /// National headline tiles, in the order of the layout.
    pub cards: Vec<IndicatorCard>,
    pub map_indicator: Indicator,
    /// The provinces' newest values of the map indicator.
    pub map: Vec<MapValue>,
    /// Every change up to this seq is in the data above; the screen resumes the stream after it.
    pub seq: i64,
    /// Seconds between the server's heartbeats (the screen calls itself stale after missing 3).
    pub heartbeat_secs: u32,
    /// True when any value shown is simulated.
    pub simulated: bool,
    /// How the provinces reported the latest due month (read again when a report changes).
    pub reporting: Option<crate::model::report::Completeness>,
    /// Tasks by class and the most overdue (read again when a task changes).
    pub tasks: crate::model::task::TaskBoard,
    /// Units off track and explanation requests (read again when either changes).
    #[serde(default)]
    pub steering: crate::steering::scorecard::WallSteering,
}

#[cfg(test)]
mod card_tests {
    use super::*;
    use crate::model::{GoodDirection, Indicator, Periodicity, Rollup, UnitKind};

    fn card(points: &[(&str, f64)]) -> IndicatorCard {
        IndicatorCard {
            indicator: Indicator {
                code: "EXPORT_VALUE".into(),
                name_vi: "Xuất khẩu".into(),
                name_en: "Exports".into(),
                measure: "million USD".into(),
                measure_vi: "triệu USD".into(),
                periodicity: Periodicity::Monthly,
                rollup: Rollup::Sum,
                good_direction: GoodDirection::Up,
                owner: "BCT".into(),
                reported_by: vec![UnitKind::National],
                target: Some(100.0),
                decimals: 1,
                ..Default::default()
            },
            recent: points
                .iter()
                .map(|(p, v)| Point {
                    period: Period::parse(p).unwrap(),
                    value: *v,
                    simulated: false,
                    outlier: false,
                })
                .collect(),
            reported_here: true,
            standing: None,
        }
    }

    fn point(p: &str, v: f64) -> Point {
        Point {
            period: Period::parse(p).unwrap(),
            value: v,
            simulated: false,
            outlier: false,
        }
    }

    #[test]
    fn a_point_travels_as_a_short_array_and_comes_back_whole() {
        let p = Point {
            simulated: true,
            ..point("2026-10", 4.66)
        };
        let text = serde_json::to_string(&p).unwrap();
        assert_eq!(text, r#"["2026-10",4.66,1]"#);
        assert_eq!(serde_json::from_str::<Point>(&text).unwrap(), p);
        let flagged = Point {
            outlier: true,
            ..point("2026-10", 4.66)
        };
        let text = serde_json::to_string(&flagged).unwrap();
        assert_eq!(text, r#"["2026-10",4.66,2]"#);
        assert_eq!(serde_json::from_str::<Point>(&text).unwrap(), flagged);
        assert!(serde_json::from_str::<Point>(r#"["2026-13",1.0,false]"#).is_err());
    }

    #[test]
    fn live_values_revise_extend_or_are_ignored() {
        let mut c = card(&[("2026-09", 90.0), ("2026-10", 95.0)]);
        assert!(
            !c.apply(point("2026-10", 95.0)),
            "the same value changes nothing"
        );
        assert!(c.apply(point("2026-10", 97.0)), "a revision replaces");
        assert_eq!(c.latest().unwrap().value, 97.0);
        assert!(
            !c.apply(point("2025-01", 1.0)),
            "an old period not shown is ignored"
        );
        assert!(c.apply(point("2026-11", 110.0)), "a new period is added");
        assert_eq!(c.latest().unwrap().period.to_string(), "2026-11");
        assert_eq!(c.previous().unwrap().value, 97.0);
        assert_eq!(c.against_target(), Some(10.0));
        for m in 1..=30 {
            c.apply(point(
                &format!("2027-{:02}", (m - 1) % 12 + 1)
                    .replace("2027", &(2027 + (m - 1) / 12).to_string()),
                m as f64,
            ));
        }
        assert_eq!(
            c.recent.len(),
            SPARKLINE_POINTS,
            "the sparkline stays bounded"
        );
    }
}

/// One unit in an indicator's ranking for a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankRow {
    pub unit: String,
    pub name_vi: String,
    pub value: f64,
    /// The same period a year earlier, when reported.
    pub year_ago: Option<f64>,
    pub simulated: bool,
}

/// How a ranking is ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RankOrder {
    /// Best first, by the indicator's good direction (highest first when it has none).
    Best,
    Worst,
    Name,
}

impl RankOrder {
    pub fn parse(s: &str) -> RankOrder {
        match s {
            "worst" => RankOrder::Worst,
            "name" => RankOrder::Name,
            _ => RankOrder::Best,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            RankOrder::Best => "best",
            RankOrder::Worst => "worst",
            RankOrder::Name => "name",
        }
    }
}

/// Which units a ranking compares: one level below the unit shown, or its peers when nothing
/// below reports the indicator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RankScope {
    Provinces,
    Ministries,
    /// The communes of one province (its name).
    CommunesOf(String),
}

/// Most units on one comparison chart (the unit shown and three others).
pub const MAX_COMPARED: usize = 4;

/// The address of an indicator view, as the person typed or followed it: every part of the
/// view is here, so any view can be shared and bookmarked. Empty means "the default".
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct IndicatorQuery {
    pub code: String,
    pub unit: String,
    pub from: String,
    pub to: String,
    /// The ranking's period.
    pub period: String,
    pub order: String,
    /// Other units on the same chart, comma-separated codes.
    pub compare: String,
    /// A period whose revision history is shown.
    pub rev: String,
}

impl IndicatorQuery {
    /// The query string (without `?`), leaving out what is empty.
    pub fn query_string(&self) -> String {
        [
            ("unit", &self.unit),
            ("from", &self.from),
            ("to", &self.to),
            ("period", &self.period),
            ("order", &self.order),
            ("compare", &self.compare),
            ("rev", &self.rev),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
    }

    /// The page's address.
    pub fn href(&self) -> String {
        format!("/indicators/{}?{}", self.code, self.query_string())
    }

    /// This view changed by `f` (for links to the next view).
    pub fn with(&self, f: impl FnOnce(&mut IndicatorQuery)) -> IndicatorQuery {
        let mut q = self.clone();
        f(&mut q);
        q
    }

    /// The same indicator and range for another unit: the link up or down a level (what is
    /// compared, ranked or opened belongs to the unit left behind).
    pub fn at_unit(&self, unit: &str) -> IndicatorQuery {
        IndicatorQuery {
            code: self.code.clone(),
            unit: unit.to_string(),
            from: self.from.clone(),
            to: self.to.clone(),
            ..Default::default()
        }
    }

    /// The compared units' codes, in order.
    pub fn compared(&self) -> Vec<&str> {
        self.compare.split(',').filter(|c| !c.is_empty()).collect()
    }
}

/// Another unit on the comparison chart, aligned with the main series' periods.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComparedSeries {
    pub unit: Unit,
    pub values: Vec<Option<f64>>,
}

/// The revision history of one value, shown on request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RevisionHistory {
    pub period: Period,
    /// Oldest first.
    pub revisions: Vec<crate::model::Revision>,
}

/// An indicator's page: its time series for one unit (and up to three others), the units below
/// ranked for one period, and on request the history of one value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorView {
    /// The view's address, normalised (codes and periods as the server read them).
    pub query: IndicatorQuery,
    pub indicator: Indicator,
    pub unit: Unit,
    /// From the nation down to the parent of `unit`.
    pub breadcrumb: Vec<Unit>,
    /// Oldest first, within `from..=to`.
    pub series: Vec<Point>,
    /// For each point of `series`, the value of the same period a year earlier.
    pub year_ago: Vec<Option<f64>>,
    pub compared: Vec<ComparedSeries>,
    pub from: Option<Period>,
    pub to: Option<Period>,
    pub ranking_period: Option<Period>,
    pub ranking_scope: Option<RankScope>,
    pub ranking: Vec<RankRow>,
    /// The units the ranking compares that have no value for its period (not reported, or
    /// their report not approved yet): code and Vietnamese name, by name.
    pub unreported: Vec<(String, String)>,
    pub order: RankOrder,
    pub history: Option<RevisionHistory>,
    pub simulated: bool,
    /// The stream's seq this view is current at (an open page listens from here).
    pub seq: i64,
    /// When the unit took over others in a recorded reorganisation: the periods before it are
    /// recomputed for its boundary from theirs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recomputed: Option<Recomputed>,
    /// The unit against its targets in the year the view ends in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standing: Option<crate::model::target::TargetStatus>,
    /// The explanation requests about this figure, for a signed-in reader (none otherwise: the
    /// questions and answers are the Government's, not open data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanations: Option<crate::model::explanation::ExplanationList>,
    /// What moved the figure from the period before the ranking's to it, member by member
    /// (a summed figure of the nation or of a province with reporting communes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contributions: Option<crate::model::contribution::Contributions>,
    /// The notes on the record across the series' days (public, like the figures).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<crate::model::note::NoteLine>,
    /// On the national page: the checks of the provinces against this figure, or of this
    /// figure's provinces against the nation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consistency: Vec<crate::quality::check::ConsistencyCheck>,
    /// Whether the reader may write notes (a leader, the secretariat): the page offers the form.
    #[serde(default)]
    pub may_write_notes: bool,
    /// Whether the reader follows this figure (None: not signed in, no button).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub following: Option<bool>,
}

/// A series recomputed for a unit's boundary of today: each period before `before` is the sum
/// of the values of the units it took over (and its own, when it was there already), as the
/// indicator's rollup adds them up; a period without all of them is left out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recomputed {
    /// The first day of the unit's boundary of today.
    pub before: chrono::NaiveDate,
    /// The units taken over, by name.
    pub from: Vec<String>,
}

impl Recomputed {
    /// Whether `period`'s value is recomputed.
    pub fn covers(&self, period: &Period) -> bool {
        period.start() < self.before
    }
}

/// Sorts a ranking in place.
pub fn sort_ranking(
    rows: &mut [RankRow],
    order: RankOrder,
    direction: crate::model::GoodDirection,
) {
    use crate::model::GoodDirection;
    let best_first = |a: &RankRow, b: &RankRow| match direction {
        GoodDirection::Down => a.value.total_cmp(&b.value),
        _ => b.value.total_cmp(&a.value),
    };
    match order {
        RankOrder::Best => rows.sort_by(best_first),
        RankOrder::Worst => rows.sort_by(|a, b| best_first(b, a)),
        RankOrder::Name => rows.sort_by(|a, b| a.name_vi.cmp(&b.name_vi)),
    }
}
