//! An indicator's page data (public, like the overview). Assembled by
//! [`crate::indicators::views::indicator_view`], the same function the CSV and chart exports use.

use crate::error::AppError;
use crate::model::view::{IndicatorQuery, IndicatorView, UnitView};
use leptos::prelude::*;

#[server(prefix = "/fn", endpoint = "indicator_view")]
pub async fn get_indicator_view(query: IndicatorQuery) -> Result<IndicatorView, AppError> {
    let store = expect_context::<crate::store::SharedStore>();
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    let mut view =
        crate::indicators::views::indicator_view(store.as_ref(), &catalogue, &query).await?;
    let viewer = crate::request::request_auth().viewer;
    view.may_write_notes = viewer
        .as_ref()
        .is_some_and(|v| v.can(&crate::model::auth::Action::WriteNotes));
    view.following = crate::notify::follow::follows_figure(
        store.as_ref(),
        viewer.as_ref(),
        &view.indicator.code,
        &view.unit.code,
    )
    .await?;
    view.explanations = crate::explanations::api::of_figure(
        store.as_ref(),
        &catalogue,
        viewer.as_ref(),
        &view,
        crate::request::clock().today(),
    )
    .await?;
    Ok(view)
}

/// Everything one unit's page shows (`VN` for the national overview).
#[server(prefix = "/fn", endpoint = "unit_view")]
pub async fn get_unit_view(code: String) -> Result<UnitView, AppError> {
    use crate::model::UnitCode;
    let code = UnitCode::parse(&code).map_err(|e| AppError::not_found(e.to_string()))?;
    let store = expect_context::<crate::store::SharedStore>();
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    let recent = use_context::<crate::indicators::recent::RecentCache>();
    let today = crate::request::clock().today();
    let mut view = crate::indicators::views::unit_view(
        store.as_ref(),
        &catalogue,
        recent.as_ref(),
        code.as_str(),
        today,
    )
    .await?
    .ok_or_else(|| {
        AppError::not_found(format!(
            "Không có đơn vị mã “{code}” (no unit with code {code})"
        ))
    })?;
    if crate::request::request_auth().viewer.is_some() {
        view.explanations =
            crate::indicators::views::explanation_line(store.as_ref(), &view.unit, today).await?;
    }
    Ok(view)
}
