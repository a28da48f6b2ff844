//! [ssr] The one path for meetings and tasks: every change (a meeting scheduled or edited, a
//! conclusion and the tasks it assigns, a directive's tasks, a lead unit's progress, done or
//! extension request, the secretariat's decision on an extension or on a reported completion)
//! is authorised here, read by the model's rules, and stored with its audit row and its `tasks`
//! announcement in one transaction. The server functions behind the meeting and task pages call
//! these and nothing else.

use crate::catalogue::CatalogueIndex;
use crate::error::AppError;
use crate::model::auth::{Action, Viewer};
use crate::model::meeting::{Conclusion, Document, FormErrors, MeetingForm};
use crate::model::task::{
    AssignForm, DeskAnswer, DoneDecision, ExtensionDecision, ProgressForm, Task,
};
use crate::store::{AuditEntry, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};

fn refused(errors: FormErrors) -> DeskAnswer {
    DeskAnswer::Refused {
        message: "Chưa lưu: hãy sửa các mục được đánh dấu. (Not saved: fix the marked fields.)"
            .into(),
        errors,
    }
}

/// A store answer: the id saved, or the refusal (`From<StoreError>`: 409 when someone else
/// came first).
fn stored(r: Result<i64, StoreError>) -> Result<DeskAnswer, AppError> {
    Ok(DeskAnswer::Saved { id: r? })
}

/// The desk: the store, the catalogue and the clock (fixed in tests).
pub struct TaskDesk<'a> {
    pub store: &'a dyn Store,
    pub catalogue: &'a CatalogueIndex,
    pub now: DateTime<Utc>,
}

