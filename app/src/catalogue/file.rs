//! [ssr] The catalogue file: indicators as CSV, one per line, as `catalogue export` writes and
//! `catalogue import` and the administration page read. The built-in catalogue the program
//! ships with is a file of the same form. A column left out of an imported file keeps each
//! existing indicator's value (a file can change only names, say); a new indicator needs every
//! required column.

use crate::catalogue::Problem;
use crate::catalogue::entry::Entry;
use crate::model::formula::Formula;
use crate::model::target::StandingBy;
use crate::model::{
    ChangeKind, Field, GoodDirection, Indicator, NationalFigure, Periodicity, Rollup, UnitKind,
};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

/// Every column, in the order an export writes them.
pub const COLUMNS: [&str; 25] = [
    "code",
    "name_vi",
    "name_en",
    "field",
    "measure",
    "measure_vi",
    "periodicity",
    "rollup",
    "national",
    "good_direction",
    "change",
    "owner",
    "reported_by",
    "target",
    "decimals",
    "valid_min",
    "valid_max",
    "formula",
    "retired",
    "year_total",
    "standing_by",
    "at_risk_within",
    "consistency_within",
    "checked_against",
    "weight",
];

/// The columns a new indicator must have (the others have a default: no bound, no formula…).
pub const REQUIRED: [&str; 11] = [
    "code",
    "name_vi",
    "name_en",
    "measure",
    "measure_vi",
    "periodicity",
    "rollup",
    "good_direction",
    "owner",
    "reported_by",
    "decimals",
];

/// Largest file read (a catalogue of a few thousand indicators is well under it).
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;

/// One line of the catalogue file.
pub type Line = crate::catalogue::entry::Line<Indicator>;

impl crate::catalogue::entry::Entry for Indicator {
    const KIND: &'static str = "indicator";
    const NAME: (&'static str, &'static str) = ("Chỉ tiêu", "indicator");
    fn code(&self) -> &str {
        &self.code
    }
    fn is_active(&self) -> bool {
        Indicator::is_active(self)
    }
    fn cells(&self) -> Vec<(&'static str, String)> {
        COLUMNS.into_iter().zip(cells(self)).collect()
    }
    fn notice(codes: Vec<String>) -> crate::model::live::CatalogueNotice {
        crate::model::live::CatalogueNotice {
            changed_indicators: codes,
            ..Default::default()
        }
    }
}

pub(crate) fn cell_problem(line: usize, column: &str, message: String) -> Problem {
    Problem {
        line,
        column: column.to_string(),
        message,
    }
}

pub(crate) fn choice<T: Copy>(
    text: &str,
    all: &[T],
    as_str: fn(T) -> &'static str,
) -> Result<T, String> {
    all.iter()
        .copied()
        .find(|v| as_str(*v) == text)
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|v| as_str(*v)).collect();
            format!(
                "“{}” không hợp lệ; dùng một trong: {} (not one of the allowed values)",
                shown(text),
                names.join(", ")
            )
        })
}

pub(crate) fn shown(text: &str) -> String {
    text.chars().take(60).collect()
}

pub(crate) fn number(text: &str) -> Result<Option<f64>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(format!(
            "“{}” không phải số (viết dấu chấm thập phân, ví dụ 1234.5) (not a number)",
            shown(text)
        )),
    }
}

