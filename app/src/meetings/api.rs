//! Meetings and tasks: what the `/meetings` and `/tasks` pages ask of the server. Reads need a
//! signed-in person; every change goes through [`crate::meetings::desk::TaskDesk`].

use crate::error::AppError;
use crate::model::meeting::{Meeting, MeetingForm, MeetingKind};
use crate::model::task::{
    AssignForm, ClassCounts, DeskAnswer, DoneDecision, ExtensionDecision, ProgressForm, Task,
    TaskRow,
};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The meetings of one month, for the calendar and the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingList {
    /// The month shown (its first day).
    pub month: NaiveDate,
    pub kind: Option<MeetingKind>,
    pub meetings: Vec<Meeting>,
    /// Tasks assigned by each meeting, in the same order.
    pub task_counts: Vec<usize>,
    pub can_manage: bool,
    pub today: NaiveDate,
}

/// One meeting with the tasks its conclusions assigned.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingPage {
    pub meeting: Meeting,
    pub tasks: Vec<(i64, TaskRow)>,
    /// Code and Vietnamese name of every ministry and province (for pickers and labels).
    pub units: Vec<(String, String)>,
    pub can_manage: bool,
    pub today: NaiveDate,
    /// The briefs marked final for this meeting (month, version), for those who read briefs.
    #[serde(default)]
    pub briefs: Vec<(String, i64)>,
}

/// Tasks by view, unit and assignment dates, with the counts per unit and class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskList {
    pub today: NaiveDate,
    pub total: ClassCounts,
    pub per_unit: Vec<(String, String, ClassCounts)>,
    pub rows: Vec<TaskRow>,
    pub units: Vec<(String, String)>,
    pub can_manage: bool,
}

/// One task with its history, and what the signed-in person may do with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskPage {
    pub task: Task,
    pub row: TaskRow,
    pub coordinating: Vec<(String, String)>,
    pub meeting_title: Option<String>,
    pub may_report: bool,
    pub may_decide: bool,
    pub today: NaiveDate,
}

#[cfg(feature = "ssr")]
mod desk {
    use super::*;
    use crate::meetings::desk::TaskDesk;

    pub fn catalogue() -> std::sync::Arc<crate::catalogue::CatalogueIndex> {
        expect_context::<crate::catalogue::LiveCatalogue>().now()
    }

    pub fn store() -> crate::store::SharedStore {
        expect_context::<crate::store::SharedStore>()
    }

    /// Ministries and provinces, ministries first, each by code.
    pub fn units() -> Vec<(String, String)> {
        use crate::model::UnitKind;
        let c = catalogue();
        let mut u: Vec<_> = c
            .units
            .values()
            .filter(|u| matches!(u.kind, UnitKind::Ministry | UnitKind::Province))
            .map(|u| {
                (
                    u.kind != UnitKind::Ministry,
                    u.code.clone(),
                    u.name_vi.clone(),
                )
            })
            .collect();
        u.sort();
        u.into_iter().map(|(_, c, n)| (c, n)).collect()
    }

    pub fn name_of(code: &str) -> String {
        catalogue().name_vi(code)
    }

    pub async fn with(
        f: impl AsyncFnOnce(&TaskDesk<'_>) -> Result<DeskAnswer, AppError>,
    ) -> Result<DeskAnswer, AppError> {
        let store = store();
        let catalogue = catalogue();
        let desk = TaskDesk {
            store: store.as_ref(),
            catalogue: catalogue.as_ref(),
            now: crate::request::clock().now(),
        };
        f(&desk).await
    }
}

/// The meetings of `month` (`YYYY-MM`, default this month), of one `kind` or all.
#[server(prefix = "/fn", endpoint = "meetings")]
pub async fn get_meetings(kind: String, month: String) -> Result<MeetingList, AppError> {
    use crate::model::auth::Action;
    use crate::model::meeting::MeetingQuery;
    use chrono::Datelike;
    let (viewer, _) = crate::request::signed_in()?;
    let today = crate::request::clock().today();
    let first = match month.trim() {
        "" => today.with_day(1).unwrap_or(today),
        m => NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").map_err(|_| {
            AppError::invalid(format!(
                "Tháng “{}” không hợp lệ, dùng dạng 2026-11. (Month must look like 2026-11.)",
                m.chars().take(20).collect::<String>()
            ))
        })?,
    };
    let kind = match kind.trim() {
        "" => None,
        k => Some(MeetingKind::parse(k).ok_or_else(|| {
            AppError::invalid("Loại phiên họp không hợp lệ. (Unknown kind of meeting.)")
        })?),
    };
    let last = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first);
    let store = desk::store();
    let meetings = store
        .meetings(&MeetingQuery {
            kind,
            from: Some(first),
            to: Some(last),
        })
        .await
        .map_err(AppError::unavailable)?;
    let mut task_counts = Vec::with_capacity(meetings.len());
    for m in &meetings {
        task_counts.push(
            store
                .tasks(&crate::model::task::TaskQuery {
                    meeting: Some(m.id),
                    ..Default::default()
                })
                .await
                .map_err(AppError::unavailable)?
                .len(),
        );
    }
    Ok(MeetingList {
        month: first,
        kind,
        meetings,
        task_counts,
        can_manage: viewer.can(&Action::ManageMeetings),
        today,
    })
}

