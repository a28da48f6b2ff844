use crate::api::get_unit_view;
use crate::components::error_text;
use crate::components::indicator_card::IndicatorCardView;
use crate::components::layout::SimulatedBanner;
use crate::model::UnitKind;
use crate::model::view::UnitView;
use leptos::prelude::*;
use leptos_meta::Title;

/// Loads a unit's page data (on the server during SSR, then hydrated) and shows it.
#[component]
pub fn UnitBoardLoader(code: Signal<String>) -> impl IntoView {
    let data = Resource::new(move || code.get(), get_unit_view);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Đang tải… (loading)"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <UnitBoard view=v/> }.into_any(),
                    Err(e) => view! { <ErrorPanel message=error_text(&e)/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ErrorPanel(message: String) -> impl IntoView {
    view! {
        <section class="panel error-panel" role="alert" data-testid="error">
            <h1>"Không hiển thị được trang"</h1>
            <p>{message}</p>
            <p><a href="/">"Về trang tổng quan quốc gia (back to the national overview)"</a></p>
        </section>
    }
}

#[component]
pub fn UnitBoard(view: UnitView) -> impl IntoView {
    let UnitView {
        unit,
        breadcrumb,
        cards,
        children,
        simulated,
    } = view;
    let title = if unit.kind == UnitKind::National {
        "Tổng quan quốc gia".to_string()
    } else {
        unit.name_vi.clone()
    };
    let subtitle = match unit.kind {
        UnitKind::National => "National overview".to_string(),
        _ => format!(
            "{} · {}",
            unit.kind.label_vi(),
            unit.name_en.clone().unwrap_or_else(|| unit.code.clone())
        ),
    };
    let crumbs = (!breadcrumb.is_empty()).then(|| {
        view! {
            <nav class="breadcrumb" aria-label="Đường dẫn">
                {breadcrumb
                    .into_iter()
                    .map(|u| {
                        let href = if u.kind == UnitKind::National { "/".to_string() } else { format!("/units/{}", u.code) };
                        let name = if u.kind == UnitKind::National { "Toàn quốc".to_string() } else { u.name_vi };
                        view! { <a href=href>{name}</a><span class="sep">" › "</span> }
                    })
                    .collect_view()}
                <span aria-current="page">{unit.name_vi.clone()}</span>
            </nav>
        }
    });
    let empty = cards.is_empty().then(|| {
        view! {
            <p class="panel muted" data-testid="no-indicators">
                "Đơn vị này chưa báo cáo chỉ tiêu nào. (This unit reports no indicators yet.)"
            </p>
        }
    });

    view! {
        <Title text=title.clone()/>
        {crumbs}
        <div class="page-head">
            <h1 data-testid="page-title">{title}</h1>
            <p class="en" lang="en">{subtitle}</p>
        </div>
        {simulated.then(|| view! { <SimulatedBanner/> })}
        <section aria-labelledby="indicators-h">
            <h2 id="indicators-h">"Chỉ tiêu " <span class="en">"Indicators"</span> <span class="count">{cards.len()}</span></h2>
            {empty}
            <div class="cards">
                {cards.into_iter().map(|card| view! { <IndicatorCardView card unit=unit.code.clone()/> }).collect_view()}
            </div>
        </section>
        {children
            .into_iter()
            .map(|g| {
                let testid = match g.units.first().map(|u| u.kind) {
                    Some(UnitKind::Ministry) => "ministries",
                    Some(UnitKind::Province) => "provinces",
                    _ => "communes",
                };
                view! {
                    <section class="units" data-testid=testid>
                        <h2>{g.title_vi} " " <span class="en">{g.title_en}</span> <span class="count">{g.units.len()}</span></h2>
                        <ul class="unit-links">
                            {g.units
                                .into_iter()
                                .map(|u| view! {
                                    <li><a href=format!("/units/{}", u.code) data-unit=u.code.clone()>
                                        <span class="code">{u.code.clone()}</span>" "{u.name_vi}
                                    </a></li>
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })
            .collect_view()}
    }
}
