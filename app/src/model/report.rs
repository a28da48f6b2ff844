//! Báo cáo: one unit's submission of a data set for a period, from draft to approval.
//!
//! Drafts, submissions and returns live only in the report: nothing reaches the observations
//! (and so the wall) until an approver approves. Approval publishes the values through the one
//! path in and locks the report; a correction reopens it with a reason and needs approval again.
//! The checks here are pure functions, so the form in the browser and the server say the same.

use crate::model::{Indicator, Period};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Being filled in by the unit's officer.
    Draft,
    /// Sent to the unit's approver; read-only for the officer.
    Submitted,
    /// Sent back by the approver with a comment; the officer edits and submits again.
    Returned,
    /// Published and locked; only a correction (with a reason) reopens it.
    Approved,
}

impl ReportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Submitted => "submitted",
            ReportStatus::Returned => "returned",
            ReportStatus::Approved => "approved",
        }
    }

    pub fn parse(s: &str) -> Option<ReportStatus> {
        [
            ReportStatus::Draft,
            ReportStatus::Submitted,
            ReportStatus::Returned,
            ReportStatus::Approved,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    pub fn label(self, vi: bool) -> &'static str {
        match (self, vi) {
            (ReportStatus::Draft, true) => "Bản nháp",
            (ReportStatus::Draft, false) => "Draft",
            (ReportStatus::Submitted, true) => "Đã gửi, chờ phê duyệt",
            (ReportStatus::Submitted, false) => "Submitted, awaiting approval",
            (ReportStatus::Returned, true) => "Bị trả lại",
            (ReportStatus::Returned, false) => "Returned",
            (ReportStatus::Approved, true) => "Đã phê duyệt",
            (ReportStatus::Approved, false) => "Approved",
        }
    }

    /// Whether the officer may change the values.
    pub fn editable(self) -> bool {
        matches!(self, ReportStatus::Draft | ReportStatus::Returned)
    }
}

/// One indicator's entry in a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportValue {
    pub indicator: String,
    pub value: Option<f64>,
    /// The officer's note: required to confirm a value far from its history.
    pub note: Option<String>,
    /// What was typed when it is not yet a value the report can carry (a draft may keep a
    /// cell still wrong; submitting needs every cell right). `value` is then empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typed: Option<String>,
}

impl ReportValue {
    /// The value as the officer types it back into its field: a wrong cell as it was typed,
    /// a number in the writing of `lang` (no thousands separators), or nothing.
    pub fn as_typed(&self, lang: crate::model::i18n::Lang, decimals: u8) -> String {
        match (&self.typed, self.value) {
            (Some(typed), _) => typed.clone(),
            (None, Some(value)) => lang.plain_number(value, decimals),
            (None, None) => String::new(),
        }
    }
}

/// A report as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The regime it is made under (its code); stored reports from before regimes were data
    /// read theirs from the row.
    #[serde(default)]
    pub regime: String,
    pub unit: String,
    pub period: Period,
    pub status: ReportStatus,
    /// Goes up by one on every change; a save naming an older version is a conflict.
    pub version: i64,
    pub values: Vec<ReportValue>,
    /// The first submission: what timeliness is judged by.
    pub submitted_at: Option<DateTime<Utc>>,
    pub submitted_by: Option<String>,
    /// The approver's last decision (approve or return) and its comment.
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub comment: Option<String>,
    /// Why an approved report was reopened; kept with every value it publishes again.
    pub correction: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

impl Report {
    pub fn new(regime: &str, unit: &str, period: Period, by: &str, now: DateTime<Utc>) -> Report {
        Report {
            regime: regime.to_string(),
            unit: unit.to_string(),
            period,
            status: ReportStatus::Draft,
            version: 0,
            values: Vec::new(),
            submitted_at: None,
            submitted_by: None,
            decided_at: None,
            decided_by: None,
            comment: None,
            correction: None,
            updated_at: now,
            updated_by: by.to_string(),
        }
    }

    /// The day of the first submission in Viet Nam: what timeliness is judged by.
    pub fn submitted_on(&self) -> Option<NaiveDate> {
        submitted_on(self.submitted_at)
    }

    pub fn value_of(&self, indicator: &str) -> Option<&ReportValue> {
        self.values.iter().find(|v| v.indicator == indicator)
    }
}

