//! `/entry/<unit>/<period>?regime=<code>`: one unit's report for one period under one regime.
//! The officer enters each
//! indicator beside last period's and last year's values, saves a draft, submits; the approver
//! approves (publishing and locking) or returns it with a comment; an approved report reopens
//! only for a correction with its reason. Every rule is checked on the server
//! (`crate::reporting::desk`); this page shows the answers beside the fields.

use crate::error::AppError;
use crate::model::i18n::{Lang, use_lang};
use crate::model::report::{
    CsvPreview, Decision, EntryAnswer, EntryForm, EntryInput, FieldIssue, ReportStatus,
};
use crate::reporting::api::{entry_csv, entry_decide, entry_form, entry_reopen, entry_save};
use crate::reporting::panels::timeliness_label;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::{LazyRoute, lazy_route};

/// Loaded on demand: only officers and approvers open it.
pub struct EntryFormRoute;

#[lazy_route]
impl LazyRoute for EntryFormRoute {
    fn data() -> Self {
        EntryFormRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <EntryFormPage/> }.into_any()
    }
}

#[component]
pub fn EntryFormPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let (unit, period) = params.with(|p| {
            (
                p.get("unit").unwrap_or_default(),
                p.get("period").unwrap_or_default(),
            )
        });
        (
            query.with(|q| q.get("regime").unwrap_or_default()),
            unit,
            period,
        )
    };
    let data = Resource::new(key, |(regime, unit, period)| {
        entry_form(regime, unit, period)
    });
    let reload = Callback::new(move |_: ()| data.refetch());
    // The answer to the last action: kept here, outside the form, so the form read again after
    // a save still says what happened.
    let message = RwSignal::new(None::<(bool, String)>);
    view! {
        <Title text=lang.pick("Nhập báo cáo", "Report entry")/>
        <p class="back"><a href="/entry">{lang.pick("← Báo cáo đến hạn", "← Reports due")}</a></p>
        <Transition fallback=move || view! { <p class="loading">{lang.pick("Đang tải…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="panel form-error" role="alert" data-testid="refused">{e.shown()}</p> }.into_any(),
                    Ok(form) => view! { <ReportForm form=form reload=reload message=message/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ReportForm(
    form: EntryForm,
    reload: Callback<()>,
    message: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    let lang = use_lang();
    let vi = lang == Lang::Vi;
    let status = form.status();
    let version = form.version();
    let open = form.closed.is_none();
    let can_edit = form.may_enter && open && status.editable();
    let can_decide = form.may_approve && status == ReportStatus::Submitted;
    let can_reopen = form.may_enter && open && status == ReportStatus::Approved;
    let regime = form.regime.clone();
    let unit = form.unit.code.clone();
    let period = form.period.to_string();

    // One value and one note per indicator, as typed.
    let fields: Vec<(String, RwSignal<String>, RwSignal<String>)> = form
        .rows
        .iter()
        .map(|r| {
            let stored = form
                .report
                .as_ref()
                .and_then(|rep| rep.value_of(&r.indicator.code));
            // A draft keeps a cell still wrong as it was typed.
            let shown = stored
                .map(|v| v.as_typed(lang, r.indicator.decimals))
                .unwrap_or_default();
            (
                r.indicator.code.clone(),
                RwSignal::new(shown),
                RwSignal::new(stored.and_then(|v| v.note.clone()).unwrap_or_default()),
            )
        })
        .collect();
    // The marks of the stored values, until the next save or submission says otherwise.
    let errors = RwSignal::new(form.errors.clone());
    let warnings = RwSignal::new(form.warnings.clone());
    let comment = RwSignal::new(String::new());

    let inputs = {
        let fields = fields.clone();
        move || {
            fields
                .iter()
                .map(|(code, v, n)| EntryInput {
                    indicator: code.clone(),
                    value: v.get_untracked(),
                    note: n.get_untracked(),
                })
                .collect::<Vec<_>>()
        }
    };
    // What every action does with its answer: stored → say so and read the form again;
    // refused → the problems beside their fields; an error → the reason at the top.
    let answer = move |result: Result<EntryAnswer, AppError>, done: &'static str| match result {
        Ok(EntryAnswer::Saved { report }) => {
            // A draft saved with cells still wrong says so: they are marked again when the
            // form is read back.
            let wrong = report.values.iter().filter(|v| v.typed.is_some()).count();
            let text = match (wrong, lang) {
                (0, _) => done.to_string(),
                (n, Lang::Vi) => format!("{done} Còn {n} ô chưa đúng: sửa trước khi gửi."),
                (n, Lang::En) => {
                    format!("{done} {n} field(s) still wrong: put them right before submitting.")
                }
            };
            message.set(Some((wrong == 0, text)));
            reload.run(());
        }
        Ok(EntryAnswer::Refused {
            errors: e,
            warnings: w,
        }) => {
            errors.set(e);
            warnings.set(w);
            message.set(Some((
                false,
                lang.pick(
                    "Chưa lưu: xem các ô được đánh dấu ở trên.",
                    "Not saved: see the marked fields above.",
                )
                .to_string(),
            )));
        }
        Err(e) => message.set(Some((false, e.shown()))),
    };
    let save = {
        let (regime, unit, period) = (regime.clone(), unit.clone(), period.clone());
        Action::new(move |submit: &bool| {
            let (regime, unit, period, submit) =
                (regime.clone(), unit.clone(), period.clone(), *submit);
            let inputs = inputs();
            async move {
                let done = if submit {
                    lang.pick("Đã gửi báo cáo để phê duyệt.", "Submitted for approval.")
                } else {
                    lang.pick("Đã lưu bản nháp.", "Draft saved.")
                };
                (
                    entry_save(regime, unit, period, version, inputs, submit).await,
                    done,
                )
            }
        })
    };
    let decide = {
        let (regime, unit, period) = (regime.clone(), unit.clone(), period.clone());
        Action::new(move |d: &Decision| {
            let (regime, unit, period, d) = (regime.clone(), unit.clone(), period.clone(), *d);
            let text = comment.get_untracked();
            async move {
                let done = match d {
                    Decision::Approve => {
                        lang.pick("Đã phê duyệt và công bố.", "Approved and published.")
                    }
                    Decision::Return => lang.pick("Đã trả lại báo cáo.", "Returned."),
                };
                (
                    entry_decide(regime, unit, period, version, d, text).await,
                    done,
                )
            }
        })
    };
    let reopen = {
        let (regime, unit, period) = (regime.clone(), unit.clone(), period.clone());
        Action::new(move |_: &()| {
            let (regime, unit, period) = (regime.clone(), unit.clone(), period.clone());
            let text = comment.get_untracked();
            async move {
                (
                    entry_reopen(regime, unit, period, version, text).await,
                    lang.pick("Đã mở lại để đính chính.", "Reopened for a correction."),
                )
            }
        })
    };
    Effect::new(move |_| {
        if let Some((r, done)) = save.value().get() {
            answer(r, done);
        }
    });
    Effect::new(move |_| {
        if let Some((r, done)) = decide.value().get() {
            answer(r, done);
        }
    });
    Effect::new(move |_| {
        if let Some((r, done)) = reopen.value().get() {
            answer(r, done);
        }
    });
    let busy = move || save.pending().get() || decide.pending().get() || reopen.pending().get();
    // Set once the browser has hydrated this (lazily loaded) form: its buttons work from then.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));

    let report = form.report.clone();
    let issue_of = move |list: RwSignal<Vec<FieldIssue>>, code: String| {
        move || {
            list.with(|l| {
                l.iter()
                    .filter(|i| i.indicator == code)
                    .map(|i| i.message.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        }
    };
    // A derived figure is not typed: the form shows it as its formula computes it from the
    // values typed, and the store computes it again from what is published.
    let typed_value = {
        let fields = fields.clone();
        move |code: &str| {
            fields
                .iter()
                .find(|(c, _, _)| c == code)
                .and_then(|(_, v, _)| {
                    v.with(|t| crate::model::typed_number::read(t, lang).ok().flatten())
                        .map(|t| t.value)
                })
        }
    };
    let name_of = {
        let rows = form.rows.clone();
        move |code: &str| {
            rows.iter().find(|r| r.indicator.code == code).map_or_else(
                || code.to_string(),
                |r| {
                    lang.pick(&r.indicator.name_vi, &r.indicator.name_en)
                        .to_lowercase()
                },
            )
        }
    };
    let rows = form
        .rows
        .iter()
        .zip(fields.iter().cloned())
        .map(|(r, (code, value, note))| {
            let d = r.indicator.decimals;
            if let Some(formula) = r.indicator.formula.clone() {
                let show = move |v: Option<f64>| v.map(|v| lang.number(v, d)).unwrap_or_else(|| "—".into());
                let name = lang.pick(&r.indicator.name_vi, &r.indicator.name_en).to_string();
                let measure = lang.pick(&r.indicator.measure_vi, &r.indicator.measure).to_string();
                let how = format!(
                    "{} {}",
                    lang.pick("Tính tự động:", "Computed:"),
                    formula.with_names(lang, &name_of)
                );
                let typed_value = typed_value.clone();
                let computed = move || show(formula.evaluate(&typed_value));
                return view! {
                    <tr data-indicator=code.clone() class="computed-row">
                        <th scope="row">{name}<small class="measure">{measure}</small></th>
                        <td class="num">{show(r.previous)}</td>
                        <td class="num">{show(r.year_ago)}</td>
                        <td class="num">{show(r.published)}</td>
                        <td colspan="2">
                            <output class="num" data-testid=format!("computed-{code}")>{computed}</output>
                            <p class="muted">{how}</p>
                        </td>
                    </tr>
                }
                .into_any();
            }
            let show = move |v: Option<f64>| v.map(|v| lang.number(v, d)).unwrap_or_else(|| "—".into());
            let name = lang.pick(&r.indicator.name_vi, &r.indicator.name_en).to_string();
            let measure = lang.pick(&r.indicator.measure_vi, &r.indicator.measure).to_string();
            let error = issue_of(errors, code.clone());
            let warning = issue_of(warnings, code.clone());
            let has_error = {
                let error = error.clone();
                Signal::derive(move || !error().is_empty())
            };
            let value_id = format!("value-{code}");
            let note_id = format!("note-{code}");
            // What the officer and the approver weigh a figure by: its change against the
            // period before and the same period a year earlier, said as the indicator says
            // changes (per cent, points or a difference).
            let change = {
                let ind = r.indicator.clone();
                let (previous, year_ago) = (r.previous, r.year_ago);
                move || {
                    let now = value.with(|v| crate::model::typed_number::read(v, lang).ok().flatten())?.value;
                    let said = |before: Option<f64>| {
                        before
                            .and_then(|b| crate::model::view::Change::between(ind.change, now, b))
                            .map(|c| c.text(lang, &ind))
                    };
                    let parts: Vec<String> = [
                        said(previous).map(|c| format!("{} {c}", lang.pick("so với kỳ trước", "on the period before"))),
                        said(year_ago).map(|c| format!("{} {c}", lang.pick("so với cùng kỳ", "on a year earlier"))),
                    ]
                    .into_iter()
                    .flatten()
                    .collect();
                    (!parts.is_empty()).then(|| parts.join(" · "))
                }
            };
            // A value far from its history stays flagged for whoever reads the report after
            // it was confirmed with a note (the approver above all).
            let outlier = (!can_edit).then_some(r.outlier).flatten().map(|(lo, hi)| {
                let range = format!("{} – {}", lang.number(lo, d), lang.number(hi, d));
                view! {
                    <p class="field-warning" data-testid=format!("outlier-{code}")>{match lang {
                        Lang::Vi => format!("Khác xa các kỳ gần đây (thường trong khoảng {range}); xem ghi chú của người nhập."),
                        Lang::En => format!("Far from recent periods (usually {range}); see the officer's note."),
                    }}</p>
                }
            });
            view! {
                <tr data-indicator=code.clone() class:has-error=has_error>
                    <th scope="row">
                        <label for=value_id.clone()>{name}</label>
                        <small class="measure">{measure}</small>
                    </th>
                    <td class="num">{show(r.previous)}</td>
                    <td class="num">{show(r.year_ago)}</td>
                    <td class="num">{show(r.published)}</td>
                    <td>
                        <input id=value_id type="text" inputmode="decimal" autocomplete="off" class="value-input"
                            data-testid=format!("value-{code}") prop:value=value disabled=!can_edit
                            aria-invalid=move || if has_error.get() { "true" } else { "false" }
                            on:input=move |ev| value.set(event_target_value(&ev))/>
                        // A number the other writing reads differently is said back as understood
                        // before anything is saved ("= 1.500 (một nghìn năm trăm)").
                        <p class="field-reading" aria-live="polite" data-testid=format!("reading-{code}")>{move || {
                            value.with(|v| crate::model::typed_number::read(v, lang).ok().flatten())
                                .filter(|t| t.ambiguous)
                                .map(|t| crate::model::typed_number::said_back(&t, lang))
                        }}</p>
                        <p class="field-error" role="alert" data-testid=format!("error-{code}")>{error}</p>
                        <p class="field-warning" data-testid=format!("warning-{code}")>{warning}</p>
                        <p class="field-change" data-testid=format!("change-{code}")>{change}</p>
                        {outlier}
                    </td>
                    <td>
                        <input id=note_id type="text" maxlength="500" class="note-input" data-testid=format!("note-{code}")
                            aria-label=lang.pick("Ghi chú", "Note") prop:value=note disabled=!can_edit
                            on:input=move |ev| note.set(event_target_value(&ev))/>
                    </td>
                </tr>
            }
            .into_any()
        })
        .collect_view();

    let status_line = format!(
        "{} · {}",
        status.label(vi),
        timeliness_label(lang, form.timeliness)
    );
    let closed = form.closed.as_ref().map(|c| c.reason(vi));
    let comment_shown = report.as_ref().and_then(|r| {
        r.comment.clone().map(|c| {
            let who = r.decided_by.clone().unwrap_or_default();
            (who, c)
        })
    });
    let correction = report.as_ref().and_then(|r| r.correction.clone());
    // Who last saved it and who sent it, when: what the approver weighs the report by.
    let who_when = report.as_ref().map(|r| {
        let at = |t| lang.date_time(crate::model::vietnam_time(t));
        let mut parts = vec![format!(
            "{} {} {} {}",
            lang.pick("Lưu lần cuối", "Last saved"),
            at(r.updated_at),
            lang.pick("bởi", "by"),
            r.updated_by
        )];
        if let (Some(t), Some(who)) = (r.submitted_at, r.submitted_by.as_ref()) {
            parts.push(format!(
                "{} {} {} {who}",
                lang.pick("gửi phê duyệt", "submitted"),
                at(t),
                lang.pick("bởi", "by"),
            ));
        }
        view! { <p class="muted" data-testid="who-when">{parts.join(" · ")}</p> }
    });
    let general = move || {
        errors.with(|e| {
            e.iter()
                .filter(|i| i.indicator.is_empty())
                .map(|i| i.message.clone())
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    // Type-erased: the whole form as one type is too deep for the compiler's release build.
    let table = view! {
        <div class="table-scroll">
            <table class="data entry-table">
                <thead><tr>
                    <th>{lang.pick("Chỉ tiêu", "Indicator")}</th>
                    <th>{lang.period(&form.previous_period)}</th>
                    <th>{lang.period(&form.year_ago_period)}</th>
                    <th>{lang.pick("Đang công bố", "Published")}</th>
                    <th>{lang.pick("Số liệu kỳ này", "This period")}</th>
                    <th>{lang.pick("Ghi chú", "Note")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any();
    let title = format!(
        "{} · {}",
        lang.unit_name(&form.unit),
        lang.period(&form.period)
    );
    let regime_name = lang
        .pick(&form.regime_name_vi, &form.regime_name_en)
        .to_string();
    view! {
        <section class="panel entry-form" data-testid="entry-form" data-status=status.as_str() data-version=version data-ready=move || ready.get().to_string()>
            <div class="page-head">
                <h1>{title}</h1>
                <p class="regime" data-testid="regime" data-regime=form.regime.clone()>{regime_name}</p>
                <p class="en">{format!(
                    "{} {} – {} · {} {}",
                    lang.pick("Số liệu từ", "Covers"),
                    lang.date(form.window.0),
                    lang.date(form.window.1),
                    lang.pick("hạn gửi", "due"),
                    lang.date(form.deadline)
                )}</p>
                <p class="report-status" data-testid="report-status">{status_line}</p>
                {who_when}
            </div>
            {closed.map(|c| view! { <p class="notice" data-testid="closed">{c}</p> })}
            {comment_shown.map(|(who, c)| view! {
                <p class="notice" data-testid="approver-comment">
                    {lang.pick("Ý kiến người phê duyệt", "Approver's comment")}{format!(" ({who}): ")}{c}
                </p>
            })}
            {correction.map(|c| view! {
                <p class="notice" data-testid="correction">{lang.pick("Đang đính chính: ", "Correction under way: ")}{c}</p>
            })}
            {move || {
                let g = general();
                (!g.is_empty()).then(|| view! { <p class="form-error" role="alert" data-testid="entry-general">{g}</p> })
            }}
            {table}
            {can_edit.then(|| view! { <CsvUpload regime=regime.clone() unit=unit.clone() period=period.clone() fields=fields.clone() message/> }.into_any())}
            {can_edit.then(|| view! {
                <div class="actions">
                    <button type="button" data-testid="save-draft" disabled=busy on:click=move |_| { save.dispatch(false); }>
                        {lang.pick("Lưu nháp", "Save draft")}
                    </button>
                    <button type="button" class="primary" data-testid="submit" disabled=busy on:click=move |_| { save.dispatch(true); }>
                        {lang.pick("Gửi phê duyệt", "Submit for approval")}
                    </button>
                </div>
            }.into_any())}
            {(can_decide || can_reopen).then(|| view! {
                <div class="actions decide">
                    <label>
                        {if can_decide { lang.pick("Ý kiến (bắt buộc khi trả lại)", "Comment (required to return)") } else { lang.pick("Lý do đính chính", "Reason for the correction") }}
                        <textarea data-testid="comment" maxlength="1000" rows="2" on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                    </label>
                    {can_decide.then(|| view! {
                        <button type="button" class="primary" data-testid="approve" disabled=busy on:click=move |_| { decide.dispatch(Decision::Approve); }>
                            {lang.pick("Phê duyệt", "Approve")}
                        </button>
                        <button type="button" data-testid="return" disabled=busy on:click=move |_| { decide.dispatch(Decision::Return); }>
                            {lang.pick("Trả lại", "Return")}
                        </button>
                    })}
                    {can_reopen.then(|| view! {
                        <button type="button" data-testid="reopen" disabled=busy on:click=move |_| { reopen.dispatch(()); }>
                            {lang.pick("Đề nghị đính chính", "Reopen for a correction")}
                        </button>
                    })}
                </div>
            }.into_any())}
            // The answer to the last action, beside the buttons that asked for it.
            {move || message.get().map(|(ok, m)| view! {
                <p class=if ok { "form-ok" } else { "form-error" } role="status" data-testid="entry-message">{m}</p>
            })}
        </section>
    }
}

/// The fields of the form: indicator, value and note as typed.
type Fields = Vec<(String, RwSignal<String>, RwSignal<String>)>;

/// Bulk entry: a CSV file (`indicator,value,note`) checked line by line on the server and shown;
/// only a file without errors can be applied to the form, which is then saved as usual.
#[component]
fn CsvUpload(
    regime: String,
    unit: String,
    period: String,
    fields: Fields,
    message: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    let lang = use_lang();
    let preview = RwSignal::new(None::<CsvPreview>);
    let check = Action::new(move |text: &String| {
        let (regime, unit, period, text) =
            (regime.clone(), unit.clone(), period.clone(), text.clone());
        async move { entry_csv(regime, unit, period, text).await }
    });
    Effect::new(move |_| match check.value().get() {
        Some(Ok(p)) => preview.set(Some(p)),
        Some(Err(e)) => message.set(Some((false, e.shown()))),
        None => {}
    });
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use crate::shell::chosen_file::{chosen_file, text_of};
            let Some(file) = chosen_file(&ev) else { return };
            if file.size() > 256.0 * 1024.0 {
                message.set(Some((
                    false,
                    lang.pick(
                        "Tệp quá lớn (tối đa 256 KB).",
                        "The file is too large (256 KB at most).",
                    )
                    .to_string(),
                )));
                return;
            }
            leptos::task::spawn_local(async move {
                match text_of(&file).await {
                    Some(text) => {
                        check.dispatch(text);
                    }
                    None => message.set(Some((
                        false,
                        lang.pick("Không đọc được tệp.", "The file could not be read.")
                            .to_string(),
                    ))),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (ev, check);
        }
    };
    let apply = move |p: &CsvPreview| {
        for input in &p.inputs {
            if let Some((_, value, note)) = fields.iter().find(|(c, _, _)| *c == input.indicator) {
                value.set(input.value.clone());
                if !input.note.trim().is_empty() {
                    note.set(input.note.clone());
                }
            }
        }
        let n = p.inputs.len();
        message.set(Some((
            true,
            match lang {
                Lang::Vi => format!("Đã điền {n} chỉ tiêu từ tệp. Kiểm tra rồi lưu nháp hoặc gửi."),
                Lang::En => format!(
                    "{n} indicators filled in from the file. Check them, then save or submit."
                ),
            },
        )));
        preview.set(None);
    };
    view! {
        <section class="csv-upload" data-testid="csv-upload">
            <h2>{lang.pick("Nhập từ tệp CSV", "Enter from a CSV file")}</h2>
            <p class="muted">{lang.pick(
                "Các cột: indicator (mã chỉ tiêu), value, note (tùy chọn); mã UTF-8. Tệp được kiểm tra và hiện ở đây; chưa lưu gì cho đến khi bạn lưu biểu mẫu.",
                "Columns: indicator (code), value, note (optional); UTF-8. The file is checked and shown here; nothing is saved until you save the form.",
            )}</p>
            <input type="file" accept=".csv,text/csv" data-testid="csv-file" on:change=on_file/>
            {move || preview.get().map(|p| {
                let ok = p.applicable();
                let file_errors = p.file_errors.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view();
                let lines = p.lines.iter().map(|l| {
                    let read = l.read.map(|v| lang.number(v, 2)).unwrap_or_default();
                    let problem = l.error.clone().or_else(|| l.warning.clone()).unwrap_or_default();
                    view! {
                        <tr class:has-error=l.error.is_some() data-line=l.line>
                            <td>{l.line}</td><td>{l.indicator.clone()}</td><td>{l.value.clone()}</td>
                            <td class="num">{read}</td><td>{problem}</td>
                        </tr>
                    }
                }).collect_view();
                let for_apply = p.clone();
                let apply = apply.clone();
                view! {
                    <div class="csv-preview" data-testid="csv-preview" data-applicable=ok.to_string()>
                        {(!p.file_errors.is_empty()).then(|| view! { <ul class="form-error">{file_errors}</ul> })}
                        <table class="data">
                            <thead><tr>
                                <th>{lang.pick("Dòng", "Line")}</th><th>{lang.pick("Chỉ tiêu", "Indicator")}</th>
                                <th>{lang.pick("Trong tệp", "In the file")}</th><th>{lang.pick("Đọc là", "Read as")}</th>
                                <th>{lang.pick("Vấn đề", "Problem")}</th>
                            </tr></thead>
                            <tbody>{lines}</tbody>
                        </table>
                        {if ok {
                            view! {
                                <button type="button" class="primary" data-testid="csv-apply" on:click=move |_| apply(&for_apply)>
                                    {lang.pick("Điền vào biểu mẫu", "Fill in the form")}
                                </button>
                            }.into_any()
                        } else {
                            view! { <p class="form-error" data-testid="csv-refused">{lang.pick(
                                "Tệp có lỗi: sửa tệp rồi chọn lại. Không có gì được điền.",
                                "The file has errors: fix it and choose it again. Nothing was filled in.",
                            )}</p> }.into_any()
                        }}
                    </div>
                }
                .into_any()
            })}
        </section>
    }
    .into_any()
}
