//! An indicator's page data (public, like the overview). Assembled by
//! [`crate::views::indicator_view`], the same function the CSV and chart exports use.

use crate::error::AppError;
use crate::model::view::{IndicatorQuery, IndicatorView};
use leptos::prelude::*;

#[server(prefix = "/fn", endpoint = "indicator_view")]
pub async fn get_indicator_view(query: IndicatorQuery) -> Result<IndicatorView, AppError> {
    let store = expect_context::<crate::store::SharedStore>();
    crate::views::indicator_view(store.as_ref(), &query).await
}
