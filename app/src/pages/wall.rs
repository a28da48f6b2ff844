//! `/wall/<display>`: a wall screen (dark, large type, no top bar). The first version shows the
//! national indicators; layouts, the map, live updates and the stale mark arrive with issue 5.

use crate::api::wall::get_wall;
use crate::components::error_text;
use crate::components::indicator_card::IndicatorCardView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn WallPage() -> impl IntoView {
    let params = use_params_map();
    let display = move || {
        params
            .read()
            .get("display")
            .and_then(|d| d.parse::<i64>().ok())
            .unwrap_or(-1)
    };
    let wall = Resource::new(display, get_wall);
    view! {
        <div class="wall" data-testid="wall">
            <Suspense fallback=|| view! { <p class="loading">"Đang tải…"</p> }>
                {move || Suspend::new(async move {
                    match wall.await {
                        Ok(w) => {
                            let simulated = w.board.simulated;
                            view! {
                                <Title text=w.display.name.clone()/>
                                <header class="wall-head">
                                    <h1 data-testid="display-name">{w.display.name}</h1>
                                    <p>"Toàn quốc · cập nhật " {w.rendered_at} " (giờ Việt Nam)"</p>
                                    {simulated.then(|| view! { <p class="wall-sim">"DỮ LIỆU MÔ PHỎNG · SIMULATED DATA"</p> })}
                                </header>
                                <div class="cards">
                                    {w.board.cards.into_iter().map(|card| view! { <IndicatorCardView card/> }).collect_view()}
                                </div>
                            }
                            .into_any()
                        }
                        Err(e) => view! {
                            <p class="wall-refused" role="alert" data-testid="wall-refused">{error_text(&e)}</p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
