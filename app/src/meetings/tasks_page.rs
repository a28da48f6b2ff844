//! `/tasks`: the tasks the Government assigned, counted per lead unit by the Government's
//! classification (Decision 42/2014/QĐ-TTg) for any range of assignment dates, and listed
//! (all, overdue, due within 7 days; one unit or all). `/tasks/<id>`: one task's history; the
//! lead unit's officer reports progress, done or asks for an extension, and the secretariat
//! grants or refuses it. Every rule is checked on the server (`crate::meetings::desk`).

use crate::error::AppError;
use crate::meetings::api::{TaskPage, get_task, get_tasks, task_confirm, task_decide, task_report};
use crate::meetings::attach::AttachButton;
use crate::meetings::desk_answer::{message_view, take_answer};
use crate::model::attachment::Attachment;
use crate::model::i18n::{Lang, use_lang};
use crate::model::meeting::{DocumentForm, FormErrors};
use crate::model::task::{
    ClassCounts, DeskAnswer, DoneDecision, ExtensionDecision, ProgressForm, TaskClass, TaskRow,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::{LazyRoute, lazy_route};

pub struct TasksRoute;

#[lazy_route]
impl LazyRoute for TasksRoute {
    fn data() -> Self {
        TasksRoute
    }
    fn view(_this: Self) -> AnyView {
        view! { <TasksPage/> }.into_any()
    }
}

pub struct TaskRoute;

#[lazy_route]
impl LazyRoute for TaskRoute {
    fn data() -> Self {
        TaskRoute
    }
    fn view(_this: Self) -> AnyView {
        view! { <TaskPageView/> }.into_any()
    }
}

pub fn class_label(lang: Lang, c: TaskClass) -> &'static str {
    lang.pick(c.label_vi(), c.label_en())
}

pub fn class_tone(c: TaskClass) -> &'static str {
    match c {
        TaskClass::InProgress => "neutral",
        TaskClass::DoneEarly | TaskClass::DoneOnTime => "good",
        TaskClass::DoneLate => "warn",
        TaskClass::Overdue => "bad",
    }
}

fn deadline_text(lang: Lang, r: &TaskRow) -> String {
    match (r.deadline, r.days_left, r.done_on) {
        (None, _, _) => lang.pick("Không thời hạn", "No deadline").to_string(),
        (Some(d), _, Some(_)) => lang.date(d),
        (Some(d), Some(n), None) if n < 0 => match lang {
            Lang::Vi => format!("{} · quá {} ngày", lang.date(d), -n),
            Lang::En => format!("{} · {} days overdue", lang.date(d), -n),
        },
        (Some(d), Some(0), None) => format!("{} · {}", lang.date(d), lang.pick("hôm nay", "today")),
        (Some(d), Some(n), None) => match lang {
            Lang::Vi => format!("{} · còn {n} ngày", lang.date(d)),
            Lang::En => format!("{} · {n} days left", lang.date(d)),
        },
        (Some(d), None, None) => lang.date(d),
    }
}

/// One task in a list: its content, lead unit, deadline and class.
#[component]
pub fn TaskLine(row: TaskRow) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/tasks/{}", row.id);
    view! {
        <li class="task-line" data-testid="task-line" data-class=format!("{:?}", row.class)>
            <a href=href>{row.content.clone()}</a>
            <span class="muted">{format!(" · {} · {}", row.lead_name, deadline_text(lang, &row))}</span>
            <span class=format!("badge {}", class_tone(row.class))>{class_label(lang, row.class)}</span>
        </li>
    }
}

fn counts_cells(c: &ClassCounts) -> impl IntoView + use<> {
    let cells = TaskClass::ALL
        .iter()
        .map(|k| view! { <td class=format!("num {}", class_tone(*k)) data-class=format!("{k:?}")>{c.get(*k)}</td> })
        .collect_view();
    view! { {cells}<td class="num"><b>{c.total()}</b></td> }
}

