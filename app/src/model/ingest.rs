//! The one validation of values arriving from outside (API JSON and CSV, the simulator, approved
//! reports): every bad row is reported with its index, field and reason, and a batch with any is
//! refused whole.

use crate::model::{Indicator, NewObservation, Period, Unit, UnitCode};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A row as received, before validation; a field of the wrong type is already an error.
#[derive(Clone, Debug)]
pub struct RawRow {
    pub indicator: Result<String, String>,
    pub unit: Result<String, String>,
    pub period: Result<String, String>,
    pub value: Result<f64, String>,
    /// Optional fields: absent is `Ok(None)`.
    pub note: Result<Option<String>, String>,
    pub source_ref: Result<Option<String>, String>,
}

/// Longest `note` accepted, in characters.
pub const MAX_NOTE: usize = 1000;
/// Longest `source_ref` accepted, in characters.
pub const MAX_SOURCE_REF: usize = 200;

/// An optional text field: trimmed, empty is absent, control characters and overlong text refused.
fn optional_text(
    field: &Result<Option<String>, String>,
    max: usize,
) -> Result<Option<String>, String> {
    let Some(text) = field.clone()? else {
        return Ok(None);
    };
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > max {
        return Err(format!(
            "dài quá {max} ký tự (longer than {max} characters)"
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err("có ký tự điều khiển (contains control characters)".into());
    }
    Ok(Some(text.to_string()))
}

/// One problem with one row of a batch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RowError {
    /// Position of the row in the batch, from 0.
    pub index: usize,
    pub field: String,
    pub reason: String,
}

#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// Rows that are malformed or inconsistent with the catalogue (422).
    Invalid(Vec<RowError>),
    /// Rows for units the sender may not write (403); nothing else is reported then.
    Forbidden(Vec<RowError>),
}

/// Checks every row against the catalogue, today's date (no future periods) and the sender's
/// scope. `units` holds at least every unit the batch names that exists. A row that could not
/// be read at all (not an object, a broken CSV line) is `Err` with its reason.
pub fn validate(
    rows: &[Result<RawRow, String>],
    indicators: &HashMap<String, Indicator>,
    units: &HashMap<String, Unit>,
    today: NaiveDate,
    may_write: impl Fn(&str) -> bool,
) -> Result<Vec<NewObservation>, Refusal> {
    let mut errors = Vec::new();
    let mut forbidden = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        let row = match row {
            Ok(row) => row,
            Err(reason) => {
                errors.push(RowError {
                    index,
                    field: "row".into(),
                    reason: reason.clone(),
                });
                continue;
            }
        };
        let mut err = |field: &str, reason: String| {
            errors.push(RowError {
                index,
                field: field.into(),
                reason,
            })
        };
        let indicator = match &row.indicator {
            Ok(code) => match indicators.get(code) {
                Some(i) if !i.is_active() => {
                    err(
                        "indicator",
                        format!("chỉ tiêu “{code}” đã ngừng dùng (retired indicator)"),
                    );
                    None
                }
                Some(i) => Some(i),
                None => {
                    err(
                        "indicator",
                        format!("không có chỉ tiêu mã “{code}” (unknown indicator)"),
                    );
                    None
                }
            },
            Err(e) => {
                err("indicator", e.clone());
                None
            }
        };
        let unit = match &row.unit {
            Ok(code) => match UnitCode::parse(code) {
                Err(e) => {
                    err("unit", e.to_string());
                    None
                }
                Ok(c) => match units.get(c.as_str()) {
                    Some(u) => Some(u),
                    None => {
                        err("unit", format!("không có đơn vị mã “{c}” (unknown unit)"));
                        None
                    }
                },
            },
            Err(e) => {
                err("unit", e.clone());
                None
            }
        };
        let period = match &row.period {
            Ok(text) => match Period::parse(text) {
                Ok(p) => Some(p),
                Err(e) => {
                    err("period", e.to_string());
                    None
                }
            },
            Err(e) => {
                err("period", e.clone());
                None
            }
        };
        let value = match &row.value {
            Ok(v) if v.is_finite() => Some(*v),
            Ok(_) => {
                err(
                    "value",
                    "giá trị phải là số hữu hạn (the value must be a finite number)".into(),
                );
                None
            }
            Err(e) => {
                err("value", e.clone());
                None
            }
        };
        let note = optional_text(&row.note, MAX_NOTE)
            .map_err(|e| err("note", e))
            .ok();
        let source_ref = optional_text(&row.source_ref, MAX_SOURCE_REF)
            .map_err(|e| err("source_ref", e))
            .ok();
        if let (Some(u), Some(p)) = (unit, &period)
            && !u.reports(p)
        {
            err("period", not_in_force(u, p));
        }
        if let (Some(i), Some(u)) = (indicator, unit)
            && !i.is_reported_by(u.kind)
        {
            err(
                "unit",
                format!(
                    "{} không báo cáo chỉ tiêu {} (this kind of unit does not report it)",
                    u.kind.label_vi(),
                    i.code
                ),
            );
        }
        // A computed figure is never typed twice: the store computes it from its inputs.
        if let (Some(i), Some(u)) = (indicator, unit)
            && let Some(reason) = i.computed_for(&u.code)
        {
            err("indicator", reason);
        }
        if let (Some(i), Some(v)) = (indicator, value)
            && let Some(reason) = i.out_of_range(v)
        {
            err("value", reason);
        }
        if let (Some(i), Some(p)) = (indicator, period) {
            if p.periodicity() != i.periodicity {
                err(
                    "period",
                    format!(
                        "chỉ tiêu {} báo cáo theo {}, không theo kỳ “{p}” (wrong periodicity)",
                        i.code,
                        i.periodicity.label_vi()
                    ),
                );
            } else if p.start() > today {
                err(
                    "period",
                    format!("kỳ “{p}” chưa bắt đầu (the period is in the future)"),
                );
            }
        }
        if let Some(u) = unit
            && !may_write(&u.code)
        {
            forbidden.push(RowError {
                index,
                field: "unit".into(),
                reason: format!(
                    "không được ghi số liệu cho đơn vị {} (not allowed to write for this unit)",
                    u.code
                ),
            });
        }
        if let (Some(i), Some(u), Some(p), Some(v), Some(note), Some(source_ref)) =
            (indicator, unit, period, value, note, source_ref)
        {
            out.push(NewObservation {
                indicator: i.code.clone(),
                unit: u.code.clone(),
                period: p,
                value: v,
                note,
                source_ref,
                outlier: None,
            });
        }
    }
    if !forbidden.is_empty() {
        Err(Refusal::Forbidden(forbidden))
    } else if !errors.is_empty() {
        Err(Refusal::Invalid(errors))
    } else {
        Ok(out)
    }
}

/// Why a unit does not report a period: it had not started, or had ended, on its first day.
pub fn not_in_force(u: &Unit, p: &Period) -> String {
    let day = |d| crate::model::i18n::Lang::Vi.date(d);
    match (u.started, u.ended) {
        (Some(s), _) if p.start() < s => format!(
            "{} bắt đầu từ ngày {}: kỳ {p} do các đơn vị trước đó báo cáo ({} starts on {}; its predecessors report the period)",
            u.name_vi,
            day(s),
            u.code,
            day(s)
        ),
        (_, Some(e)) => format!(
            "{} kết thúc từ ngày {}: kỳ {p} do đơn vị kế thừa báo cáo ({} ends on {}; its successors report the period)",
            u.name_vi,
            day(e),
            u.code,
            day(e)
        ),
        _ => String::new(),
    }
}
