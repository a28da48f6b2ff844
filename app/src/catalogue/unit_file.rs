//! [ssr] The units file: units as CSV, one per line, as `catalogue export units` writes and
//! `catalogue import` and the units page read (a file is a units file when its header has the
//! `parent` column). This is how a reorganisation is recorded ahead of its day: the new units
//! with the day they start, the former ones with the day they end and who takes them over (a
//! merger names one successor, a split several, `|` between codes). As with indicators, a
//! column left out keeps each existing unit's value.

use crate::catalogue::Problem;
use crate::catalogue::file::{choice, read_entries, shown};
use crate::model::{Succession, Unit, UnitKind};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Every column, in the order an export writes them.
pub const COLUMNS: [&str; 8] = [
    "code",
    "kind",
    "name_vi",
    "name_en",
    "parent",
    "started",
    "ended",
    "successors",
];

/// The columns a new unit must have.
pub const REQUIRED: [&str; 4] = ["code", "kind", "name_vi", "parent"];

/// A unit as the catalogue keeps it, with the units that take it over when it ends.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UnitRecord {
    pub unit: Unit,
    /// Who takes over on `unit.ended`: one unit (a merger) or several (a split).
    pub successors: Vec<String>,
}

impl UnitRecord {
    /// Each of `units` with its successors, in the order given.
    pub fn all<'a>(
        units: impl IntoIterator<Item = &'a Unit>,
        successions: &[Succession],
    ) -> Vec<Self> {
        units
            .into_iter()
            .map(|u| UnitRecord {
                unit: u.clone(),
                successors: successions
                    .iter()
                    .filter(|s| s.former_code == u.code && Some(s.effective) == u.ended)
                    .map(|s| s.successor.clone())
                    .collect(),
            })
            .collect()
    }

    /// The successions this record makes: one per successor, from the day it ends.
    pub fn successions(&self) -> Vec<Succession> {
        let Some(effective) = self.unit.ended else {
            return Vec::new();
        };
        self.successors
            .iter()
            .map(|s| Succession {
                former_code: self.unit.code.clone(),
                former_name: self.unit.name_vi.clone(),
                successor: s.clone(),
                effective,
            })
            .collect()
    }
}

/// Whether a file's first line is a units file's header: it names a column only units have
/// (`kind`, `parent`, `started`, `ended`, `successors`), so `code,ended` is one.
pub fn is_units_file(bytes: &[u8]) -> bool {
    crate::catalogue::file::header_columns(bytes)
        .iter()
        .any(|c| ["kind", "parent", "started", "ended", "successors"].contains(&c.as_str()))
}

/// One line of the units file.
pub type UnitLine = crate::catalogue::entry::Line<UnitRecord>;

impl crate::catalogue::entry::Entry for UnitRecord {
    const KIND: &'static str = "unit";
    const NAME: (&'static str, &'static str) = ("Đơn vị", "unit");
    fn code(&self) -> &str {
        &self.unit.code
    }
    fn is_active(&self) -> bool {
        self.unit.ended.is_none()
    }
    fn cells(&self) -> Vec<(&'static str, String)> {
        COLUMNS.into_iter().zip(cells(self)).collect()
    }
    fn notice(codes: Vec<String>) -> crate::model::live::CatalogueNotice {
        crate::model::live::CatalogueNotice {
            changed_units: codes,
            ..Default::default()
        }
    }
}

fn day(text: &str, what: (&str, &str)) -> Result<Option<NaiveDate>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            format!(
                "“{}”: {} viết YYYY-MM-DD, hoặc để trống ({}: a date or empty)",
                shown(text),
                what.0,
                what.1
            )
        })
}

/// Sets one column of `r` from its text; the reason when the text cannot be read.
pub fn set(r: &mut UnitRecord, column: &str, text: &str) -> Result<(), String> {
    let u = &mut r.unit;
    match column {
        "code" => u.code = text.to_string(),
        "kind" => u.kind = choice(text, &UnitKind::ALL, UnitKind::as_str)?,
        "name_vi" => u.name_vi = text.to_string(),
        "name_en" => u.name_en = Some(text.to_string()).filter(|t| !t.is_empty()),
        "parent" => u.parent = Some(text.to_string()).filter(|t| !t.is_empty()),
        "started" => u.started = day(text, ("ngày bắt đầu", "started"))?,
        "ended" => u.ended = day(text, ("ngày kết thúc", "ended"))?,
        "successors" => {
            let mut list: Vec<String> = Vec::new();
            for code in text.split('|').map(str::trim).filter(|s| !s.is_empty()) {
                if !list.iter().any(|c| c == code) {
                    list.push(code.to_string());
                }
            }
            r.successors = list;
        }
        _ => {}
    }
    Ok(())
}

/// The cells of one unit, in [`COLUMNS`] order.
pub fn cells(r: &UnitRecord) -> [String; 8] {
    let u = &r.unit;
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    [
        u.code.clone(),
        u.kind.as_str().into(),
        u.name_vi.clone(),
        u.name_en.clone().unwrap_or_default(),
        u.parent.clone().unwrap_or_default(),
        day(u.started),
        day(u.ended),
        r.successors.join("|"),
    ]
}

/// The units file of `records`, header first.
pub fn write<'a>(records: impl IntoIterator<Item = &'a UnitRecord>) -> String {
    crate::catalogue::entry::write_file(&COLUMNS, records)
}

/// Reads a units file against the `current` units: every line that could be read, and every
/// problem by line and column.
pub fn read(bytes: &[u8], current: &HashMap<String, UnitRecord>) -> (Vec<UnitLine>, Vec<Problem>) {
    read_entries(
        bytes,
        &COLUMNS,
        &REQUIRED,
        current,
        UnitRecord::default,
        set,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "code,kind,name_vi,name_en,parent,started,ended,successors
35,province,Tỉnh Hồng Lĩnh,Hong Linh,VN,2027-07-01,,
40,province,Tỉnh Nghệ An,Nghe An,VN,,2027-07-01,35|42
";

    #[test]
    fn a_file_reads_whole_and_writes_back_the_same() {
        assert!(is_units_file(FILE.as_bytes()));
        assert!(!is_units_file(b"code,name_vi,kinds\n"));
        assert!(!is_units_file(b"code,name_vi,retired\n"));
        assert!(is_units_file(b"code,ended\n"));
        let (lines, problems) = read(FILE.as_bytes(), &HashMap::new());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(lines[0].item.unit.kind, UnitKind::Province);
        assert_eq!(lines[0].item.unit.started, "2027-07-01".parse().ok());
        assert_eq!(lines[1].item.successors, ["35", "42"]);
        let s = lines[1].item.successions();
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].successor, "42");
        assert_eq!(s[1].former_name, "Tỉnh Nghệ An");
        let records: Vec<UnitRecord> = lines.into_iter().map(|l| l.item).collect();
        assert_eq!(write(&records), FILE);
    }

    #[test]
    fn cells_that_cannot_be_read_are_named() {
        let file = "code,kind,name_vi,parent,ended\n99,nation,X,VN,1/7/2027\n";
        let (lines, problems) = read(file.as_bytes(), &HashMap::new());
        assert!(lines.is_empty());
        let columns: Vec<&str> = problems.iter().map(|p| p.column.as_str()).collect();
        assert_eq!(columns, ["kind", "ended"], "{problems:?}");
    }
}