/// Why a period's form cannot be changed now, or `None` when it is open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Closed {
    /// The period's window has not begun.
    NotYetOpen { opens: NaiveDate },
    /// More than [`ENTRY_OPEN_DAYS_AFTER_DEADLINE`] days past the deadline.
    Expired { deadline: NaiveDate },
}

/// Days after the deadline a late report may still be entered (it is then marked late).
pub const ENTRY_OPEN_DAYS_AFTER_DEADLINE: u64 = 90;

impl Closed {
    pub fn reason(&self, vi: bool) -> String {
        match (self, vi) {
            (Closed::NotYetOpen { opens }, true) => {
                format!(
                    "Kỳ này chưa mở: nhập từ ngày {}.",
                    crate::model::i18n::Lang::Vi.date(*opens)
                )
            }
            (Closed::NotYetOpen { opens }, false) => {
                format!("This period is not open yet: entry opens on {opens}.")
            }
            (Closed::Expired { deadline }, true) => format!(
                "Kỳ này đã đóng: hạn gửi là {}, quá {ENTRY_OPEN_DAYS_AFTER_DEADLINE} ngày. Sửa số liệu cũ bằng đề nghị đính chính qua Văn phòng Chính phủ.",
                crate::model::i18n::Lang::Vi.date(*deadline)
            ),
            (Closed::Expired { deadline }, false) => format!(
                "This period is closed: it was due on {deadline}, more than {ENTRY_OPEN_DAYS_AFTER_DEADLINE} days ago."
            ),
        }
    }

    /// Whether a period with this window and deadline is closed to entry on `today`.
    pub fn on(window_start: NaiveDate, deadline: NaiveDate, today: NaiveDate) -> Option<Closed> {
        if today < window_start {
            Some(Closed::NotYetOpen {
                opens: window_start,
            })
        } else if today > deadline + chrono::Days::new(ENTRY_OPEN_DAYS_AFTER_DEADLINE) {
            Some(Closed::Expired { deadline })
        } else {
            None
        }
    }
}

/// What the officer typed for one indicator.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EntryInput {
    pub indicator: String,
    pub value: String,
    pub note: String,
}

/// A problem with one field of the form (`indicator` is the row; empty for the whole form).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldIssue {
    pub indicator: String,
    pub message: String,
}

/// The form after checking: the values read, refusals, and warnings that a note confirms.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Checked {
    pub values: Vec<ReportValue>,
    pub errors: Vec<FieldIssue>,
    /// Values far from their history without a note yet.
    pub warnings: Vec<FieldIssue>,
    /// Errors that not even a draft may keep (a note too long, an indicator not in the
    /// report): the rest are cells a draft keeps as typed.
    pub unsavable: bool,
}

/// Longest note on a value.
pub const MAX_VALUE_NOTE: usize = 500;

/// The recent history of one indicator for the unit, to judge whether a value is plausible.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    pub indicator: String,
    /// The latest values before the period, newest first (up to 12).
    pub recent: Vec<f64>,
}

/// Whether `value` is far from `recent` (newest first), and the usual range if so: the same
/// rule that flags a value arriving from outside.
pub fn far_from_history(value: f64, recent: &[f64]) -> Option<(f64, f64)> {
    crate::model::observation::Usual::far(value, recent).map(|u| (u.low, u.high))
}

