//! The 34 provinces as tiles placed roughly by geography, coloured by their value's class, each
//! a link down to that province (the indicator page's map; the wall draws its own, live).

use crate::model::GoodDirection;
use crate::model::i18n::use_lang;
use crate::model::tilemap::{self, TILES};
use leptos::prelude::*;
use std::collections::HashMap;

#[component]
pub fn ProvinceTiles(
    /// Each province's value, by code.
    values: HashMap<String, f64>,
    direction: GoodDirection,
    decimals: u8,
    /// The address of a province's view.
    href: Callback<String, String>,
    /// The province shown, marked.
    #[prop(optional, into)]
    current: String,
) -> impl IntoView {
    let lang = use_lang();
    let bounds = tilemap::class_bounds(&values.values().copied().collect::<Vec<_>>());
    let tiles = TILES
        .iter()
        .map(|t| {
            let value = values.get(t.code).copied();
            let tone = value
                .map(|v| tilemap::tone_class(tilemap::class_of(v, &bounds), bounds.len(), direction))
                .unwrap_or_else(|| "none".into());
            view! {
                <a class=format!("province {tone}") class:here=current == t.code
                    style=format!("grid-row: {}; grid-column: {};", t.row + 1, t.col + 1)
                    href=href.run(t.code.to_string()) data-unit=t.code>
                    <span class="short">{t.short}</span>
                    <span class="v">{value.map(|v| lang.number(v, decimals)).unwrap_or_else(|| "–".into())}</span>
                </a>
            }
        })
        .collect_view();
    let legend = bounds
        .iter()
        .enumerate()
        .map(|(i, (lo, hi))| {
            view! {
                <li><span class=format!("swatch {}", tilemap::tone_class(i, bounds.len(), direction))></span>
                {format!("{} – {}", lang.number(*lo, decimals), lang.number(*hi, decimals))}</li>
            }
        })
        .collect_view();
    view! {
        <div class="page-map">
            <nav class="page-tilemap" data-testid="tilemap" aria-label=lang.pick("Bản đồ tỉnh, thành phố", "Map of the provinces")
                style=format!("grid-template-rows: repeat({}, 1fr); grid-template-columns: repeat({}, 1fr);", tilemap::ROWS, tilemap::COLS)>
                {tiles}
            </nav>
            <ul class="page-legend">{legend}</ul>
        </div>
    }
}
