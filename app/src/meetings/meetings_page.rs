//! `/meetings`: the Government's meetings by month (a calendar and a list, filtered by kind),
//! `/meetings/new` and `/meetings/<id>`: one meeting's agenda, participants and conclusions with
//! the tasks they assigned; the secretariat schedules and edits meetings and records
//! conclusions here. Every rule is checked on the server (`crate::meetings::desk`); the page shows the
//! answers beside the fields.

use crate::error::AppError;
use crate::meetings::api::{MeetingPage, get_meeting, get_meetings, meeting_save, task_assign};
use crate::meetings::attach::AttachButton;
use crate::meetings::desk_answer::{message_view, take_answer};
use crate::model::attachment::Attachment;
use crate::model::i18n::{Lang, use_lang};
use crate::model::meeting::{
    AgendaForm, Attendance, DocumentForm, FormErrors, MeetingForm, MeetingKind, ParticipantForm,
};
use crate::model::task::{AssignForm, Priority, TaskForm};
use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::{LazyRoute, lazy_route};

pub struct MeetingsRoute;

#[lazy_route]
impl LazyRoute for MeetingsRoute {
    fn data() -> Self {
        MeetingsRoute
    }
    fn view(_this: Self) -> AnyView {
        view! { <MeetingsPage/> }.into_any()
    }
}

pub struct MeetingRoute;

#[lazy_route]
impl LazyRoute for MeetingRoute {
    fn data() -> Self {
        MeetingRoute
    }
    fn view(_this: Self) -> AnyView {
        view! { <MeetingPageView/> }.into_any()
    }
}

fn kind_label(lang: Lang, k: MeetingKind) -> &'static str {
    lang.pick(k.label_vi(), k.label_en())
}

