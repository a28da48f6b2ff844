//! `/briefs`: the monthly briefs for the Government's regular meeting. Leaders and the
//! secretariat download each version (PDF, Vietnamese or English); the secretariat composes
//! a draft, writes a commentary per section, and marks it final.

use crate::brief::api::{BriefComment, BriefDraft, BriefFinal, BriefList, get_briefs};
use crate::brief::model::{BriefRecord, BriefState, Section};
use crate::model::i18n::{Lang, use_lang};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{LazyRoute, lazy_route};

pub struct BriefsRoute;

#[lazy_route]
impl LazyRoute for BriefsRoute {
    fn data() -> Self {
        BriefsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <BriefsPage/> }.into_any()
    }
}

/// The PDF of a stored version.
fn pdf_link(r: &BriefRecord, lang: &str) -> String {
    format!("/briefs/{}.pdf?version={}&lang={lang}", r.month, r.version)
}

#[component]
pub fn BriefsPage() -> impl IntoView {
    let lang = use_lang();
    let draft = ServerAction::<BriefDraft>::new();
    let comment = ServerAction::<BriefComment>::new();
    let finalise = ServerAction::<BriefFinal>::new();
    let list = Resource::new(
        move || {
            (
                draft.version().get(),
                comment.version().get(),
                finalise.version().get(),
            )
        },
        |_| get_briefs(),
    );
    let title = lang.pick(
        "Báo cáo phục vụ phiên họp thường kỳ",
        "Briefs for the regular meeting",
    );
    let failed = move || {
        [
            draft.value().get().and_then(Result::err),
            comment.value().get().and_then(Result::err),
            finalise.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| view! { <p class="form-error" role="alert" data-testid="brief-error">{e.shown()}</p> })
    };
    view! {
        <Title text=title/>
        <div class="page-head"><h1>{title}</h1></div>
        {failed}
        <Transition fallback=move || view! { <p class="loading">{lang.pick("Đang tải…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <p class="panel error-panel" role="alert">{e.shown()}</p> }.into_any(),
                    Ok(list) => briefs_view(lang, list, draft, comment, finalise).into_any(),
                }
            })}
        </Transition>
    }
}

fn briefs_view(
    lang: Lang,
    list: BriefList,
    draft: ServerAction<BriefDraft>,
    comment: ServerAction<BriefComment>,
    finalise: ServerAction<BriefFinal>,
) -> impl IntoView {
    let can = list.can_prepare;
    let now = format!("/briefs/{}.pdf", list.last_month);
    let compose = can.then(|| {
        use crate::model::indicator::Field;
        // The last choice stands: the newest brief's fields are ticked.
        let chosen = RwSignal::new(list.items.first().map(|r| r.annex.clone()).unwrap_or_default());
        let fields = Field::ALL
            .into_iter()
            .map(|f| {
                view! {
                    <label class="check">
                        <input type="checkbox" value=f.as_str() data-testid="brief-annex"
                            prop:checked=move || chosen.with(|c| c.contains(&f))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| {
                                    c.retain(|g| *g != f);
                                    if on {
                                        c.push(f);
                                    }
                                });
                            }/>
                        " " {lang.pick(f.label_vi(), f.label_en())}
                    </label>
                }
            })
            .collect_view();
        let annex = move || chosen.with(|c| c.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(","));
        view! {
            <section class="panel">
                <h2>{lang.pick("Lập dự thảo", "Compose a draft")}</h2>
                <p class="muted">{lang.pick(
                    "Số liệu lấy tại thời điểm lập; dự thảo đã có của tháng được lập lại, giữ nhận xét.",
                    "Figures as they stand now; the month's existing draft is composed again, its commentary kept.",
                )}</p>
                <ActionForm action=draft attr:class="login-form" attr:data-testid="brief-compose">
                    <label>{lang.pick("Tháng", "Month")} " "
                        <input type="month" name="month" value=list.last_month.clone() data-testid="brief-month"/>
                    </label>
                    <label>{lang.pick("Số phiên họp (để trống: phiên thường kỳ của tháng sau)", "Meeting id (empty: the regular meeting of the month after)")} " "
                        <input type="text" name="meeting" inputmode="numeric"/>
                    </label>
                    <fieldset class="row-fields">
                        <legend>{lang.pick("Phụ lục một trang theo lĩnh vực: các tỉnh, thành phố", "A one-page annex per field: the provinces")}</legend>
                        {fields}
                    </fieldset>
                    <input type="hidden" name="annex" prop:value=annex/>
                    <button type="submit" data-testid="brief-compose-submit">{lang.pick("Lập dự thảo", "Compose")}</button>
                </ActionForm>
            </section>
        }
    });
    let items = list
        .items
        .into_iter()
        .map(|r| record_view(lang, r, can, comment, finalise))
        .collect_view();
    view! {
        {compose}
        <p class="muted">
            {lang.pick("Tải ngay báo cáo tháng trước với số liệu hiện tại (không lưu):", "Last month's brief with the figures as they stand (not kept):")}
            " " <a href=now.clone() download="" rel="external" data-testid="brief-now">{now.clone()}</a>
        </p>
        <ul class="inbox" data-testid="briefs">{items}</ul>
    }
}

