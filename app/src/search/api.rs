//! Search for a unit or an indicator by name or code (public).

use crate::error::AppError;
use crate::model::search::SearchResults;
use leptos::prelude::*;

/// Answers from the index the server built at start (see `server::startup`).
#[server(prefix = "/fn", endpoint = "search")]
pub async fn search(q: String) -> Result<SearchResults, AppError> {
    let index = expect_context::<std::sync::Arc<crate::search::index::SearchIndex>>();
    Ok(index.search(&q))
}
