//! The notes under a chart: each with its days, what it is about and for whom, and for a
//! leader or the secretariat the form that writes one (about this indicator, its field or
//! all; for this unit or every one), a correction of each, and taking one away.

use crate::error::AppError;
use crate::model::Indicator;
use crate::model::i18n::use_lang;
use crate::model::note::NoteLine;
use crate::notes::api::{note_remove, note_save};
use leptos::prelude::*;

/// What the panel sends: a note written or corrected, or taken away. One action for both, fed
/// by the forms' signals rather than an `ActionForm` per server function (each decodes its form
/// in the wasm; together a few KB of the indicator page).
#[derive(Clone)]
enum Send {
    Save(Fields, i64, i64),
    Remove(i64, i64),
}

/// A note form's fields as typed.
#[derive(Clone, Copy)]
struct Fields {
    from: RwSignal<String>,
    to: RwSignal<String>,
    text: RwSignal<String>,
    scope: RwSignal<String>,
    units: RwSignal<String>,
}

impl Fields {
    fn new(from: String, to: String, text: String, scope: String, units: String) -> Fields {
        Fields {
            from: RwSignal::new(from),
            to: RwSignal::new(to),
            text: RwSignal::new(text),
            scope: RwSignal::new(scope),
            units: RwSignal::new(units),
        }
    }
}

async fn send(what: Send) -> Result<i64, AppError> {
    match what {
        Send::Save(f, id, version) => {
            note_save(
                id,
                version,
                f.from.get_untracked(),
                f.to.get_untracked(),
                f.text.get_untracked(),
                f.scope.get_untracked(),
                f.units.get_untracked(),
            )
            .await
        }
        Send::Remove(id, version) => note_remove(id, version).await,
    }
}

