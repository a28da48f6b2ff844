//! Bảng theo dõi tiến độ: units (the provinces, or the ministries) against chosen indicators,
//! each cell a unit's standing in the year, red first. What the page and the wall's "at risk"
//! list receive; assembled by [`crate::steering::standings`].

use crate::model::UnitKind;
use crate::model::target::{Goal, Standing};
use serde::{Deserialize, Serialize};

/// The scorecard's address: every part optional, so that `/scorecard` alone shows the
/// provinces against the indicators that have targets this year.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScorecardQuery {
    /// `provinces` (default) or `ministries`.
    #[serde(default)]
    pub level: Option<String>,
    /// Indicator codes separated by commas.
    #[serde(default)]
    pub indicators: Option<String>,
    #[serde(default)]
    pub year: Option<i32>,
    /// An indicator's code: rows by that column, worst first. None: worst units first overall.
    #[serde(default)]
    pub sort: Option<String>,
}

impl ScorecardQuery {
    /// The page's address for this view (the parts set, in a fixed order).
    pub fn href(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(l) = &self.level {
            parts.push(format!("level={l}"));
        }
        if let Some(i) = &self.indicators {
            parts.push(format!("indicators={i}"));
        }
        if let Some(y) = self.year {
            parts.push(format!("year={y}"));
        }
        if let Some(s) = &self.sort {
            parts.push(format!("sort={s}"));
        }
        format!("/scorecard?{}", parts.join("&"))
    }

    /// This view changed by `f` (for links to the next view).
    pub fn with(&self, f: impl FnOnce(&mut ScorecardQuery)) -> ScorecardQuery {
        let mut q = self.clone();
        f(&mut q);
        q
    }

    /// The column codes asked for, in order.
    pub fn codes(&self) -> Vec<&str> {
        self.indicators
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect()
    }
}

/// The two levels a scorecard compares.
pub const LEVELS: [(UnitKind, &str); 2] = [
    (UnitKind::Province, "provinces"),
    (UnitKind::Ministry, "ministries"),
];

/// A level from its word in the address (provinces when none or unknown).
pub fn level_of(word: Option<&str>) -> UnitKind {
    LEVELS
        .iter()
        .find(|(_, w)| Some(*w) == word)
        .map_or(UnitKind::Province, |(k, _)| *k)
}

