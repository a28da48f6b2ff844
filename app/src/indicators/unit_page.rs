//! `/units/<code>`: a ministry, a province or a commune, with the units one level down.

use crate::indicators::unit_board::UnitBoardLoader;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn UnitPage() -> impl IntoView {
    let params = use_params_map();
    let code = Signal::derive(move || params.read().get("code").unwrap_or_default());
    view! { <UnitBoardLoader code/> }
}
