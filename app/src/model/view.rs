//! What a unit's page shows, assembled on the server and sent to the browser once.

use crate::model::{Indicator, Period, Unit};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub period: Period,
    pub value: f64,
    pub simulated: bool,
}

/// One indicator as a unit's page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorCard {
    pub indicator: Indicator,
    /// Oldest first, at most [`SPARKLINE_POINTS`]; the last is the latest value.
    pub recent: Vec<Point>,
    /// Whether this unit reports the indicator at all.
    pub reported_here: bool,
}

pub const SPARKLINE_POINTS: usize = 24;

impl IndicatorCard {
    pub fn latest(&self) -> Option<&Point> {
        self.recent.last()
    }

    /// The value of the period just before the latest one, if it was reported.
    pub fn previous(&self) -> Option<&Point> {
        let latest = self.latest()?;
        let prev = latest.period.prev();
        self.recent.iter().rev().nth(1).filter(|p| p.period == prev)
    }

    /// Change against the previous period: percentage points for rates, per cent for levels.
    pub fn change(&self) -> Option<Change> {
        let (latest, previous) = (self.latest()?, self.previous()?);
        let delta = latest.value - previous.value;
        if self.indicator.is_rate() {
            Some(Change {
                amount: delta,
                kind: ChangeKind::Points,
            })
        } else if previous.value != 0.0 {
            Some(Change {
                amount: delta / previous.value.abs() * 100.0,
                kind: ChangeKind::Percent,
            })
        } else {
            None
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ChangeKind {
    Percent,
    Points,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    pub amount: f64,
    pub kind: ChangeKind,
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
}

/// A wall screen as its page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisplayInfo {
    pub id: i64,
    pub name: String,
}

/// What a wall screen shows (the full wall arrives with issue 5).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WallView {
    pub display: DisplayInfo,
    pub board: UnitView,
    /// When the server rendered it, Vietnam time (dd/mm/yyyy HH:MM).
    pub rendered_at: String,
}