#[component]
fn TasksPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let args = move || {
        query.with(|q| {
            (
                q.get("view").unwrap_or_default(),
                q.get("unit").unwrap_or_default(),
                q.get("from").unwrap_or_default(),
                q.get("to").unwrap_or_default(),
            )
        })
    };
    let data = Resource::new(args, |(v, u, f, t)| get_tasks(v, u, f, t));
    view! {
        <Title text=lang.pick("Nhiệm vụ Chính phủ giao", "Tasks assigned by the Government")/>
        <div class="page-head">
            <h1>{lang.pick("Nhiệm vụ Chính phủ, Thủ tướng giao", "Tasks assigned by the Government")}</h1>
            <p class="en">{lang.pick("Phân loại theo Quyết định 42/2014/QĐ-TTg (sửa đổi bởi 23/2018/QĐ-TTg), tính từ ngày tháng, không nhập tay.", "Classified by Decision 42/2014/QĐ-TTg (amended by 23/2018/QĐ-TTg), computed from dates, never typed.")}</p>
        </div>
        <Suspense fallback=move || view! { <p class="loading">{lang.pick("Đang tải…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                let (view_arg, unit_arg, from_arg, to_arg) = args();
                match data.await {
                    Err(e) => view! { <p class="panel form-error" role="alert" data-testid="refused">{e.shown()}</p> }.into_any(),
                    Ok(list) => {
                        let heads = TaskClass::ALL.iter().map(|k| view! { <th class="num">{class_label(lang, *k)}</th> }).collect_view();
                        let per_unit = list.per_unit.iter().map(|(code, name, c)| {
                            let href = format!("/tasks?unit={code}&from={from_arg}&to={to_arg}");
                            view! { <tr data-testid="unit-counts" data-unit=code.clone()><th scope="row"><a href=href>{name.clone()}</a></th>{counts_cells(c)}</tr> }
                        }).collect_view();
                        let units = list.units.iter().map(|(code, name)| view! {
                            <option value=code.clone() selected=*code == unit_arg>{format!("{name} ({code})")}</option>
                        }).collect_view();
                        let views = [("all", "Tất cả", "All"), ("overdue", "Quá hạn", "Overdue"), ("week", "Đến hạn trong 7 ngày", "Due within 7 days")]
                            .into_iter()
                            .map(|(v, vi, en)| view! { <option value=v selected=view_arg == v>{lang.pick(vi, en)}</option> })
                            .collect_view();
                        let rows = list.rows.iter().map(|r| {
                            let href = format!("/tasks/{}", r.id);
                            view! {
                                <tr data-testid="task-row" data-id=r.id data-class=format!("{:?}", r.class)>
                                    <td><a href=href>{r.content.clone()}</a><br/><small class="muted">{r.source.clone()}</small></td>
                                    <td>{r.lead_name.clone()}</td>
                                    <td>{deadline_text(lang, r)}{r.pending_extension.map(|d| view! { <br/><small class="warn">{format!("{} {}", lang.pick("Xin gia hạn đến", "Extension asked to"), lang.date(d))}</small> })}{r.awaiting.map(|d| view! { <br/><small class="warn" data-testid="row-awaiting">{format!("{} {}", lang.pick("Báo cáo hoàn thành, chờ xác nhận:", "Reported done, to confirm:"), lang.date(d))}</small> })}</td>
                                    <td class="num">{format!("{}%", r.percent)}</td>
                                    <td><span class=format!("badge {}", class_tone(r.class))>{class_label(lang, r.class)}</span></td>
                                </tr>
                            }
                        }).collect_view();
                        let empty = list.rows.is_empty().then(|| view! { <p class="notice">{lang.pick("Không có nhiệm vụ nào theo bộ lọc này.", "No tasks match these filters.")}</p> });
                        view! {
                            <form class="filters" method="get" action="/tasks">
                                <label>{lang.pick("Xem", "Show")}<select name="view">{views}</select></label>
                                <label>{lang.pick("Đơn vị chủ trì", "Lead unit")}
                                    <select name="unit"><option value="">{lang.pick("Tất cả", "All")}</option>{units}</select>
                                </label>
                                <label>{lang.pick("Giao từ ngày", "Assigned from")}<input type="date" name="from" value=from_arg.clone()/></label>
                                <label>{lang.pick("đến ngày", "to")}<input type="date" name="to" value=to_arg.clone()/></label>
                                <button type="submit">{lang.pick("Xem", "Show")}</button>
                            </form>
                            <section class="panel" data-testid="task-counts">
                                <h2>{format!("{} {}", lang.pick("Số nhiệm vụ theo đơn vị, tính đến", "Tasks per unit as of"), lang.date(list.today))}</h2>
                                <div class="table-scroll">
                                    <table class="data">
                                        <thead><tr><th>{lang.pick("Đơn vị", "Unit")}</th>{heads}<th class="num">{lang.pick("Tổng", "Total")}</th></tr></thead>
                                        <tbody>
                                            {per_unit}
                                            <tr class="total" data-testid="total-counts"><th scope="row">{lang.pick("Tổng cộng", "Total")}</th>{counts_cells(&list.total)}</tr>
                                        </tbody>
                                    </table>
                                </div>
                            </section>
                            <section class="panel">
                                <h2>{lang.pick("Danh sách nhiệm vụ", "Tasks")}</h2>
                                {empty}
                                <div class="table-scroll">
                                    <table class="data" data-testid="tasks">
                                        <thead><tr>
                                            <th>{lang.pick("Nhiệm vụ", "Task")}</th>
                                            <th>{lang.pick("Chủ trì", "Lead")}</th>
                                            <th>{lang.pick("Hạn", "Deadline")}</th>
                                            <th class="num">{lang.pick("Tiến độ", "Progress")}</th>
                                            <th>{lang.pick("Tình trạng", "Status")}</th>
                                        </tr></thead>
                                        <tbody>{rows}</tbody>
                                    </table>
                                </div>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn TaskPageView() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_task(id).await,
            None => Err(AppError::not_found(
                "Không có nhiệm vụ này. (No such task.)",
            )),
        }
    });
    // Kept outside the Suspense: the answer stays shown while the task is read again.
    let message = RwSignal::new(None::<(bool, String)>);
    view! {
        <Title text=lang.pick("Nhiệm vụ", "Task")/>
        <p><a href="/tasks">{lang.pick("‹ Các nhiệm vụ", "‹ All tasks")}</a></p>
        {message_view(message)}
        <Transition fallback=move || view! { <p class="loading">{lang.pick("Đang tải…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="panel form-error" role="alert" data-testid="refused">{e.shown()}</p> }.into_any(),
                    Ok(page) => view! { <TaskDetail page message reload=Callback::new(move |_| data.refetch())/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TaskDetail(
    page: TaskPage,
    message: RwSignal<Option<(bool, String)>>,
    reload: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let t = page.task.clone();
    let r = page.row.clone();
    let errors = RwSignal::new(FormErrors::default());
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let kind = RwSignal::new("progress".to_string());
    let percent = RwSignal::new(t.percent.to_string());
    let note = RwSignal::new(String::new());
    let extend_to = RwSignal::new(String::new());
    let evidence = RwSignal::new(DocumentForm::default());
    let reason = RwSignal::new(String::new());
    let done_on = RwSignal::new(String::new());
    let document = RwSignal::new(String::new());
    let (task_id, version) = (t.id, t.version);
    let answer = move |result: Result<DeskAnswer, AppError>, done: &str| {
        take_answer(result, errors, message, done, move |_| reload.run(()));
    };
    let report = Action::new(move |_: &()| {
        let form = ProgressForm {
            task: task_id,
            version,
            kind: kind.get_untracked(),
            percent: percent.get_untracked(),
            note: note.get_untracked(),
            extend_to: extend_to.get_untracked(),
            evidence: evidence.get_untracked(),
            done_on: done_on.get_untracked(),
            document: document.get_untracked(),
        };
        async move { task_report(form).await }
    });
    let confirm = Action::new(move |yes: &bool| {
        let d = DoneDecision {
            task: task_id,
            version,
            confirm: *yes,
            reason: reason.get_untracked(),
        };
        async move { task_confirm(d).await }
    });
    Effect::new(move |_| {
        if let Some(result) = confirm.value().get() {
            answer(
                result,
                lang.pick(
                    "Đã ghi ý kiến về báo cáo hoàn thành.",
                    "Decision on the completion report recorded.",
                ),
            );
        }
    });
    let decide = Action::new(move |grant: &bool| {
        let d = ExtensionDecision {
            task: task_id,
            version,
            grant: *grant,
            reason: reason.get_untracked(),
        };
        async move { task_decide(d).await }
    });
    Effect::new(move |_| {
        if let Some(result) = report.value().get() {
            answer(
                result,
                lang.pick("Đã gửi báo cáo nhiệm vụ.", "Report on the task sent."),
            );
        }
    });
    Effect::new(move |_| {
        if let Some(result) = decide.value().get() {
            answer(
                result,
                lang.pick(
                    "Đã ghi ý kiến về đề nghị gia hạn.",
                    "Decision on the extension recorded.",
                ),
            );
        }
    });
    let err = move |field: &'static str| {
        view! { <p class="field-error">{move || errors.with(|e| e.of(field).map(str::to_string))}</p> }
    };
    let history = t
        .history
        .iter()
        .rev()
        .map(|h| {
            let at = crate::model::vietnam_time(h.at);
            let what = match lang {
                Lang::Vi => h.what.label_vi(),
                Lang::En => h.what.label_en(),
            };
            view! {
                <li data-testid="history-item">
                    <b>{what}</b>{format!(" · {} · {}", h.by, lang.date_time(at))}
                    {h.what.note().map(|n| view! { <p>{n.to_string()}</p> })}
                    {h.what.evidence().map(|d| {
                        let href = d.href();
                        view! { <p><a href=href rel="noopener noreferrer" data-testid="evidence-link">{format!("📎 {}", d.name)}</a></p> }
                    })}
                </li>
            }
        })
        .collect_view();
    let coordinating = page
        .coordinating
        .iter()
        .map(|(_, n)| n.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let source_text = match (&page.meeting_title, t.source.meeting()) {
        (Some(title), Some(m)) => view! { <a href=format!("/meetings/{m}")>{format!("{} ({})", title, t.source.document())}</a> }.into_any(),
        _ => view! { <span>{t.source.document().to_string()}</span> }.into_any(),
    };
    let open = t.done_on.is_none() && t.awaiting.is_none();
    let pending = t.pending_extension;
    let awaiting = t.awaiting;
    view! {
        <div class="page-head" data-testid="task" data-id=t.id data-version=t.version data-class=format!("{:?}", r.class) data-ready=move || ready.get().to_string()>
            <p class="muted">{format!("{} {} · {}", lang.pick("Nhiệm vụ số", "Task no."), t.id, lang.pick(t.priority.label_vi(), t.priority.label_en()))}</p>
            <h1 data-testid="task-content">{t.content.clone()}</h1>
            <p><span class=format!("badge {}", class_tone(r.class)) data-testid="task-class">{class_label(lang, r.class)}</span></p>
        </div>
        <section class="panel">
            <dl class="facts">
                <dt>{lang.pick("Nguồn giao", "Source")}</dt><dd>{source_text}</dd>
                <dt>{lang.pick("Đơn vị chủ trì", "Lead unit")}</dt><dd data-testid="task-lead">{r.lead_name.clone()}</dd>
                <dt>{lang.pick("Đơn vị phối hợp", "Coordinating")}</dt><dd>{if coordinating.is_empty() { "—".to_string() } else { coordinating }}</dd>
                <dt>{lang.pick("Ngày giao", "Assigned")}</dt><dd>{lang.date(t.assigned_on)}</dd>
                <dt>{lang.pick("Hạn xử lý", "Deadline")}</dt><dd data-testid="task-deadline">{deadline_text(lang, &r)}{t.extended_to.map(|_| view! { <small>{format!(" ({} {})", lang.pick("đã gia hạn; hạn ban đầu", "extended; first deadline"), t.deadline.map(|d| lang.date(d)).unwrap_or_default())}</small> })}</dd>
                <dt>{lang.pick("Tiến độ", "Progress")}</dt><dd data-testid="task-percent">{format!("{}%", t.percent)}</dd>
                {t.done_on.map(|d| view! { <dt>{lang.pick("Hoàn thành ngày", "Done on")}</dt><dd>{lang.date(d)}</dd> })}
                {pending.map(|d| view! { <dt>{lang.pick("Đề nghị gia hạn đến", "Extension asked to")}</dt><dd class="warn" data-testid="pending-extension">{lang.date(d)}</dd> })}
                {awaiting.map(|d| view! { <dt>{lang.pick("Báo cáo hoàn thành ngày", "Reported done on")}</dt><dd class="warn" data-testid="awaiting">{lang.date(d)} {lang.pick(" · chờ Văn phòng Chính phủ xác nhận", " · waiting for the Government Office to confirm")}</dd> })}
            </dl>
        </section>
        {(page.may_report && open).then(|| view! {
            <section class="panel" data-testid="progress-form">
                <h2>{lang.pick("Báo cáo nhiệm vụ", "Report on the task")}</h2>
                <div class="form-grid">
                    <label>{lang.pick("Loại báo cáo", "Kind")}
                        <select data-testid="progress-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                            <option value="progress">{lang.pick("Tiến độ", "Progress")}</option>
                            <option value="done">{lang.pick("Hoàn thành", "Done")}</option>
                            <option value="extension">{lang.pick("Đề nghị gia hạn", "Ask for an extension")}</option>
                        </select>
                        {err("kind")}
                    </label>
                    {move || (kind.get() == "progress").then(|| view! {
                        <label>{lang.pick("Tiến độ (%)", "Progress (%)")}
                            <input inputmode="numeric" data-testid="progress-percent" prop:value=move || percent.get() on:input=move |ev| percent.set(event_target_value(&ev))/>
                            {err("percent")}
                        </label>
                    })}
                    {move || (kind.get() == "done").then(|| view! {
                        <label>{lang.pick("Ngày hoàn thành", "Done on")}
                            <input type="date" data-testid="progress-done-on" prop:value=move || done_on.get() on:input=move |ev| done_on.set(event_target_value(&ev))/>
                            {err("done_on")}
                        </label>
                        <label>{lang.pick("Văn bản báo cáo (số, ngày)", "Reporting document (number, date)")}
                            <input data-testid="progress-document" placeholder="1234/BTC-KH ngày 01/12/2026" prop:value=move || document.get() on:input=move |ev| document.set(event_target_value(&ev))/>
                            {err("document")}
                        </label>
                    })}
                    {move || (kind.get() == "extension").then(|| view! {
                        <label>{lang.pick("Gia hạn đến ngày", "Extend to")}
                            <input type="date" data-testid="progress-extend-to" prop:value=move || extend_to.get() on:input=move |ev| extend_to.set(event_target_value(&ev))/>
                            {err("extend_to")}
                        </label>
                    })}
                    <label>{lang.pick("Tài liệu minh chứng (tệp)", "Evidence (file)")}
                        <AttachButton testid="progress-evidence" on_uploaded=Callback::new(move |a: Attachment| evidence.set(DocumentForm {
                            name: a.name,
                            link: String::new(),
                            attachment: Some(a.id),
                        }))/>
                        {err("evidence")}
                    </label>
                    <label class="wide">{lang.pick("Ghi chú / lý do", "Note / reason")}
                        <textarea data-testid="progress-note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                        {err("note")}
                    </label>
                </div>
                <button type="button" class="primary" data-testid="send-progress" disabled=move || report.pending().get() on:click=move |_| { report.dispatch(()); }>
                    {lang.pick("Gửi báo cáo", "Send")}
                </button>
            </section>
        })}
        {(page.may_decide && pending.is_some()).then(|| view! {
            <section class="panel" data-testid="decision-form">
                <h2>{lang.pick("Xem xét đề nghị gia hạn", "Decide the extension request")}</h2>
                <label class="wide">{lang.pick("Ý kiến / lý do (bắt buộc khi không đồng ý)", "Reason (required to refuse)")}
                    <textarea data-testid="decision-reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    {err("reason")}
                </label>
                <p>
                    <button type="button" class="primary" data-testid="grant" on:click=move |_| { decide.dispatch(true); }>{lang.pick("Đồng ý gia hạn", "Grant")}</button>
                    " "
                    <button type="button" data-testid="refuse" on:click=move |_| { decide.dispatch(false); }>{lang.pick("Không đồng ý", "Refuse")}</button>
                </p>
            </section>
        })}
        {(page.may_decide && awaiting.is_some()).then(|| view! {
            <section class="panel" data-testid="confirm-form">
                <h2>{lang.pick("Xác nhận hoàn thành", "Confirm the completion")}</h2>
                <label class="wide">{lang.pick("Ý kiến / lý do (bắt buộc khi trả lại)", "Reason (required to return)")}
                    <textarea data-testid="confirm-reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    {err("reason")}
                </label>
                <p>
                    <button type="button" class="primary" data-testid="confirm-done" on:click=move |_| { confirm.dispatch(true); }>{lang.pick("Xác nhận hoàn thành", "Confirm")}</button>
                    " "
                    <button type="button" data-testid="return-done" on:click=move |_| { confirm.dispatch(false); }>{lang.pick("Trả lại", "Return")}</button>
                </p>
            </section>
        }.into_any())}
        <section class="panel">
            <h2>{lang.pick("Quá trình thực hiện", "History")}</h2>
            <ul class="history" data-testid="history">{history}</ul>
        </section>
    }
    .into_any()
}
