use crate::indicators::api::get_unit_view;
use crate::indicators::indicator_card::IndicatorCardView;
use crate::model::UnitKind;
use crate::model::i18n::use_lang;
use crate::model::view::{IndicatorCard, Tone, UnitView};
use crate::model::{Field, i18n::fold_vi};
use crate::shell::layout::SimulatedBanner;
use crate::shell::live_refresh::refresh_on_change;
use leptos::prelude::*;
use leptos_meta::Title;

/// Loads a unit's page data (on the server during SSR, then hydrated) and shows it.
#[component]
pub fn UnitBoardLoader(code: Signal<String>) -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(move || code.get(), get_unit_view);
    // Transition, not Suspense: a live refresh keeps the page on screen while it reads.
    view! {
        <Transition fallback=move || view! { <p class="loading">{lang.pick("Đang tải…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <UnitBoard view=v refresh=Callback::new(move |_| data.refetch())/> }.into_any(),
                    Err(e) => view! { <ErrorPanel message=e.shown()/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ErrorPanel(message: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="panel error-panel" role="alert" data-testid="error">
            <h1>{lang.pick("Không hiển thị được trang", "This page cannot be shown")}</h1>
            <p>{message}</p>
            <p><a href="/">{lang.pick("Về trang tổng quan quốc gia", "Back to the national overview")}</a></p>
        </section>
    }
}

#[component]
pub fn UnitBoard(view: UnitView, #[prop(optional)] refresh: Option<Callback<()>>) -> impl IntoView {
    let lang = use_lang();
    let UnitView {
        unit,
        breadcrumb,
        cards,
        children,
        simulated,
        seq,
        completeness,
        reports,
        predecessors,
        predecessor_pages,
        successors,
        explanations,
    } = view;
    // Reached from a former unit's name or address: say where it went.
    let query = leptos_router::hooks::use_query_map();
    let unit_name = lang.unit_name(&unit);
    let arrived_from = {
        let predecessors = predecessors.clone();
        let unit_name = unit_name.clone();
        move || {
            let former = query.read().get("former")?;
            predecessors
                .iter()
                .find(|s| s.former_code == former)
                .map(|s| s.said(lang, &unit_name))
        }
    };
    // The units it took over (or takes over on a day to come); those whose history is kept
    // under their own code are links to it.
    let formed_from = (!predecessors.is_empty()).then(|| {
        let day = crate::model::i18n::Lang::Vi.date(predecessors[0].effective);
        let lead = match lang {
            crate::model::i18n::Lang::Vi => format!("Từ {day} gồm cả: "),
            crate::model::i18n::Lang::En => format!("Since {day} it includes: "),
        };
        let names = predecessors
            .iter()
            .enumerate()
            .map(|(n, s)| {
                let text = format!("{} ({})", s.former_name, s.former_code);
                let sep = if n == 0 { "" } else { ", " };
                let name = if predecessor_pages.contains(&s.former_code) {
                    view! { <a href=format!("/units/{}?history", s.former_code)>{text}</a> }
                        .into_any()
                } else {
                    text.into_any()
                };
                view! { {sep} {name} }
            })
            .collect_view();
        view! { <p class="muted" data-testid="predecessors">{lead} {names} "."</p> }
    });
    // A unit a reorganisation ends: from when, and who takes it over.
    let ends = (!successors.is_empty()).then(|| {
        let day = crate::model::i18n::Lang::Vi.date(successors[0].0.effective);
        let lead = match lang {
            crate::model::i18n::Lang::Vi => format!("Đơn vị kết thúc từ ngày {day}; kế thừa: "),
            crate::model::i18n::Lang::En => format!("This unit ends on {day}; taken over by: "),
        };
        let names = successors
            .iter()
            .enumerate()
            .map(|(n, (s, name))| {
                let sep = if n == 0 { "" } else { ", " };
                view! { {sep} <a href=format!("/units/{}", s.successor)>{name.clone()}</a> }
            })
            .collect_view();
        view! { <p class="panel notice" role="status" data-testid="successors">{lead} {names} "."</p> }
    });
    // Live: a new value of this unit reads the page again.
    if let Some(refresh) = refresh {
        let code = unit.code.clone();
        let mut topics = vec![format!("unit:{code}")];
        if explanations.is_some() {
            topics.push("explanations".into());
        }
        refresh_on_change(topics, seq, move |o| o.unit == code, refresh);
    }
    let title = match unit.kind {
        UnitKind::National => lang
            .pick("Tổng quan quốc gia", "National overview")
            .to_string(),
        _ => lang.unit_name(&unit),
    };
    let kind_label = match unit.kind {
        UnitKind::National => lang.pick("Toàn quốc", "Viet Nam"),
        UnitKind::Ministry => lang.pick("Bộ, cơ quan ngang bộ", "Ministry"),
        UnitKind::Province => lang.pick("Tỉnh, thành phố", "Province or city"),
        UnitKind::Commune => lang.pick("Xã, phường, đặc khu", "Commune or ward"),
    };
    let subtitle = match unit.kind {
        UnitKind::National => lang
            .pick("National overview", "Tổng quan quốc gia")
            .to_string(),
        _ => format!("{kind_label} · {}", unit.code),
    };
    let crumbs = (!breadcrumb.is_empty()).then(|| {
        view! {
            <nav class="breadcrumb" aria-label=lang.pick("Đường dẫn", "Breadcrumb")>
                {breadcrumb
                    .into_iter()
                    .map(|u| {
                        let href = if u.kind == UnitKind::National { "/".to_string() } else { format!("/units/{}", u.code) };
                        view! { <a href=href>{lang.unit_name(&u)}</a><span class="sep">" › "</span> }
                    })
                    .collect_view()}
                <span aria-current="page">{lang.unit_name(&unit)}</span>
            </nav>
        }
    });
    let empty = cards.is_empty().then(|| {
        view! {
            <p class="panel muted" data-testid="no-indicators">
                {lang.pick("Đơn vị này chưa báo cáo chỉ tiêu nào.", "This unit reports no indicators yet.")}
            </p>
        }
    });

    view! {
        <Title text=title.clone()/>
        {crumbs}
        <div class="page-head">
            <h1 data-testid="page-title">{title}</h1>
            <p class="en">{subtitle}</p>
            // The tasks the Government assigned this ministry or province (sign-in required).
            {matches!(unit.kind, UnitKind::Ministry | UnitKind::Province).then(|| view! {
                <p><a class="link-button" href=format!("/tasks?unit={}", unit.code) data-testid="unit-tasks">{lang.pick("Nhiệm vụ được giao", "Tasks assigned")}</a></p>
            })}
            {explanations.map(|(vi, en)| {
                let href = match unit.kind {
                    UnitKind::National => "/explanations".to_string(),
                    _ => format!("/explanations?unit={}", unit.code),
                };
                view! { <p><a class="link-button" href=href data-testid="unit-explanations">{lang.pick(&vi, &en).to_string()}</a></p> }
            })}
        </div>
        {move || arrived_from().map(|text| view! { <p class="panel notice" role="status" data-testid="former-banner">{text}</p> })}
        {ends}
        {formed_from}
        {simulated.then(|| view! { <SimulatedBanner/> })}
        <section aria-labelledby="indicators-h">
            <h2 id="indicators-h">{lang.pick("Chỉ tiêu", "Indicators")} " " <span class="count">{cards.len()}</span></h2>
            {empty}
            <FieldGroups cards unit=unit.code.clone()/>
        </section>
        <crate::reporting::panels::ReportingPanel completeness reports/>
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
                        <h2>{lang.pick(&g.title_vi, &g.title_en).to_string()} " " <span class="count">{g.units.len()}</span></h2>
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

/// How many cards change for the better and for the worse against the period before, by each
/// indicator's good direction.
fn tally(cards: &[IndicatorCard]) -> (usize, usize) {
    cards.iter().fold((0, 0), |(good, bad), c| {
        match c
            .change()
            .map(|ch| Tone::of(c.indicator.good_direction, ch.amount))
        {
            Some(Tone::Good) => (good + 1, bad),
            Some(Tone::Bad) => (good, bad + 1),
            _ => (good, bad),
        }
    })
}

/// The cards by field (the Government's nine areas and public order), each field with its
/// count and how many moved for the better or the worse; a summary line and a filter by name
/// above them, so that a page of 200 indicators is still read at a glance.
#[component]
fn FieldGroups(cards: Vec<IndicatorCard>, unit: String) -> impl IntoView {
    let lang = use_lang();
    let said = move |good: usize, bad: usize| match lang {
        crate::model::i18n::Lang::Vi => format!("{good} chuyển biến tốt · {bad} chuyển biến xấu"),
        crate::model::i18n::Lang::En => format!("{good} better · {bad} worse"),
    };
    let (good, bad) = tally(&cards);
    let summary = (!cards.is_empty()).then(|| {
        let (count, fields) = (
            cards.len(),
            Field::ALL
                .iter()
                .filter(|f| cards.iter().any(|c| c.indicator.field == **f))
                .count(),
        );
        let text = match lang {
            crate::model::i18n::Lang::Vi => format!(
                "{count} chỉ tiêu trong {fields} lĩnh vực; so với kỳ trước: {}",
                said(good, bad)
            ),
            crate::model::i18n::Lang::En => format!(
                "{count} indicators in {fields} fields; on the period before: {}",
                said(good, bad)
            ),
        };
        view! { <p class="muted" data-testid="overview-summary">{text}</p> }
    });
    let query = RwSignal::new(String::new());
    // Every word typed must be in the indicator's names or code, marks or not.
    let shown =
        move |key: &str| query.with(|q| fold_vi(q).split_whitespace().all(|w| key.contains(w)));
    let filter = (cards.len() > 12).then(|| {
        view! {
            <label class="filter">
                {lang.pick("Lọc theo tên", "Filter by name")}
                <input type="search" data-testid="card-filter" autocomplete="off"
                    placeholder=lang.pick("ví dụ: xuất khẩu", "e.g. exports")
                    on:input=move |ev| query.set(event_target_value(&ev))/>
            </label>
        }
    });
    let groups = Field::ALL
        .into_iter()
        .filter_map(|field| {
            let in_field: Vec<IndicatorCard> = cards
                .iter()
                .filter(|c| c.indicator.field == field)
                .cloned()
                .collect();
            if in_field.is_empty() {
                return None;
            }
            let (good, bad) = tally(&in_field);
            let keys: Vec<String> = in_field
                .iter()
                .map(|c| {
                    fold_vi(&format!(
                        "{} {} {}",
                        c.indicator.name_vi, c.indicator.name_en, c.indicator.code
                    ))
                })
                .collect();
            let any_shown = {
                let keys = keys.clone();
                move || keys.iter().any(|k| shown(k))
            };
            let count = in_field.len();
            let unit = unit.clone();
            let cards = in_field
                .into_iter()
                .zip(keys)
                .map(|(card, key)| {
                    let hidden = Signal::derive(move || !shown(&key));
                    view! { <IndicatorCardView card unit=unit.clone() hidden/> }
                })
                .collect_view();
            Some(view! {
                <section class="field-group" data-testid="field-group" data-field=field.as_str()
                    style:display=move || (!any_shown()).then_some("none")>
                    // Each piece in an element of its own: adjacent text nodes do not hydrate.
                    <h3 class="field-title">
                        <span>{lang.pick(field.label_vi(), field.label_en())}</span>
                        <span class="count">{count}</span>
                        <span class="muted tally">{said(good, bad)}</span>
                    </h3>
                    <div class="cards">{cards}</div>
                </section>
            })
        })
        .collect_view();
    // One element around the whole: a bare fragment of optional parts and a list beside the
    // page's other children is fragile to hydrate, and the release build needs the type erased.
    view! { <div class="field-groups">{summary} {filter} {groups}</div> }.into_any()
}