/// Sets one column of `ind` from its text; the reason when the text cannot be read.
fn set(ind: &mut Indicator, column: &str, text: &str) -> Result<(), String> {
    match column {
        "code" => ind.code = text.to_string(),
        "name_vi" => ind.name_vi = text.to_string(),
        "name_en" => ind.name_en = text.to_string(),
        "measure" => ind.measure = text.to_string(),
        "measure_vi" => ind.measure_vi = text.to_string(),
        "owner" => ind.owner = text.to_string(),
        "field" => ind.field = choice(text, &Field::ALL, Field::as_str)?,
        "periodicity" => ind.periodicity = choice(text, &Periodicity::ALL, Periodicity::as_str)?,
        "rollup" => ind.rollup = choice(text, &Rollup::ALL, Rollup::as_str)?,
        // Empty: the owner's figure (only a sum can be computed).
        "national" if text.is_empty() => ind.national = NationalFigure::Reported,
        "national" => ind.national = choice(text, &NationalFigure::ALL, NationalFigure::as_str)?,
        "good_direction" => {
            ind.good_direction = choice(text, &GoodDirection::ALL, GoodDirection::as_str)?
        }
        "change" => ind.change = choice(text, &ChangeKind::ALL, ChangeKind::as_str)?,
        "reported_by" => {
            let mut kinds = Vec::new();
            for k in text.split('|').map(str::trim).filter(|k| !k.is_empty()) {
                let kind = choice(k, &UnitKind::ALL, UnitKind::as_str)?;
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
            }
            if kinds.is_empty() {
                return Err(
                    "cần ít nhất một cấp báo cáo, ví dụ national|province (who reports it)".into(),
                );
            }
            ind.reported_by = kinds;
        }
        "target" => ind.target = number(text)?,
        "year_total" => {
            ind.year_total = match text {
                "" | "no" => false,
                "yes" => true,
                _ => {
                    return Err(format!(
                        "“{}”: viết yes (cộng dồn cả năm) hoặc no (year_total: yes or no)",
                        shown(text)
                    ));
                }
            }
        }
        "standing_by" if text.is_empty() => ind.standing_by = StandingBy::Auto,
        "standing_by" => ind.standing_by = choice(text, &StandingBy::ALL, StandingBy::as_str)?,
        "at_risk_within" => ind.at_risk_within = number(text)?,
        "consistency_within" => ind.consistency_within = number(text)?,
        "checked_against" => {
            ind.checked_against = (!text.is_empty()).then(|| text.to_string());
        }
        "weight" => ind.weight = (!text.is_empty()).then(|| text.to_string()),
        "valid_min" => ind.valid_min = number(text)?,
        "valid_max" => ind.valid_max = number(text)?,
        "decimals" => {
            ind.decimals = text.parse::<u8>().ok().filter(|d| *d <= 6).ok_or_else(|| {
                format!(
                    "“{}”: số chữ số thập phân là 0 đến 6 (decimals 0–6)",
                    shown(text)
                )
            })?
        }
        "formula" => {
            ind.formula = if text.is_empty() {
                None
            } else {
                Some(Formula::parse(text).map_err(|e| e.to_string())?)
            }
        }
        "retired" => {
            ind.retired_at = if text.is_empty() {
                None
            } else {
                let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                    format!(
                        "“{}”: ngày ngừng dùng viết YYYY-MM-DD, hoặc để trống (retired: a date or empty)",
                        shown(text)
                    )
                })?;
                // Kept as it was when the day is the same: a file exported and read back
                // changes nothing.
                match ind.retired_at {
                    Some(t) if retired_day(t) == day => Some(t),
                    _ => Some(start_of_day(day)),
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// The day (Viet Nam's) an indicator was retired, as the file writes it.
pub fn retired_day(t: DateTime<Utc>) -> NaiveDate {
    crate::model::vietnam_time(t).date()
}

pub(crate) fn start_of_day(day: NaiveDate) -> DateTime<Utc> {
    // Midnight in Viet Nam (UTC+7).
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - chrono::Duration::hours(7)
}

/// A number as the catalogue's files write it; empty for none.
pub(crate) fn number_text(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The cells of one indicator, in [`COLUMNS`] order.
pub fn cells(i: &Indicator) -> [String; 25] {
    [
        i.code.clone(),
        i.name_vi.clone(),
        i.name_en.clone(),
        i.field.as_str().into(),
        i.measure.clone(),
        i.measure_vi.clone(),
        i.periodicity.as_str().into(),
        i.rollup.as_str().into(),
        if i.rollup == Rollup::Sum && !i.is_derived() {
            i.national.as_str().into()
        } else {
            String::new()
        },
        i.good_direction.as_str().into(),
        i.change.as_str().into(),
        i.owner.clone(),
        i.reported_by
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join("|"),
        number_text(i.target),
        i.decimals.to_string(),
        number_text(i.valid_min),
        number_text(i.valid_max),
        i.formula
            .as_ref()
            .map(|f| f.as_str().to_string())
            .unwrap_or_default(),
        i.retired_at
            .map(|t| retired_day(t).to_string())
            .unwrap_or_default(),
        if i.year_total { "yes" } else { "no" }.into(),
        i.standing_by.as_str().into(),
        number_text(i.at_risk_within),
        number_text(i.consistency_within),
        i.checked_against.clone().unwrap_or_default(),
        i.weight.clone().unwrap_or_default(),
    ]
}

/// The catalogue file of `indicators`, header first.
pub fn write(indicators: &[Indicator]) -> String {
    crate::catalogue::entry::write_file(&COLUMNS, indicators)
}

/// The column names of a file's header line, as a quick look tells which kind of catalogue
/// file it is (the file is read properly after).
pub(crate) fn header_columns(bytes: &[u8]) -> Vec<String> {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let first = first.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(first);
    String::from_utf8_lossy(first)
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_string())
        .collect()
}

/// A CSV file's lines, checked for size, encoding and columns: the header, and each line that
/// is not blank with its number (the header is line 1) and its cells, trimmed.
pub(crate) struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// The cell of `column` in `row`, if the file has that column.
    pub fn cell<'r>(&self, row: &'r [String], column: &str) -> Option<&'r str> {
        self.header
            .iter()
            .position(|c| c == column)
            .and_then(|i| row.get(i))
            .map(String::as_str)
    }
}

