//! `/indicators/<code>?unit=&from=&to=&period=&order=&compare=&rev=`: one indicator's history
//! for a unit (with the same period a year earlier, the target and up to three other units),
//! its table of periods, the units one level down ranked for one period, and on request the
//! revision history of one value. Every chart point, ranking row and breadcrumb link leads to
//! the next view; the address holds the whole view, so it can be shared and bookmarked.

use crate::explanations::page::FigureExplanations;
use crate::indicators::api::get_indicator_view;
use crate::indicators::chart::{ChartNote, ExtraLine, SeriesChart, chart_lines, chart_marks};
use crate::indicators::standing::StandingLine;
use crate::indicators::tile_map::ProvinceTiles;
use crate::model::i18n::{Lang, use_lang};
use crate::model::view::{
    Change, IndicatorQuery, IndicatorView, MAX_COMPARED, RankOrder, RankScope,
};
use crate::model::{Indicator, Period, UnitKind};
use crate::shell::layout::SimulatedBanner;
use crate::shell::live_refresh::refresh_on_change;
use crate::steering::contributions_view::ContributionsPanel;
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
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        IndicatorQuery {
            code: params.read().get("code").unwrap_or_default(),
            unit: get("unit"),
            from: get("from"),
            to: get("to"),
            period: get("period"),
            order: get("order"),
            compare: get("compare"),
            rev: get("rev"),
        }
    };
    let data = Resource::new(key, get_indicator_view);
    // Transition, not Suspense: a live refresh keeps the page on screen while it reads.
    view! {
        <Transition fallback=move || view! { <p class="loading">{lang.pick("Đang tải…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <IndicatorBoard view=v refresh=Callback::new(move |_| data.refetch())/> }.into_any(),
                    Err(e) => view! {
                        <section class="panel error-panel" role="alert" data-testid="error">
                            <h1>{lang.pick("Không hiển thị được chỉ tiêu", "This indicator view cannot be shown")}</h1>
                            <p>{e.shown()}</p>
                            <p><a href="/">{lang.pick("Về trang tổng quan quốc gia", "Back to the national overview")}</a></p>
                        </section>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The ranking of one period, on this view.
fn ranking_href(query: &IndicatorQuery, period: Period) -> String {
    format!(
        "{}#ranking",
        query.with(|q| q.period = period.to_string()).href()
    )
}

/// A change of a value for one period, as the indicator says it.
fn change_text(lang: Lang, indicator: &Indicator, now: f64, before: Option<f64>) -> String {
    before
        .and_then(|y| Change::between(indicator.change, now, y))
        .map_or_else(|| "–".into(), |c| c.text(lang, indicator))
}

#[component]
fn IndicatorBoard(view: IndicatorView, refresh: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let IndicatorView {
        query,
        indicator,
        unit,
        breadcrumb,
        series,
        year_ago,
        compared,
        from: _,
        to: _,
        ranking_period,
        ranking_scope,
        ranking,
        unreported,
        order,
        history,
        simulated,
        seq,
        recomputed,
        standing,
        explanations,
        contributions,
        notes,
        may_write_notes,
        consistency,
        following,
    } = view;

    // Live: any change of this indicator for a unit on the page reads the page again.
    {
        let mut shown: Vec<String> = vec![unit.code.clone()];
        shown.extend(compared.iter().map(|c| c.unit.code.clone()));
        shown.extend(ranking.iter().map(|r| r.unit.clone()));
        shown.extend(unreported.iter().map(|(c, _)| c.clone()));
        let code = indicator.code.clone();
        let mut topics = vec![format!("indicator:{code}")];
        // A signed-in reader sees the figure's explanation requests: read again when one changes.
        if explanations.is_some() {
            topics.push("explanations".into());
        }
        // A note written or taken away is announced with the catalogue that holds the notes.
        topics.push("catalogue".into());
        refresh_on_change(
            topics,
            seq,
            move |o| o.indicator == code && shown.contains(&o.unit),
            refresh,
        );
    }

    let decimals = indicator.decimals;
    let name = |u: &crate::model::Unit| lang.unit_name(u);
    let unit_name = name(&unit);
    let (title, subtitle) = match lang {
        Lang::Vi => (indicator.name_vi.clone(), indicator.name_en.clone()),
        Lang::En => (indicator.name_en.clone(), indicator.name_vi.clone()),
    };
    let measure = lang
        .pick(&indicator.measure_vi, &indicator.measure)
        .to_string();

    // Up the tree: the same indicator for each unit above this one.
    let crumbs = breadcrumb
        .iter()
        .map(|u| {
            let up = query.at_unit(&u.code);
            view! { <a href=up.href()>{name(u)}</a><span class="sep">" › "</span> }
        })
        .collect_view();
    let unit_page = if unit.kind == UnitKind::National {
        "/".to_string()
    } else {
        format!("/units/{}", unit.code)
    };

    // The comparison: the unit shown and up to three others, each removable.
    let can_add = compared.len() + 1 < MAX_COMPARED;
    let compare_without = |code: &str| {
        query.with(|q| {
            q.compare = q
                .compared()
                .into_iter()
                .filter(|c| *c != code)
                .collect::<Vec<_>>()
                .join(",");
        })
    };
    let compare_with = |code: &str| {
        query.with(|q| {
            let mut list = q.compared();
            list.push(code);
            q.compare = list.join(",");
        })
    };
    let chips = compared
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let without = compare_without(&c.unit.code).href();
            view! {
                <li class=format!("chip cmp-{}", i + 1) data-unit=c.unit.code.clone()>
                    <span class="swatch"></span>{name(&c.unit)}
                    <a class="remove" href=without title=lang.pick("Bỏ khỏi so sánh", "Remove from the comparison") aria-label=lang.pick("Bỏ khỏi so sánh", "Remove from the comparison")>"×"</a>
                </li>
            }
        })
        .collect_view();
    let extra: Vec<ExtraLine> = compared
        .iter()
        .map(|c| ExtraLine {
            label: name(&c.unit),
            values: c.values.clone(),
        })
        .collect();

    let point_href = {
        let query = query.clone();
        Callback::new(move |p: Period| ranking_href(&query, p))
    };

    let export_qs = query.query_string();
    let code = indicator.code.clone();

    // The table of periods, newest first; compared units get a column each.
    let compared_heads = compared
        .iter()
        .map(|c| view! { <th class="num">{name(&c.unit)}</th> })
        .collect_view();
    let table_rows = series
        .iter()
        .enumerate()
        .rev()
        .map(|(i, p)| {
            let ya = year_ago.get(i).copied().flatten();
            let ranking_here = ranking_href(&query, p.period);
            let history_here = format!("{}#history", query.with(|q| q.rev = p.period.to_string()).href());
            let others = compared
                .iter()
                .map(|c| {
                    let v = c.values.get(i).copied().flatten();
                    view! { <td class="num">{v.map(|v| lang.number(v, decimals)).unwrap_or_else(|| "–".into())}</td> }
                })
                .collect_view();
            view! {
                <tr data-period=p.period.to_string()>
                    <td><a class="touch" href=ranking_here>{lang.period(&p.period)}</a></td>
                    <td class="num">{lang.number(p.value, decimals)}{p.simulated.then(|| view! { <span class="sim-tag" title="Simulated">{lang.pick("mô phỏng", "simulated")}</span> })}
                        {p.outlier.then(|| crate::shell::layout::outlier_tag(lang))}
                        {recomputed.as_ref().is_some_and(|r| r.covers(&p.period)).then(|| view! { <span class="sim-tag" data-testid="recomputed-tag">{lang.pick("tính lại", "recomputed")}</span> })}</td>
                    <td class="num">{ya.map(|y| lang.number(y, decimals)).unwrap_or_else(|| "–".into())}</td>
                    <td class="num">{change_text(lang, &indicator, p.value, ya)}</td>
                    {others}
                    <td><a class="touch" href=history_here data-testid="history-link">{lang.pick("Lịch sử", "History")}</a></td>
                </tr>
            }
        })
        .collect_view();

    let history_view = history.map(|h| {
        let close = format!("{}#periods", query.with(|q| q.rev.clear()).href());
        let rows = h
            .revisions
            .iter()
            .rev()
            .map(|r| {
                let local = crate::model::vietnam_time(r.recorded_at);
                view! {
                    <tr>
                        <td class="num">{r.revision}</td>
                        <td class="num">{lang.number(r.value, decimals)}</td>
                        <td>{r.source.label(lang)}</td>
                        <td>{r.source_ref.clone().unwrap_or_default()}</td>
                        <td>{r.note.clone().unwrap_or_default()}</td>
                        <td>{lang.date_time(local)}</td>
                    </tr>
                }
            })
            .collect_view();
        let empty = h.revisions.is_empty().then(|| view! {
            <p class="muted">{lang.pick("Chưa có số liệu cho kỳ này.", "No value for this period yet.")}</p>
        });
        view! {
            <section class="panel" id="history" data-testid="history">
                <h2>{lang.pick("Lịch sử số liệu", "Revision history")} " · " {lang.period(&h.period)} " · " {unit_name.clone()}</h2>
                {empty}
                <table class="data">
                    <thead><tr>
                        <th>{lang.pick("Lần", "Revision")}</th><th>{lang.pick("Giá trị", "Value")}</th><th>{lang.pick("Nguồn", "Source")}</th>
                        <th>{lang.pick("Số hiệu", "Reference")}</th><th>{lang.pick("Ghi chú", "Note")}</th><th>{lang.pick("Thời điểm ghi nhận", "Recorded")}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                <p><a class="touch" href=close>{lang.pick("Đóng lịch sử", "Close the history")}</a></p>
            </section>
        }
        .into_any()
    });

    let ranking_view = ranking_period.filter(|_| !ranking.is_empty()).map(|p| {
        let scope_title = match &ranking_scope {
            Some(RankScope::Provinces) | None => lang.pick("Xếp hạng tỉnh, thành phố", "Provinces ranked").to_string(),
            Some(RankScope::Ministries) => lang.pick("Xếp hạng bộ, cơ quan", "Ministries ranked").to_string(),
            Some(RankScope::CommunesOf(province)) => format!("{} · {province}", lang.pick("Xếp hạng xã, phường", "Communes ranked")),
        };
        let sort_link = |o: RankOrder, vi: &'static str, en: &'static str| {
            let here = format!("{}#ranking", query.with(|q| {
                q.period = p.to_string();
                q.order = if o == RankOrder::Best { String::new() } else { o.as_str().to_string() };
            }).href());
            view! { <a class="touch" href=here class:active=move || order == o>{lang.pick(vi, en)}</a> }
        };
        let rows = ranking
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let drill = query.at_unit(&r.unit);
                let here = r.unit == unit.code;
                let add = (can_add && !here && !compared.iter().any(|c| c.unit.code == r.unit)).then(|| {
                    let with = compare_with(&r.unit).href();
                    view! { <a class="touch add" href=with data-testid="compare-add" title=lang.pick("Thêm vào so sánh", "Add to the comparison")>{lang.pick("+ So sánh", "+ Compare")}</a> }
                });
                view! {
                    <tr data-unit=r.unit.clone() class:here=here>
                        <td class="num">{i + 1}</td>
                        <td><a class="touch" href=drill.href()>{r.name_vi.clone()}</a></td>
                        <td class="num">{lang.number(r.value, decimals)}</td>
                        <td class="num">{r.year_ago.map(|y| lang.number(y, decimals)).unwrap_or_else(|| "–".into())}</td>
                        <td>{add}</td>
                    </tr>
                }
            })
            .collect_view()
            .into_any();
        // Those without a figure for the period, after the ranked ones, so that the list is
        // every unit and says who has not reported.
        let missing = unreported
            .iter()
            .map(|(code, name)| {
                let drill = query.at_unit(code);
                view! {
                    <tr data-unit=code.clone() class="unreported" class:here=*code == unit.code>
                        <td class="num">"–"</td>
                        <td><a class="touch" href=drill.href()>{name.clone()}</a></td>
                        <td class="muted">{lang.pick("chưa có số liệu", "no figure")}</td>
                        <td class="num">"–"</td>
                        <td></td>
                    </tr>
                }
            })
            .collect_view()
            .into_any();
        // Provinces also on the map, each tile a way down.
        let map = matches!(ranking_scope, Some(RankScope::Provinces)).then(|| {
            let values = ranking.iter().map(|r| (r.unit.clone(), r.value)).collect();
            let query = query.clone();
            let href = Callback::new(move |code: String| query.at_unit(&code).href());
            view! { <ProvinceTiles values direction=indicator.good_direction decimals href current=unit.code.clone()/> }.into_any()
        });
        let with_map = map.is_some();
        // The nation's figure beside the sum of its provinces: computed from them, or its
        // owner's with the difference said, never hidden.
        let units_sum = (unit.kind == UnitKind::National
            && indicator.rollup == crate::model::Rollup::Sum
            && !indicator.is_derived()
            && matches!(ranking_scope, Some(RankScope::Provinces)))
        .then(|| {
            let sum: f64 = ranking.iter().map(|r| r.value).sum();
            let n = ranking.len();
            let national = series.iter().find(|x| x.period == p).map(|x| x.value);
            let text = match (indicator.national_is_computed(), national) {
                (true, _) => match lang {
                    Lang::Vi => format!("Số toàn quốc là tổng của các đơn vị báo cáo, được tính tự động; tổng {n} tỉnh, thành phố: {}.", lang.number(sum, decimals)),
                    Lang::En => format!("The national figure is the sum of the reporting units, computed; the {n} provinces sum to {}.", lang.number(sum, decimals)),
                },
                (false, Some(v)) => {
                    let diff = v - sum;
                    let signed = format!("{}{}", if diff > 0.0 { "+" } else { "" }, lang.number(diff, decimals));
                    match lang {
                        Lang::Vi => format!("Tổng {n} tỉnh, thành phố: {} · số toàn quốc do {} báo cáo: {} · chênh lệch: {signed}.", lang.number(sum, decimals), indicator.owner, lang.number(v, decimals)),
                        Lang::En => format!("The {n} provinces sum to {} · the national figure reported by {}: {} · difference: {signed}.", lang.number(sum, decimals), indicator.owner, lang.number(v, decimals)),
                    }
                }
                (false, None) => match lang {
                    Lang::Vi => format!("Tổng {n} tỉnh, thành phố: {}; chưa có số toàn quốc do {} báo cáo.", lang.number(sum, decimals), indicator.owner),
                    Lang::En => format!("The {n} provinces sum to {}; no national figure from {} yet.", lang.number(sum, decimals), indicator.owner),
                },
            };
            view! { <p class="units-sum" data-testid="units-sum">{text}</p> }
        });
        view! {
            <section class="panel" id="ranking">
                <h2>{scope_title} " · " {lang.period(&p)}</h2>
                {units_sum}
                <p class="sorts">{lang.pick("Sắp xếp: ", "Order: ")} {sort_link(RankOrder::Best, "tốt nhất trước", "best first")} " · " {sort_link(RankOrder::Worst, "kém nhất trước", "worst first")} " · " {sort_link(RankOrder::Name, "theo tên", "by name")}</p>
                <a class="touch" href=format!("/indicators/{code}/ranking.csv?{export_qs}") download="" rel="external" data-testid="export-ranking">{lang.pick("Tải CSV xếp hạng", "Download the ranking (CSV)")}</a>
                <div class="ranking-grid" class:with-map=with_map>
                    {map}
                    <div class="table-scroll">
                        <table class="data" data-testid="ranking">
                            <thead><tr><th>"#"</th><th>{lang.pick("Đơn vị", "Unit")}</th><th class="num">{lang.pick("Giá trị", "Value")}</th><th class="num">{lang.pick("Cùng kỳ năm trước", "A year earlier")}</th><th></th></tr></thead>
                            <tbody>{rows}{missing}</tbody>
                        </table>
                    </div>
                </div>
            </section>
        }
        .into_any()
    });

    let range_form = {
        let q = query.clone();
        view! {
            <form method="get" class="filters" action=format!("/indicators/{}", q.code)>
                <input type="hidden" name="unit" value=q.unit.clone()/>
                {(!q.compare.is_empty()).then(|| view! { <input type="hidden" name="compare" value=q.compare.clone()/> })}
                <label>{lang.pick("Từ kỳ", "From")} <input name="from" value=q.from.clone() placeholder="2024-01"/></label>
                <label>{lang.pick("Đến kỳ", "To")} <input name="to" value=q.to.clone() placeholder="2026-10"/></label>
                <button type="submit">{lang.pick("Xem", "Show")}</button>
            </form>
        }
        .into_any()
    };
    let label = format!("{title} · {unit_name}");
    let chart_target =
        crate::model::target::chart_target(&indicator, &unit.code, standing.as_ref());
    let (plan, projection) = chart_lines(lang, &indicator, standing.as_ref());
    let (has_plan, has_projection) = (!plan.is_empty(), projection.is_some());
    let marks = explanations
        .as_ref()
        .map(|l| chart_marks(lang, l))
        .unwrap_or_default();
    let chart_notes: Vec<ChartNote> = notes.iter().map(|n| ChartNote::of(n, lang)).collect();

    let head = view! {
        <Title text=label.clone()/>
        {simulated.then(|| view! { <SimulatedBanner/> })}
        <nav class="breadcrumb" aria-label=lang.pick("Đường dẫn", "Breadcrumb")>
            {crumbs}
            <a href=unit_page data-testid="unit-page">{unit_name.clone()}</a>
            <span class="sep">" › "</span>
            <span aria-current="page">{title.clone()}</span>
        </nav>
        <div class="page-head">
            <h1 data-testid="indicator-name">{title.clone()}</h1>
            <p class="en" lang=lang.other().as_str()>{subtitle} " · " {unit_name.clone()} " · " {measure}</p>
            {following.map(|following| view! {
                <crate::notify::follow::FollowButton following indicator=indicator.code.clone() unit=unit.code.clone() changed=refresh/>
            })}
        </div>
    }
    .into_any();
    let chart = view! {
        <section class="panel" id="chart">
            <ul class="compare-chips" data-testid="compared">
                <li class="chip main"><span class="swatch"></span>{unit_name.clone()}</li>
                {chips}
            </ul>
            {crate::indicators::indicator_card::year_to_date_line(lang, &indicator, &series, false)}
            {standing.as_ref().map(|status| view! { <div class="standing-panel">
                <StandingLine note=status.note(&indicator)/>
            </div> })}
            <SeriesChart series=series.clone() year_ago=year_ago.clone() compared=extra target=chart_target decimals label=label.clone() point_href ceiling=indicator.ceiling() plan projection marks notes=chart_notes/>
            {recomputed.as_ref().map(|r| {
                let day = lang.date(r.before);
                let names = r.from.join(", ");
                let text = match lang {
                    Lang::Vi => format!("Các kỳ trước ngày {day} được tính lại theo địa giới hiện nay: cộng số liệu của {names}."),
                    Lang::En => format!("Periods before {day} are recomputed for today's boundary: the sum of {names}."),
                };
                view! { <p class="muted" data-testid="recomputed">{text}</p> }
            })}
            <p class="legend-line">
                <span class="key series"></span>" " {unit_name.clone()} "  " <span class="key year-ago"></span>" " {lang.pick("Cùng kỳ năm trước", "Same period a year earlier")}
                {chart_target.map(|_| view! { "  " <span class="key target"></span>" " {lang.pick("Mục tiêu", "Target")} })}
                {has_plan.then(|| view! { "  " <span class="key plan"></span>" " {lang.pick("Kế hoạch", "Plan")} })}
                {has_projection.then(|| view! { "  " <span class="key projection"></span>" " {lang.pick("Dự báo đến cuối năm", "Projection to the year's end")} })}
            </p>
            <p class="hint">{if can_add {
                lang.pick("Chạm một điểm để xem xếp hạng kỳ đó; chọn “+ So sánh” trong bảng xếp hạng để so sánh tối đa 4 đơn vị.", "Tap a point for that period's ranking; choose “+ Compare” in the ranking to compare up to 4 units.")
            } else {
                lang.pick("Đang so sánh tối đa 4 đơn vị.", "Comparing the most units at once (4).")
            }}</p>
            {range_form}
            <p class="exports">
                <a class="touch" href=format!("/indicators/{}/data.csv?{}", indicator.code, query.query_string()) download="" rel="external" data-testid="export-csv">{lang.pick("Tải CSV số liệu", "Download the data (CSV)")}</a>
                <a class="touch" href=format!("/indicators/{}/chart.svg?{}", indicator.code, query.query_string()) download="" rel="external" data-testid="export-chart">{lang.pick("Tải biểu đồ (SVG)", "Download the chart (SVG)")}</a>
            </p>
        </section>
    }
    .into_any();
    let periods = view! {
        <section class="panel" id="periods">
            <h2>{lang.pick("Số liệu theo kỳ", "By period")}</h2>
            <div class="table-scroll">
                <table class="data" data-testid="periods">
                    <thead><tr>
                        <th>{lang.pick("Kỳ", "Period")}</th><th class="num">{unit_name.clone()}</th><th class="num">{lang.pick("Cùng kỳ năm trước", "A year earlier")}</th><th class="num">{lang.pick("So với cùng kỳ", "Change")}</th>
                        {compared_heads}<th></th>
                    </tr></thead>
                    <tbody>{table_rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any();
    // The periods a question can be about: those shown, newest first.
    let asked_about: Vec<Period> = series.iter().rev().map(|p| p.period).collect();
    let explanations = explanations.map(|list| {
        view! {
            <FigureExplanations list indicator=indicator.code.clone() unit=unit.clone() periods=asked_about changed=refresh/>
        }
    })
    .into_any();
    // Each part is type-erased: one nested view type for the whole page exceeds the compiler's
    // depth limit when the wasm is built.
    let contributions = contributions.map(|parts| {
        view! { <ContributionsPanel parts indicator=indicator.clone() whole_name=unit_name.clone() query=query.clone()/> }
    })
    .into_any();
    let notes = view! {
        <crate::notes::view::NotesPanel notes indicator=indicator.clone() unit=unit.code.clone()
            unit_name=unit_name.clone() may_write=may_write_notes changed=refresh/>
    }
    .into_any();
    let consistency = (!consistency.is_empty()).then(|| {
        let checks = consistency
            .into_iter()
            .map(|check| view! { <crate::quality::view::ConsistencyTable check/> })
            .collect_view();
        view! {
            <section id="consistency">
                <h2>{lang.pick("Đối chiếu số các tỉnh với số toàn quốc", "The provinces against the nation")}</h2>
                {checks}
            </section>
        }
    })
    .into_any();
    view! { {head} {chart} {notes} {explanations} {history_view} {periods} {contributions} {consistency} {ranking_view} }
}