#[component]
fn MeetingsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let args = move || {
        query.with(|q| {
            (
                q.get("kind").unwrap_or_default(),
                q.get("month").unwrap_or_default(),
            )
        })
    };
    let data = Resource::new(args, |(kind, month)| get_meetings(kind, month));
    view! {
        <Title text=lang.pick("Phiên họp Chính phủ", "Government meetings")/>
        <div class="page-head">
            <h1>{lang.pick("Phiên họp Chính phủ", "Government meetings")}</h1>
            <p class="en">{lang.pick("Phiên họp thường kỳ, chuyên đề và hội nghị trực tuyến; kết luận và nhiệm vụ được giao.", "Regular and thematic meetings and online conferences; their conclusions and the tasks assigned.")}</p>
        </div>
        <Suspense fallback=move || view! { <p class="loading">{lang.pick("Đang tải…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="panel form-error" role="alert" data-testid="refused">{e.shown()}</p> }.into_any(),
                    Ok(list) => {
                        let month = list.month;
                        let month_text = format!("{:04}-{:02}", month.year(), month.month());
                        let kind = list.kind.map(|k| k.as_str()).unwrap_or("");
                        let prev = month.checked_sub_months(chrono::Months::new(1)).unwrap_or(month);
                        let next = month.checked_add_months(chrono::Months::new(1)).unwrap_or(month);
                        let link = |m: NaiveDate| format!("/meetings?month={:04}-{:02}&kind={kind}", m.year(), m.month());
                        let options = MeetingKind::ALL.iter().map(|k| view! {
                            <option value=k.as_str() selected=list.kind == Some(*k)>{kind_label(lang, *k)}</option>
                        }).collect_view();
                        let rows = list.meetings.iter().zip(list.task_counts.iter()).map(|(m, n)| {
                            let href = format!("/meetings/{}", m.id);
                            view! {
                                <tr data-testid="meeting-row">
                                    <td>{lang.date_time(m.starts_at)}</td>
                                    <td>{kind_label(lang, m.kind)}</td>
                                    <td><a href=href>{m.title.clone()}</a></td>
                                    <td>{m.chair.clone()}</td>
                                    <td class="num">{m.conclusions.len()}</td>
                                    <td class="num">{*n}</td>
                                </tr>
                            }
                        }).collect_view();
                        let empty = list.meetings.is_empty().then(|| view! {
                            <p class="notice">{lang.pick("Không có phiên họp nào trong tháng này.", "No meetings this month.")}</p>
                        });
                        view! {
                            <form class="filters" method="get" action="/meetings">
                                <label>{lang.pick("Tháng", "Month")}<input type="month" name="month" value=month_text.clone()/></label>
                                <label>{lang.pick("Loại", "Kind")}
                                    <select name="kind">
                                        <option value="">{lang.pick("Tất cả", "All")}</option>
                                        {options}
                                    </select>
                                </label>
                                <button type="submit">{lang.pick("Xem", "Show")}</button>
                                <a class="link-button" href=link(prev)>{lang.pick("‹ Tháng trước", "‹ Previous month")}</a>
                                <a class="link-button" href=link(next)>{lang.pick("Tháng sau ›", "Next month ›")}</a>
                                {list.can_manage.then(|| view! {
                                    <a class="link-button primary" href="/meetings/new" data-testid="new-meeting">{lang.pick("+ Lên lịch phiên họp", "+ Schedule a meeting")}</a>
                                })}
                            </form>
                            <Calendar month meetings=list.meetings.clone() today=list.today/>
                            <section class="panel">
                                <h2>{lang.pick("Danh sách", "List")}</h2>
                                {empty}
                                <div class="table-scroll">
                                    <table class="data" data-testid="meetings">
                                        <thead><tr>
                                            <th>{lang.pick("Thời gian", "Time")}</th>
                                            <th>{lang.pick("Loại", "Kind")}</th>
                                            <th>{lang.pick("Phiên họp", "Meeting")}</th>
                                            <th>{lang.pick("Chủ trì", "Chair")}</th>
                                            <th class="num">{lang.pick("Kết luận", "Conclusions")}</th>
                                            <th class="num">{lang.pick("Nhiệm vụ", "Tasks")}</th>
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

/// A month as weeks (Monday first), each day with its meetings.
#[component]
fn Calendar(
    month: NaiveDate,
    meetings: Vec<crate::model::meeting::Meeting>,
    today: NaiveDate,
) -> impl IntoView {
    let lang = use_lang();
    let lead = month.weekday().num_days_from_monday() as i64;
    let start = month - chrono::Duration::days(lead);
    let heads = [
        ("T2", "Mon"),
        ("T3", "Tue"),
        ("T4", "Wed"),
        ("T5", "Thu"),
        ("T6", "Fri"),
        ("T7", "Sat"),
        ("CN", "Sun"),
    ]
    .into_iter()
    .map(|(vi, en)| view! { <th scope="col">{lang.pick(vi, en)}</th> })
    .collect_view();
    let weeks = (0..6)
        .map(|w| start + chrono::Duration::days(w * 7))
        .filter(|d| *d <= month.checked_add_months(chrono::Months::new(1)).unwrap_or(month))
        .filter(|d| {
            *d + chrono::Duration::days(6) >= month
                && *d < month.checked_add_months(chrono::Months::new(1)).unwrap_or(month)
        })
        .map(|week| {
            let days = (0..7)
                .map(|i| {
                    let day = week + chrono::Duration::days(i);
                    let inside = day.month() == month.month();
                    let items = meetings
                        .iter()
                        .filter(|m| m.date() == day)
                        .map(|m| {
                            let href = format!("/meetings/{}", m.id);
                            view! { <a class=format!("cal-meeting {}", m.kind.as_str()) href=href>{format!("{} {}", m.starts_at.format("%H:%M"), m.title)}</a> }
                        })
                        .collect_view();
                    let class = match (inside, day == today) {
                        (false, _) => "outside",
                        (true, true) => "today",
                        _ => "",
                    };
                    view! { <td class=class><span class="day">{day.day()}</span>{items}</td> }
                })
                .collect_view();
            view! { <tr>{days}</tr> }
        })
        .collect_view();
    view! {
        <section class="panel">
            <h2>{lang.pick("Lịch họp", "Calendar")}</h2>
            <div class="table-scroll">
                <table class="calendar" data-testid="calendar">
                    <thead><tr>{heads}</tr></thead>
                    <tbody>{weeks}</tbody>
                </table>
            </div>
        </section>
    }
}

/// Shows the problem recorded for `field`, if any.
fn field_error(errors: RwSignal<FormErrors>, field: String) -> impl IntoView {
    let key = field.clone();
    view! {
        <p class="field-error" data-field=field>{move || errors.with(|e| e.of(&key).map(str::to_string))}</p>
    }
}

#[component]
fn MeetingPageView() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || {
        params.with(|p| match p.get("id").as_deref() {
            Some("new") => Ok(0),
            Some(s) => s.parse::<i64>().map_err(|_| ()),
            None => Err(()),
        })
    };
    let data = Resource::new(id, |id| async move {
        match id {
            Ok(id) => get_meeting(id).await,
            Err(()) => Err(AppError::not_found(
                "Không có phiên họp này. (No such meeting.)",
            )),
        }
    });
    view! {
        <Title text=lang.pick("Phiên họp", "Meeting")/>
        <p><a href="/meetings">{lang.pick("‹ Các phiên họp", "‹ All meetings")}</a></p>
        <Transition fallback=move || view! { <p class="loading">{lang.pick("Đang tải…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="panel form-error" role="alert" data-testid="refused">{e.shown()}</p> }.into_any(),
                    Ok(page) if page.meeting.id == 0 => {
                        if page.can_manage {
                            view! { <MeetingEditor page/> }.into_any()
                        } else {
                            view! { <p class="panel form-error" role="alert" data-testid="refused">{lang.pick("Chỉ Văn phòng Chính phủ được lên lịch phiên họp.", "Only the Government Office schedules meetings.")}</p> }.into_any()
                        }
                    }
                    Ok(page) => view! { <MeetingDetail page reload=Callback::new(move |_| data.refetch())/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn MeetingDetail(page: MeetingPage, reload: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let m = page.meeting.clone();
    let editing = RwSignal::new(false);
    let name_of = |code: &str| {
        page.units
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| code.to_string())
    };
    let agenda = m
        .agenda
        .iter()
        .map(|a| {
            let docs = a
                .documents
                .iter()
                .map(|d| {
                    let href = d.href();
                    view! { <li><a href=href rel="noopener noreferrer" target="_blank">{d.name.clone()}</a></li> }
                })
                .collect_view();
            view! {
                <li data-testid="agenda-item">
                    <strong>{a.title.clone()}</strong>
                    {a.presenter.as_deref().map(|p| view! { <span class="muted">{format!(" · {} {}", lang.pick("Trình bày:", "Presenter:"), name_of(p))}</span> })}
                    <ul>{docs}</ul>
                </li>
            }
        })
        .collect_view();
    let participants = m
        .participants
        .iter()
        .map(|p| {
            let status = match lang {
                Lang::Vi => p.attendance.label_vi(),
                Lang::En => p.attendance.label_en(),
            };
            let class = match p.attendance {
                Attendance::Present => "good",
                Attendance::Absent { .. } => "bad",
                Attendance::Represented { .. } => "warn",
            };
            view! { <tr><td>{p.name.clone()}</td><td>{p.unit.as_deref().map(name_of).unwrap_or_default()}</td><td class=class>{status}</td></tr> }
        })
        .collect_view();
    let no_participants = m.participants.is_empty().then(|| {
        view! { <p class="muted">{lang.pick("Chưa ghi thành phần tham dự.", "No participants recorded.")}</p> }
    });
    let no_conclusions = m.conclusions.is_empty().then(|| {
        view! { <p class="muted">{lang.pick("Chưa có kết luận.", "No conclusions yet.")}</p> }
    });
    let conclusions = m
        .conclusions
        .iter()
        .map(|c| {
            let tasks = page
                .tasks
                .iter()
                .filter(|(cid, _)| *cid == c.id)
                .map(|(_, t)| view! { <crate::meetings::tasks_page::TaskLine row=t.clone()/> })
                .collect_view();
            view! {
                <li data-testid="conclusion">
                    <strong>{format!("{} {}", lang.pick("Văn bản", "Document"), c.document)}</strong>
                    <p>{c.summary.clone()}</p>
                    <ul class="task-lines">{tasks}</ul>
                </li>
            }
        })
        .collect_view();
    let page_for_edit = page.clone();
    let page_for_assign = page.clone();
    view! {
        <div class="page-head" data-testid="meeting" data-id=m.id data-version=m.version>
            <p class="muted">{kind_label(lang, m.kind)}</p>
            <h1 data-testid="meeting-heading">{m.title.clone()}</h1>
            <p>{format!("{} · {} · {} {}", lang.date_time(m.starts_at), m.place, lang.pick("Chủ trì:", "Chair:"), m.chair)}</p>
            {page.can_manage.then(|| view! {
                <button type="button" data-testid="edit-meeting" on:click=move |_| editing.update(|e| *e = !*e)>{lang.pick("Sửa thông tin phiên họp", "Edit the meeting")}</button>
            })}
        </div>
        {move || editing.get().then(|| view! { <MeetingEditor page=page_for_edit.clone()/> })}
        {(!page.briefs.is_empty()).then(|| {
            let links = page.briefs.iter().map(|(month, version)| {
                let href = format!("/briefs/{month}.pdf?version={version}");
                let label = format!("{} {month}, {} {version} (PDF)", lang.pick("Báo cáo tháng", "Brief for"), lang.pick("phiên bản", "version"));
                view! { <li><a href=href download="" rel="external" data-testid="meeting-brief">{label}</a></li> }
            }).collect_view();
            view! {
                <section class="panel">
                    <h2>{lang.pick("Báo cáo phục vụ phiên họp", "The meeting's brief")}</h2>
                    <ul>{links}</ul>
                </section>
            }
        })}
        <section class="panel">
            <h2>{lang.pick("Chương trình họp", "Agenda")}</h2>
            <ol class="agenda">{agenda}</ol>
        </section>
        <section class="panel">
            <h2>{lang.pick("Thành phần tham dự", "Participants")}</h2>
            {no_participants}
            <table class="data"><tbody>{participants}</tbody></table>
        </section>
        <section class="panel">
            <h2>{lang.pick("Kết luận và nhiệm vụ", "Conclusions and tasks")}</h2>
            {no_conclusions}
            <ul class="conclusions" data-testid="conclusions">{conclusions}</ul>
        </section>
        {page.can_manage.then(|| view! { <ConclusionEditor page=page_for_assign reload/> })}
    }
}

/// The meeting form: new (`page.meeting.id` 0) or an edit of the stored meeting.
#[component]
fn MeetingEditor(page: MeetingPage) -> impl IntoView {
    let lang = use_lang();
    let m = &page.meeting;
    let mut agenda: Vec<AgendaForm> = m
        .agenda
        .iter()
        .map(|a| AgendaForm {
            title: a.title.clone(),
            presenter: a.presenter.clone().unwrap_or_default(),
            documents: a
                .documents
                .iter()
                .map(|d| DocumentForm {
                    name: d.name.clone(),
                    link: d.link.clone().unwrap_or_default(),
                    attachment: d.attachment,
                })
                .collect(),
        })
        .collect();
    agenda.push(AgendaForm::default());
    let mut participants: Vec<ParticipantForm> = m
        .participants
        .iter()
        .map(|p| ParticipantForm {
            name: p.name.clone(),
            unit: p.unit.clone().unwrap_or_default(),
            attendance: match p.attendance {
                Attendance::Present => "present",
                Attendance::Absent { .. } => "absent",
                Attendance::Represented { .. } => "represented",
            }
            .into(),
            note: match &p.attendance {
                Attendance::Present => String::new(),
                Attendance::Absent { reason } => reason.clone(),
                Attendance::Represented { by } => by.clone(),
            },
        })
        .collect();
    participants.push(ParticipantForm::default());
    let form = RwSignal::new(MeetingForm {
        id: m.id,
        version: m.version,
        kind: m.kind.as_str().into(),
        title: m.title.clone(),
        starts_at: m.starts_at.format("%Y-%m-%dT%H:%M").to_string(),
        place: m.place.clone(),
        chair: m.chair.clone(),
        agenda,
        participants,
    });
    let agenda_rows = RwSignal::new(form.with_untracked(|f| f.agenda.len()));
    let participant_rows = RwSignal::new(form.with_untracked(|f| f.participants.len()));
    let errors = RwSignal::new(FormErrors::default());
    let message = RwSignal::new(None::<(bool, String)>);
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let save = Action::new(move |_: &()| {
        let f = form.get_untracked();
        async move { meeting_save(f).await }
    });
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            let new = form.with_untracked(|f| f.id == 0);
            take_answer(
                result,
                errors,
                message,
                lang.pick("Đã lưu phiên họp.", "Meeting saved."),
                move |id| {
                    // A new meeting opens its own page; an edit reloads it there.
                    let _ = new;
                    #[cfg(feature = "hydrate")]
                    {
                        let _ = window().location().set_href(&format!("/meetings/{id}"));
                    }
                    #[cfg(not(feature = "hydrate"))]
                    let _ = id;
                },
            );
        }
    });
    let options = units_options(&page.units);
    let kinds = MeetingKind::ALL
        .iter()
        .map(|k| {
            let v = k.as_str();
            view! { <option value=v selected=form.with_untracked(|f| f.kind == v)>{kind_label(lang, *k)}</option> }
        })
        .collect_view();
    let text_field = move |label: &'static str,
                           field: &'static str,
                           get: fn(&MeetingForm) -> String,
                           set: fn(&mut MeetingForm, String),
                           kind: &'static str| {
        view! {
            <label>{label}
                <input type=kind name=field data-testid=format!("meeting-{field}") value=form.with_untracked(get)
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
                {field_error(errors, field.to_string())}
            </label>
        }
    };
    let agenda_list = {
        let options = options.clone();
        move || {
            (0..agenda_rows.get())
                .map(|i| {
                    let get = move |f: &MeetingForm| f.agenda.get(i).cloned().unwrap_or_default();
                    let a = form.with_untracked(get);
                    let doc = a.documents.first().cloned().unwrap_or_default();
                    view! {
                        <fieldset class="row-fields" data-testid="agenda-row">
                            <legend>{format!("{} {}", lang.pick("Nội dung", "Item"), i + 1)}</legend>
                            <label>{lang.pick("Nội dung", "Title")}
                                <input data-testid="agenda-title" value=a.title.clone() on:input=move |ev| form.update(|f| f.agenda[i].title = event_target_value(&ev))/>
                                {field_error(errors, format!("agenda.{i}.title"))}
                            </label>
                            <label>{lang.pick("Đơn vị trình", "Presenting unit")}
                                <select data-testid="agenda-presenter" on:change=move |ev| form.update(|f| f.agenda[i].presenter = event_target_value(&ev))>
                                    <option value="">{lang.pick("— không —", "— none —")}</option>
                                    {unit_select_options(&options, &a.presenter)}
                                </select>
                                {field_error(errors, format!("agenda.{i}.presenter"))}
                            </label>
                            <label>{lang.pick("Tài liệu (tên)", "Document (name)")}
                                <input data-testid="agenda-doc-name" value=doc.name.clone() on:input=move |ev| form.update(|f| set_doc(&mut f.agenda[i], |d| d.name = event_target_value(&ev)))/>
                            </label>
                            <label>{lang.pick("Liên kết tài liệu", "Document link")}
                                <input type="url" data-testid="agenda-doc-link" placeholder="https://" value=doc.link.clone() on:input=move |ev| form.update(|f| set_doc(&mut f.agenda[i], |d| d.link = event_target_value(&ev)))/>
                                {field_error(errors, format!("agenda.{i}.documents.0"))}
                            </label>
                            <label>{lang.pick("Hoặc đính kèm tệp", "Or attach a file")}
                                <AttachButton testid="agenda-doc-file" on_uploaded=Callback::new(move |a: Attachment| form.update(|f| set_doc(&mut f.agenda[i], |d| {
                                    d.attachment = Some(a.id);
                                    if d.name.trim().is_empty() {
                                        d.name = a.name.clone();
                                    }
                                })))/>
                            </label>
                        </fieldset>
                    }
                })
                .collect_view()
        }
    };
    let participant_list = {
        let options = options.clone();
        move || {
            (0..participant_rows.get())
                .map(|i| {
                    let p = form.with_untracked(|f| f.participants.get(i).cloned().unwrap_or_default());
                    let att = p.attendance.clone();
                    view! {
                        <fieldset class="row-fields" data-testid="participant-row">
                            <legend>{format!("{} {}", lang.pick("Người dự", "Participant"), i + 1)}</legend>
                            <label>{lang.pick("Họ tên, chức vụ", "Name and office")}
                                <input data-testid="participant-name" value=p.name.clone() on:input=move |ev| form.update(|f| f.participants[i].name = event_target_value(&ev))/>
                                {field_error(errors, format!("participants.{i}.name"))}
                            </label>
                            <label>{lang.pick("Đơn vị", "Unit")}
                                <select on:change=move |ev| form.update(|f| f.participants[i].unit = event_target_value(&ev))>
                                    <option value="">{lang.pick("— không —", "— none —")}</option>
                                    {unit_select_options(&options, &p.unit)}
                                </select>
                                {field_error(errors, format!("participants.{i}.unit"))}
                            </label>
                            <label>{lang.pick("Tham dự", "Attendance")}
                                <select data-testid="participant-attendance" on:change=move |ev| form.update(|f| f.participants[i].attendance = event_target_value(&ev))>
                                    <option value="present" selected=att == "present" || att.is_empty()>{lang.pick("Có mặt", "Present")}</option>
                                    <option value="absent" selected=att == "absent">{lang.pick("Vắng mặt", "Absent")}</option>
                                    <option value="represented" selected=att == "represented">{lang.pick("Cử người dự thay", "Represented")}</option>
                                </select>
                            </label>
                            <label>{lang.pick("Lý do vắng / người dự thay", "Reason / stand-in")}
                                <input data-testid="participant-note" value=p.note.clone() on:input=move |ev| form.update(|f| f.participants[i].note = event_target_value(&ev))/>
                                {field_error(errors, format!("participants.{i}.note"))}
                            </label>
                        </fieldset>
                    }
                })
                .collect_view()
        }
    };
    view! {
        <section class="panel meeting-form" data-testid="meeting-form" data-ready=move || ready.get().to_string()>
            <h2>{if page.meeting.id == 0 { lang.pick("Lên lịch phiên họp", "Schedule a meeting") } else { lang.pick("Sửa thông tin phiên họp", "Edit the meeting") }}</h2>
            {message_view(message)}
            <div class="form-grid">
                <label>{lang.pick("Loại phiên họp", "Kind")}
                    <select data-testid="meeting-kind" on:change=move |ev| form.update(|f| f.kind = event_target_value(&ev))>{kinds}</select>
                    {field_error(errors, "kind".into())}
                </label>
                {text_field(lang.pick("Tên phiên họp", "Title"), "title", |f| f.title.clone(), |f, v| f.title = v, "text")}
                {text_field(lang.pick("Thời gian bắt đầu", "Starts at"), "starts_at", |f| f.starts_at.clone(), |f, v| f.starts_at = v, "datetime-local")}
                {text_field(lang.pick("Địa điểm hoặc đường dẫn họp trực tuyến", "Place or online link"), "place", |f| f.place.clone(), |f, v| f.place = v, "text")}
                {text_field(lang.pick("Chủ trì", "Chair"), "chair", |f| f.chair.clone(), |f, v| f.chair = v, "text")}
            </div>
            <h3>{lang.pick("Chương trình họp", "Agenda")}</h3>
            {agenda_list}
            <button type="button" data-testid="add-agenda" on:click=move |_| {
                form.update(|f| f.agenda.push(AgendaForm::default()));
                agenda_rows.update(|n| *n += 1);
            }>{lang.pick("+ Thêm nội dung", "+ Add an item")}</button>
            <h3>{lang.pick("Thành phần tham dự", "Participants")}</h3>
            {participant_list}
            <button type="button" on:click=move |_| {
                form.update(|f| f.participants.push(ParticipantForm::default()));
                participant_rows.update(|n| *n += 1);
            }>{lang.pick("+ Thêm người dự", "+ Add a participant")}</button>
            <p>
                <button type="button" class="primary" data-testid="save-meeting" disabled=move || save.pending().get() on:click=move |_| { save.dispatch(()); }>
                    {lang.pick("Lưu phiên họp", "Save the meeting")}
                </button>
            </p>
        </section>
    }
    .into_any()
}

fn set_doc(a: &mut AgendaForm, f: impl FnOnce(&mut DocumentForm)) {
    if a.documents.is_empty() {
        a.documents.push(DocumentForm::default());
    }
    f(&mut a.documents[0]);
}

type UnitOptions = std::sync::Arc<Vec<(String, String)>>;

fn units_options(units: &[(String, String)]) -> UnitOptions {
    std::sync::Arc::new(units.to_vec())
}

fn unit_select_options(options: &UnitOptions, selected: &str) -> impl IntoView + use<> {
    options
        .iter()
        .map(|(code, name)| {
            // The property as well as the attribute: a form rebuilt after a save shows its own
            // choice, not the one the browser kept.
            let on = code == selected;
            view! { <option value=code.clone() selected=on prop:selected=on>{format!("{name} ({code})")}</option> }
        })
        .collect_view()
}

/// The secretariat records a conclusion of this meeting and the tasks it assigns.
#[component]
fn ConclusionEditor(page: MeetingPage, reload: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let form = RwSignal::new(AssignForm {
        meeting: page.meeting.id,
        version: page.meeting.version,
        date: page
            .today
            .max(page.meeting.date())
            .format("%Y-%m-%d")
            .to_string(),
        tasks: vec![TaskForm::default()],
        ..Default::default()
    });
    let rows = RwSignal::new(1usize);
    let errors = RwSignal::new(FormErrors::default());
    let message = RwSignal::new(None::<(bool, String)>);
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let save = Action::new(move |_: &()| {
        let f = form.get_untracked();
        async move { task_assign(f).await }
    });
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            take_answer(
                result,
                errors,
                message,
                lang.pick(
                    "Đã ghi kết luận và giao nhiệm vụ.",
                    "Conclusion recorded and tasks assigned.",
                ),
                move |_| reload.run(()),
            );
        }
    });
    let options = units_options(&page.units);
    let task_rows = move || {
        let options = options.clone();
        (0..rows.get())
            .map(|i| {
                let t = form.with_untracked(|f| f.tasks.get(i).cloned().unwrap_or_default());
                let priorities = Priority::ALL
                    .iter()
                    .map(|p| view! { <option value=p.as_str() selected=t.priority == p.as_str()>{lang.pick(p.label_vi(), p.label_en())}</option> })
                    .collect_view();
                view! {
                    <fieldset class="row-fields" data-testid="task-row">
                        <legend>{format!("{} {}", lang.pick("Nhiệm vụ", "Task"), i + 1)}</legend>
                        <label class="wide">{lang.pick("Nội dung nhiệm vụ", "Task")}
                            <textarea data-testid="task-content" prop:value=t.content.clone() on:input=move |ev| form.update(|f| f.tasks[i].content = event_target_value(&ev))></textarea>
                            {field_error(errors, format!("tasks.{i}.content"))}
                        </label>
                        <label>{lang.pick("Đơn vị chủ trì", "Lead unit")}
                            <select data-testid="task-lead" on:change=move |ev| form.update(|f| f.tasks[i].lead = event_target_value(&ev))>
                                <option value="" prop:selected=t.lead.is_empty()>{lang.pick("— chọn —", "— choose —")}</option>
                                {unit_select_options(&options, &t.lead)}
                            </select>
                            {field_error(errors, format!("tasks.{i}.lead"))}
                        </label>
                        <label>{lang.pick("Đơn vị phối hợp (mã, cách nhau dấu phẩy)", "Coordinating units (codes, comma-separated)")}
                            <input data-testid="task-coordinating" prop:value=t.coordinating.clone() on:input=move |ev| form.update(|f| f.tasks[i].coordinating = event_target_value(&ev))/>
                            {field_error(errors, format!("tasks.{i}.coordinating"))}
                        </label>
                        <label>{lang.pick("Hạn xử lý (để trống nếu không có)", "Deadline (empty: none)")}
                            <input type="date" data-testid="task-deadline" prop:value=t.deadline.clone() on:input=move |ev| form.update(|f| f.tasks[i].deadline = event_target_value(&ev))/>
                            {field_error(errors, format!("tasks.{i}.deadline"))}
                        </label>
                        <label>{lang.pick("Mức độ", "Priority")}
                            <select on:change=move |ev| form.update(|f| f.tasks[i].priority = event_target_value(&ev))>{priorities}</select>
                        </label>
                    </fieldset>
                }
            })
            .collect_view()
    };
    view! {
        <section class="panel conclusion-form" data-testid="conclusion-form" data-ready=move || ready.get().to_string()>
            <h2>{lang.pick("Ghi kết luận và giao nhiệm vụ", "Record a conclusion and assign tasks")}</h2>
            {message_view(message)}
            {field_error(errors, "tasks".into())}
            <div class="form-grid">
                <label>{lang.pick("Số văn bản (ví dụ 123/TB-VPCP)", "Document number (e.g. 123/TB-VPCP)")}
                    <input data-testid="conclusion-number" prop:value=move || form.with(|f| f.number.clone()) on:input=move |ev| form.update(|f| f.number = event_target_value(&ev))/>
                    {field_error(errors, "number".into())}
                </label>
                <label>{lang.pick("Ngày văn bản", "Document date")}
                    <input type="date" data-testid="conclusion-date" prop:value=move || form.with(|f| f.date.clone()) on:input=move |ev| form.update(|f| f.date = event_target_value(&ev))/>
                    {field_error(errors, "date".into())}
                </label>
                <label class="wide">{lang.pick("Nội dung kết luận", "Summary")}
                    <textarea data-testid="conclusion-summary" prop:value=move || form.with(|f| f.summary.clone()) on:input=move |ev| form.update(|f| f.summary = event_target_value(&ev))></textarea>
                    {field_error(errors, "summary".into())}
                </label>
            </div>
            {task_rows}
            <button type="button" data-testid="add-task" on:click=move |_| {
                form.update(|f| f.tasks.push(TaskForm::default()));
                rows.update(|n| *n += 1);
            }>{lang.pick("+ Thêm nhiệm vụ", "+ Add a task")}</button>
            <p>
                <button type="button" class="primary" data-testid="save-conclusion" disabled=move || save.pending().get() on:click=move |_| { save.dispatch(()); }>
                    {lang.pick("Ghi kết luận", "Record the conclusion")}
                </button>
            </p>
        </section>
    }
    .into_any()
}
