//! The scorecard's data (public, like the cards whose standings it gathers).

use crate::error::AppError;
use crate::steering::scorecard::ScorecardView;
use leptos::prelude::*;

/// The scorecard at the address `/scorecard?level=&indicators=&year=&sort=` (each part as
/// written there; empty for none).
#[server(prefix = "/fn", endpoint = "scorecard")]
pub async fn get_scorecard(
    level: String,
    indicators: String,
    year: String,
    sort: String,
) -> Result<ScorecardView, AppError> {
    let some = |s: String| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let query = crate::steering::scorecard::ScorecardQuery {
        level: some(level),
        indicators: some(indicators),
        // A year people plan for; anything else reads as this year (and never reaches the
        // calendar arithmetic with a date it cannot hold).
        year: year
            .trim()
            .parse()
            .ok()
            .filter(|y| (1900..=2200).contains(y)),
        sort: some(sort),
    };
    let store = expect_context::<crate::store::SharedStore>();
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    let mut view = crate::steering::standings::scorecard(
        store.as_ref(),
        &catalogue,
        &query,
        crate::request::clock().today(),
    )
    .await?;
    view.may_set_targets = crate::request::request_auth().viewer.is_some_and(|v| {
        v.can(&crate::model::auth::Action::SetTargets {
            unit: crate::model::UnitCode::NATIONAL.into(),
        })
    });
    Ok(view)
}