/// Checks a form for `indicators` (the data set, in order). With `complete`, every indicator
/// needs a value (submitting); without, empty fields are allowed (a draft).
pub fn check_entry(
    indicators: &[Indicator],
    inputs: &[EntryInput],
    history: &[History],
    complete: bool,
    lang: crate::model::i18n::Lang,
) -> Checked {
    let mut out = Checked::default();
    let issue = |list: &mut Vec<FieldIssue>, indicator: &str, message: String| {
        list.push(FieldIssue {
            indicator: indicator.to_string(),
            message,
        })
    };
    for input in inputs {
        if !indicators.iter().any(|i| i.code == input.indicator) {
            let shown: String = input.indicator.chars().take(40).collect();
            issue(
                &mut out.errors,
                "",
                format!("Chỉ tiêu “{shown}” không thuộc báo cáo này. (Not in this report.)"),
            );
            out.unsavable = true;
        }
    }
    for ind in indicators {
        let input = inputs.iter().find(|i| i.indicator == ind.code);
        let text = input.map(|i| i.value.as_str()).unwrap_or("");
        // A derived figure is computed by the store from its inputs, never typed twice.
        if let Some(formula) = &ind.formula {
            if !text.trim().is_empty() {
                issue(
                    &mut out.errors,
                    &ind.code,
                    format!(
                        "Chỉ tiêu này được tính tự động theo công thức {}, không nhập. (Computed from its formula, not typed.)",
                        formula.as_str()
                    ),
                );
            }
            continue;
        }
        let note = input.map(|i| i.note.trim()).unwrap_or("");
        if note.chars().count() > MAX_VALUE_NOTE
            || note.chars().any(|c| c.is_control() && c != '\n')
        {
            issue(
                &mut out.errors,
                &ind.code,
                format!(
                    "Ghi chú tối đa {MAX_VALUE_NOTE} ký tự, không có ký tự điều khiển. (At most {MAX_VALUE_NOTE} characters.)"
                ),
            );
            out.unsavable = true;
            continue;
        }
        let note = Some(note.to_string()).filter(|n| !n.is_empty());
        // A cell still wrong: refused, and kept as typed in a draft.
        let wrong = |out: &mut Checked, message: String| {
            issue(&mut out.errors, &ind.code, message);
            out.values.push(ReportValue {
                indicator: ind.code.clone(),
                value: None,
                note: note.clone(),
                typed: Some(text.trim().chars().take(100).collect()),
            });
        };
        let value = match crate::model::typed_number::read(text, lang) {
            Ok(v) => v,
            Err(e) => {
                wrong(&mut out, e);
                continue;
            }
        };
        let Some(typed) = value else {
            if complete {
                issue(
                    &mut out.errors,
                    &ind.code,
                    "Cần nhập số liệu trước khi gửi. (Required before submitting.)".into(),
                );
            }
            out.values.push(ReportValue {
                indicator: ind.code.clone(),
                value: None,
                note,
                typed: None,
            });
            continue;
        };
        let v = typed.value;
        // More decimals than the indicator keeps: said, never rounded away silently.
        if !keeps(v, ind.decimals) {
            let d = ind.decimals;
            let meant = typed
                .ambiguous
                .then(|| crate::model::typed_number::other_reading(text, lang))
                .flatten()
                .filter(|o| keeps(*o, d));
            let (hint_vi, hint_en) = match meant {
                Some(o) => (
                    format!(
                        " Nếu ý là {} ({}), hãy viết {}.",
                        crate::model::typed_number::in_words(o, 0, crate::model::i18n::Lang::Vi),
                        crate::model::i18n::Lang::Vi.number(o, d),
                        crate::model::i18n::Lang::Vi.number(o, d),
                    ),
                    format!(
                        " If you meant {}, write {}.",
                        crate::model::typed_number::in_words(o, 0, crate::model::i18n::Lang::En),
                        lang.number(o, d)
                    ),
                ),
                None => (String::new(), String::new()),
            };
            wrong(
                &mut out,
                format!(
                    "Chỉ tiêu này ghi {d} chữ số thập phân; {} có nhiều hơn: hãy tự làm tròn, hệ thống không làm tròn thay.{hint_vi} (This indicator keeps {d} decimals: round the figure yourself.{hint_en})",
                    text.trim()
                ),
            );
            continue;
        }
        if let Some(reason) = ind.out_of_range(v) {
            wrong(&mut out, reason);
            continue;
        }
        if note.is_none()
            && let Some((lo, hi)) = history
                .iter()
                .find(|h| h.indicator == ind.code)
                .and_then(|h| far_from_history(v, &h.recent))
        {
            issue(
                &mut out.warnings,
                &ind.code,
                format!(
                    "Khác xa các kỳ gần đây (thường trong khoảng {} – {}): kiểm tra lại, hoặc ghi chú lý do để xác nhận. (Far from recent periods: check it, or add a note to confirm.)",
                    crate::model::i18n::Lang::Vi.number(lo, ind.decimals),
                    crate::model::i18n::Lang::Vi.number(hi, ind.decimals),
                ),
            );
        }
        out.values.push(ReportValue {
            indicator: ind.code.clone(),
            value: Some(v),
            note,
            typed: None,
        });
    }
    out
}

