//! What search finds: units and indicators, each with the page it opens.

use crate::model::UnitKind;
use serde::{Deserialize, Serialize};

/// Longest query read (longer text is cut, never refused).
pub const MAX_QUERY_CHARS: usize = 100;
/// Most hits shown at once.
pub const MAX_HITS: usize = 40;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HitKind {
    Unit(UnitKind),
    Indicator,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub kind: HitKind,
    pub code: String,
    pub name_vi: String,
    pub name_en: Option<String>,
    /// Where it sits: a commune's province, an indicator's measure.
    pub context: Option<String>,
    /// The page it opens.
    pub href: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub hits: Vec<SearchHit>,
    /// More matched than are shown.
    pub more: bool,
}
