//! `/search?q=`: units and indicators by name (diacritics-insensitive) or code. One exact hit
//! is still listed rather than followed, so the reader sees what was found.

use crate::model::UnitKind;
use crate::model::i18n::use_lang;
use crate::model::search::HitKind;
use crate::search::api::search;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::{LazyRoute, lazy_route};

/// Loaded on demand: the overview, the first page of most visits, does not carry it.
pub struct SearchRoute;

#[lazy_route]
impl LazyRoute for SearchRoute {
    fn data() -> Self {
        SearchRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <SearchPage/> }.into_any()
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let results = Resource::new(q, search);
    view! {
        <Title text=lang.pick("Tìm kiếm", "Search")/>
        <div class="page-head">
            <h1>{lang.pick("Tìm kiếm", "Search")}</h1>
        </div>
        <form class="panel search-page" method="get" action="/search" role="search">
            <input type="search" name="q" maxlength="100" value=q aria-label=lang.pick("Tìm kiếm", "Search")
                placeholder=lang.pick("Tên hoặc mã: “ha noi”, “01”, “xuất khẩu”, “EXPORT_VALUE”", "Name or code: “ha noi”, “01”, “exports”, “EXPORT_VALUE”")/>
            <button type="submit">{lang.pick("Tìm", "Search")}</button>
        </form>
        <Suspense fallback=move || view! { <p class="loading">{lang.pick("Đang tìm…", "Searching…")}</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Err(e) => view! { <p class="panel error-panel" role="alert">{e.shown()}</p> }.into_any(),
                    Ok(r) if r.query.trim().is_empty() => view! {
                        <p class="muted">{lang.pick("Gõ tên hoặc mã của đơn vị, chỉ tiêu; có dấu hay không dấu đều được.", "Type the name or code of a unit or indicator; with or without diacritics.")}</p>
                    }.into_any(),
                    Ok(r) if r.hits.is_empty() => view! {
                        <p class="panel muted" data-testid="no-hits">{lang.pick("Không tìm thấy “", "Nothing found for “")}{r.query.clone()}"”."</p>
                    }.into_any(),
                    Ok(r) => {
                        let more = r.more.then(|| view! { <p class="muted">{lang.pick("Còn kết quả khác; hãy gõ cụ thể hơn.", "More matched; type more to narrow it down.")}</p> });
                        let hits = r.hits.into_iter().map(|h| {
                            let kind = match &h.kind {
                                HitKind::Indicator => lang.pick("Chỉ tiêu", "Indicator"),
                                HitKind::Unit(UnitKind::National) => lang.pick("Toàn quốc", "Nation"),
                                HitKind::Unit(UnitKind::Ministry) => lang.pick("Bộ, cơ quan", "Ministry"),
                                HitKind::Unit(UnitKind::Province) => lang.pick("Tỉnh, thành phố", "Province"),
                                HitKind::Unit(UnitKind::Commune) => lang.pick("Xã, phường", "Commune"),
                            };
                            let name = match h.kind {
                                HitKind::Unit(k) => lang.name_of(k, &h.name_vi, h.name_en.as_deref()),
                                HitKind::Indicator => lang.pick(&h.name_vi, h.name_en.as_deref().unwrap_or(&h.name_vi)).to_string(),
                            };
                            view! {
                                <li>
                                    <a class="hit" href=h.href.clone() data-code=h.code.clone()>
                                        <span class="kind">{kind}</span>
                                        <strong>{name}</strong>
                                        <span class="code">{h.code.clone()}</span>
                                        {h.context.clone().map(|c| view! { <small>{c}</small> })}
                                    </a>
                                </li>
                            }
                        }).collect_view();
                        view! {
                            <ul class="hits panel" data-testid="hits">{hits}</ul>
                            {more}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