/// A level's word in the address.
pub fn level_word(kind: UnitKind) -> &'static str {
    LEVELS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("provinces", |(_, w)| w)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScorecardView {
    /// The address as the server read it (unknown codes dropped).
    pub query: ScorecardQuery,
    pub level: UnitKind,
    pub year: i32,
    /// The years with any target at this level, oldest first: where the reader can go.
    pub years: Vec<i32>,
    pub columns: Vec<ScoreColumn>,
    /// Every indicator the level reports, in catalogue order: what can be added.
    pub choices: Vec<ScoreColumn>,
    pub rows: Vec<ScoreRow>,
    /// How many cells stand each way, red first.
    pub counts: Vec<(Standing, usize)>,
    /// The stream's seq the view is current at.
    pub seq: i64,
    /// Whether the reader may set targets (the secretariat, administrators): the page then
    /// leads to the targets page.
    #[serde(default)]
    pub may_set_targets: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreColumn {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub measure_vi: String,
    pub measure: String,
    pub decimals: u8,
    /// Whether any unit of the level has a target or plan for it in the year.
    pub has_targets: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreRow {
    pub code: String,
    pub name_vi: String,
    pub name_en: Option<String>,
    /// One per column; None where the unit has no target or plan for it in the year.
    pub cells: Vec<Option<ScoreCell>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreCell {
    pub standing: Standing,
    /// The value judged (latest, year to date or projection) and the goal it was judged by.
    pub compared: Option<f64>,
    pub goal: Option<Goal>,
    /// What the standing rests on, Vietnamese then English.
    pub basis: (String, String),
    /// How far short of the goal, as a share of it (0 on track): orders units within a standing.
    pub gap: f64,
    /// For a figure counted over the year: its year to date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_to_date: Option<crate::model::year_to_date::YearToDate>,
}

/// What a wall shows of steering: the units off track or at risk, worst first, and how the
/// explanation requests stand across the country (read again when either changes).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WallSteering {
    pub at_risk: Vec<AtRiskRow>,
    pub explanations: crate::model::explanation::ExplanationCounts,
    /// The nation's standing on each figure with national goals, by indicator code: the tiles
    /// show them, and read them again with this panel when a value arrives.
    #[serde(default)]
    pub national: Vec<(String, crate::model::target::StandingNote)>,
}

/// One unit's figure off track or at risk, with where its explanation stands if it was asked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AtRiskRow {
    pub unit: String,
    pub unit_name: String,
    pub indicator: String,
    pub indicator_name: String,
    pub cell: ScoreCell,
    pub decimals: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asked: Option<crate::model::explanation::ExplanationState>,
}

/// Most rows the wall's "at risk" page lists (readable from 5 m).
pub const AT_RISK_ROWS: usize = 12;

impl ScoreRow {
    /// Orders rows worst first: the most cells off track, then at risk, then the largest gaps.
    pub fn badness(&self) -> (usize, usize, f64) {
        let count = |s| {
            self.cells
                .iter()
                .flatten()
                .filter(|c| c.standing == s)
                .count()
        };
        let gaps = self.cells.iter().flatten().map(|c| c.gap).sum();
        (count(Standing::OffTrack), count(Standing::AtRisk), gaps)
    }
}

/// Sorts rows worst first: by the column `by` (a standing red first, then its gap; units with
/// no standing there last), or over every column. Ties keep the order given (by code).
pub fn sort_rows(rows: &mut [ScoreRow], by: Option<usize>) {
    match by {
        Some(i) => rows.sort_by(|a, b| {
            let key = |r: &ScoreRow| {
                r.cells
                    .get(i)
                    .cloned()
                    .flatten()
                    .map(|c| (c.standing, -c.gap))
            };
            match (key(a), key(b)) {
                (Some((sa, ga)), Some((sb, gb))) => sa.cmp(&sb).then(ga.total_cmp(&gb)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
        }),
        None => rows.sort_by(|a, b| {
            let (oa, ra, ga) = a.badness();
            let (ob, rb, gb) = b.badness();
            ob.cmp(&oa).then(rb.cmp(&ra)).then(gb.total_cmp(&ga))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(standing: Standing, gap: f64) -> Option<ScoreCell> {
        Some(ScoreCell {
            standing,
            compared: None,
            goal: None,
            basis: Default::default(),
            gap,
            year_to_date: None,
        })
    }

    fn row(code: &str, cells: Vec<Option<ScoreCell>>) -> ScoreRow {
        ScoreRow {
            code: code.into(),
            name_vi: code.into(),
            name_en: None,
            cells,
        }
    }

    fn codes(rows: &[ScoreRow]) -> Vec<&str> {
        rows.iter().map(|r| r.code.as_str()).collect()
    }

    #[test]
    fn the_worst_units_come_first() {
        let mut rows = vec![
            row(
                "01",
                vec![cell(Standing::OnTrack, 0.0), cell(Standing::AtRisk, 0.01)],
            ),
            row("04", vec![cell(Standing::OffTrack, 0.1), None]),
            row(
                "08",
                vec![cell(Standing::OffTrack, 0.3), cell(Standing::OnTrack, 0.0)],
            ),
            row("11", vec![None, None]),
            row(
                "12",
                vec![cell(Standing::AtRisk, 0.02), cell(Standing::OffTrack, 0.05)],
            ),
        ];
        sort_rows(&mut rows, None);
        // Two off track before one; among one each, the larger gap; a row with nothing last.
        assert_eq!(codes(&rows), ["12", "08", "04", "01", "11"]);
        sort_rows(&mut rows, Some(1));
        assert_eq!(codes(&rows), ["12", "01", "08", "04", "11"]);
        sort_rows(&mut rows, Some(0));
        assert_eq!(codes(&rows), ["08", "04", "12", "01", "11"]);
    }

    #[test]
    fn an_unknown_level_reads_as_the_provinces() {
        assert_eq!(level_of(Some("ministries")), UnitKind::Ministry);
        assert_eq!(level_of(Some("communes")), UnitKind::Province);
        assert_eq!(level_of(None), UnitKind::Province);
        assert_eq!(level_word(UnitKind::Ministry), "ministries");
    }
}
