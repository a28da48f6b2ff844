//! Search for a unit or an indicator by name or code (public).

use crate::model::search::SearchResults;
use leptos::prelude::*;

#[server(prefix = "/fn", endpoint = "search")]
pub async fn search(q: String) -> Result<SearchResults, ServerFnError> {
    let store = expect_context::<crate::store::SharedStore>();
    let units = store.units().await.map_err(super::unavailable)?;
    let indicators = store.indicators().await.map_err(super::unavailable)?;
    Ok(crate::search::search(&q, &units, &indicators))
}
