//! [ssr] The one path for a stored brief: a draft composed (by the secretariat, or by the
//! schedule before a regular meeting), its commentary written, marked final. Each is authorised
//! here and stored with its audit row. A final brief is never changed: a correction is the
//! month's next version, a draft again, starting from the final's commentary.

use crate::brief::compose::{BriefRequest, compose};
use crate::brief::model::{Brief, BriefRecord, BriefState, Commentary};
use crate::catalogue::CatalogueIndex;
use crate::error::AppError;
use crate::model::auth::{Action, Viewer};
use crate::model::indicator::Field;
use crate::model::meeting::{MeetingKind, MeetingQuery};
use crate::store::{AuditEntry, Store};
use chrono::{DateTime, Utc};

/// Who acts: a person, or the schedule.
#[derive(Clone, Copy)]
pub enum By<'a> {
    Person(&'a Viewer),
    Schedule,
}

/// The name the scheduled drafts are composed under.
pub const SCHEDULE_NAME: &str = "Trung tâm chỉ đạo, điều hành (tự động)";

pub struct BriefDesk<'a> {
    pub store: &'a dyn Store,
    pub catalogue: &'a CatalogueIndex,
    pub now: DateTime<Utc>,
}

impl BriefDesk<'_> {
    fn allowed(by: By) -> Result<String, AppError> {
        match by {
            By::Person(v) if v.can(&Action::PrepareBriefs) => Ok(v.display_name.clone()),
            By::Person(_) => Err(AppError::not_allowed()),
            By::Schedule => Ok(SCHEDULE_NAME.to_string()),
        }
    }

    /// A stored brief, or 404.
    pub async fn stored(&self, id: i64) -> Result<(BriefRecord, Brief), AppError> {
        self.store.brief(id).await?.ok_or_else(|| {
            AppError::not_found(format!("Không có báo cáo số {id}. (No such brief.)"))
        })
    }

    /// Composes `month`'s brief now, for `meeting` (default: the month's regular meeting),
    /// with an annex for each of `annex` (None: the fields the latest brief had): the month's
    /// draft composed again (its commentary kept), or, when there is none, its next version,
    /// starting from the latest version's commentary.
    pub async fn draft(
        &self,
        by: By<'_>,
        month: &str,
        meeting: Option<i64>,
        annex: Option<Vec<Field>>,
        mut audit: AuditEntry,
    ) -> Result<BriefRecord, AppError> {
        let name = Self::allowed(by)?;
        let stored = self.store.briefs().await?;
        // The secretariat's last choice stands until it makes another (newest first).
        let annex =
            annex.unwrap_or_else(|| stored.first().map(|r| r.annex.clone()).unwrap_or_default());
        let request = BriefRequest {
            month: month.to_string(),
            meeting,
            seq: None,
            annex: annex.clone(),
        };
        let brief = compose(self.store, self.catalogue, &request, self.now).await?;
        let latest = stored.into_iter().find(|r| r.month == brief.month);
        let (id, version, revision, commentary) = match latest {
            Some(r) if r.state == BriefState::Draft => (r.id, r.version, r.revision, r.commentary),
            Some(r) => (0, 0, 0, r.commentary),
            None => (0, 0, 0, Commentary::new()),
        };
        let mut record = BriefRecord {
            id,
            month: brief.month,
            version,
            revision,
            state: BriefState::Draft,
            meeting: brief.meeting.clone(),
            seq: brief.seq,
            composed_at: self.now,
            composed_by: name,
            scheduled: matches!(by, By::Schedule),
            finalised: None,
            commentary,
            annex,
        };
        audit.action = "brief.draft".into();
        audit.after = Some(format!(
            "{{\"month\":\"{}\",\"seq\":{}}}",
            record.month, record.seq
        ));
        let (id, version) = self.store.save_brief(&record, Some(&brief), &audit).await?;
        record.id = id;
        record.version = version;
        record.revision += 1;
        Ok(record)
    }

    /// The draft's commentary, replaced by `fields` (section, text).
    pub async fn comment(
        &self,
        viewer: &Viewer,
        id: i64,
        revision: i64,
        fields: &[(String, String)],
        mut audit: AuditEntry,
    ) -> Result<BriefRecord, AppError> {
        Self::allowed(By::Person(viewer))?;
        let commentary = crate::brief::model::read_commentary(fields).map_err(AppError::invalid)?;
        let (mut record, _) = self.draft_at(id, revision).await?;
        audit.before = serde_json::to_string(&record.commentary).ok();
        record.commentary = commentary;
        audit.action = "brief.comment".into();
        audit.after = serde_json::to_string(&record.commentary).ok();
        self.store.save_brief(&record, None, &audit).await?;
        record.revision += 1;
        Ok(record)
    }

    /// Marks the draft final: attached to its meeting, never changed again.
    pub async fn finalise(
        &self,
        viewer: &Viewer,
        id: i64,
        revision: i64,
        mut audit: AuditEntry,
    ) -> Result<BriefRecord, AppError> {
        let name = Self::allowed(By::Person(viewer))?;
        let (mut record, _) = self.draft_at(id, revision).await?;
        record.state = BriefState::Final;
        record.finalised = Some((self.now, name));
        audit.action = "brief.final".into();
        self.store.save_brief(&record, None, &audit).await?;
        record.revision += 1;
        Ok(record)
    }

    /// The draft `id` as the person saw it at `revision`.
    async fn draft_at(&self, id: i64, revision: i64) -> Result<(BriefRecord, Brief), AppError> {
        let (record, brief) = self.stored(id).await?;
        if record.state == BriefState::Final {
            return Err(AppError::conflict(
                "Báo cáo đã là bản chính thức, không sửa được; hãy lập phiên bản mới. (The brief is final: compose a new version.)",
            ));
        }
        if record.revision != revision {
            return Err(AppError::conflict(
                "Báo cáo vừa được người khác thay đổi; hãy tải lại trang. (The brief changed meanwhile; reload.)",
            ));
        }
        Ok((record, brief))
    }

    /// The drafts the schedule owes on `today`: for each regular meeting within
    /// `days_before` working days whose month has no brief yet, the month before the
    /// meeting's, composed now. Deciding again finds the draft stored and composes nothing.
    pub async fn scheduled(
        &self,
        today: chrono::NaiveDate,
        days_before: u32,
    ) -> Result<Vec<BriefRecord>, AppError> {
        let days_off = self.store.reporting_calendar().await?.days_off();
        let until = days_off.working_days_after(today, days_before);
        let meetings = self
            .store
            .meetings(&MeetingQuery {
                kind: Some(MeetingKind::Regular),
                from: Some(today),
                to: Some(until),
            })
            .await?;
        let stored = self.store.briefs().await?;
        let mut made = Vec::new();
        for m in meetings {
            let month =
                crate::model::Period::containing(crate::model::Periodicity::Monthly, m.date())
                    .prev();
            if stored.iter().any(|r| r.month == month)
                || made.iter().any(|r: &BriefRecord| r.month == month)
            {
                continue;
            }
            let audit = AuditEntry::system("brief.draft", &format!("meeting:{}", m.id));
            match self
                .draft(By::Schedule, &month.to_string(), Some(m.id), None, audit)
                .await
            {
                Ok(r) => made.push(r),
                // Another instance made it first.
                Err(e) if e.kind == crate::error::ErrorKind::Conflict => {}
                Err(e) => return Err(e),
            }
        }
        Ok(made)
    }
}
