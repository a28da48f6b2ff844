//! [ssr] The targets file: targets and plans as CSV, one per line, as `catalogue export targets`
//! writes and `catalogue import` and the targets page read (a file is a targets file when its
//! header has `indicator`, `unit` and `period`). A line for a year is that year's target (one
//! value, or a range up to `target_max`); a line for a month, quarter… is the plan's expected
//! value for it. A line with an empty target takes the target or plan point away.

use crate::catalogue::Problem;
use crate::catalogue::entry::Entry;
use crate::catalogue::file::{cell_problem, number, shown, table};
use crate::model::Period;
use crate::model::target::{TargetBook, TargetRow};

/// Every column, in the order an export writes them.
pub const COLUMNS: [&str; 5] = ["indicator", "unit", "period", "target", "target_max"];

/// One line: a target or plan point to set (`value` Some) or to take away.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetEntry {
    /// `GRDP_GROWTH/01/2026`, how the audit log and the problems name it.
    pub code: String,
    pub indicator: String,
    pub unit: String,
    pub period: Period,
    pub value: Option<f64>,
    pub value_max: Option<f64>,
}

impl TargetEntry {
    pub fn new(
        indicator: &str,
        unit: &str,
        period: Period,
        value: Option<f64>,
        value_max: Option<f64>,
    ) -> TargetEntry {
        TargetEntry {
            code: format!("{indicator}/{unit}/{period}"),
            indicator: indicator.into(),
            unit: unit.into(),
            period,
            value,
            value_max,
        }
    }

    /// The stored row it makes (None: it takes one away).
    pub fn row(&self) -> Option<TargetRow> {
        Some(TargetRow {
            indicator: self.indicator.clone(),
            unit: self.unit.clone(),
            period: self.period,
            value: self.value?,
            value_max: self.value_max,
        })
    }

    pub fn of(row: &TargetRow) -> TargetEntry {
        TargetEntry::new(
            &row.indicator,
            &row.unit,
            row.period,
            Some(row.value),
            row.value_max,
        )
    }
}

impl Entry for TargetEntry {
    const KIND: &'static str = "target";
    const NAME: (&'static str, &'static str) = ("Mục tiêu", "target");

    fn code(&self) -> &str {
        &self.code
    }

    /// A target set; one taken away reads as retired in the audit log.
    fn is_active(&self) -> bool {
        self.value.is_some()
    }

    fn cells(&self) -> Vec<(&'static str, String)> {
        let n = crate::catalogue::file::number_text;
        COLUMNS
            .into_iter()
            .zip([
                self.indicator.clone(),
                self.unit.clone(),
                self.period.to_string(),
                n(self.value),
                n(self.value_max),
            ])
            .collect()
    }

    fn notice(codes: Vec<String>) -> crate::model::live::CatalogueNotice {
        crate::model::live::CatalogueNotice {
            changed_targets: codes,
            ..Default::default()
        }
    }
}

/// One line of the targets file.
pub type TargetLine = crate::catalogue::entry::Line<TargetEntry>;

/// Whether `bytes` look like a targets file: a header with `indicator`, `unit` and `period`.
pub fn is_targets_file(bytes: &[u8]) -> bool {
    let columns = crate::catalogue::file::header_columns(bytes);
    ["indicator", "unit", "period"]
        .iter()
        .all(|c| columns.iter().any(|h| h == c))
}

/// Reads a targets file against the targets in force (`book`, to know a line's `new`): every
/// line that could be read, and every problem by line and column.
pub fn read(bytes: &[u8], book: &TargetBook) -> (Vec<TargetLine>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut lines = Vec::new();
    let Some(table) = table(
        bytes,
        &COLUMNS,
        &["indicator", "unit", "period", "target"],
        &mut problems,
    ) else {
        return (lines, problems);
    };
    if table.rows.is_empty() && problems.is_empty() {
        problems.push(cell_problem(
            0,
            "",
            "Tệp không có dòng mục tiêu nào (the file lists no target)".into(),
        ));
    }
    for (line, row) in &table.rows {
        let line = *line;
        let cell = |name: &str| table.cell(row, name).unwrap_or_default();
        let before = problems.len();
        let period = match Period::parse(cell("period")) {
            Ok(p) => Some(p),
            Err(e) => {
                problems.push(cell_problem(line, "period", e.to_string()));
                None
            }
        };
        let mut read_number = |column: &str| match number(cell(column)) {
            Ok(v) => v,
            Err(e) => {
                problems.push(cell_problem(line, column, e));
                None
            }
        };
        let value = read_number("target");
        let value_max = read_number("target_max");
        for column in ["indicator", "unit"] {
            if cell(column).is_empty() {
                problems.push(cell_problem(
                    line,
                    column,
                    format!("Thiếu {column} (required)"),
                ));
            }
        }
        if value.is_none() && value_max.is_some() {
            problems.push(cell_problem(
                line,
                "target",
                "Có target_max thì phải có target, đầu dưới của khoảng (a range needs its low end)"
                    .into(),
            ));
        }
        let (Some(period), true) = (period, problems.len() == before) else {
            continue;
        };
        let item = TargetEntry::new(cell("indicator"), cell("unit"), period, value, value_max);
        lines.push(line_of(line, item, book));
    }
    let dup = duplicate_keys(&lines);
    problems.extend(dup);
    problems.sort_by_key(|p| p.line);
    (lines, problems)
}