/// Reads a CSV file whose columns are among `columns` and include every one of `required`;
/// every problem found goes to `problems` (a line with the wrong number of cells is left out).
/// None when the file as a whole cannot be read.
pub(crate) fn table(
    bytes: &[u8],
    columns: &[&str],
    required: &[&str],
    problems: &mut Vec<Problem>,
) -> Option<Table> {
    if bytes.len() > MAX_FILE_BYTES {
        problems.push(cell_problem(
            0,
            "",
            format!(
                "Tệp lớn quá {} MB (file too large)",
                MAX_FILE_BYTES / 1024 / 1024
            ),
        ));
        return None;
    }
    let Ok(text) = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) else {
        problems.push(cell_problem(
            0,
            "",
            "Tệp không phải văn bản UTF-8 (file is not UTF-8 text)".into(),
        ));
        return None;
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => {
            problems.push(cell_problem(
                1,
                "",
                format!("Không đọc được dòng tiêu đề: {e}"),
            ));
            return None;
        }
    };
    let before = problems.len();
    for (n, column) in header.iter().enumerate() {
        if !columns.contains(&column.as_str()) {
            problems.push(cell_problem(
                1,
                column,
                format!(
                    "Cột “{}” không có trong tệp loại này; các cột: {} (unknown column)",
                    shown(column),
                    columns.join(",")
                ),
            ));
        } else if header[..n].contains(column) {
            problems.push(cell_problem(
                1,
                column,
                "Cột lặp lại (duplicate column)".into(),
            ));
        }
    }
    for column in required {
        if !header.iter().any(|c| c == column) {
            problems.push(cell_problem(
                1,
                column,
                format!("Thiếu cột {column} (the {column} column is required)"),
            ));
        }
    }
    if problems.len() > before {
        return None;
    }
    let mut rows = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(cell_problem(line, "", format!("Dòng không đọc được: {e}")));
                continue;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            problems.push(cell_problem(
                line,
                "",
                format!(
                    "Dòng có {} ô, tiêu đề có {} cột (wrong number of cells)",
                    record.len(),
                    header.len()
                ),
            ));
            continue;
        }
        rows.push((line, record.iter().map(|c| c.trim().to_string()).collect()));
    }
    Some(Table { header, rows })
}

