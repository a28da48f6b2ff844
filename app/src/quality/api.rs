//! The data-quality list's data, for the secretariat and administrators.

use crate::error::AppError;
use crate::model::Period;
use crate::quality::check::ConsistencyCheck;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A series whose newest value arrived far from its history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlaggedValue {
    pub indicator: String,
    pub indicator_vi: String,
    pub indicator_en: String,
    pub measure_vi: String,
    pub measure_en: String,
    pub decimals: u8,
    pub unit: String,
    pub unit_name: String,
    pub period: Period,
    pub value: f64,
    pub usual: crate::model::observation::Usual,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QualityList {
    pub outliers: Vec<FlaggedValue>,
    pub checks: Vec<ConsistencyCheck>,
    /// The list is true at this seq (the page listens from it).
    pub seq: i64,
}

#[server(prefix = "/fn", endpoint = "quality_list")]
pub async fn get_quality() -> Result<QualityList, AppError> {
    use crate::model::auth::Action;
    use crate::store::LatestScope;
    crate::request::require(&Action::ReviewDataQuality)?;
    let store = expect_context::<crate::store::SharedStore>();
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    let flagged = store
        .latest(&LatestScope::Outliers)
        .await
        .map_err(AppError::unavailable)?;
    let outliers = flagged
        .observations
        .into_iter()
        .filter_map(|o| {
            let i = catalogue.indicators.get(&o.indicator)?;
            Some(FlaggedValue {
                indicator_vi: i.name_vi.clone(),
                indicator_en: i.name_en.clone(),
                measure_vi: i.measure_vi.clone(),
                measure_en: i.measure.clone(),
                decimals: i.decimals,
                unit_name: catalogue.name_vi(&o.unit),
                usual: o.outlier?,
                indicator: o.indicator,
                unit: o.unit,
                period: o.period,
                value: o.value,
            })
        })
        .collect();
    let checks = crate::quality::check::all(store.as_ref(), &catalogue)
        .await
        .map_err(AppError::unavailable)?;
    Ok(QualityList {
        outliers,
        checks,
        seq: flagged.seq,
    })
}