/// One meeting (`id` 0: an empty one for the new-meeting form).
#[server(prefix = "/fn", endpoint = "meeting")]
pub async fn get_meeting(id: i64) -> Result<MeetingPage, AppError> {
    use crate::model::auth::Action;
    let (viewer, _) = crate::request::signed_in()?;
    let today = crate::request::clock().today();
    let store = desk::store();
    let meeting = if id == 0 {
        Meeting {
            id: 0,
            version: 0,
            kind: MeetingKind::Regular,
            title: String::new(),
            starts_at: today.and_hms_opt(8, 0, 0).unwrap_or_default(),
            place: String::new(),
            chair: String::new(),
            agenda: Vec::new(),
            participants: Vec::new(),
            conclusions: Vec::new(),
            created_by: viewer.display_name.clone(),
        }
    } else {
        match store.meeting(id).await.map_err(AppError::unavailable)? {
            Some(m) => m,
            None => {
                return Err(AppError::not_found(format!(
                    "Không có phiên họp số {id}. (No such meeting.)"
                )));
            }
        }
    };
    let tasks = if id == 0 {
        Vec::new()
    } else {
        store
            .tasks(&crate::model::task::TaskQuery {
                meeting: Some(id),
                ..Default::default()
            })
            .await
            .map_err(AppError::unavailable)?
            .iter()
            .map(|t| {
                let conclusion = match t.source {
                    crate::model::task::TaskSource::Conclusion { conclusion, .. } => conclusion,
                    _ => 0,
                };
                (conclusion, TaskRow::of(t, desk::name_of(&t.lead), today))
            })
            .collect()
    };
    let briefs = if id != 0 && viewer.can(&Action::ReadBriefs) {
        store
            .briefs()
            .await
            .map_err(AppError::unavailable)?
            .into_iter()
            .filter(|b| {
                b.state == crate::brief::model::BriefState::Final
                    && b.meeting.as_ref().is_some_and(|m| m.id == id)
            })
            .map(|b| (b.month.to_string(), b.version))
            .collect()
    } else {
        Vec::new()
    };
    Ok(MeetingPage {
        meeting,
        tasks,
        units: desk::units(),
        can_manage: viewer.can(&Action::ManageMeetings),
        today,
        briefs,
    })
}

/// Schedules or edits a meeting (secretariat).
#[server(prefix = "/fn", endpoint = "meeting_save", input = server_fn::codec::Json)]
pub async fn meeting_save(form: MeetingForm) -> Result<DeskAnswer, AppError> {
    let (viewer, auth) = crate::request::signed_in()?;
    let audit = crate::request::audit_by(&viewer, &auth, "", "");
    desk::with(async |d| d.save_meeting(&viewer, &form, audit).await).await
}

/// Records a conclusion with its tasks, or a directive's tasks (secretariat).
#[server(prefix = "/fn", endpoint = "task_assign", input = server_fn::codec::Json)]
pub async fn task_assign(form: AssignForm) -> Result<DeskAnswer, AppError> {
    let (viewer, auth) = crate::request::signed_in()?;
    let audit = crate::request::audit_by(&viewer, &auth, "", "");
    desk::with(async |d| d.assign(&viewer, &form, audit).await).await
}

