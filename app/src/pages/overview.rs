//! `/`: the national overview.

use crate::components::unit_board::UnitBoardLoader;
use leptos::prelude::*;

#[component]
pub fn OverviewPage() -> impl IntoView {
    view! {
        <WallScreens/>
        <UnitBoardLoader code=Signal::stored("VN".to_string())/>
    }
}

/// For an administrator: the wall screens, one tap away (the demo makes one at its first
/// start). Nothing for anyone else.
#[component]
fn WallScreens() -> impl IntoView {
    let lang = crate::model::i18n::use_lang();
    let screens = Resource::new(
        || (),
        |_| async { crate::api::wall::wall_screens().await.unwrap_or_default() },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = screens.await;
                (!list.is_empty()).then(|| view! {
                    <nav class="wall-links" data-testid="wall-links"
                        aria-label=lang.pick("Màn hình tường", "Wall screens")>
                        <span>{lang.pick("Màn hình tường:", "Wall screens:")}</span>
                        {list.into_iter().map(|(id, name)| view! {
                            <a href=format!("/wall/{id}")>{name}</a>
                        }).collect_view()}
                    </nav>
                })
            })}
        </Suspense>
    }
}
