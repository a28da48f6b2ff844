//! [ssr] The one path for reports: every change to a report (save, submit, approve, return,
//! reopen for a correction) is authorised, checked, stored with its audit row in one transaction,
//! and, when approved, published through the same validation and storage as the API's values.
//! The server functions behind the entry form call these and nothing else.

use crate::catalogue::CatalogueIndex;
use crate::error::AppError;
use crate::model::auth::{Action, Viewer};
use crate::model::ingest::{RawRow, Refusal, validate};
use crate::model::regime::data_sets_of;
use crate::model::report::{
    Checked, Closed, Decision, EntryAnswer, EntryForm, EntryInput, EntryRow, History, Report,
    ReportStatus, check_entry, far_from_history, inputs_of, parse_comment, publishable,
};
use crate::model::reporting::{DataSet, ReportingCalendar};
use crate::model::{Indicator, Observation, Period, Unit, UnitCode};
use crate::store::{AuditEntry, ObservationQuery, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};

const CONFLICT: &str = "Báo cáo vừa được người khác thay đổi. Tải lại để xem bản mới nhất rồi nhập lại; chưa có gì được lưu. (Someone else changed this report: reload it; nothing was saved.)";

/// Which report: the regime's code (empty: the unit's one regime of the period's
/// periodicity), the unit's code and the period, as a form or an address gives them.
pub type Key<'a> = (&'a str, &'a str, &'a str);

/// A change to a report: who asks, and the audit row to write with it.
pub struct Request<'a> {
    pub viewer: &'a Viewer,
    pub audit: AuditEntry,
    /// The version the form was read at (0: no report yet).
    pub version: i64,
}

/// The reports' desk: the store, the catalogue, and the clock (fixed in tests).
pub struct Desk<'a> {
    pub store: &'a dyn Store,
    pub catalogue: &'a CatalogueIndex,
    pub now: DateTime<Utc>,
}

/// A unit, a period, its data set under one regime and its place in that regime.
struct Frame {
    set: DataSet,
    unit: Unit,
    period: Period,
    indicators: Vec<Indicator>,
    calendar: ReportingCalendar,
    window: (NaiveDate, NaiveDate),
    deadline: NaiveDate,
}

impl Frame {
    /// The unit's officer (`enter`) or approver may do this, else the refusal.
    fn allow(&self, viewer: &Viewer, enter: bool) -> Result<(), AppError> {
        let unit = self.unit.code.clone();
        let action = if enter {
            Action::EnterData { unit }
        } else {
            Action::ApproveData { unit }
        };
        if viewer.can(&action) {
            Ok(())
        } else {
            Err(forbidden(&self.unit))
        }
    }
}

impl<'a> Desk<'a> {
    fn today(&self) -> NaiveDate {
        crate::model::vietnam_time(self.now).date()
    }

    /// The report of `unit` for `period` under `regime` (empty: the unit's one regime of
    /// that periodicity).
    async fn frame(&self, regime: &str, unit: &str, period: &str) -> Result<Frame, AppError> {
        let code = UnitCode::parse(unit).map_err(|e| AppError::not_found(e.to_string()))?;
        let unit = self
            .catalogue
            .units
            .get(code.as_str())
            .cloned()
            .ok_or_else(|| {
                AppError::not_found(format!("Không có đơn vị mã “{code}”. (No such unit.)"))
            })?;
        let period = Period::parse(period).map_err(|e| AppError::not_found(e.to_string()))?;
        let mut sets: Vec<DataSet> = data_sets_of(&self.catalogue.regimes, &unit, |c| {
            self.catalogue.indicators.get(c)
        })
        .into_iter()
        .filter(|s| s.periodicity == period.periodicity())
        .filter(|s| regime.is_empty() || s.regime == regime)
        .collect();
        if sets.len() > 1 {
            let names: Vec<String> = sets
                .iter()
                .map(|s| format!("{} ({})", s.name_vi, s.regime))
                .collect();
            return Err(AppError::not_found(format!(
                "{} có {} báo cáo kỳ {}: {}. Hãy chọn một từ trang Báo cáo của đơn vị. (Several regimes report this period: choose one.)",
                unit.name_vi,
                sets.len(),
                period,
                names.join("; ")
            )));
        }
        let set = sets.pop().ok_or_else(|| {
            AppError::not_found(if regime.is_empty() {
                format!(
                    "{} không có báo cáo theo kỳ {} (“{period}”). (No report for this kind of period.)",
                    unit.name_vi,
                    period.periodicity().label_vi()
                )
            } else {
                format!(
                    "{} không báo cáo kỳ {period} theo chế độ “{regime}”. (The unit does not report this period under that regime.)",
                    unit.name_vi
                )
            })
        })?;
        let indicators = set
            .indicators
            .iter()
            .filter_map(|c| self.catalogue.indicators.get(c).cloned())
            .collect();
        let calendar = self.store.reporting_calendar().await?;
        let holidays = calendar.days_off();
        let window = set.rules.window(&period);
        let deadline = set.rules.deadline(&period, &holidays);
        Ok(Frame {
            set,
            unit,
            period,
            indicators,
            calendar,
            window,
            deadline,
        })
    }

