//! A request as a card (its turns, its deadline, and the answer, decision or further question
//! the signed-in person may give), and the form that asks a new one. Used by `/explanations`
//! and under a figure on its indicator page.

use crate::error::AppError;
use crate::explanations::api::{explanation_answer, explanation_ask, explanation_decide};
use crate::meetings::attach::AttachButton;
use crate::model::Period;
use crate::model::attachment::Attachment;
use crate::model::explanation::{
    AnswerForm, AskForm, DEFAULT_WORKING_DAYS, DecideForm, ExplanationRequest, ExplanationRow, Turn,
};
use crate::model::i18n::use_lang;
use leptos::prelude::*;

/// What a form shows after sending: done, or the reason it was refused.
fn outcome(result: Option<Result<ExplanationRequest, AppError>>) -> Option<impl IntoView> {
    let lang = use_lang();
    result.map(|r| match r {
        Ok(_) => view! { <p class="panel notice" role="status" data-testid="saved">{lang.pick("Đã gửi.", "Sent.")}</p> }.into_any(),
        Err(e) => view! { <p class="panel form-error" role="alert" data-testid="refused">{e.shown()}</p> }.into_any(),
    })
}

#[component]
pub fn RequestCard(row: ExplanationRow, changed: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let r = row.request.clone();
    let (id, version) = (r.id, r.version);
    let state = r.state();
    let turns = r
        .turns
        .iter()
        .map(|t| {
            let at = lang.date_time(crate::model::vietnam_time(t.at));
            let (what, text, due) = match &t.turn {
                Turn::Question { text, due } => (
                    lang.pick("Yêu cầu", "Asked"),
                    Some(text.clone()),
                    Some(*due),
                ),
                Turn::Answer { text, .. } => (lang.pick("Giải trình", "Answer"), Some(text.clone()), None),
                Turn::Accepted => (lang.pick("Chấp nhận giải trình", "Answer accepted"), None, None),
            };
            let files = match &t.turn {
                Turn::Answer { attachments, .. } if !attachments.is_empty() => {
                    let links = attachments
                        .iter()
                        .map(|a| view! {
                            <li><a href=format!("/attachments/{}", a.id) data-testid="answer-file">{a.name.clone()}</a></li>
                        })
                        .collect_view();
                    Some(view! { <ul class="files">{links}</ul> })
                }
                _ => None,
            };
            let kind = match &t.turn {
                Turn::Question { .. } => "question",
                Turn::Answer { .. } => "answer",
                Turn::Accepted => "accepted",
            };
            view! {
                <li class=format!("turn {kind}") data-turn=kind>
                    <b>{what}</b>{format!(" · {} · {at}", t.by_name)}
                    {due.map(|d| view! { <small>{format!(" · {} {}", lang.pick("hạn", "due"), lang.date(d))}</small> })}
                    {text.map(|t| view! { <p class="turn-text">{t}</p> })}
                    {files}
                </li>
            }
            .into_any()
        })
        .collect_view();

    let answer = RwSignal::new(String::new());
    let files = RwSignal::new(Vec::<Attachment>::new());
    let question = RwSignal::new(String::new());
    let days = RwSignal::new(DEFAULT_WORKING_DAYS.to_string());
    let send_answer = Action::new(move |_: &()| {
        let form = AnswerForm {
            id,
            version,
            answer: answer.get_untracked(),
            attachments: files.with_untracked(|f| f.iter().map(|a| a.id).collect()),
        };
        async move { explanation_answer(form).await }
    });
    let decide = Action::new(move |accept: &bool| {
        let form = DecideForm {
            id,
            version,
            accept: *accept,
            question: question.get_untracked(),
            working_days: days.get_untracked(),
        };
        async move { explanation_decide(form).await }
    });
    for action in [send_answer.value(), decide.value()] {
        Effect::new(move |_| {
            if matches!(action.get(), Some(Ok(_))) {
                changed.run(());
            }
        });
    }
    let href = format!(
        "/indicators/{}?unit={}&to={}#explanations",
        r.indicator, r.unit, r.period
    );
    let indicator = lang.pick(&row.indicator_vi, &row.indicator_en).to_string();
    let due = r.due().map(|d| lang.date(d)).unwrap_or_default();
    view! {
        <article class=format!("panel explanation {}", row.timeliness.as_str())
            data-testid="explanation" data-id=id data-state=state.as_str() data-timeliness=row.timeliness.as_str() data-unit=r.unit.clone()>
            <header>
                <a href=href><strong>{indicator}</strong></a>
                {format!(" · {} · {}", row.unit_name, lang.period(&r.period))}
                <p>
                    <span class=format!("badge {}", row.timeliness.as_str())>{row.timeliness.label(lang)}</span>" "
                    <span data-testid="explanation-state">{state.label(lang)}</span>
                    <small>{format!(" · {} {due}", lang.pick("Hạn giải trình", "Answer due"))}</small>
                </p>
            </header>
            <ol class="turns">{turns}</ol>
            {row.may_answer.then(|| view! {
                <div class="explanation-form" data-testid="answer-form">
                    <label>{lang.pick("Nội dung giải trình", "Your answer")}
                        <textarea data-testid="answer-text" maxlength="5000" prop:value=move || answer.get() on:input=move |ev| answer.set(event_target_value(&ev))></textarea>
                    </label>
                    <label>{lang.pick("Tài liệu kèm theo (tối đa 5 tệp)", "Documents (at most 5 files)")}
                        <AttachButton testid="answer-attach" on_uploaded=Callback::new(move |a: Attachment| files.update(|f| f.push(a)))/>
                    </label>
                    {move || files.with(|f| (!f.is_empty()).then(|| {
                        let names = f.iter().map(|a| view! { <li>{a.name.clone()}</li> }).collect_view();
                        view! { <ul class="files" data-testid="answer-files">{names}</ul> }
                    }))}
                    <button type="button" class="primary" data-testid="send-answer" disabled=move || send_answer.pending().get() on:click=move |_| { send_answer.dispatch(()); }>
                        {lang.pick("Gửi giải trình", "Send the answer")}
                    </button>
                    {move || outcome(send_answer.value().get())}
                </div>
            }.into_any())}
            {row.may_decide.then(|| view! {
                <div class="explanation-form" data-testid="decide-form">
                    <button type="button" class="primary" data-testid="accept" disabled=move || decide.pending().get() on:click=move |_| { decide.dispatch(true); }>
                        {lang.pick("Chấp nhận giải trình", "Accept the answer")}
                    </button>
                    <label>{lang.pick("Hoặc yêu cầu giải trình thêm", "Or ask again")}
                        <textarea data-testid="again-text" maxlength="2000" prop:value=move || question.get() on:input=move |ev| question.set(event_target_value(&ev))></textarea>
                    </label>
                    <label>{lang.pick("Thời hạn (ngày làm việc)", "Due in (working days)")}
                        <input inputmode="numeric" size="3" prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev))/>
                    </label>
                    <button type="button" data-testid="ask-again" disabled=move || decide.pending().get() on:click=move |_| { decide.dispatch(false); }>
                        {lang.pick("Yêu cầu giải trình thêm", "Ask again")}
                    </button>
                    {move || outcome(decide.value().get())}
                </div>
            }.into_any())}
        </article>
    }
}