/// The form's inputs that give back a stored report's values: what the officer typed, in the
/// writing of `lang`, so that checking them again says what checking them then said.
pub fn inputs_of(
    report: &Report,
    indicators: &[Indicator],
    lang: crate::model::i18n::Lang,
) -> Vec<EntryInput> {
    report
        .values
        .iter()
        .map(|v| {
            let decimals = indicators
                .iter()
                .find(|i| i.code == v.indicator)
                .map_or(6, |i| i.decimals);
            EntryInput {
                indicator: v.indicator.clone(),
                value: v.as_typed(lang, decimals),
                note: v.note.clone().unwrap_or_default(),
            }
        })
        .collect()
}

fn round_to(v: f64, decimals: u8) -> f64 {
    let f = 10f64.powi(decimals.min(6) as i32);
    (v * f).round() / f
}

/// Whether `v` is written with at most `decimals` decimals (nothing would be lost rounding it).
fn keeps(v: f64, decimals: u8) -> bool {
    (round_to(v, decimals) - v).abs() <= 1e-9 * v.abs().max(1.0)
}

/// One row of the entry form: the indicator, its recent history and what was entered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryRow {
    pub indicator: Indicator,
    /// The value for the period before, and for the same period a year earlier (published).
    pub previous: Option<f64>,
    pub year_ago: Option<f64>,
    /// The value now published for this period (before a correction is approved).
    pub published: Option<f64>,
    /// The usual range of the recent periods, when the report's value lies far outside it
    /// (shown whether or not a note confirmed it: the approver sees what the officer saw).
    pub outlier: Option<(f64, f64)>,
}

/// Everything the entry form for one unit and period shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryForm {
    /// The regime's code and names (Vietnamese, English).
    pub regime: String,
    pub regime_name_vi: String,
    pub regime_name_en: String,
    pub unit: crate::model::Unit,
    pub period: Period,
    pub previous_period: Period,
    pub year_ago_period: Period,
    pub window: (NaiveDate, NaiveDate),
    pub deadline: NaiveDate,
    pub today: NaiveDate,
    pub timeliness: crate::model::reporting::Timeliness,
    /// Why nobody may change the values now, if so.
    pub closed: Option<Closed>,
    pub rows: Vec<EntryRow>,
    /// The stored values checked again: cells still wrong (a draft keeps them as typed) and
    /// values far from their history without a note.
    pub errors: Vec<FieldIssue>,
    pub warnings: Vec<FieldIssue>,
    /// The report as stored, if one was started.
    pub report: Option<Report>,
    /// What the signed-in person may do here.
    pub may_enter: bool,
    pub may_approve: bool,
}

impl EntryForm {
    /// The version a save must name (0: nothing stored yet).
    pub fn version(&self) -> i64 {
        self.report.as_ref().map_or(0, |r| r.version)
    }

    pub fn status(&self) -> ReportStatus {
        self.report
            .as_ref()
            .map_or(ReportStatus::Draft, |r| r.status)
    }
}

/// What a save, a submission or a decision came to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum EntryAnswer {
    /// Stored: the report as it now is (boxed: a report is much larger than a refusal).
    Saved { report: Box<Report> },
    /// Nothing stored: the problems beside their fields; warnings go through with a note.
    Refused {
        errors: Vec<FieldIssue>,
        warnings: Vec<FieldIssue>,
    },
}

/// What the approver decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Return,
}

/// Longest comment of an approver or reason of a correction.
pub const MAX_COMMENT: usize = 1000;

/// Reads an approver's comment or a correction's reason: trimmed, required when `required`.
pub fn parse_comment(text: &str, required: bool) -> Result<Option<String>, String> {
    let t = text.trim();
    if t.is_empty() {
        return if required {
            Err("Cần ghi rõ lý do. (A reason is required.)".into())
        } else {
            Ok(None)
        };
    }
    if t.chars().count() > MAX_COMMENT || t.chars().any(|c| c.is_control() && c != '\n') {
        return Err(format!(
            "Tối đa {MAX_COMMENT} ký tự, không có ký tự điều khiển. (At most {MAX_COMMENT} characters.)"
        ));
    }
    Ok(Some(t.to_string()))
}

