//! [ssr] The catalogue keyed by code, kept by each instance for validating writes without a
//! database round-trip per batch. It is the same catalogue the instance seeded at start (the
//! server loads it; see `server::catalogue`).

use crate::model::{Indicator, Unit};
use std::collections::HashMap;

#[derive(Clone, Debug, Default)]
pub struct CatalogueIndex {
    pub indicators: HashMap<String, Indicator>,
    pub units: HashMap<String, Unit>,
}

impl CatalogueIndex {
    /// A unit's Vietnamese name, or its code when the catalogue lacks it.
    pub fn name_vi(&self, code: &str) -> String {
        self.units
            .get(code)
            .map(|u| u.name_vi.clone())
            .unwrap_or_else(|| code.to_string())
    }
}

/// Meetings and tasks name ministries and provinces.
impl crate::model::meeting::Units for CatalogueIndex {
    fn assignable(&self, code: &str) -> Option<String> {
        use crate::model::UnitKind;
        self.units
            .get(code)
            .filter(|u| matches!(u.kind, UnitKind::Ministry | UnitKind::Province))
            .map(|u| u.name_vi.clone())
    }
}
