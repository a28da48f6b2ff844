//! [ssr] The regimes file: reporting regimes as CSV, one per line, as `catalogue export
//! regimes` writes and `catalogue import` and the regimes page read (a file is a regimes file
//! when its header has the `kinds` column). As with indicators, a column left out keeps each
//! existing regime's value; a new regime needs every required column. Lists (kinds, units,
//! indicators) are written with `|` between codes.

use crate::catalogue::Problem;
use crate::catalogue::file::{choice, read_entries, retired_day, shown, start_of_day};
use crate::model::regime::{PERIODICITIES, REPORTING_KINDS, Regime, blank};
use crate::model::{Periodicity, UnitKind};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Every column, in the order an export writes them.
pub const COLUMNS: [&str; 12] = [
    "code",
    "name_vi",
    "name_en",
    "legal_basis",
    "periodicity",
    "kinds",
    "units",
    "cutoff_day",
    "deadline_working_days",
    "indicators",
    "in_force_from",
    "retired",
];

/// The columns a new regime must have (units default to every unit of the kinds, the cut-off
/// to the Decree's 14th).
pub const REQUIRED: [&str; 8] = [
    "code",
    "name_vi",
    "name_en",
    "legal_basis",
    "periodicity",
    "kinds",
    "deadline_working_days",
    "indicators",
];

/// Whether a file's first line is a regimes file's header (it names the `kinds` column, which
/// the indicators file does not have).
pub fn is_regimes_file(bytes: &[u8]) -> bool {
    crate::catalogue::file::header_columns(bytes)
        .iter()
        .any(|c| c == "kinds")
}

/// One line of the regimes file.
pub type RegimeLine = crate::catalogue::entry::Line<Regime>;

impl crate::catalogue::entry::Entry for Regime {
    const KIND: &'static str = "regime";
    const NAME: (&'static str, &'static str) = ("Chế độ báo cáo", "regime");
    fn code(&self) -> &str {
        &self.code
    }
    fn is_active(&self) -> bool {
        Regime::is_active(self)
    }
    fn cells(&self) -> Vec<(&'static str, String)> {
        COLUMNS.into_iter().zip(cells(self)).collect()
    }
    fn notice(codes: Vec<String>) -> crate::model::live::CatalogueNotice {
        crate::model::live::CatalogueNotice {
            changed_regimes: codes,
            ..Default::default()
        }
    }
}

fn list(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in text.split('|').map(str::trim).filter(|s| !s.is_empty()) {
        if !out.iter().any(|o| o == item) {
            out.push(item.to_string());
        }
    }
    out
}

fn small_number(
    text: &str,
    range: std::ops::RangeInclusive<u32>,
    what: &str,
) -> Result<u32, String> {
    text.parse::<u32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            format!(
                "“{}”: {what} là số từ {} đến {} ({what}: {}–{})",
                shown(text),
                range.start(),
                range.end(),
                range.start(),
                range.end()
            )
        })
}