fn line_of(line: usize, item: TargetEntry, book: &TargetBook) -> TargetLine {
    let new = book
        .row(&item.indicator, &item.unit, &item.period)
        .is_none();
    TargetLine { line, item, new }
}

/// Entries read elsewhere (the API's JSON, the targets page) as the lines of a file, numbered
/// from 1 in their order, with a problem for the same target twice.
pub fn lines_of(entries: Vec<TargetEntry>, book: &TargetBook) -> (Vec<TargetLine>, Vec<Problem>) {
    let lines: Vec<TargetLine> = entries
        .into_iter()
        .enumerate()
        .map(|(i, item)| line_of(i + 1, item, book))
        .collect();
    let problems = duplicate_keys(&lines);
    (lines, problems)
}

/// The same indicator, unit and period on two lines of one file.
fn duplicate_keys(lines: &[TargetLine]) -> Vec<Problem> {
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    lines
        .iter()
        .filter_map(|l| {
            let first = seen.insert(l.item.code(), l.line)?;
            Some(cell_problem(
                l.line,
                "period",
                format!(
                    "“{}” đã có ở dòng {first} (the same target twice)",
                    shown(l.item.code())
                ),
            ))
        })
        .collect()
}

/// The targets file of every target and plan point in `book`.
pub fn write(book: &TargetBook) -> String {
    let entries: Vec<TargetEntry> = book.rows().into_iter().map(TargetEntry::of).collect();
    crate::catalogue::entry::write_file(&COLUMNS, &entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_reads_targets_ranges_plans_and_removals_and_writes_back() {
        let file = "indicator,unit,period,target,target_max\n\
                    GRDP_GROWTH,01,2026,8.3,8.5\n\
                    GRDP_GROWTH,01,2026-Q1,7.2,\n\
                    EXPORT_VALUE,VN,2026,,\n";
        let (lines, problems) = read(file.as_bytes(), &TargetBook::default());
        assert_eq!(problems, vec![]);
        assert_eq!(lines.len(), 3);
        let range = &lines[0].item;
        assert_eq!((range.value, range.value_max), (Some(8.3), Some(8.5)));
        assert_eq!(range.code, "GRDP_GROWTH/01/2026");
        assert!(
            lines[2].item.row().is_none(),
            "an empty target takes it away"
        );
        let book = TargetBook::new(lines.iter().filter_map(|l| l.item.row()).collect());
        let written = write(&book);
        let (again, _) = read(written.as_bytes(), &book);
        assert_eq!(again.len(), 2);
        assert!(again.iter().all(|l| !l.new));
    }

    #[test]
    fn problems_are_named_by_line_and_column() {
        let file = "indicator,unit,period,target,target_max\n\
                    GRDP_GROWTH,01,2026-13,8,\n\
                    GRDP_GROWTH,,2026,tám,\n\
                    GRDP_GROWTH,02,2026,,9\n\
                    GRDP_GROWTH,03,2026,8,\n\
                    GRDP_GROWTH,03,2026,8.1,\n";
        let (_, problems) = read(file.as_bytes(), &TargetBook::default());
        assert_eq!(
            crate::catalogue::at(&problems),
            [
                (2, "period"),
                (3, "target"),
                (3, "unit"),
                (4, "target"),
                (6, "period")
            ]
        );
        let (_, problems) = read(b"indicator,unit\nX,01\n", &TargetBook::default());
        assert_eq!(problems[0].line, 1, "{problems:?}");
    }
}