impl TaskDesk<'_> {
    fn today(&self) -> NaiveDate {
        crate::model::vietnam_time(self.now).date()
    }

    fn allow(viewer: &Viewer, action: &Action) -> Result<(), AppError> {
        if viewer.can(action) {
            Ok(())
        } else {
            Err(AppError::not_allowed())
        }
    }

    /// Schedules a meeting (`form.id` 0) or replaces an existing one's details, keeping its
    /// conclusions. Secretariat only.
    pub async fn save_meeting(
        &self,
        viewer: &Viewer,
        form: &MeetingForm,
        mut audit: AuditEntry,
    ) -> Result<DeskAnswer, AppError> {
        Self::allow(viewer, &Action::ManageMeetings)?;
        let stored = if form.id == 0 {
            None
        } else {
            Some(self.meeting(form.id).await?)
        };
        let created_by = stored
            .as_ref()
            .map(|m| m.created_by.clone())
            .unwrap_or_else(|| viewer.display_name.clone());
        let mut meeting = match form.read(self.catalogue, &created_by) {
            Ok(m) => m,
            Err(e) => return Ok(refused(e)),
        };
        let mut missing = FormErrors::default();
        for (i, a) in meeting.agenda.iter_mut().enumerate() {
            for (j, d) in a.documents.iter_mut().enumerate() {
                if let Some(m) = self.attached(d).await? {
                    missing.add(format!("agenda.{i}.documents.{j}"), m);
                }
            }
        }
        if !missing.is_empty() {
            return Ok(refused(missing));
        }
        if let Some(old) = &stored {
            // Conclusions are dated on or after the meeting: it cannot move past them.
            if let Some(c) = old
                .conclusions
                .iter()
                .find(|c| c.document.date < meeting.date())
            {
                let mut e = FormErrors::default();
                e.add(
                    "starts_at",
                    format!(
                        "Phiên họp đã có kết luận {} nên không thể dời sang sau ngày đó. (A conclusion is dated before the new date.)",
                        c.document
                    ),
                );
                return Ok(refused(e));
            }
            meeting.conclusions = old.conclusions.clone();
        }
        audit.action = if form.id == 0 {
            "meeting_create"
        } else {
            "meeting_update"
        }
        .into();
        audit.after = serde_json::to_string(&meeting).ok();
        stored_pair(self.store.save_meeting(&meeting, &[], &audit).await)
    }

    /// A document's attachment must be stored; its stored name is shown when none was typed.
    async fn attached(&self, d: &mut Document) -> Result<Option<String>, AppError> {
        let Some(id) = d.attachment else {
            return Ok(None);
        };
        match self.store.attachment(id).await? {
            Some(a) => {
                if d.link.is_none() && d.name == "Tài liệu" {
                    d.name = a.attachment.name;
                }
                Ok(None)
            }
            None => Ok(Some(format!(
                "Tệp đính kèm số {id} không có trên hệ thống; hãy tải lên lại. (No such attachment: upload it again.)"
            ))),
        }
    }

    async fn meeting(&self, id: i64) -> Result<crate::model::meeting::Meeting, AppError> {
        self.store.meeting(id).await?.ok_or_else(|| {
            AppError::not_found(format!("Không có phiên họp số {id}. (No such meeting.)"))
        })
    }

    async fn task(&self, id: i64) -> Result<Task, AppError> {
        self.store.task(id).await?.ok_or_else(|| {
            AppError::not_found(format!("Không có nhiệm vụ số {id}. (No such task.)"))
        })
    }

    /// Records a conclusion of a meeting (`form.meeting` > 0) with the tasks it assigns, or a
    /// directive's tasks (`form.meeting` 0). Secretariat only. Answers the meeting's id, or
    /// for a directive the first task's.
    pub async fn assign(
        &self,
        viewer: &Viewer,
        form: &AssignForm,
        mut audit: AuditEntry,
    ) -> Result<DeskAnswer, AppError> {
        Self::allow(viewer, &Action::ManageTasks)?;
        if form.meeting == 0 {
            let a = match form.read(self.catalogue, None, 0, &viewer.display_name, self.now) {
                Ok(a) => a,
                Err(e) => return Ok(refused(e)),
            };
            audit.action = "task_assign".into();
            audit.target = Some(format!("directive:{}", a.document.number));
            audit.after = serde_json::to_string(&a.tasks).ok();
            return stored(
                self.store
                    .save_tasks(&a.tasks, &audit)
                    .await
                    .map(|ids| ids.first().copied().unwrap_or(0)),
            );
        }
        let mut meeting = self.meeting(form.meeting).await?;
        // The store refuses the save if the meeting changed since the form was read.
        meeting.version = form.version;
        let id = meeting.conclusions.iter().map(|c| c.id).max().unwrap_or(0) + 1;
        let a = match form.read(
            self.catalogue,
            Some(meeting.date()),
            id,
            &viewer.display_name,
            self.now,
        ) {
            Ok(a) => a,
            Err(e) => return Ok(refused(e)),
        };
        if meeting
            .conclusions
            .iter()
            .any(|c| c.document.number == a.document.number)
        {
            let mut e = FormErrors::default();
            e.add(
                "number",
                format!(
                    "Phiên họp đã có kết luận số {}. (This meeting already has that conclusion.)",
                    a.document.number
                ),
            );
            return Ok(refused(e));
        }
        meeting.conclusions.push(Conclusion {
            id,
            document: a.document,
            summary: a.summary,
        });
        audit.action = "conclusion_record".into();
        audit.target = Some(format!("meeting:{}", meeting.id));
        audit.after = serde_json::to_string(&(&meeting.conclusions.last(), &a.tasks)).ok();
        stored_pair(self.store.save_meeting(&meeting, &a.tasks, &audit).await)
    }

    /// The lead unit's officer reports progress, done, or asks for an extension.
    pub async fn report(
        &self,
        viewer: &Viewer,
        form: &ProgressForm,
        mut audit: AuditEntry,
    ) -> Result<DeskAnswer, AppError> {
        let task = self.task(form.task).await?;
        Self::allow(
            viewer,
            &Action::ReportTaskProgress {
                unit: task.lead.clone(),
            },
        )
        .map_err(|_| {
            AppError::forbidden(format!(
                "Chỉ cán bộ của đơn vị chủ trì ({}) được báo cáo nhiệm vụ này. (Only the lead unit's officers report on this task.)",
                task.lead
            ))
        })?;
        let changed = match task.with_progress(form, &viewer.display_name, self.now, self.today()) {
            Ok(t) => t,
            Err(e) => return Ok(refused(e)),
        };
        audit.action = format!("task_{}", form.kind);
        self.save_change(changed, form.version, audit).await
    }

    /// Stores a changed task if it is still at the version its form was read at (the store
    /// refuses it otherwise), with the change as the audit row's `after`.
    async fn save_change(
        &self,
        mut changed: Task,
        form_version: i64,
        mut audit: AuditEntry,
    ) -> Result<DeskAnswer, AppError> {
        changed.version = form_version;
        audit.target = Some(format!("task:{}", changed.id));
        audit.after = changed
            .history
            .last()
            .and_then(|h| serde_json::to_string(h).ok());
        stored(
            self.store
                .save_tasks(std::slice::from_ref(&changed), &audit)
                .await
                .map(|_| changed.id),
        )
    }

    /// The secretariat grants or refuses a task's pending extension.
    pub async fn decide(
        &self,
        viewer: &Viewer,
        d: &ExtensionDecision,
        mut audit: AuditEntry,
    ) -> Result<DeskAnswer, AppError> {
        Self::allow(viewer, &Action::ManageTasks)?;
        let task = self.task(d.task).await?;
        let changed = match task.with_decision(d, &viewer.display_name, self.now) {
            Ok(t) => t,
            Err(e) => return Ok(refused(e)),
        };
        audit.action = if d.grant {
            "task_extension_grant"
        } else {
            "task_extension_refuse"
        }
        .into();
        self.save_change(changed, d.version, audit).await
    }
}

impl TaskDesk<'_> {
    /// The secretariat confirms a task's reported completion, or returns it with a reason.
    pub async fn confirm(
        &self,
        viewer: &Viewer,
        d: &DoneDecision,
        mut audit: AuditEntry,
    ) -> Result<DeskAnswer, AppError> {
        Self::allow(viewer, &Action::ManageTasks)?;
        let task = self.task(d.task).await?;
        let changed = match task.with_confirmation(d, &viewer.display_name, self.now) {
            Ok(t) => t,
            Err(e) => return Ok(refused(e)),
        };
        audit.action = if d.confirm {
            "task_done_confirm"
        } else {
            "task_done_return"
        }
        .into();
        self.save_change(changed, d.version, audit).await
    }
}

fn stored_pair(r: Result<(i64, Vec<i64>), StoreError>) -> Result<DeskAnswer, AppError> {
    stored(r.map(|(id, _)| id))
}
