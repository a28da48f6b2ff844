//! [ssr] The one path for explanation requests: a question asked, answered, accepted or asked
//! again is authorised here, checked against the catalogue and the model's order of turns, and
//! stored with its audit row and its `explanations` announcement in one transaction. The
//! server functions call these and nothing else.

use crate::catalogue::CatalogueIndex;
use crate::error::AppError;
use crate::model::auth::{Action, Viewer};
use crate::model::explanation::{
    Actor, AnswerForm, AskForm, DecideForm, ExplanationRequest, working_days,
};
use crate::model::{Period, UnitKind};
use crate::store::{AuditEntry, Store};
use chrono::{DateTime, NaiveDate, Utc};

pub struct ExplanationDesk<'a> {
    pub store: &'a dyn Store,
    pub catalogue: &'a CatalogueIndex,
    pub now: DateTime<Utc>,
}

impl ExplanationDesk<'_> {
    fn today(&self) -> NaiveDate {
        crate::model::vietnam_time(self.now).date()
    }

    fn actor<'v>(&self, viewer: &'v Viewer) -> Actor<'v> {
        Actor {
            username: &viewer.username,
            display_name: &viewer.display_name,
            at: self.now,
        }
    }

    /// The day `days` (a form's text) working days after today, holidays excluded.
    async fn due(&self, days: &str) -> Result<NaiveDate, AppError> {
        let n = working_days(days).map_err(AppError::invalid)?;
        let calendar = self.store.reporting_calendar().await?;
        Ok(calendar.days_off().working_days_after(self.today(), n))
    }

    async fn stored(&self, id: i64) -> Result<ExplanationRequest, AppError> {
        self.store.explanation(id).await?.ok_or_else(|| {
            AppError::not_found(format!(
                "Không có yêu cầu giải trình số {id}. (No such explanation request.)"
            ))
        })
    }

    async fn save(
        &self,
        mut r: ExplanationRequest,
        mut audit: AuditEntry,
        action: &str,
    ) -> Result<ExplanationRequest, AppError> {
        audit.action = action.into();
        audit.after = serde_json::to_string(&r.turns.last()).ok();
        r.id = self.store.save_explanation(&r, &audit).await?;
        r.version += 1;
        Ok(r)
    }

    /// A leader or the secretariat asks a ministry or province about one of its figures.
    pub async fn ask(
        &self,
        viewer: &Viewer,
        form: &AskForm,
        audit: AuditEntry,
    ) -> Result<ExplanationRequest, AppError> {
        if !viewer.can(&Action::AskExplanation) {
            return Err(AppError::not_allowed());
        }
        let indicator = self
            .catalogue
            .indicators
            .get(form.indicator.trim())
            .ok_or_else(|| {
                AppError::invalid("Không có chỉ tiêu này trong danh mục. (No such indicator.)")
            })?;
        let unit = self
            .catalogue
            .units
            .get(form.unit.trim())
            .ok_or_else(|| AppError::invalid("Không có đơn vị này. (No such unit.)"))?;
        if !matches!(unit.kind, UnitKind::Ministry | UnitKind::Province)
            || !indicator.is_reported_by(unit.kind)
        {
            return Err(AppError::invalid(format!(
                "Chỉ yêu cầu giải trình được với bộ, tỉnh báo cáo chỉ tiêu này; {} không báo cáo “{}”. (Only a ministry or province that reports the indicator can be asked.)",
                unit.name_vi, indicator.name_vi
            )));
        }
        let period = Period::parse(form.period.trim())
            .ok()
            .filter(|p| p.periodicity() == indicator.periodicity && p.start() <= self.today())
            .ok_or_else(|| {
                AppError::invalid(
                    "Kỳ báo cáo không hợp lệ cho chỉ tiêu này, hoặc chưa bắt đầu. (The period is not one of this indicator's, or has not begun.)",
                )
            })?;
        let due = self.due(&form.working_days).await?;
        let r = ExplanationRequest::ask(
            &indicator.code,
            &unit.code,
            period,
            &form.question,
            due,
            self.today(),
            &self.actor(viewer),
        )
        .map_err(AppError::invalid)?;
        self.save(r, audit, "explanation.ask").await
    }

    /// The unit's officer answers.
    pub async fn answer(
        &self,
        viewer: &Viewer,
        form: &AnswerForm,
        audit: AuditEntry,
    ) -> Result<ExplanationRequest, AppError> {
        let mut r = self.stored(form.id).await?;
        if !viewer.can(&Action::Explain {
            unit: r.unit.clone(),
        }) {
            return Err(AppError::not_allowed());
        }
        r.version = form.version;
        let mut attachments = Vec::new();
        for id in &form.attachments {
            match self.store.attachment(*id).await? {
                Some(a) if !attachments.contains(&a.attachment) => attachments.push(a.attachment),
                Some(_) => {}
                None => {
                    return Err(AppError::invalid(format!(
                        "Tệp đính kèm số {id} không có trên hệ thống; hãy tải lên lại. (No such attachment: upload it again.)"
                    )));
                }
            }
        }
        r.answer(&form.answer, attachments, &self.actor(viewer))
            .map_err(AppError::invalid)?;
        self.save(r, audit, "explanation.answer").await
    }

    /// The requester (or the secretariat) accepts the answer or asks again.
    pub async fn decide(
        &self,
        viewer: &Viewer,
        form: &DecideForm,
        audit: AuditEntry,
    ) -> Result<ExplanationRequest, AppError> {
        let mut r = self.stored(form.id).await?;
        let own = r.requester() == Some(viewer.username.as_str());
        if !viewer.can(&Action::DecideExplanation { own }) {
            return Err(AppError::not_allowed());
        }
        r.version = form.version;
        let today = self.today();
        let (again, action) = if form.accept {
            (None, "explanation.accept")
        } else {
            let due = self.due(&form.working_days).await?;
            (Some((form.question.as_str(), due)), "explanation.ask_again")
        };
        r.decide(again, today, &self.actor(viewer))
            .map_err(AppError::invalid)?;
        self.save(r, audit, action).await
    }
}