    fn closed(&self, f: &Frame) -> Option<Closed> {
        Closed::on(f.window.0, f.deadline, self.today())
    }

    /// The frame of a change by the unit's officer: theirs, and the period open.
    async fn open_frame(
        &self,
        viewer: &Viewer,
        (regime, unit, period): Key<'_>,
    ) -> Result<Frame, AppError> {
        let f = self.frame(regime, unit, period).await?;
        f.allow(viewer, true)?;
        if let Some(closed) = self.closed(&f) {
            return Err(AppError::conflict(closed.reason(true)));
        }
        Ok(f)
    }

    /// The entry form as the signed-in person may see it.
    pub async fn form(&self, viewer: &Viewer, key: Key<'_>) -> Result<EntryForm, AppError> {
        let f = self.frame(key.0, key.1, key.2).await?;
        let (may_enter, may_approve) = (f.allow(viewer, true), f.allow(viewer, false));
        if may_enter.is_err() && may_approve.is_err() {
            return Err(forbidden(&f.unit));
        }
        let (may_enter, may_approve) = (may_enter.is_ok(), may_approve.is_ok());
        let report = self
            .store
            .report(&f.set.regime, &f.unit.code, &f.period)
            .await?;
        let observed = self.recent(&f).await?;
        let history = history_of(&f, &observed);
        let value = |code: &str, p: Period| {
            observed
                .iter()
                .find(|o| o.indicator == code && o.period == p)
                .map(|o| o.value)
        };
        // The stored values checked again as they were when saved: a cell still wrong and a
        // value far from its history stay marked until they are put right, and the approver
        // sees the same marks the officer saw.
        let lang = crate::shell::layout::current_lang();
        let checked = report.as_ref().map_or_else(Checked::default, |r| {
            check_entry(
                &f.indicators,
                &inputs_of(r, &f.indicators, lang),
                &history,
                false,
                lang,
            )
        });
        let rows = f
            .indicators
            .iter()
            .map(|i| {
                let entered = report
                    .as_ref()
                    .and_then(|r| r.value_of(&i.code))
                    .and_then(|v| v.value);
                let outlier = entered.and_then(|v| {
                    history
                        .iter()
                        .find(|h| h.indicator == i.code)
                        .and_then(|h| far_from_history(v, &h.recent))
                });
                EntryRow {
                    previous: value(&i.code, f.period.prev()),
                    year_ago: value(&i.code, f.period.year_ago()),
                    published: value(&i.code, f.period),
                    outlier,
                    indicator: i.clone(),
                }
            })
            .collect();
        let submitted = report.as_ref().and_then(Report::submitted_on);
        let timeliness =
            f.set
                .rules
                .timeliness(&f.period, &f.calendar.days_off(), submitted, self.today());
        Ok(EntryForm {
            regime: f.set.regime.clone(),
            regime_name_vi: f.set.name_vi.clone(),
            regime_name_en: f.set.name_en.clone(),
            closed: self.closed(&f),
            previous_period: f.period.prev(),
            year_ago_period: f.period.year_ago(),
            window: f.window,
            deadline: f.deadline,
            today: self.today(),
            timeliness,
            rows,
            errors: checked.errors,
            warnings: checked.warnings,
            report,
            may_enter,
            may_approve,
            unit: f.unit,
            period: f.period,
        })
    }

    /// The unit's published values from a year before the period to the period itself.
    async fn recent(&self, f: &Frame) -> Result<Vec<Observation>, AppError> {
        let mut from = f.period;
        for _ in 0..13 {
            from = from.prev();
        }
        Ok(self
            .store
            .observations(&ObservationQuery {
                unit: Some(f.unit.code.clone()),
                from: Some(from),
                to: Some(f.period),
                ..Default::default()
            })
            .await?)
    }

