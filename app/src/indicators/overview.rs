//! `/`: the national overview.

use crate::indicators::unit_board::UnitBoardLoader;
use leptos::prelude::*;

#[component]
pub fn OverviewPage() -> impl IntoView {
    view! { <UnitBoardLoader code=Signal::stored("VN".to_string())/> }
}
