//! [ssr] What the catalogue keeps, indicators and regimes alike: an entry read from a line of
//! its file (or a form), the change it makes, and the audit row of that change, which reads as
//! the file does (column: value, before and after).

use crate::store::AuditEntry;

pub trait Entry: Clone + PartialEq {
    /// The audit log's word for it: `catalogue.<KIND>.create`, `.update`, `.retire`, `.restore`.
    const KIND: &'static str;
    /// What people call one, in Vietnamese and English ("Chỉ tiêu", "indicator").
    const NAME: (&'static str, &'static str);
    fn code(&self) -> &str;
    fn is_active(&self) -> bool;
    /// Its cells as its file writes them, with their columns.
    fn cells(&self) -> Vec<(&'static str, String)>;
    /// The live stream's notice of a change to the entries of `codes`.
    fn notice(codes: Vec<String>) -> crate::model::live::CatalogueNotice;
}

/// The file of `items`, header (`columns`) first, each line its entry's cells: what every
/// catalogue export writes.
pub fn write_file<'a, T: Entry + 'a>(
    columns: &[&str],
    items: impl IntoIterator<Item = &'a T>,
) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(columns);
    for item in items {
        let _ = w.write_record(item.cells().into_iter().map(|(_, v)| v));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A code given on two lines of one file: the second line's problem, naming the first.
pub fn duplicate_codes<T: Entry>(lines: &[Line<T>]) -> Vec<crate::catalogue::Problem> {
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    lines
        .iter()
        .filter_map(|l| {
            let first = seen.insert(l.item.code(), l.line)?;
            Some(crate::catalogue::Problem {
                line: l.line,
                column: "code".into(),
                message: format!(
                    "Mã “{}” đã có ở dòng {first} (duplicate code)",
                    l.item.code()
                ),
            })
        })
        .collect()
}

/// One line of a file (line 0: a form), read against the entry it changes (or a new one).
#[derive(Clone, Debug, PartialEq)]
pub struct Line<T> {
    /// The line number in the file (the header is line 1).
    pub line: usize,
    pub item: T,
    /// Whether the code was new to the catalogue the line was read against.
    pub new: bool,
}

/// One entry created or changed: what it was (None: new) and what it becomes.
#[derive(Clone, Debug, PartialEq)]
pub struct Change<T> {
    pub before: Option<T>,
    pub after: T,
}

impl<T: Entry> Change<T> {
    /// The audit log's name for it.
    pub fn action(&self) -> String {
        let verb = match (&self.before, &self.after) {
            (None, _) => "create",
            (Some(b), a) if b.is_active() && !a.is_active() => "retire",
            (Some(b), a) if !b.is_active() && a.is_active() => "restore",
            _ => "update",
        };
        format!("catalogue.{}.{verb}", T::KIND)
    }

    /// The audit row of this change, by whom `by` says.
    pub fn audit(&self, by: &AuditEntry) -> AuditEntry {
        let as_json = |e: &T| {
            let map: serde_json::Map<String, serde_json::Value> = e
                .cells()
                .into_iter()
                .map(|(c, v)| (c.to_string(), serde_json::Value::String(v)))
                .collect();
            serde_json::Value::Object(map).to_string()
        };
        AuditEntry {
            action: self.action(),
            target: Some(self.after.code().to_string()),
            before: self.before.as_ref().map(as_json),
            after: Some(as_json(&self.after)),
            ..by.clone()
        }
    }
}