/// The form that asks `unit` to explain `indicator` for one of `periods` (newest first; the
/// first is chosen).
#[component]
pub fn AskBox(
    indicator: String,
    unit: String,
    periods: Vec<Period>,
    changed: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let period = RwSignal::new(periods.first().map(|p| p.to_string()).unwrap_or_default());
    let question = RwSignal::new(String::new());
    let days = RwSignal::new(DEFAULT_WORKING_DAYS.to_string());
    let ask = Action::new(move |_: &()| {
        let form = AskForm {
            indicator: indicator.clone(),
            unit: unit.clone(),
            period: period.get_untracked(),
            question: question.get_untracked(),
            working_days: days.get_untracked(),
        };
        async move { explanation_ask(form).await }
    });
    Effect::new(move |_| {
        if matches!(ask.value().get(), Some(Ok(_))) {
            question.set(String::new());
            changed.run(());
        }
    });
    let options = periods
        .iter()
        .map(|p| view! { <option value=p.to_string()>{lang.period(p)}</option> })
        .collect_view();
    view! {
        <details class="panel explanation-form" data-testid="ask-form">
            <summary>{lang.pick("Yêu cầu đơn vị giải trình", "Ask the unit to explain")}</summary>
            <label>{lang.pick("Kỳ số liệu", "Period")}
                <select data-testid="ask-period" on:change=move |ev| period.set(event_target_value(&ev))>{options}</select>
            </label>
            <label>{lang.pick("Nội dung yêu cầu", "Question")}
                <textarea data-testid="ask-text" maxlength="2000" prop:value=move || question.get() on:input=move |ev| question.set(event_target_value(&ev))></textarea>
            </label>
            <label>{lang.pick("Thời hạn (ngày làm việc, không kể ngày nghỉ)", "Due in (working days, holidays excluded)")}
                <input data-testid="ask-days" inputmode="numeric" size="3" prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev))/>
            </label>
            <button type="button" class="primary" data-testid="ask" disabled=move || ask.pending().get() on:click=move |_| { ask.dispatch(()); }>
                {lang.pick("Gửi yêu cầu", "Send the request")}
            </button>
            {move || outcome(ask.value().get())}
        </details>
    }
}
