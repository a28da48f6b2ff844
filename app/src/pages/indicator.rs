//! `/indicators/<code>?unit=&from=&to=&period=&order=`: one indicator's history for a unit (with
//! the same period a year earlier and the target), its table of periods, and the provinces ranked
//! for one period. Every row of the ranking drills into that province; the breadcrumb goes back
//! up. The address holds the whole view, so it can be shared and bookmarked.

use crate::api::indicator::get_indicator_view;
use crate::components::chart::SeriesChart;
use crate::components::error_text;
use crate::components::layout::SimulatedBanner;
use crate::model::format::{number_vi, signed_vi};
use crate::model::view::{IndicatorView, RankOrder};
use crate::model::{Period, UnitKind};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::{LazyRoute, lazy_route};

/// Indicator pages load their own wasm chunk (chart and tables), keeping the bundle every page
/// loads small.
pub struct IndicatorRoute;

#[lazy_route]
impl LazyRoute for IndicatorRoute {
    fn data() -> Self {
        IndicatorRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <IndicatorPage/> }.into_any()
    }
}

#[component]
pub fn IndicatorPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        (
            params.read().get("code").unwrap_or_default(),
            get("unit"),
            get("from"),
            get("to"),
            get("period"),
            get("order"),
        )
    };
    let data = Resource::new(key, |(code, unit, from, to, period, order)| {
        get_indicator_view(code, unit, from, to, period, order)
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Đang tải… (loading)"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <IndicatorBoard view=v/> }.into_any(),
                    Err(e) => view! {
                        <section class="panel error-panel" role="alert" data-testid="error">
                            <h1>"Không hiển thị được chỉ tiêu"</h1>
                            <p>{error_text(&e)}</p>
                            <p><a href="/">"Về trang tổng quan quốc gia (back to the national overview)"</a></p>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The address of an indicator's view, keeping the range.
fn href(
    code: &str,
    unit: &str,
    from: Option<Period>,
    to: Option<Period>,
    extra: &[(&str, String)],
) -> String {
    let mut parts = vec![format!("unit={unit}")];
    if let Some(f) = from {
        parts.push(format!("from={f}"));
    }
    if let Some(t) = to {
        parts.push(format!("to={t}"));
    }
    for (k, v) in extra {
        parts.push(format!("{k}={v}"));
    }
    format!("/indicators/{code}?{}", parts.join("&"))
}

#[component]
fn IndicatorBoard(view: IndicatorView) -> impl IntoView {
    let IndicatorView {
        indicator,
        unit,
        breadcrumb,
        series,
        year_ago,
        from,
        to,
        ranking_period,
        ranking,
        order,
        simulated,
    } = view;
    let code = indicator.code.clone();
    let decimals = indicator.decimals;
    let unit_name = if unit.kind == UnitKind::National {
        "Toàn quốc".to_string()
    } else {
        unit.name_vi.clone()
    };
    let crumbs = breadcrumb
        .iter()
        .map(|u| {
            let name = if u.kind == UnitKind::National { "Toàn quốc".to_string() } else { u.name_vi.clone() };
            view! { <a href=href(&code, &u.code, from, to, &[])>{name}</a><span class="sep">" › "</span> }
        })
        .collect_view();
    let unit_page = if unit.kind == UnitKind::National {
        "/".to_string()
    } else {
        format!("/units/{}", unit.code)
    };
    let table_rows = series
        .iter()
        .zip(year_ago.iter())
        .rev()
        .map(|(p, ya)| {
            let change = ya.filter(|y| *y != 0.0).map(|y| {
                if indicator.is_rate() {
                    format!("{} điểm %", signed_vi(p.value - y, 2))
                } else {
                    format!("{}%", signed_vi((p.value - y) / y.abs() * 100.0, 1))
                }
            });
            view! {
                <tr>
                    <td>{p.period.label_vi()}</td>
                    <td class="num">{number_vi(p.value, decimals)}</td>
                    <td class="num">{ya.map(|y| number_vi(y, decimals)).unwrap_or_else(|| "–".into())}</td>
                    <td class="num">{change.unwrap_or_else(|| "–".into())}</td>
                </tr>
            }
        })
        .collect_view();
    let ranking_view = ranking_period.filter(|_| !ranking.is_empty()).map(|p| {
        let sort_link = |o: RankOrder, label: &'static str| {
            let here = href(&code, &unit.code, from, to, &[("period", p.to_string()), ("order", o.as_str().to_string())]);
            view! { <a href=here class:active=move || order == o>{label}</a> }
        };
        let rows = ranking
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let drill = href(&code, &r.unit, from, to, &[]);
                view! {
                    <tr data-unit=r.unit.clone()>
                        <td class="num">{i + 1}</td>
                        <td><a href=drill>{r.name_vi.clone()}</a></td>
                        <td class="num">{number_vi(r.value, decimals)}</td>
                        <td class="num">{r.year_ago.map(|y| number_vi(y, decimals)).unwrap_or_else(|| "–".into())}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section class="panel">
                <h2>"Xếp hạng tỉnh, thành · " {p.label_vi()} " " <span class="en">"Provinces ranked"</span></h2>
                <p class="sorts">"Sắp xếp: " {sort_link(RankOrder::Best, "tốt nhất trước")} " · " {sort_link(RankOrder::Worst, "kém nhất trước")} " · " {sort_link(RankOrder::Name, "theo tên")}</p>
                <table class="data" data-testid="ranking">
                    <thead><tr><th>"#"</th><th>"Tỉnh, thành phố"</th><th>"Giá trị"</th><th>"Cùng kỳ năm trước"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        }
    });
    view! {
        <Title text=format!("{} · {}", indicator.name_vi, unit_name)/>
        {simulated.then(|| view! { <SimulatedBanner/> })}
        <nav class="breadcrumb" aria-label="Đường dẫn">
            {crumbs}
            <a href=unit_page>{unit_name.clone()}</a>
            <span class="sep">" › "</span>
            <span aria-current="page">{indicator.name_vi.clone()}</span>
        </nav>
        <div class="page-head">
            <h1 data-testid="indicator-name">{indicator.name_vi.clone()}</h1>
            <p class="en" lang="en">{indicator.name_en.clone()} " · " {unit_name.clone()} " · " {indicator.measure_vi.clone()}</p>
        </div>
        <section class="panel">
            <SeriesChart series=series.clone() year_ago=year_ago.clone() target=indicator.target decimals label=format!("{} · {}", indicator.name_vi, unit_name)/>
            <p class="legend-line">
                <span class="key series"></span>" " {unit_name.clone()} "  " <span class="key year-ago"></span>" Cùng kỳ năm trước"
                {indicator.target.map(|_| view! { "  " <span class="key target"></span>" Mục tiêu" })}
            </p>
            <form method="get" class="filters" action=format!("/indicators/{code}")>
                <input type="hidden" name="unit" value=unit.code.clone()/>
                <label>"Từ kỳ " <span class="en">"From"</span><input name="from" value=from.map(|p| p.to_string()).unwrap_or_default() placeholder="2024-01"/></label>
                <label>"Đến kỳ " <span class="en">"To"</span><input name="to" value=to.map(|p| p.to_string()).unwrap_or_default() placeholder="2026-10"/></label>
                <button type="submit">"Xem"</button>
            </form>
        </section>
        <section class="panel">
            <h2>"Số liệu theo kỳ " <span class="en">"By period"</span></h2>
            <table class="data" data-testid="periods">
                <thead><tr><th>"Kỳ"</th><th>"Giá trị"</th><th>"Cùng kỳ năm trước"</th><th>"So với cùng kỳ"</th></tr></thead>
                <tbody>{table_rows}</tbody>
            </table>
        </section>
        {ranking_view}
    }
}
