//! `/explanations?unit=&indicator=&state=`: the requests a signed-in person may read, with
//! each unit's counts (overdue, open, answered late, answered on time): an officer's desk of
//! what their unit must answer, a leader's of what came back. And the same cards under a
//! figure on its indicator page ([`FigureExplanations`]). Both live: a request asked,
//! answered or decided anywhere reads them again.

use crate::explanations::api::get_explanations;
use crate::explanations::cards::{AskBox, RequestCard};
use crate::model::explanation::{ExplanationList, ListQuery, Timeliness};
use crate::model::i18n::use_lang;
use crate::model::{Period, Unit, UnitKind};
use crate::shell::live_refresh::refresh_on_change;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::{LazyRoute, lazy_route};

pub struct ExplanationsRoute;

#[lazy_route]
impl LazyRoute for ExplanationsRoute {
    fn data() -> Self {
        ExplanationsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <ExplanationsPage/> }.into_any()
    }
}

/// Reads the list again whenever a request changes after `seq`.
fn listen(seq: i64, refresh: Callback<()>) {
    refresh_on_change(vec!["explanations".into()], seq, |_| false, refresh);
}

#[component]
pub fn ExplanationsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let key = move || {
        let q = query.read();
        ListQuery {
            indicator: q.get("indicator").unwrap_or_default(),
            unit: q.get("unit").unwrap_or_default(),
            state: q.get("state").unwrap_or_default(),
        }
    };
    let data = Resource::new(key, get_explanations);
    let refresh = Callback::new(move |_| data.refetch());
    let tab = move |state: &'static str, vi: &'static str, en: &'static str| {
        let current =
            move || (query.read().get("state").unwrap_or_default() == state).then_some("page");
        view! { <a class="tab" href=format!("/explanations?state={state}") aria-current=current>{lang.pick(vi, en)}</a> }
    };
    view! {
        <Title text=lang.pick("Yêu cầu giải trình", "Explanation requests")/>
        <div class="page-head"><h1>{lang.pick("Yêu cầu giải trình", "Explanation requests")}</h1></div>
        <nav class="tabs">
            {tab("waiting", "Đang xử lý", "In progress")}
            {tab("", "Tất cả", "All")}
        </nav>
        <Transition fallback=move || view! { <p class="loading">{lang.pick("Đang tải…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="panel error-panel" role="alert">{e.shown()}</p> }.into_any(),
                    Ok(list) => {
                        listen(list.seq, refresh);
                        let counts = list.counts.iter().map(|(code, name, n)| {
                            let cells = Timeliness::ALL.iter().map(|t| view! {
                                <td class="num" data-count=t.as_str()>{n.get(*t)}</td>
                            }).collect_view();
                            view! {
                                <tr data-unit=code.clone()>
                                    <th scope="row"><a href=format!("/explanations?unit={code}")>{name.clone()}</a></th>
                                    {cells}
                                </tr>
                            }
                        }).collect_view();
                        let heads = Timeliness::ALL.iter().map(|t| view! { <th scope="col">{t.label(lang)}</th> }).collect_view();
                        let empty = list.rows.is_empty().then(|| view! {
                            <p class="panel muted" data-testid="no-explanations">{lang.pick("Không có yêu cầu giải trình nào.", "No explanation requests.")}</p>
                        });
                        let cards = list.rows.into_iter().map(|row| view! { <RequestCard row changed=refresh/> }).collect_view();
                        view! {
                            <div class="table-scroll">
                                <table class="data" data-testid="explanation-counts">
                                    <thead><tr><th scope="col">{lang.pick("Đơn vị", "Unit")}</th>{heads}</tr></thead>
                                    <tbody>{counts}</tbody>
                                </table>
                            </div>
                            {empty}
                            <div class="explanations">{cards}</div>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Under a figure: the requests about this indicator for this unit (read with the page, which
/// reads them again when one changes), and the form to ask one (for leaders and the
/// secretariat, about a ministry or province).
#[component]
pub fn FigureExplanations(
    list: ExplanationList,
    indicator: String,
    unit: Unit,
    periods: Vec<Period>,
    changed: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let askable = matches!(unit.kind, UnitKind::Ministry | UnitKind::Province);
    if list.rows.is_empty() && !(list.may_ask && askable) {
        return ().into_any();
    }
    let ask = (list.may_ask && askable).then(|| {
        view! { <AskBox indicator unit=unit.code.clone() periods changed/> }
    });
    let cards = list
        .rows
        .into_iter()
        .map(|row| view! { <RequestCard row changed/> })
        .collect_view();
    view! {
        <section class="panel" id="explanations" data-testid="figure-explanations">
            <h2>{lang.pick("Giải trình", "Explanations")}</h2>
            {cards}
            {ask}
        </section>
    }
    .into_any()
}
