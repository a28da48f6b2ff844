//! `/scorecard?level=&indicators=&year=&sort=`: the provinces (or ministries) against chosen
//! indicators, each cell the unit's standing in the year on its colour, worst units first;
//! a column's head sorts by it, a cell leads to that unit's indicator page. Live for a
//! signed-in reader: a new value or target of a column reads the table again.

use crate::model::UnitKind;
use crate::model::i18n::use_lang;
use crate::shell::live_refresh::refresh_on_change;
use crate::steering::api::get_scorecard;
use crate::steering::scorecard::{LEVELS, ScorecardQuery, ScorecardView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::{LazyRoute, lazy_route};

/// Loaded on demand, as every page but the overview and a unit's.
pub struct ScorecardRoute;

#[lazy_route]
impl LazyRoute for ScorecardRoute {
    fn data() -> Self {
        ScorecardRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <ScorecardPage/> }.into_any()
    }
}

#[component]
pub fn ScorecardPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let key = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        (get("level"), get("indicators"), get("year"), get("sort"))
    };
    let data = Resource::new(key, |(level, indicators, year, sort)| {
        get_scorecard(level, indicators, year, sort)
    });
    view! {
        <Title text=lang.pick("Tiến độ thực hiện mục tiêu", "Progress against targets")/>
        <Transition fallback=move || view! { <p class="loading">{lang.pick("Đang tải…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Scorecard view=v refresh=Callback::new(move |_| data.refetch())/> }.into_any(),
                    Err(e) => view! { <p class="panel error-panel" role="alert">{e.shown()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Scorecard(view: ScorecardView, refresh: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let ScorecardView {
        query,
        level,
        year,
        years,
        columns,
        choices,
        rows,
        counts,
        seq,
        may_set_targets,
    } = view;

    {
        let units: Vec<String> = rows.iter().map(|r| r.code.clone()).collect();
        let codes: Vec<String> = columns.iter().map(|c| c.code.clone()).collect();
        refresh_on_change(
            codes.iter().map(|c| format!("indicator:{c}")).collect(),
            seq,
            move |o| codes.contains(&o.indicator) && units.contains(&o.unit),
            refresh,
        );
    }

    let levels = LEVELS
        .iter()
        .map(|(kind, word)| {
            let href = ScorecardQuery {
                level: Some(word.to_string()),
                year: Some(year),
                ..Default::default()
            }
            .href();
            let label = match kind {
                UnitKind::Ministry => lang.pick("Bộ, cơ quan", "Ministries"),
                _ => lang.pick("Tỉnh, thành phố", "Provinces"),
            };
            let current = (*kind == level).then_some("page");
            view! { <a class="tab" href=href aria-current=current>{label}</a> }
        })
        .collect_view();
    let year_links = years
        .iter()
        .map(|y| {
            let href = query.with(|q| q.year = Some(*y)).href();
            let current = (*y == year).then_some("page");
            view! { <a class="tab" href=href aria-current=current>{y.to_string()}</a> }
        })
        .collect_view();
    let count_badges = counts
        .iter()
        .map(|(s, n)| {
            view! {
                <span class=format!("standing {}", s.as_str()) data-count=s.as_str()>
                    <span class="standing-badge">{lang.pick(s.label_vi(), s.label_en())}": "{*n}</span>
                </span>" "
            }
        })
        .collect_view();

    // Adding or taking away a column keeps the others in their order.
    let shown: Vec<String> = columns.iter().map(|c| c.code.clone()).collect();
    let picker = choices
        .iter()
        .map(|c| {
            let on = shown.contains(&c.code);
            let list: Vec<&str> = if on {
                shown.iter().map(String::as_str).filter(|s| *s != c.code).collect()
            } else {
                shown.iter().map(String::as_str).chain([c.code.as_str()]).collect()
            };
            let href = query
                .with(|q| {
                    q.indicators = Some(list.join(","));
                    q.sort = q.sort.take().filter(|s| list.contains(&s.as_str()));
                })
                .href();
            let name = lang.pick(&c.name_vi, &c.name_en).to_string();
            let mark = if on { "✓ " } else { "+ " };
            let targets = (!c.has_targets).then(|| lang.pick(" (chưa có mục tiêu)", " (no targets)"));
            view! { <a class="chip" href=href aria-pressed=on.to_string() data-code=c.code.clone()>{mark}{name}{targets}</a>" " }
        })
        .collect_view();

    let heads = columns
        .iter()
        .map(|c| {
            let sorted = query.sort.as_deref() == Some(c.code.as_str());
            let href = query.with(|q| q.sort = Some(c.code.clone())).href();
            let name = lang.pick(&c.name_vi, &c.name_en).to_string();
            let measure = lang.pick(&c.measure_vi, &c.measure).to_string();
            view! {
                <th scope="col" aria-sort=sorted.then_some("descending") data-code=c.code.clone()>
                    <a href=href title=lang.pick("Xếp theo chỉ tiêu này, kém nhất trước", "Sort by this indicator, worst first")>{name}</a>
                    <small>" ("{measure}")"</small>
                </th>
            }
        })
        .collect_view();
    let level_word = crate::steering::scorecard::level_word(level);
    let body = rows
        .iter()
        .map(|r| {
            let name = lang.name_of(level, &r.name_vi, r.name_en.as_deref());
            let cells = r
                .cells
                .iter()
                .zip(&columns)
                .map(|(cell, c)| {
                    let href = format!("/indicators/{}?unit={}", c.code, r.code);
                    match cell {
                        None => view! { <td class="score none"><a href=href>"–"</a></td> }.into_any(),
                        Some(cell) => {
                            let numbers = match (cell.compared, cell.goal) {
                                (Some(v), Some(g)) => format!("{} / {}", lang.number(v, c.decimals), g.text(lang, c.decimals)),
                                _ => String::new(),
                            };
                            let mut basis = lang.pick(&cell.basis.0, &cell.basis.1).to_string();
                            // A figure counted over the year: its change on the same months of
                            // last year in the cell, the whole "lũy kế" line in its title.
                            let ytd = cell.year_to_date.and_then(|y| {
                                let measure = lang.pick(&c.measure_vi, &c.measure);
                                basis = format!("{basis}\n{}", y.text(lang, c.decimals, measure));
                                let change = y.change_text(lang)?;
                                Some(view! { <span class="ytd" data-testid="cell-year-to-date">{format!("{change} {}", lang.pick("cùng kỳ", "y/y"))}</span> })
                            });
                            let s = cell.standing;
                            view! {
                                <td class=format!("score standing {}", s.as_str()) data-standing=s.as_str()>
                                    <a href=href title=basis.clone()>
                                        <span class="standing-badge">{lang.pick(s.label_vi(), s.label_en())}</span>
                                        <span class="num">{numbers}</span>
                                        {ytd}
                                    </a>
                                </td>
                            }
                            .into_any()
                        }
                    }
                })
                .collect_view();
            view! {
                <tr data-unit=r.code.clone()>
                    <th scope="row"><a href=format!("/units/{}", r.code)>{name}</a></th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let empty = columns.is_empty().then(|| {
        view! {
            <p class="panel muted" data-testid="no-columns">
                {lang.pick(
                    "Chưa có chỉ tiêu nào có mục tiêu năm này ở cấp này. Chọn chỉ tiêu ở trên, hoặc nhập mục tiêu tại trang Mục tiêu, kế hoạch.",
                    "No indicator has targets this year at this level. Choose indicators above, or enter targets on the Targets and plans page.",
                )}
            </p>
        }
    });
    let edit_targets = may_set_targets.then(|| {
        let first = columns.first().map(|c| c.code.clone()).unwrap_or_default();
        view! {
            <a class="link-button" href=format!("/targets?indicator={first}&year={year}") data-testid="edit-targets">
                {lang.pick("Nhập mục tiêu, kế hoạch", "Enter targets and plans")}
            </a>
        }
    });
    let worst_first = query.with(|q| q.sort = None).href();
    let sorted_note = match &query.sort {
        Some(_) => view! { <a href=worst_first>{lang.pick("Xếp lại: đơn vị kém nhất trước", "Sort again: worst units first")}</a> }.into_any(),
        None => view! { <span class="muted">{lang.pick("Xếp: đơn vị nhiều chỉ tiêu chậm nhất trước", "Sorted: units with the most off track first")}</span> }.into_any(),
    };

    view! {
        <div class="page-head">
            <h1>{lang.pick("Tiến độ thực hiện mục tiêu năm ", "Progress against the targets of ")}{year}</h1>
        </div>
        <nav class="tabs" aria-label=lang.pick("Cấp đơn vị", "Level")>{levels}</nav>
        <nav class="tabs" aria-label=lang.pick("Năm", "Year")>{year_links}</nav>
        <details class="panel scorecard-picker">
            <summary>{lang.pick("Chọn chỉ tiêu", "Choose indicators")}" ("{columns.len()}")"</summary>
            <p class="chips">{picker}</p>
        </details>
        <p class="scorecard-counts" data-testid="counts">{count_badges}</p>
        {empty}
        <p>{sorted_note}" "{edit_targets}</p>
        <div class="table-scroll">
            <table class="data scorecard" data-testid="scorecard" data-level=level_word>
                <thead><tr><th scope="col">{lang.pick("Đơn vị", "Unit")}</th>{heads}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}