/// Reads a file of entries against the `current` ones: every line that could be read, and every
/// problem by line and column (a line with a problem is left out of the lines). A column left
/// out keeps the current entry's value; a new entry starts from `blank` and needs `required`.
pub(crate) fn read_entries<T: Entry>(
    bytes: &[u8],
    columns: &[&str],
    required: &[&str],
    current: &HashMap<String, T>,
    blank: impl Fn() -> T,
    set: impl Fn(&mut T, &str, &str) -> Result<(), String>,
) -> (Vec<crate::catalogue::entry::Line<T>>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut lines = Vec::new();
    let Some(table) = table(bytes, columns, &["code"], &mut problems) else {
        return (lines, problems);
    };
    let (name_vi, name_en) = T::NAME;
    if table.rows.is_empty() && problems.is_empty() {
        problems.push(cell_problem(
            0,
            "",
            format!(
                "Tệp không có dòng {} nào (the file lists no {name_en})",
                name_vi.to_lowercase()
            ),
        ));
    }
    for (line, row) in &table.rows {
        let line = *line;
        let cell = |name: &str| table.cell(row, name);
        let code = cell("code").unwrap_or_default().to_string();
        let existing = current.get(&code);
        let mut item = existing.cloned().unwrap_or_else(&blank);
        let mut ok = true;
        if existing.is_none() {
            let missing: Vec<&str> = required
                .iter()
                .copied()
                .filter(|c| cell(c).is_none_or(str::is_empty))
                .collect();
            if !missing.is_empty() {
                problems.push(cell_problem(
                    line,
                    missing[0],
                    format!(
                        "{name_vi} mới “{}” cần đủ các cột: thiếu {} (a new {name_en} needs every required column)",
                        shown(&code),
                        missing.join(", ")
                    ),
                ));
                ok = false;
            }
        }
        for (column, text) in table.header.iter().zip(row) {
            if let Err(message) = set(&mut item, column, text) {
                problems.push(cell_problem(line, column, message));
                ok = false;
            }
        }
        if ok {
            lines.push(crate::catalogue::entry::Line {
                line,
                item,
                new: existing.is_none(),
            });
        }
    }
    (lines, problems)
}

/// Reads a catalogue file against the `current` indicators (see [`read_entries`]).
pub fn read(bytes: &[u8], current: &HashMap<String, Indicator>) -> (Vec<Line>, Vec<Problem>) {
    read_entries(bytes, &COLUMNS, &REQUIRED, current, Indicator::default, set)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = include_str!("../../../server/catalogue/indicators.csv");

    #[test]
    fn the_built_in_file_reads_whole_and_writes_back_the_same() {
        let (lines, problems) = read(FILE.as_bytes(), &HashMap::new());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(lines.len(), 36);
        let indicators: Vec<Indicator> = lines.into_iter().map(|l| l.item).collect();
        assert_eq!(write(&indicators), FILE);
    }

    #[test]
    fn a_partial_file_changes_only_its_columns_and_problems_are_named_by_line() {
        let (lines, _) = read(FILE.as_bytes(), &HashMap::new());
        let current: HashMap<String, Indicator> = lines
            .into_iter()
            .map(|l| (l.item.code.clone(), l.item))
            .collect();
        let file = "code,name_en\nCPI_YOY,Consumer prices\n";
        let (lines, problems) = read(file.as_bytes(), &current);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(lines[0].item.name_en, "Consumer prices");
        assert_eq!(lines[0].item.name_vi, current["CPI_YOY"].name_vi);
        assert!(!lines[0].new);

        let file = "code,name_en,decimals,colour\nNEW_ONE,New,9,red\n";
        let (_, problems) = read(file.as_bytes(), &current);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].column, "colour");

        let file = "code,name_en,decimals\nNEW_ONE,New,9\nCPI_YOY,CPI,x\n";
        let (lines, problems) = read(file.as_bytes(), &current);
        assert!(lines.is_empty());
        assert_eq!(
            crate::catalogue::at(&problems),
            [(2, "name_vi"), (2, "decimals"), (3, "decimals")]
        );
        assert!(
            read(b"", &current).1[0].message.contains("tiêu đề")
                || !read(b"", &current).1.is_empty()
        );
        assert!(
            read(b"code\n", &current).1[0]
                .message
                .contains("không có dòng")
        );
    }
}