/// Tasks: `view` (`all`, `overdue`, `week`), one lead `unit` or all, assigned between `from`
/// and `to` (`YYYY-MM-DD`, either may be empty).
#[server(prefix = "/fn", endpoint = "tasks")]
pub async fn get_tasks(
    view: String,
    unit: String,
    from: String,
    to: String,
) -> Result<TaskList, AppError> {
    use crate::model::auth::Action;
    use crate::model::meeting::parse_date;
    use crate::model::task::{TaskClass, TaskQuery, TaskView, count_by_unit};
    let (viewer, _) = crate::request::signed_in()?;
    let today = crate::request::clock().today();
    let date = |s: &str, field| match s.trim() {
        "" => Ok(None),
        d => parse_date(d, field).map(Some).map_err(AppError::invalid),
    };
    let from = date(&from, ("Từ ngày", "From"))?;
    let to = date(&to, ("Đến ngày", "To"))?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(AppError::invalid(
            "“Từ ngày” phải trước “Đến ngày”. (From must be before To.)",
        ));
    }
    let unit = match unit.trim() {
        "" => None,
        u if desk::catalogue().units.contains_key(u) => Some(u.to_string()),
        u => {
            return Err(AppError::not_found(crate::model::meeting::unknown_unit(u)));
        }
    };
    let view = TaskView::parse(view.trim());
    let store = desk::store();
    let all = store
        .tasks(&TaskQuery::default())
        .await
        .map_err(AppError::unavailable)?;
    let chosen: Vec<Task> = all
        .into_iter()
        .filter(|t| unit.as_deref().is_none_or(|u| t.lead == u))
        .collect();
    let (total, per) = count_by_unit(&chosen, from, to, today);
    let in_range =
        |t: &Task| from.is_none_or(|f| t.assigned_on >= f) && to.is_none_or(|e| t.assigned_on <= e);
    let mut rows: Vec<TaskRow> = chosen
        .iter()
        .filter(|t| in_range(t) && view.shows(t, today))
        .map(|t| TaskRow::of(t, desk::name_of(&t.lead), today))
        .collect();
    // Overdue first (most overdue first), then by deadline; no deadline last.
    rows.sort_by_key(|r| {
        (
            r.class != TaskClass::Overdue,
            r.days_left.is_none(),
            r.days_left,
            r.id,
        )
    });
    Ok(TaskList {
        today,
        total,
        per_unit: per
            .into_iter()
            .map(|(code, c)| (desk::name_of(&code), code, c))
            .map(|(n, code, c)| (code, n, c))
            .collect(),
        rows,
        units: desk::units(),
        can_manage: viewer.can(&Action::ManageTasks),
    })
}

/// One task with its history.
#[server(prefix = "/fn", endpoint = "task")]
pub async fn get_task(id: i64) -> Result<TaskPage, AppError> {
    use crate::model::auth::Action;
    let (viewer, _) = crate::request::signed_in()?;
    let today = crate::request::clock().today();
    let store = desk::store();
    let Some(task) = store.task(id).await.map_err(AppError::unavailable)? else {
        return Err(AppError::not_found(format!(
            "Không có nhiệm vụ số {id}. (No such task.)"
        )));
    };
    let meeting_title = match task.source.meeting() {
        Some(m) => store
            .meeting(m)
            .await
            .map_err(AppError::unavailable)?
            .map(|m| m.title),
        None => None,
    };
    Ok(TaskPage {
        row: TaskRow::of(&task, desk::name_of(&task.lead), today),
        coordinating: task
            .coordinating
            .iter()
            .map(|c| (c.clone(), desk::name_of(c)))
            .collect(),
        meeting_title,
        may_report: viewer.can(&Action::ReportTaskProgress {
            unit: task.lead.clone(),
        }),
        may_decide: viewer.can(&Action::ManageTasks),
        task,
        today,
    })
}

/// The lead unit's progress, done, or extension request.
#[server(prefix = "/fn", endpoint = "task_report", input = server_fn::codec::Json)]
pub async fn task_report(form: ProgressForm) -> Result<DeskAnswer, AppError> {
    let (viewer, auth) = crate::request::signed_in()?;
    let audit = crate::request::audit_by(&viewer, &auth, "", "");
    desk::with(async |d| d.report(&viewer, &form, audit).await).await
}

/// The secretariat's decision on an extension request.
#[server(prefix = "/fn", endpoint = "task_decide", input = server_fn::codec::Json)]
pub async fn task_decide(decision: ExtensionDecision) -> Result<DeskAnswer, AppError> {
    let (viewer, auth) = crate::request::signed_in()?;
    let audit = crate::request::audit_by(&viewer, &auth, "", "");
    desk::with(async |d| d.decide(&viewer, &decision, audit).await).await
}

/// The secretariat confirms a task's reported completion, or returns it with a reason.
#[server(prefix = "/fn", endpoint = "task_confirm", input = server_fn::codec::Json)]
pub async fn task_confirm(decision: DoneDecision) -> Result<DeskAnswer, AppError> {
    let (viewer, auth) = crate::request::signed_in()?;
    let audit = crate::request::audit_by(&viewer, &auth, "", "");
    desk::with(async |d| d.confirm(&viewer, &decision, audit).await).await
}
