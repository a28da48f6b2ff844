//! The scorecard's data (public, like the cards whose standings it gathers).

use crate::error::AppError;
use crate::steering::scorecard::{ScorecardQuery, ScorecardView};
use leptos::prelude::*;

#[server(prefix = "/fn", endpoint = "scorecard")]
pub async fn get_scorecard(query: ScorecardQuery) -> Result<ScorecardView, AppError> {
    let store = expect_context::<crate::store::SharedStore>();
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    Ok(crate::steering::standings::scorecard(
        store.as_ref(),
        &catalogue,
        &query,
        crate::request::clock().today(),
    )
    .await?)
}