fn record_view(
    lang: Lang,
    r: BriefRecord,
    can: bool,
    comment: ServerAction<BriefComment>,
    finalise: ServerAction<BriefFinal>,
) -> impl IntoView {
    let composed = lang.date_time(crate::model::vietnam_time(r.composed_at));
    let heading = format!(
        "{} · {} {} · {}",
        lang.period(&r.month),
        lang.pick("phiên bản", "version"),
        r.version,
        r.state.label(lang)
    );
    let meeting = r.meeting.as_ref().map(|m| {
        view! {
            <p>{lang.pick("Phiên họp:", "Meeting:")} " "
                <a href=format!("/meetings/{}", m.id)>{m.title.clone()}</a>
                " · " {lang.date_time(m.starts_at)}
            </p>
        }
    });
    let facts = format!(
        "{} {} · {} {} {}{}",
        lang.pick("Số liệu đến lượt cập nhật", "Figures as of update"),
        r.seq,
        lang.pick("lập lúc", "composed"),
        composed,
        r.composed_by,
        r.finalised
            .as_ref()
            .map(|(at, by)| format!(
                " · {} {} {}",
                lang.pick("chốt lúc", "finalised"),
                lang.date_time(crate::model::vietnam_time(*at)),
                by
            ))
            .unwrap_or_default()
    );
    let annexes = (!r.annex.is_empty()).then(|| {
        let names: Vec<&str> = r.annex.iter().map(|f| lang.pick(f.label_vi(), f.label_en())).collect();
        view! { <p class="muted" data-testid="brief-annexes">{lang.pick("Phụ lục:", "Annexes:")} " " {names.join("; ")}</p> }
    });
    let editable = can && r.state == BriefState::Draft;
    let commentary = if editable {
        let fields = Section::ALL
            .into_iter()
            .map(|s| {
                let text = r.commentary.get(&s).cloned().unwrap_or_default();
                view! {
                    <label>{s.label(lang)}
                        // As a property, not as children: text inside a textarea is not escaped
                        // when rendered on the server ("</textarea>" in it would end it).
                        <textarea name=format!("form[{}]", s.as_str()) rows="3" data-testid="brief-commentary" data-section=s.as_str() prop:value=text></textarea>
                    </label>
                }
            })
            .collect_view();
        view! {
            <ActionForm action=comment attr:class="login-form" attr:data-testid="brief-comment">
                <input type="hidden" name="form[id]" value=r.id/>
                <input type="hidden" name="form[revision]" value=r.revision/>
                {fields}
                <button type="submit" data-testid="brief-comment-save">{lang.pick("Lưu nhận xét", "Save the commentary")}</button>
            </ActionForm>
            <ActionForm action=finalise attr:data-testid="brief-final">
                <input type="hidden" name="id" value=r.id/>
                <input type="hidden" name="revision" value=r.revision/>
                <button type="submit" data-testid="brief-final-submit">{lang.pick("Chốt bản chính thức", "Mark final")}</button>
            </ActionForm>
        }
        .into_any()
    } else {
        // Shown as written: markup in a commentary is text.
        r.commentary
            .iter()
            .map(|(s, text)| {
                view! {
                    <p class="notice-body"><strong>{s.label(lang)} ": "</strong>
                        <span class="turn-text" data-testid="brief-commentary-text">{text.clone()}</span></p>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <li class="notice" data-testid="brief" data-state=match r.state { BriefState::Draft => "draft", BriefState::Final => "final" }>
            <p class="notice-head"><strong>{heading}</strong></p>
            {meeting}
            <p class="muted">{facts}</p>
            {annexes}
            <p>
                <a href=pdf_link(&r, "vi") download="" rel="external" data-testid="brief-pdf">{lang.pick("Tải PDF", "PDF")}</a>
                " · "
                <a href=pdf_link(&r, "en") download="" rel="external">{lang.pick("Bản tiếng Anh", "In English")}</a>
                " · "
                <a href=format!("/briefs/{}.html?version={}", r.month, r.version) rel="external" target="_blank" data-testid="brief-print">{lang.pick("Bản để in", "Printable page")}</a>
            </p>
            {commentary}
        </li>
    }
}
