//! Consistency of the provinces with the nation: for a figure the provinces report without
//! adding up (GRDP growth), their mean period by period against a national figure (GDP growth,
//! or the indicator's own), flagged where the two lie further apart than the catalogue allows
//! (`consistency_within`). In 2012 the provinces' reported growth averaged 1.74 times the
//! national figure; this is the check that would have said so each quarter.

use crate::model::{Indicator, Period};
use serde::{Deserialize, Serialize};

/// How many of the latest national periods a check looks at.
pub const PERIODS: usize = 8;

/// One period: the provinces' mean against the national figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub period: Period,
    pub national: f64,
    pub provinces_mean: f64,
    /// How many provinces reported the period (the mean is theirs).
    pub provinces: usize,
    /// The provinces' mean less the national figure.
    pub difference: f64,
    /// Further apart than allowed.
    pub flagged: bool,
}

/// One indicator's check over its latest periods.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsistencyCheck {
    /// What the provinces report.
    pub provincial: Indicator,
    /// Whose national figure it is held against.
    pub national: Indicator,
    pub within: f64,
    /// Newest first: the national figure's latest periods that provinces reported too.
    pub periods: Vec<Comparison>,
}

impl ConsistencyCheck {
    pub fn flagged(&self) -> impl Iterator<Item = &Comparison> {
        self.periods.iter().filter(|c| c.flagged)
    }
}

/// Compares each national value with the mean of the provincial ones of its period.
pub fn compare(
    national: &[(Period, f64)],
    provincial: &[(Period, f64)],
    within: f64,
) -> Vec<Comparison> {
    national
        .iter()
        .filter_map(|&(period, national)| {
            let values: Vec<f64> = provincial
                .iter()
                .filter(|(p, _)| *p == period)
                .map(|(_, v)| *v)
                .collect();
            if values.is_empty() {
                return None;
            }
            let provinces_mean = values.iter().sum::<f64>() / values.len() as f64;
            let difference = provinces_mean - national;
            Some(Comparison {
                period,
                national,
                provinces_mean,
                provinces: values.len(),
                difference,
                // A hair's tolerance: 1.5 apart is within 1.5, whatever the floating point says.
                flagged: difference.abs() > within + 1e-9,
            })
        })
        .collect()
}

/// Whether the catalogue holds `i`'s provinces against the nation.
fn is_checked(i: &Indicator) -> bool {
    i.consistency_within.is_some() && i.is_active()
}

/// The checks that concern `code`'s page: its own, or those held against its national figure.
pub fn touching<'a>(
    indicators: impl Iterator<Item = &'a Indicator>,
    code: &str,
) -> Vec<&'a Indicator> {
    let mut found: Vec<&Indicator> = indicators
        .filter(|i| is_checked(i))
        .filter(|i| i.code == code || i.checked_against.as_deref() == Some(code))
        .collect();
    found.sort_by(|a, b| a.code.cmp(&b.code));
    found
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::catalogue::CatalogueIndex;
    use crate::model::{UnitCode, UnitKind};
    use crate::store::{ObservationQuery, Store, StoreError};

    /// `provincial`'s check over the latest [`PERIODS`] national periods: two reads (the
    /// national series, the provinces' values over those periods). None when it has no check.
    pub async fn check(
        store: &dyn Store,
        catalogue: &CatalogueIndex,
        provincial: &Indicator,
    ) -> Result<Option<ConsistencyCheck>, StoreError> {
        let Some(within) = provincial.consistency_within else {
            return Ok(None);
        };
        let national_code = provincial
            .checked_against
            .clone()
            .unwrap_or_else(|| provincial.code.clone());
        let Some(national) = catalogue.indicators.get(&national_code) else {
            return Ok(None);
        };
        let nation = store
            .observations(&ObservationQuery {
                indicator: Some(national_code),
                unit: Some(UnitCode::NATIONAL.into()),
                ..Default::default()
            })
            .await?;
        let latest: Vec<(Period, f64)> = nation
            .iter()
            .rev()
            .take(PERIODS)
            .map(|o| (o.period, o.value))
            .collect();
        let provinces = match (latest.last(), latest.first()) {
            (Some(oldest), Some(newest)) => store
                .observations(&ObservationQuery {
                    indicator: Some(provincial.code.clone()),
                    from: Some(oldest.0),
                    to: Some(newest.0),
                    ..Default::default()
                })
                .await?
                .into_iter()
                // The provinces in force on the period's first day: the 63 before the 2025
                // mergers, the 34 after.
                .filter(|o| {
                    catalogue
                        .units
                        .get(&o.unit)
                        .is_some_and(|u| u.kind == UnitKind::Province && u.reports(&o.period))
                })
                .map(|o| (o.period, o.value))
                .collect(),
            _ => Vec::new(),
        };
        Ok(Some(ConsistencyCheck {
            periods: compare(&latest, &provinces, within),
            provincial: provincial.clone(),
            national: national.clone(),
            within,
        }))
    }

    /// Every check of the catalogue in force, in catalogue order.
    pub async fn all(
        store: &dyn Store,
        catalogue: &CatalogueIndex,
    ) -> Result<Vec<ConsistencyCheck>, StoreError> {
        let mut checks = Vec::new();
        for i in catalogue.in_order() {
            if is_checked(i)
                && let Some(c) = check(store, catalogue, i).await?
            {
                checks.push(c);
            }
        }
        Ok(checks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    #[test]
    fn a_period_is_flagged_when_the_provinces_mean_lies_further_than_allowed() {
        let national = [
            (p("2026-Q3"), 8.0),
            (p("2026-Q2"), 7.5),
            (p("2026-Q1"), 7.0),
        ];
        let provincial = [
            (p("2026-Q3"), 9.0),
            (p("2026-Q3"), 10.0),
            (p("2026-Q2"), 8.5),
            (p("2026-Q2"), 9.5),
            (p("2025-Q4"), 20.0),
        ];
        let c = compare(&national, &provincial, 1.5);
        assert_eq!(c.len(), 2, "Q1 has no provincial values: nothing to say");
        assert_eq!((c[0].provinces_mean, c[0].difference), (9.5, 1.5));
        assert!(!c[0].flagged, "exactly the tolerance is within it");
        assert_eq!(c[1].difference, 1.5);
        let c = compare(&national, &provincial, 1.4);
        assert!(c.iter().all(|c| c.flagged));
        let below = compare(&[(p("2026-Q3"), 12.0)], &provincial, 1.0);
        assert!(below[0].flagged && below[0].difference < 0.0, "either side");
    }
}