    /// The stored report, checked against the version the form was read at.
    async fn current(&self, f: &Frame, version: i64) -> Result<Option<Report>, AppError> {
        let report = self
            .store
            .report(&f.set.regime, &f.unit.code, &f.period)
            .await?;
        if report.as_ref().map_or(0, |r| r.version) != version {
            return Err(AppError::conflict(CONFLICT));
        }
        Ok(report)
    }

    /// Saves the officer's values as a draft, or submits them (`submit`) to the approver.
    pub async fn save(
        &self,
        req: Request<'_>,
        key: Key<'_>,
        inputs: &[EntryInput],
        submit: bool,
    ) -> Result<EntryAnswer, AppError> {
        let f = self.open_frame(req.viewer, key).await?;
        // The window opens before the period does (December's runs from 15 November); its
        // figures may be drafted then, but not sent before the period has begun.
        if submit && f.period.start() > self.today() {
            return Err(AppError::conflict(format!(
                "Chưa gửi được báo cáo {} trước ngày {}; có thể lưu nháp. (Not before the period begins; save a draft.)",
                f.period.label_vi().to_lowercase(),
                crate::model::i18n::Lang::Vi.date(f.period.start())
            )));
        }
        let stored = self.current(&f, req.version).await?;
        if let Some(r) = &stored
            && !r.status.editable()
        {
            return Err(AppError::conflict(match r.status {
                ReportStatus::Approved => {
                    "Báo cáo đã phê duyệt và bị khóa: muốn sửa, hãy đề nghị đính chính kèm lý do. (Approved and locked: ask for a correction.)"
                }
                _ => {
                    "Báo cáo đã gửi, đang chờ phê duyệt: không sửa được lúc này. (Submitted: awaiting the approver.)"
                }
            }));
        }
        let history = self.history(&f).await?;
        let Checked {
            values,
            errors,
            warnings,
            unsavable,
        } = check_entry(
            &f.indicators,
            inputs,
            &history,
            submit,
            crate::shell::layout::current_lang(),
        );
        // A draft may keep a cell still wrong or a value to confirm later; a submission may
        // not.
        if unsavable || (submit && (!errors.is_empty() || !warnings.is_empty())) {
            return Ok(EntryAnswer::Refused { errors, warnings });
        }
        let mut report = stored.clone().unwrap_or_else(|| {
            Report::new(
                &f.set.regime,
                &f.unit.code,
                f.period,
                &req.viewer.username,
                self.now,
            )
        });
        report.values = values;
        report.updated_at = self.now;
        report.updated_by = req.viewer.username.clone();
        if submit {
            report.status = ReportStatus::Submitted;
            report.submitted_at = report.submitted_at.or(Some(self.now));
            report.submitted_by = Some(req.viewer.username.clone());
        }
        let action = if submit {
            "report_submit"
        } else {
            "report_save"
        };
        self.store_change(&req, stored.as_ref(), report, action, &[])
            .await
    }

    /// The approver approves (publishing the values and locking the report) or returns it.
    pub async fn decide(
        &self,
        req: Request<'_>,
        key: Key<'_>,
        decision: Decision,
        comment: &str,
    ) -> Result<EntryAnswer, AppError> {
        let f = self.frame(key.0, key.1, key.2).await?;
        f.allow(req.viewer, false)?;
        let comment =
            parse_comment(comment, decision == Decision::Return).map_err(AppError::invalid)?;
        let stored = self.current(&f, req.version).await?;
        let Some(stored) = stored.filter(|r| r.status == ReportStatus::Submitted) else {
            return Err(AppError::conflict(
                "Chỉ phê duyệt hoặc trả lại được báo cáo đã gửi. (Only a submitted report can be approved or returned.)",
            ));
        };
        let mut report = stored.clone();
        report.decided_at = Some(self.now);
        report.decided_by = Some(req.viewer.username.clone());
        report.comment = comment;
        report.updated_at = self.now;
        report.updated_by = req.viewer.username.clone();
        match decision {
            Decision::Return => {
                report.status = ReportStatus::Returned;
                self.store_change(&req, Some(&stored), report, "report_return", &[])
                    .await
            }
            Decision::Approve => {
                // The values go in exactly as the API's do: the same validation, then the same
                // storage (in the report's transaction), then the live stream.
                let rows: Vec<Result<RawRow, String>> = publishable(&stored)
                    .into_iter()
                    .map(|(indicator, value, note)| {
                        Ok(RawRow {
                            indicator: Ok(indicator),
                            unit: Ok(f.unit.code.clone()),
                            period: Ok(f.period.to_string()),
                            value: Ok(value),
                            note: Ok(note),
                            source_ref: Ok(Some(format!(
                                "Báo cáo {} kỳ {} ({})",
                                f.unit.code, f.period, f.set.regime
                            ))),
                        })
                    })
                    .collect();
                let unit_code = f.unit.code.clone();
                let batch = validate(
                    &rows,
                    &self.catalogue.indicators,
                    &self.catalogue.units,
                    self.today(),
                    |u| u == unit_code,
                )
                .map_err(|r| {
                    let errors = match r {
                        Refusal::Invalid(e) | Refusal::Forbidden(e) => e,
                    };
                    AppError::invalid(
                        errors
                            .into_iter()
                            .map(|e| e.reason)
                            .collect::<Vec<_>>()
                            .join("; "),
                    )
                })?;
                report.status = ReportStatus::Approved;
                report.correction = None;
                self.store_change(&req, Some(&stored), report, "report_approve", &batch)
                    .await
            }
        }
    }

