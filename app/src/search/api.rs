//! Search for a unit or an indicator by name or code (public).

use crate::error::AppError;
use crate::model::search::SearchResults;
use leptos::prelude::*;

/// Answers from the catalogue in force, whose names were folded when it was read.
#[server(prefix = "/fn", endpoint = "search")]
pub async fn search(q: String) -> Result<SearchResults, AppError> {
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    Ok(catalogue.search.search(&q, crate::request::clock().today()))
}
