//! The catalogue each instance keeps in memory, for validating writes without a database
//! round-trip per batch and for search: read from the database at start and again after every
//! catalogue change (this instance's or another's, announced on the live stream).

use crate::model::regime::Regime;
use crate::model::{Indicator, Succession, Unit};
use crate::search::index::SearchIndex;
use crate::store::{Store, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// The catalogue as of one reading: keyed by code, with its names folded for search.
pub struct CatalogueIndex {
    /// Every indicator, retired ones too (their history stays readable).
    pub indicators: HashMap<String, Indicator>,
    /// The indicators' codes in catalogue order (the order of every board).
    order: Vec<String>,
    pub units: HashMap<String, Unit>,
    /// Former units and their successors (one each, or several for a split), by day then
    /// former code.
    pub successions: Vec<Succession>,
    /// The reporting regimes, retired ones too, in their order.
    pub regimes: Vec<Regime>,
    pub search: SearchIndex,
    /// Every unit's targets and plans.
    pub targets: crate::model::target::TargetBook,
    /// The notes on the record in force, oldest day first.
    pub notes: Vec<crate::model::note::Note>,
}

impl CatalogueIndex {
    /// Every indicator, retired ones too, in catalogue order.
    pub fn in_order(&self) -> impl Iterator<Item = &Indicator> {
        self.order.iter().filter_map(|c| self.indicators.get(c))
    }

    pub fn new(
        units: &[Unit],
        indicators: &[Indicator],
        successions: &[Succession],
        regimes: &[Regime],
    ) -> CatalogueIndex {
        CatalogueIndex {
            order: indicators.iter().map(|i| i.code.clone()).collect(),
            regimes: regimes.to_vec(),
            search: SearchIndex::new(units, indicators, successions),
            successions: successions.to_vec(),
            indicators: indicators
                .iter()
                .map(|i| (i.code.clone(), i.clone()))
                .collect(),
            units: units.iter().map(|u| (u.code.clone(), u.clone())).collect(),
            targets: Default::default(),
            notes: Vec::new(),
        }
    }

    /// Where a former code went: its successions, the latest first (a code given up in 2025
    /// may be in use again, and later end too).
    pub fn successors_of<'a>(&'a self, former: &'a str) -> impl Iterator<Item = &'a Succession> {
        self.successions
            .iter()
            .rev()
            .filter(move |s| s.former_code == former)
    }

    /// The units `code` took over, by day then code.
    pub fn predecessors_of<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Succession> {
        self.successions.iter().filter(move |s| s.successor == code)
    }

    /// The units of `kind` in force on `day`, in catalogue order.
    pub fn in_force(&self, kind: crate::model::UnitKind, day: chrono::NaiveDate) -> Vec<&Unit> {
        let mut units: Vec<&Unit> = self
            .units
            .values()
            .filter(|u| u.kind == kind && u.in_force(day))
            .collect();
        units.sort_by(|a, b| a.code.cmp(&b.code));
        units
    }

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

/// The catalogue in force, shared by every part of one instance. A reader takes the current
/// reading (`now`) and keeps it for the request or batch it serves; a change replaces it whole.
#[derive(Clone)]
pub struct LiveCatalogue(Arc<RwLock<Arc<CatalogueIndex>>>);

impl LiveCatalogue {
    pub fn new(index: CatalogueIndex) -> LiveCatalogue {
        LiveCatalogue(Arc::new(RwLock::new(Arc::new(index))))
    }

    /// Reads the catalogue from the database.
    pub async fn load(store: &dyn Store) -> Result<LiveCatalogue, StoreError> {
        Ok(LiveCatalogue::new(Self::read(store).await?))
    }

    async fn read(store: &dyn Store) -> Result<CatalogueIndex, StoreError> {
        let units = store.units().await?;
        let indicators = store.indicators().await?;
        let successions = store.successions().await?;
        let regimes = store.regimes().await?;
        let targets = store.targets().await?;
        let notes = store.notes().await?;
        Ok(CatalogueIndex {
            targets: crate::model::target::TargetBook::new(targets),
            notes,
            ..CatalogueIndex::new(&units, &indicators, &successions, &regimes)
        })
    }

    pub fn now(&self) -> Arc<CatalogueIndex> {
        // A writer never panics while holding the lock (it only swaps an Arc), so a poisoned
        // lock still holds a whole reading.
        match self.0.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Reads the catalogue again and puts it in force.
    pub async fn reload(&self, store: &dyn Store) -> Result<(), StoreError> {
        let fresh = Arc::new(Self::read(store).await?);
        match self.0.write() {
            Ok(mut g) => *g = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        Ok(())
    }
}