/// One line of a CSV file of values, as read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CsvLine {
    /// The line in the file (the header is line 1).
    pub line: usize,
    pub indicator: String,
    /// As written in the file.
    pub value: String,
    /// The number read from it, if any.
    pub read: Option<f64>,
    /// Why the line cannot be taken.
    pub error: Option<String>,
    /// Taken, but to be confirmed with a note (far from its history).
    pub warning: Option<String>,
}

/// A CSV file checked for one report: nothing is stored until the officer applies it to the
/// form and saves; a file with any error cannot be applied (all or nothing).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CsvPreview {
    /// Problems with the file as a whole (encoding, columns, size).
    pub file_errors: Vec<String>,
    pub lines: Vec<CsvLine>,
    /// What the form is filled with when applied.
    pub inputs: Vec<EntryInput>,
}

impl CsvPreview {
    pub fn applicable(&self) -> bool {
        self.file_errors.is_empty()
            && !self.lines.is_empty()
            && self.lines.iter().all(|l| l.error.is_none())
    }
}

/// A stored report's state, without its values (for completeness across units).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportState {
    pub regime: String,
    pub unit: String,
    pub period: Period,
    pub status: ReportStatus,
    pub submitted_at: Option<DateTime<Utc>>,
}

fn submitted_on(at: Option<DateTime<Utc>>) -> Option<NaiveDate> {
    at.map(|t| crate::model::vietnam_time(t).date())
}

impl ReportState {
    pub fn submitted_on(&self) -> Option<NaiveDate> {
        submitted_on(self.submitted_at)
    }

    pub fn of(r: &Report) -> ReportState {
        ReportState {
            regime: r.regime.clone(),
            unit: r.unit.clone(),
            period: r.period,
            status: r.status,
            submitted_at: r.submitted_at,
        }
    }
}

/// One unit's report for one period, as leaders see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportLine {
    /// The regime's code and names (Vietnamese, English).
    pub regime: String,
    pub name_vi: String,
    pub name_en: String,
    pub period: Period,
    pub deadline: NaiveDate,
    pub status: Option<ReportStatus>,
    pub timeliness: crate::model::reporting::Timeliness,
}

/// The reports of one kind of unit under one regime for one period: on time, late, missing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Completeness {
    /// The regime's code and names (Vietnamese, English).
    pub regime: String,
    pub name_vi: String,
    pub name_en: String,
    pub kind: crate::model::UnitKind,
    pub period: Period,
    pub deadline: NaiveDate,
    pub expected: usize,
    pub on_time: usize,
    pub late: usize,
    /// Not submitted and not yet due.
    pub not_due: usize,
    /// Not submitted although due, by name.
    pub missing: Vec<crate::model::Unit>,
}

/// A report's values, ready for the one path in (indicator, value, note).
pub fn publishable(report: &Report) -> Vec<(String, f64, Option<String>)> {
    report
        .values
        .iter()
        .filter_map(|v| {
            let note = match (&report.correction, &v.note) {
                (Some(c), Some(n)) => Some(format!("Đính chính: {c}. {n}")),
                (Some(c), None) => Some(format!("Đính chính: {c}")),
                (None, n) => n.clone(),
            };
            v.value.map(|x| (v.indicator.clone(), x, note))
        })
        .collect()
}

