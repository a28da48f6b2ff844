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