/// Sets one column of `r` from its text; the reason when the text cannot be read.
pub fn set(r: &mut Regime, column: &str, text: &str) -> Result<(), String> {
    match column {
        "code" => r.code = text.to_string(),
        "name_vi" => r.name_vi = text.to_string(),
        "name_en" => r.name_en = text.to_string(),
        "legal_basis" => r.legal_basis = text.to_string(),
        "periodicity" => r.periodicity = choice(text, &PERIODICITIES, Periodicity::as_str)?,
        "kinds" => {
            r.kinds = list(text)
                .iter()
                .map(|k| choice(k, &REPORTING_KINDS, UnitKind::as_str))
                .collect::<Result<_, _>>()?
        }
        "units" => r.units = list(text),
        "cutoff_day" if text.is_empty() => r.rules.cutoff_day = 14,
        "cutoff_day" => r.rules.cutoff_day = small_number(text, 1..=31, "ngày chốt")?,
        "deadline_working_days" => {
            r.rules.deadline_working_days = small_number(text, 0..=30, "hạn gửi")?
        }
        "indicators" => r.indicators = list(text),
        "in_force_from" if text.is_empty() => r.in_force_from = None,
        "in_force_from" => {
            r.in_force_from = Some(NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                format!(
                    "“{}”: ngày áp dụng viết YYYY-MM-DD, hoặc để trống (in force from: a date or empty)",
                    shown(text)
                )
            })?)
        }
        "retired" => {
            r.retired_at = if text.is_empty() {
                None
            } else {
                let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                    format!(
                        "“{}”: ngày ngừng áp dụng viết YYYY-MM-DD, hoặc để trống (retired: a date or empty)",
                        shown(text)
                    )
                })?;
                match r.retired_at {
                    Some(t) if retired_day(t) == day => Some(t),
                    _ => Some(start_of_day(day)),
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// The cells of one regime, in [`COLUMNS`] order.
pub fn cells(r: &Regime) -> [String; 12] {
    [
        r.code.clone(),
        r.name_vi.clone(),
        r.name_en.clone(),
        r.legal_basis.clone(),
        r.periodicity.as_str().into(),
        r.kinds
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join("|"),
        r.units.join("|"),
        r.rules.cutoff_day.to_string(),
        r.rules.deadline_working_days.to_string(),
        r.indicators.join("|"),
        r.in_force_from.map(|d| d.to_string()).unwrap_or_default(),
        r.retired_at
            .map(|t| retired_day(t).to_string())
            .unwrap_or_default(),
    ]
}

/// The regimes file of `regimes`, header first.
pub fn write(regimes: &[Regime]) -> String {
    crate::catalogue::entry::write_file(&COLUMNS, regimes)
}

/// Reads a regimes file against the `current` regimes: every line that could be read, and every
/// problem by line and column.
pub fn read(bytes: &[u8], current: &HashMap<String, Regime>) -> (Vec<RegimeLine>, Vec<Problem>) {
    read_entries(bytes, &COLUMNS, &REQUIRED, current, blank, set)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "code,name_vi,name_en,legal_basis,periodicity,kinds,units,cutoff_day,deadline_working_days,indicators,in_force_from,retired
GNDTC-TUAN,Báo cáo giải ngân vốn đầu tư công hằng tuần,Weekly public-investment disbursement report,Nghị định 09/2019/NĐ-CP,weekly,ministry|province,,14,1,PUBINV_DISBURSED,2026-12-07,
";

    #[test]
    fn a_file_reads_whole_and_writes_back_the_same() {
        assert!(is_regimes_file(FILE.as_bytes()));
        assert!(!is_regimes_file(b"code,name_vi,reported_by\n"));
        let (lines, problems) = read(FILE.as_bytes(), &HashMap::new());
        assert!(problems.is_empty(), "{problems:?}");
        let r = &lines[0].item;
        assert_eq!(r.kinds, [UnitKind::Ministry, UnitKind::Province]);
        assert_eq!(r.periodicity, Periodicity::Weekly);
        assert_eq!(r.rules.deadline_working_days, 1);
        assert_eq!(r.in_force_from, "2026-12-07".parse().ok());
        assert!(lines[0].new);
        assert_eq!(write(std::slice::from_ref(r)), FILE);
    }

    #[test]
    fn cells_that_cannot_be_read_are_named() {
        let file = "code,name_vi,periodicity,kinds,cutoff_day,deadline_working_days\nX,Tên,daily,nation,32,31\n";
        let (lines, problems) = read(file.as_bytes(), &HashMap::new());
        assert!(lines.is_empty());
        let columns: Vec<&str> = problems.iter().map(|p| p.column.as_str()).collect();
        assert_eq!(
            columns,
            [
                "name_en",
                "periodicity",
                "kinds",
                "cutoff_day",
                "deadline_working_days"
            ],
            "{problems:?}"
        );
        assert!(problems.iter().all(|p| p.line == 2));
    }
}
