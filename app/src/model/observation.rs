//! Số liệu: one value of one indicator for one unit and period.

use crate::model::period::Period;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a value came from. Simulated sources are always labelled as such on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Generated history of the demo country.
    Demo,
    /// The live simulator of the demo.
    Simulator,
    /// The national reporting system, over the API.
    Api,
    /// A reporting officer's form.
    Form,
    /// A CSV upload.
    Import,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Demo => "demo",
            Source::Simulator => "simulator",
            Source::Api => "api",
            Source::Form => "form",
            Source::Import => "import",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "demo" => Source::Demo,
            "simulator" => Source::Simulator,
            "api" => Source::Api,
            "form" => Source::Form,
            "import" => Source::Import,
            _ => return None,
        })
    }
    /// Where the value came from, as a reader says it.
    pub fn label(self, lang: crate::model::i18n::Lang) -> &'static str {
        match self {
            Source::Demo => lang.pick("Lịch sử mô phỏng", "Simulated history"),
            Source::Simulator => lang.pick("Mô phỏng trực tiếp", "Live simulator"),
            Source::Api => lang.pick(
                "Hệ thống báo cáo quốc gia (API)",
                "National reporting system (API)",
            ),
            Source::Form => lang.pick("Biểu nhập liệu", "Entry form"),
            Source::Import => lang.pick("Tệp CSV tải lên", "CSV upload"),
        }
    }

    pub fn is_simulated(self) -> bool {
        matches!(self, Source::Demo | Source::Simulator)
    }
}

/// The data status of a value (not its standing against a target). Every value the centre
/// holds is published: a report's values are stored only once approved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DataStatus {
    #[default]
    Published,
}

impl DataStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DataStatus::Published => "published",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "published" => Some(DataStatus::Published),
            _ => None,
        }
    }
}

/// A published value (with its latest revision).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Observation {
    #[cfg_attr(feature = "ssr", schema(example = "EXPORT_VALUE"))]
    pub indicator: String,
    #[cfg_attr(feature = "ssr", schema(example = "01"))]
    pub unit: String,
    /// `2026`, `2026-H1`, `2026-Q3`, `2026-10`, `2026-W45` or `2026-10-05`.
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-10"))]
    pub period: Period,
    pub value: f64,
    pub revision: i32,
    pub source: Source,
    pub status: DataStatus,
    pub simulated: bool,
    pub seq: i64,
    pub updated_at: DateTime<Utc>,
    /// Set when the value arrived far from its own recent history: it is published (the
    /// source is trusted) and flagged wherever it shows, with the range that history makes usual.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlier: Option<Usual>,
}

/// The range a series' recent history makes usual for its next value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Usual {
    pub low: f64,
    pub high: f64,
}

/// How far from the recent mean a value may lie before it is called unusual: this many
/// standard deviations, or this share of the mean when the history is flat.
const FAR_SIGMAS: f64 = 4.0;
const FAR_SHARE: f64 = 0.5;

/// How many recent values judge a new one.
pub const HISTORY_JUDGED: usize = 12;

impl Usual {
    /// The usual range when `value` lies outside it, judged on `recent` (newest first, at
    /// least 3 values; the first [`HISTORY_JUDGED`] count); None when it lies inside or the
    /// history is too short to say.
    pub fn far(value: f64, recent: &[f64]) -> Option<Usual> {
        let recent = &recent[..recent.len().min(HISTORY_JUDGED)];
        if recent.len() < 3 || !value.is_finite() {
            return None;
        }
        let n = recent.len() as f64;
        let mean = recent.iter().sum::<f64>() / n;
        let sd = (recent.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
        let spread = (FAR_SIGMAS * sd).max(FAR_SHARE * mean.abs()).max(1e-9);
        ((value - mean).abs() > spread).then_some(Usual {
            low: mean - spread,
            high: mean + spread,
        })
    }

    /// From the two stored bounds (both or neither).
    pub fn of(low: Option<f64>, high: Option<f64>) -> Option<Usual> {
        Some(Usual {
            low: low?,
            high: high?,
        })
    }
}

/// A value on its way in, already validated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewObservation {
    pub indicator: String,
    pub unit: String,
    pub period: Period,
    pub value: f64,
    /// Why the value is what it is (for example the reason for a correction); kept with the revision.
    #[serde(default)]
    pub note: Option<String>,
    /// The sender's own reference for the value (a document or record number).
    #[serde(default)]
    pub source_ref: Option<String>,
    /// Set by the ingest path for a value far from its history ([`Usual::far`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlier: Option<Usual>,
}

/// One revision of a value as the history keeps it: every change, with where it came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Revision {
    pub indicator: String,
    pub unit: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-10"))]
    pub period: Period,
    pub revision: i32,
    pub value: f64,
    pub source: Source,
    pub note: Option<String>,
    pub source_ref: Option<String>,
    pub seq: i64,
    pub recorded_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_unusual_only_far_outside_a_long_enough_recent_history() {
        let cpi = [3.1, 3.3, 3.2, 3.4, 3.0];
        assert_eq!(Usual::far(3.6, &cpi), None, "within the usual range");
        let u = Usual::far(35.2, &cpi).expect("ten times the level");
        assert!(u.low < 3.0 && u.high > 3.4 && u.high < 35.2, "{u:?}");
        assert_eq!(Usual::far(-20.0, &cpi).map(|_| ()), Some(()), "below too");
        assert_eq!(Usual::far(35.2, &cpi[..2]), None, "two values say nothing");
        // A flat history allows half its level either way, not nothing.
        assert_eq!(Usual::far(1050.0, &[1000.0; 6]), None);
        assert!(Usual::far(1600.0, &[1000.0; 6]).is_some());
        // Only the newest twelve count: an old level long gone does not make a value usual.
        let mut recent = vec![100.0; HISTORY_JUDGED];
        recent.extend([5000.0; 30]);
        assert!(Usual::far(5000.0, &recent).is_some());
        assert_eq!(Usual::far(f64::NAN, &cpi), None);
    }
}