#[component]
pub fn NotesPanel(
    notes: Vec<NoteLine>,
    indicator: Indicator,
    unit: String,
    unit_name: String,
    may_write: bool,
    /// Reads the page again after a note was written or taken away.
    changed: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    if notes.is_empty() && !may_write {
        return ().into_any();
    }
    let action = Action::new(|what: &Send| send(what.clone()));
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            changed.run(());
        }
    });
    let error = move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <p class="form-error" role="alert" data-testid="note-error">{e.shown()}</p> })
    };
    let field = indicator.field;
    let code = indicator.code.clone();
    let field_name = lang.pick(field.label_vi(), field.label_en()).to_string();
    let scopes = {
        let code = code.clone();
        move |current: &str| {
            [
                (
                    format!("indicator:{code}"),
                    lang.pick("Chỉ tiêu này", "This indicator").to_string(),
                ),
                (
                    format!("field:{}", field.as_str()),
                    format!(
                        "{}: {field_name}",
                        lang.pick("Cả lĩnh vực", "The whole field")
                    ),
                ),
                (
                    "all".to_string(),
                    lang.pick("Mọi chỉ tiêu", "Every indicator").to_string(),
                ),
            ]
            .into_iter()
            .map(|(value, label)| {
                let selected = value == current;
                view! { <option value=value selected=selected>{label}</option> }
            })
            .collect_view()
        }
    };
    let whom = {
        let (unit, unit_name) = (unit.clone(), unit_name.clone());
        move |current: &[String]| {
            let only = current.len() == 1 && current[0] == unit;
            view! {
                <option value=unit.clone() selected=only>{format!("{} {unit_name}", lang.pick("Chỉ", "Only"))}</option>
                <option value="" selected=current.is_empty()>{lang.pick("Mọi đơn vị", "Every unit")}</option>
            }
        }
    };
    // A form's inputs, bound to `f`; a note's correction starts from the note.
    let inputs = {
        let (scopes, whom) = (scopes.clone(), whom.clone());
        move |f: Fields| {
            let (scope, units) = (f.scope.get_untracked(), f.units.get_untracked());
            let units: Vec<String> = units
                .split(',')
                .filter(|u| !u.is_empty())
                .map(str::to_string)
                .collect();
            view! {
                <label>{lang.pick("Từ ngày", "From")}<input type="date" required data-testid="note-from"
                    value=f.from.get_untracked() prop:value=move || f.from.get() on:input=move |ev| f.from.set(event_target_value(&ev))/></label>
                <label>{lang.pick("Đến ngày (để trống: một ngày)", "To (empty: one day)")}<input type="date" data-testid="note-to"
                    value=f.to.get_untracked() prop:value=move || f.to.get() on:input=move |ev| f.to.set(event_target_value(&ev))/></label>
                <label class="wide">{lang.pick("Ghi chú", "Note")}<input required maxlength="300" data-testid="note-text"
                    placeholder=lang.pick("Ví dụ: Bão Yagi", "For example: Typhoon Yagi")
                    value=f.text.get_untracked() prop:value=move || f.text.get() on:input=move |ev| f.text.set(event_target_value(&ev))/></label>
                <label>{lang.pick("Về", "About")}<select data-testid="note-scope" on:change=move |ev| f.scope.set(event_target_value(&ev))>{scopes(&scope)}</select></label>
                <label>{lang.pick("Cho", "For")}<select data-testid="note-units" on:change=move |ev| f.units.set(event_target_value(&ev))>{whom(&units)}</select></label>
            }
            .into_any()
        }
    };
    let submit = move |f: Fields, id: i64, version: i64| {
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            action.dispatch(Send::Save(f, id, version));
        }
    };
    let items = notes
        .into_iter()
        .map(|n| {
            let days = crate::model::note::days((n.from, n.to), lang);
            let whom = if n.units.is_empty() { lang.pick("mọi đơn vị", "every unit").to_string() } else { n.units.join(", ") };
            let about = lang.pick(&n.about.0, &n.about.1).to_string();
            let edit = may_write.then(|| {
                let (id, version) = (n.id, n.version);
                let f = Fields::new(
                    n.from.to_string(),
                    n.to.to_string(),
                    n.text.clone(),
                    n.scope.clone(),
                    n.units.join(","),
                );
                view! {
                    <details class="note-edit">
                        <summary>{lang.pick("Sửa", "Correct")}</summary>
                        <form class="admin-form" on:submit=submit(f, id, version)>
                            {inputs(f)}
                            <button type="submit" disabled=move || action.pending().get()>{lang.pick("Lưu sửa đổi", "Save the correction")}</button>
                        </form>
                    </details>
                    <button type="button" data-testid="note-remove" disabled=move || action.pending().get()
                        on:click=move |_| { action.dispatch(Send::Remove(id, version)); }>{lang.pick("Gỡ ghi chú", "Take the note away")}</button>
                }
                .into_any()
            });
            view! {
                <li data-testid="note" data-note=n.id.to_string()>
                    <span class="days">{days}</span>": "{n.text}
                    <small class="muted">{format!(" · {about} · {whom} · {}", n.written_by)}</small>
                    {edit}
                </li>
            }
            .into_any()
        })
        .collect_view();
    let form = may_write.then(|| {
        let f = Fields::new(
            String::new(),
            String::new(),
            String::new(),
            format!("indicator:{code}"),
            unit.clone(),
        );
        view! {
            <details class="note-new">
                <summary data-testid="note-new">{lang.pick("Thêm ghi chú", "Add a note")}</summary>
                <form class="admin-form" on:submit=submit(f, 0, 0)>
                    {inputs(f)}
                    <button type="submit" class="primary" data-testid="note-save" disabled=move || action.pending().get()>{lang.pick("Lưu ghi chú", "Save the note")}</button>
                </form>
            </details>
        }
        .into_any()
    });
    view! {
        <section class="panel" id="notes" data-testid="notes">
            <h2>{lang.pick("Ghi chú trên biểu đồ", "Notes on the chart")}</h2>
            <ul class="notes-list">{items}</ul>
            {form}
            {error}
        </section>
    }
    .into_any()
}
