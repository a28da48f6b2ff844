//! The notes under a chart: each with its days, what it is about and for whom, and for a
//! leader or the secretariat the form that writes one (about this indicator, its field or
//! all; for this unit or every one), a correction of each, and taking one away.

use crate::model::Indicator;
use crate::model::i18n::use_lang;
use crate::model::note::NoteLine;
use crate::notes::api::{NoteRemove, NoteSave};
use leptos::form::ActionForm;
use leptos::prelude::*;

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
    let save = ServerAction::<NoteSave>::new();
    let remove = ServerAction::<NoteRemove>::new();
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) || matches!(remove.value().get(), Some(Ok(_)))
        {
            changed.run(());
        }
    });
    let error = move || {
        [save.value().get(), remove.value().get()]
            .into_iter()
            .find_map(|v| v.and_then(Result::err))
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
    let fields = {
        let (scopes, whom, unit) = (scopes.clone(), whom.clone(), unit.clone());
        move |n: Option<NoteLine>| {
            let (from, to, text, scope, units) = match n {
                Some(n) => (
                    n.from.to_string(),
                    n.to.to_string(),
                    n.text.clone(),
                    n.scope.clone(),
                    n.units.clone(),
                ),
                None => (
                    String::new(),
                    String::new(),
                    String::new(),
                    format!("indicator:{code}"),
                    vec![unit.clone()],
                ),
            };
            view! {
                <label>{lang.pick("Từ ngày", "From")}<input type="date" name="from" required value=from data-testid="note-from"/></label>
                <label>{lang.pick("Đến ngày (để trống: một ngày)", "To (empty: one day)")}<input type="date" name="to" value=to data-testid="note-to"/></label>
                <label class="wide">{lang.pick("Ghi chú", "Note")}<input name="text" required maxlength="300" value=text data-testid="note-text"
                    placeholder=lang.pick("Ví dụ: Bão Yagi", "For example: Typhoon Yagi")/></label>
                <label>{lang.pick("Về", "About")}<select name="scope" data-testid="note-scope">{scopes(&scope)}</select></label>
                <label>{lang.pick("Cho", "For")}<select name="units" data-testid="note-units">{whom(&units)}</select></label>
            }
        }
    };
    let items = notes
        .into_iter()
        .map(|n| {
            let days = crate::model::note::days((n.from, n.to), lang);
            let whom = if n.units.is_empty() { lang.pick("mọi đơn vị", "every unit").to_string() } else { n.units.join(", ") };
            let about = lang.pick(&n.about.0, &n.about.1).to_string();
            let edit = may_write.then(|| {
                let (id, version) = (n.id.to_string(), n.version.to_string());
                let (id2, version2) = (id.clone(), version.clone());
                let fields = fields(Some(n.clone()));
                view! {
                    <details class="note-edit">
                        <summary>{lang.pick("Sửa", "Correct")}</summary>
                        <ActionForm action=save attr:class="admin-form">
                            <input type="hidden" name="id" value=id2/>
                            <input type="hidden" name="version" value=version2/>
                            {fields}
                            <button type="submit">{lang.pick("Lưu sửa đổi", "Save the correction")}</button>
                        </ActionForm>
                    </details>
                    <ActionForm action=remove>
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="version" value=version/>
                        <button type="submit" data-testid="note-remove">{lang.pick("Gỡ ghi chú", "Take the note away")}</button>
                    </ActionForm>
                }
            });
            view! {
                <li data-testid="note" data-note=n.id.to_string()>
                    <span class="days">{days}</span>": "{n.text}
                    <small class="muted">{format!(" · {about} · {whom} · {}", n.written_by)}</small>
                    {edit}
                </li>
            }
        })
        .collect_view();
    let form = may_write.then(|| {
        view! {
            <details class="note-new">
                <summary data-testid="note-new">{lang.pick("Thêm ghi chú", "Add a note")}</summary>
                <ActionForm action=save attr:class="admin-form">
                    {fields(None)}
                    <button type="submit" class="primary" data-testid="note-save">{lang.pick("Lưu ghi chú", "Save the note")}</button>
                </ActionForm>
            </details>
        }
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