    /// Reopens an approved report for a correction, with its reason; the published values stay
    /// until the corrected report is approved again.
    pub async fn reopen(
        &self,
        req: Request<'_>,
        key: Key<'_>,
        reason: &str,
    ) -> Result<EntryAnswer, AppError> {
        let f = self.open_frame(req.viewer, key).await?;
        let reason = parse_comment(reason, true).map_err(AppError::invalid)?;
        let stored = self.current(&f, req.version).await?;
        let Some(stored) = stored.filter(|r| r.status == ReportStatus::Approved) else {
            return Err(AppError::conflict(
                "Chỉ đề nghị đính chính được báo cáo đã phê duyệt. (Only an approved report can be corrected.)",
            ));
        };
        let mut report = stored.clone();
        report.status = ReportStatus::Draft;
        report.correction = reason;
        report.updated_at = self.now;
        report.updated_by = req.viewer.username.clone();
        self.store_change(&req, Some(&stored), report, "report_reopen", &[])
            .await
    }

    /// Checks a CSV file of values for the form (bulk entry): every line with its problem,
    /// nothing stored.
    pub async fn csv_preview(
        &self,
        viewer: &Viewer,
        key: Key<'_>,
        text: &str,
    ) -> Result<crate::model::report::CsvPreview, AppError> {
        let f = self.frame(key.0, key.1, key.2).await?;
        f.allow(viewer, true)?;
        let history = self.history(&f).await?;
        Ok(crate::reporting::csv::preview(
            &f.indicators,
            text,
            &history,
            crate::shell::layout::current_lang(),
        ))
    }

    /// The latest values before the period, newest first, per indicator of the data set.
    async fn history(&self, f: &Frame) -> Result<Vec<History>, AppError> {
        Ok(history_of(f, &self.recent(f).await?))
    }

    async fn store_change(
        &self,
        req: &Request<'_>,
        before: Option<&Report>,
        report: Report,
        action: &str,
        publish: &[crate::model::NewObservation],
    ) -> Result<EntryAnswer, AppError> {
        let summary = |r: &Report| {
            serde_json::json!({
                "status": r.status.as_str(),
                "values": r.values,
                "comment": r.comment,
                "correction": r.correction,
            })
            .to_string()
        };
        let audit = AuditEntry {
            action: action.to_string(),
            target: Some(format!(
                "{}/{} {}",
                report.unit, report.period, report.regime
            )),
            before: before.map(summary),
            after: Some(summary(&report)),
            unit: Some(report.unit.clone()),
            ..req.audit.clone()
        };
        self.store
            .save_report(&report, req.version, publish, &audit)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => AppError::conflict(CONFLICT),
                e => e.into(),
            })?;
        Ok(EntryAnswer::Saved {
            report: Box::new(Report {
                version: req.version + 1,
                ..report
            }),
        })
    }
}

/// Each indicator's latest published values before the period, newest first (up to 12).
fn history_of(f: &Frame, observed: &[Observation]) -> Vec<History> {
    f.indicators
        .iter()
        .map(|i| {
            let mut past: Vec<&Observation> = observed
                .iter()
                .filter(|o| o.indicator == i.code && o.period.start() < f.period.start())
                .collect();
            past.sort_by_key(|o| std::cmp::Reverse(o.period.start()));
            History {
                indicator: i.code.clone(),
                recent: past.iter().take(12).map(|o| o.value).collect(),
            }
        })
        .collect()
}

fn forbidden(unit: &Unit) -> AppError {
    AppError::forbidden(format!(
        "Bạn không phụ trách báo cáo của {}. (You do not report or approve for this unit.)",
        unit.name_vi
    ))
}