/// An indicator of the provinces' monthly report, for tests of the checks.
#[cfg(test)]
pub(crate) fn test_indicator(code: &str, measure: &str) -> Indicator {
    use crate::model::{ChangeKind, GoodDirection, Periodicity, Rollup, UnitKind};
    Indicator {
        code: code.into(),
        name_vi: code.into(),
        name_en: code.into(),
        measure: measure.into(),
        measure_vi: measure.into(),
        periodicity: Periodicity::Monthly,
        rollup: Rollup::Sum,
        good_direction: GoodDirection::Up,
        owner: "BCT".into(),
        reported_by: vec![UnitKind::Province],
        target: None,
        decimals: 1,
        change: if measure.starts_with('%') {
            ChangeKind::Points
        } else {
            ChangeKind::Percent
        },
        valid_min: Some(0.0),
        valid_max: measure.starts_with("% of").then_some(100.0),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::test_indicator as ind;
    use super::*;
    use crate::model::i18n::Lang;

    fn input(code: &str, value: &str, note: &str) -> EntryInput {
        EntryInput {
            indicator: code.into(),
            value: value.into(),
            note: note.into(),
        }
    }
    fn set() -> Vec<Indicator> {
        vec![
            ind("EXPORT_VALUE", "million USD"),
            ind("IMPORT_VALUE", "million USD"),
            Indicator {
                formula: Some(
                    crate::model::formula::Formula::parse("EXPORT_VALUE - IMPORT_VALUE").unwrap(),
                ),
                valid_min: None,
                ..ind("TRADE_BALANCE", "million USD")
            },
            ind("ONLINE_DOSSIERS", "% of dossiers"),
            ind("NEW_ENTERPRISES", "enterprises"),
        ]
    }

    #[test]
    fn numbers_in_both_conventions_are_read_and_bad_ones_refused_by_field() {
        let c = check_entry(
            &set(),
            &[
                input("EXPORT_VALUE", "1.234,5", ""),
                input("IMPORT_VALUE", "1,034.5", ""),
                input("ONLINE_DOSSIERS", "ba mươi", ""),
                input("NEW_ENTERPRISES", "-3", ""),
            ],
            &[],
            false,
            Lang::Vi,
        );
        let value = |code: &str| c.values.iter().find(|v| v.indicator == code).unwrap().value;
        assert_eq!(value("EXPORT_VALUE"), Some(1234.5));
        assert_eq!(value("IMPORT_VALUE"), Some(1034.5));
        let fields: Vec<&str> = c.errors.iter().map(|e| e.indicator.as_str()).collect();
        assert_eq!(fields, ["ONLINE_DOSSIERS", "NEW_ENTERPRISES"]);
        assert!(c.errors[1].message.contains("không được âm"));
    }

    #[test]
    fn a_draft_may_be_partial_but_a_submission_needs_every_value() {
        let partial = [
            input("EXPORT_VALUE", "10", ""),
            input("IMPORT_VALUE", "", ""),
        ];
        assert!(
            check_entry(&set(), &partial, &[], false, Lang::Vi)
                .errors
                .is_empty()
        );
        let sent = check_entry(&set(), &partial, &[], true, Lang::Vi);
        // Imports, dossiers and enterprises; the trade balance is computed.
        assert_eq!(sent.errors.len(), 3, "{:?}", sent.errors);
        assert!(
            sent.errors
                .iter()
                .all(|e| e.message.contains("trước khi gửi"))
        );
    }

    #[test]
    fn the_trade_balance_is_computed_never_typed() {
        let with = |tb: &str| {
            check_entry(
                &set(),
                &[
                    input("EXPORT_VALUE", "1000,4", ""),
                    input("IMPORT_VALUE", "900,3", ""),
                    input("TRADE_BALANCE", tb, ""),
                    input("ONLINE_DOSSIERS", "50", ""),
                    input("NEW_ENTERPRISES", "10", ""),
                ],
                &[],
                true,
                Lang::Vi,
            )
        };
        // Not typed: a complete report needs no value for it, and none is kept.
        let computed = with("");
        assert!(computed.errors.is_empty(), "{:?}", computed.errors);
        assert!(
            computed
                .values
                .iter()
                .all(|v| v.indicator != "TRADE_BALANCE")
        );
        let typed = with("100,1");
        assert_eq!(typed.errors.len(), 1);
        assert_eq!(typed.errors[0].indicator, "TRADE_BALANCE");
        assert!(
            typed.errors[0].message.contains("tính tự động"),
            "{}",
            typed.errors[0].message
        );
        // A negative balance is a deficit, not an error.
        assert!(set()[2].out_of_range(-40.0).is_none());
    }

    #[test]
    fn a_figure_with_more_decimals_than_kept_is_refused_not_rounded() {
        // 1,500 in a count field on the Vietnamese page reads one and a half: refused with the
        // reading the writer probably meant; on the English page it is fifteen hundred.
        let count = [Indicator {
            decimals: 0,
            ..ind("NEW_ENTERPRISES", "enterprises")
        }];
        let typed = |text: &str, lang| {
            check_entry(
                &count,
                &[input("NEW_ENTERPRISES", text, "")],
                &[],
                false,
                lang,
            )
        };
        let vi = typed("1,500", Lang::Vi);
        assert_eq!(vi.errors.len(), 1, "{:?}", vi.errors);
        let m = &vi.errors[0].message;
        assert!(
            m.contains("làm tròn") && m.contains("một nghìn năm trăm") && m.contains("1.500"),
            "{m}"
        );
        let en = typed("1,500", Lang::En);
        assert!(en.errors.is_empty(), "{:?}", en.errors);
        assert_eq!(en.values[0].value, Some(1500.0));
        // 1.234,5 in a field of one decimal is kept whole; in a count it is refused.
        let c = check_entry(
            &set(),
            &[input("EXPORT_VALUE", "1.234,5", "")],
            &[],
            false,
            Lang::Vi,
        );
        assert_eq!(c.values[0].value, Some(1234.5));
        assert_eq!(typed("1.234,5", Lang::Vi).errors.len(), 1);
        assert!(
            typed("1.234,0", Lang::Vi).errors.is_empty(),
            "trailing zeros are not decimals"
        );
    }

    #[test]
    fn shares_stay_within_0_and_100_and_unknown_rows_are_refused() {
        let c = check_entry(
            &set(),
            &[input("ONLINE_DOSSIERS", "100,5", ""), input("GDP", "1", "")],
            &[],
            false,
            Lang::Vi,
        );
        assert_eq!(c.errors.len(), 2);
        assert!(c.errors.iter().any(|e| e.message.contains("không thuộc")));
        assert!(c.errors.iter().any(|e| e.message.contains("từ 0 đến 100")));
    }

    #[test]
    fn a_value_far_from_its_history_is_a_warning_a_note_confirms() {
        let history = [History {
            indicator: "NEW_ENTERPRISES".into(),
            recent: vec![300.0, 320.0, 310.0, 290.0, 305.0],
        }];
        let far = [input("NEW_ENTERPRISES", "3100", "")];
        let c = check_entry(&set(), &far, &history, false, Lang::Vi);
        assert!(c.errors.is_empty());
        assert_eq!(c.warnings.len(), 1);
        assert!(c.warnings[0].message.contains("ghi chú"));
        let noted = [input("NEW_ENTERPRISES", "3100", "Đợt đăng ký tập trung")];
        assert!(
            check_entry(&set(), &noted, &history, false, Lang::Vi)
                .warnings
                .is_empty()
        );
        let usual = [input("NEW_ENTERPRISES", "330", "")];
        assert!(
            check_entry(&set(), &usual, &history, false, Lang::Vi)
                .warnings
                .is_empty()
        );
        // Too little history to judge: no warning.
        assert_eq!(far_from_history(3100.0, &[300.0, 310.0]), None);
    }

    #[test]
    fn a_period_opens_with_its_window_and_closes_long_after_its_deadline() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let (start, deadline) = (d("2026-10-15"), d("2026-11-17"));
        assert_eq!(
            Closed::on(start, deadline, d("2026-10-14")),
            Some(Closed::NotYetOpen { opens: start })
        );
        assert_eq!(Closed::on(start, deadline, d("2026-10-15")), None);
        assert_eq!(Closed::on(start, deadline, d("2026-12-01")), None);
        assert_eq!(Closed::on(start, deadline, d("2027-02-15")), None);
        assert!(matches!(
            Closed::on(start, deadline, d("2027-02-16")),
            Some(Closed::Expired { .. })
        ));
    }

    #[test]
    fn a_correction_carries_its_reason_into_every_published_value() {
        let mut r = Report::new(
            "KTXH-THANG",
            "01",
            Period::parse("2026-10").unwrap(),
            "a",
            Utc::now(),
        );
        r.values = vec![
            ReportValue {
                indicator: "EXPORT_VALUE".into(),
                value: Some(5.0),
                note: None,
                typed: None,
            },
            ReportValue {
                indicator: "IMPORT_VALUE".into(),
                value: None,
                note: None,
                typed: None,
            },
        ];
        assert_eq!(publishable(&r), vec![("EXPORT_VALUE".into(), 5.0, None)]);
        r.correction = Some("sai đơn vị".into());
        assert_eq!(
            publishable(&r)[0].2.as_deref(),
            Some("Đính chính: sai đơn vị")
        );
    }
}
