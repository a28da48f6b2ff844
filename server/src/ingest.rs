//! The one path in for values: read a batch (JSON or CSV), validate it against the catalogue and
//! the writer's scope, store it in one transaction with its audit row; the store's commit hook
//! then pokes the bus so the hub publishes it. The API, the simulator (and later forms and uploads) all come through here.

use app::catalogue::LiveCatalogue;
use app::model::ingest::{RawRow, Refusal, RowError, validate};
use app::model::observation::{HISTORY_JUDGED, Usual};
use app::model::report::ReportStatus;
use app::model::{NewObservation, Period, Source};
use app::store::{AuditEntry, SharedStore, StoreError, StoreOutcome};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// Rows per batch; more is refused with 413 (send several batches).
pub const MAX_ROWS: usize = 10_000;
/// Body size; more is refused with 413.
pub const MAX_BODY: usize = 5 * 1024 * 1024;

/// Why a batch was not stored. Nothing was written in any of these cases.
#[derive(Debug)]
pub enum IngestError {
    /// The body could not be read as a batch at all (400).
    Malformed(RowError),
    /// More than [`MAX_ROWS`] rows (413).
    TooManyRows,
    /// Rows that are malformed or inconsistent with the catalogue (422).
    Invalid(Vec<RowError>),
    /// Rows for units the writer may not write (403).
    Forbidden(Vec<RowError>),
    /// Rows that would change values an approved report has locked (409): the request is
    /// well formed, the state of the report refuses it.
    Locked(Vec<RowError>),
    /// The database did not take the write (503).
    Store(StoreError),
}

fn malformed(field: &str, reason: String) -> IngestError {
    IngestError::Malformed(RowError {
        index: 0,
        field: field.into(),
        reason,
    })
}

const FIELDS: [&str; 6] = ["indicator", "unit", "period", "value", "note", "source_ref"];

fn text_field(row: &serde_json::Map<String, Value>, name: &str) -> Result<String, String> {
    match row.get(name) {
        Some(Value::String(s)) => Ok(s.trim().to_string()),
        Some(_) => Err(format!("“{name}” phải là chuỗi ký tự (must be a string)")),
        None => Err(format!("thiếu “{name}” (missing)")),
    }
}

fn optional_field(
    row: &serde_json::Map<String, Value>,
    name: &str,
) -> Result<Option<String>, String> {
    match row.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("“{name}” phải là chuỗi ký tự (must be a string)")),
    }
}

fn json_row(row: &Value) -> Result<RawRow, String> {
    let Some(row) = row.as_object() else {
        return Err("mỗi dòng là một đối tượng JSON (each row is a JSON object)".into());
    };
    if let Some(unknown) = row.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        let shown: String = unknown.chars().take(40).collect();
        return Err(format!(
            "trường không được hỗ trợ “{shown}”; dùng {} (unknown field)",
            FIELDS.join(", ")
        ));
    }
    Ok(RawRow {
        indicator: text_field(row, "indicator"),
        unit: text_field(row, "unit"),
        period: text_field(row, "period"),
        value: match row.get("value") {
            Some(Value::Number(n)) => n
                .as_f64()
                .ok_or_else(|| "giá trị quá lớn (value out of range)".to_string()),
            Some(_) => Err("“value” phải là số, không phải chuỗi (must be a number)".into()),
            None => Err("thiếu “value” (missing)".into()),
        },
        note: optional_field(row, "note"),
        source_ref: optional_field(row, "source_ref"),
    })
}

/// `{"observations":[{...}, ...]}`.
pub fn parse_json(body: &[u8]) -> Result<Vec<Result<RawRow, String>>, IngestError> {
    let doc: Value = serde_json::from_slice(body)
        .map_err(|e| malformed("body", format!("JSON không hợp lệ (invalid JSON): {e}")))?;
    let Some(object) = doc.as_object() else {
        return Err(malformed(
            "body",
            "cần {\"observations\": [...]} (expected an object)".into(),
        ));
    };
    if let Some(unknown) = object.keys().find(|k| *k != "observations") {
        let shown: String = unknown.chars().take(40).collect();
        return Err(malformed(
            "body",
            format!("trường không được hỗ trợ “{shown}” (unknown field)"),
        ));
    }
    let Some(rows) = object.get("observations").and_then(Value::as_array) else {
        return Err(malformed(
            "observations",
            "cần {\"observations\": [...]} (expected an \"observations\" array)".into(),
        ));
    };
    if rows.len() > MAX_ROWS {
        return Err(IngestError::TooManyRows);
    }
    Ok(rows.iter().map(json_row).collect())
}

/// CSV with a header line naming the columns (`indicator,unit,period,value`, optionally `note`
/// and `source_ref`, in any order). Values use a decimal point, as in JSON.
pub fn parse_csv(body: &[u8]) -> Result<Vec<Result<RawRow, String>>, IngestError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body); // a BOM from spreadsheet exports
    // An empty file is an empty batch, as `{"observations": []}` is: nothing to store.
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Vec::new());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(body);
    let headers = reader
        .headers()
        .map_err(|e| {
            malformed(
                "header",
                format!("dòng tiêu đề không đọc được (bad header): {e}"),
            )
        })?
        .clone();
    let mut columns: [Option<usize>; 6] = [None; 6];
    for (i, name) in headers.iter().enumerate() {
        match FIELDS.iter().position(|f| *f == name) {
            Some(f) if columns[f].is_none() => columns[f] = Some(i),
            Some(_) => {
                return Err(malformed(
                    "header",
                    format!("cột “{name}” lặp lại (repeated column)"),
                ));
            }
            None => {
                let shown: String = name.chars().take(40).collect();
                return Err(malformed(
                    "header",
                    format!(
                        "cột không được hỗ trợ “{shown}”; dùng {} (unknown column)",
                        FIELDS.join(", ")
                    ),
                ));
            }
        }
    }
    if let Some(missing) = FIELDS[..4]
        .iter()
        .zip(columns)
        .find(|(_, c)| c.is_none())
        .map(|(f, _)| f)
    {
        return Err(malformed(
            "header",
            format!("thiếu cột “{missing}” (missing column)"),
        ));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        if rows.len() == MAX_ROWS {
            return Err(IngestError::TooManyRows);
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                rows.push(Err(format!(
                    "dòng CSV không đọc được (unreadable line): {e}"
                )));
                continue;
            }
        };
        let cell = |f: usize| columns[f].and_then(|i| record.get(i)).unwrap_or("");
        let required = |f: usize| {
            let v = cell(f);
            if v.is_empty() {
                Err(format!("thiếu “{}” (missing)", FIELDS[f]))
            } else {
                Ok(v.to_string())
            }
        };
        let optional = |f: usize| Ok(Some(cell(f).to_string()).filter(|s| !s.is_empty()));
        rows.push(Ok(RawRow {
            indicator: required(0),
            unit: required(1),
            period: required(2),
            value: required(3).and_then(|v| {
                v.parse::<f64>().map_err(|_| {
                    format!(
                        "“{}” không phải là số; dùng dấu chấm thập phân, ví dụ 3.25 (not a number)",
                        v.chars().take(40).collect::<String>()
                    )
                })
            }),
            note: optional(4),
            source_ref: optional(5),
        }));
    }
    Ok(rows)
}

/// Who is writing, for the scope check and the audit row.
pub struct Writer {
    pub may_write: Box<dyn Fn(&str) -> bool + Send + Sync>,
    pub audit: AuditEntry,
}

/// Runs CPU-bound work (reading or checking a batch of up to 10,000 rows takes tens of
/// milliseconds) on tokio's blocking threads. Done on an async worker, it held up the tasks
/// queued behind it, among them the write transaction waiting for its next statement, so the
/// single writer sat idle (docs/performance.md, "Ingest").
pub async fn off_the_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, IngestError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        IngestError::Store(StoreError::other(format!(
            "lỗi nội bộ khi xử lý lô (internal error while reading the batch): {e}"
        )))
    })
}

#[derive(Clone)]
pub struct Ingest {
    store: SharedStore,
    catalogue: LiveCatalogue,
    /// Judges which periods have begun.
    clock: app::clock::Clock,
}

impl Ingest {
    pub fn new(store: SharedStore, catalogue: LiveCatalogue, clock: app::clock::Clock) -> Ingest {
        Ingest {
            store,
            catalogue,
            clock,
        }
    }

    /// Validates and stores a batch, all or nothing, then publishes it.
    pub async fn submit(
        &self,
        rows: Vec<Result<RawRow, String>>,
        source: Source,
        writer: Writer,
    ) -> Result<StoreOutcome, IngestError> {
        let catalogue = self.catalogue.now();
        let may_write = writer.may_write;
        let today = self.clock.today();
        let batch = off_the_runtime(move || {
            validate(
                &rows,
                &catalogue.indicators,
                &catalogue.units,
                today,
                &*may_write,
            )
        })
        .await?
        .map_err(|r| match r {
            Refusal::Forbidden(e) => IngestError::Forbidden(e),
            Refusal::Invalid(e) => IngestError::Invalid(e),
        })?;
        self.refuse_locked(&batch).await?;
        let mut batch = batch;
        // Values from another system are trusted and published, but one far from its own
        // history is flagged (and raised as an alert); a form's officer confirmed theirs.
        if matches!(source, Source::Api | Source::Import) {
            self.flag_outliers(&mut batch)
                .await
                .map_err(IngestError::Store)?;
        }
        let audit = AuditEntry {
            target: Some(format!("{} rows", batch.len())),
            ..writer.audit
        };
        // The store's commit hook tells the live stream (see live::Live::start).
        self.store
            .store_observations(&batch, source, &audit)
            .await
            .map_err(IngestError::Store)
    }
}

impl Ingest {
    /// The values locked by approved reports in `periods`: (unit, period, indicator). Values
    /// of an approved report are locked: only a correction of the report changes them (DHIS2's
    /// approval lock). A report locks the values it carries (its regime's indicators, for its
    /// unit and period), nothing else.
    pub async fn locked(
        &self,
        periods: &[Period],
    ) -> Result<HashSet<(String, Period, String)>, StoreError> {
        let catalogue = self.catalogue.now();
        let mut periods = periods.to_vec();
        periods.sort_by_key(|p| (p.start(), p.to_string()));
        periods.dedup();
        let mut locked = HashSet::new();
        for p in &periods {
            // Only a regime's periods have reports (daily figures never lock).
            if !catalogue
                .regimes
                .iter()
                .any(|r| r.periodicity == p.periodicity())
            {
                continue;
            }
            for s in self.store.report_states(p).await? {
                if s.status != ReportStatus::Approved {
                    continue;
                }
                let carried = catalogue.regimes.iter().find(|r| r.code == s.regime);
                for indicator in carried.map(|r| r.indicators.as_slice()).unwrap_or_default() {
                    locked.insert((s.unit.clone(), s.period, indicator.clone()));
                }
            }
        }
        Ok(locked)
    }

    /// Marks each value far from its series' history ([`Usual::far`]). A series sent with
    /// several periods is judged in period order, each on the values before it, the batch's
    /// own earlier periods included.
    async fn flag_outliers(&self, batch: &mut [NewObservation]) -> Result<(), StoreError> {
        let mut first: HashMap<(String, String), Period> = HashMap::new();
        for o in batch.iter() {
            first
                .entry((o.indicator.clone(), o.unit.clone()))
                .and_modify(|p| {
                    if o.period.start() < p.start() {
                        *p = o.period;
                    }
                })
                .or_insert(o.period);
        }
        let wanted: Vec<(String, String, Period)> =
            first.into_iter().map(|((i, u), p)| (i, u, p)).collect();
        let mut history: HashMap<(String, String), Vec<f64>> = self
            .store
            .values_before(&wanted, HISTORY_JUDGED)
            .await?
            .into_iter()
            .map(|(series, values)| (series, values.into_iter().map(|(_, v)| v).collect()))
            .collect();
        let mut order: Vec<usize> = (0..batch.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&batch[a], &batch[b]);
            (&a.indicator, &a.unit, a.period.start()).cmp(&(
                &b.indicator,
                &b.unit,
                b.period.start(),
            ))
        });
        for k in order {
            let o = &mut batch[k];
            let recent = history
                .entry((o.indicator.clone(), o.unit.clone()))
                .or_default();
            o.outlier = Usual::far(o.value, recent);
            // Newest first, no longer than what judges the next period.
            recent.insert(0, o.value);
            recent.truncate(HISTORY_JUDGED);
        }
        Ok(())
    }

    /// Rows that would change a locked value are refused, each named.
    async fn refuse_locked(&self, batch: &[NewObservation]) -> Result<(), IngestError> {
        let periods: Vec<Period> = batch.iter().map(|o| o.period).collect();
        let locked = self.locked(&periods).await.map_err(IngestError::Store)?;
        if locked.is_empty() {
            return Ok(());
        }
        let errors: Vec<RowError> = batch
            .iter()
            .enumerate()
            .filter(|(_, o)| locked.contains(&(o.unit.clone(), o.period, o.indicator.clone())))
            .map(|(index, o)| RowError {
                index,
                field: "period".into(),
                reason: format!(
                    "báo cáo kỳ {} của đơn vị {} đã được phê duyệt và khóa; sửa bằng đính chính báo cáo (locked by an approved report)",
                    o.period, o.unit
                ),
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(IngestError::Locked(errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_reads_columns_in_any_order_with_optional_ones() {
        let rows = parse_csv(
            "\u{feff}unit,indicator,period,value,note\n01,CPI_YOY,2026-10,3.25,điều chỉnh\n01,CPI_YOY,2026-09,\"3,1\",\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        let first = rows[0].as_ref().unwrap();
        assert_eq!(first.unit.as_deref(), Ok("01"));
        assert_eq!(first.value, Ok(3.25));
        assert_eq!(first.note, Ok(Some("điều chỉnh".into())));
        let second = rows[1].as_ref().unwrap();
        assert!(second.value.as_ref().unwrap_err().contains("dấu chấm"));
        assert_eq!(second.note, Ok(None));
    }

    #[test]
    fn csv_header_problems_are_named() {
        let unknown = parse_csv(b"indicator,unit,period,value,colour\n").unwrap_err();
        assert!(matches!(unknown, IngestError::Malformed(e) if e.reason.contains("colour")));
        let missing = parse_csv(b"indicator,unit,period\n").unwrap_err();
        assert!(matches!(missing, IngestError::Malformed(e) if e.reason.contains("value")));
        let ragged = parse_csv(b"indicator,unit,period,value\nCPI_YOY,01\n").unwrap();
        assert!(ragged[0].is_err());
        // An empty file (or a spreadsheet's BOM and a blank line) is an empty batch, as an
        // empty JSON list is; a header line alone too.
        assert!(parse_csv(b"").unwrap().is_empty());
        assert!(parse_csv(b"\xEF\xBB\xBF\r\n").unwrap().is_empty());
        assert!(
            parse_csv(b"indicator,unit,period,value\n")
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn json_refuses_unknown_fields_and_strings_for_numbers() {
        let rows = parse_json(
            br#"{"observations":[{"indicator":"A","unit":"01","period":"2026-10","value":"3"},{"indicator":"A","unit":"01","period":"2026-10","value":1,"colour":"red"}]}"#,
        )
        .unwrap();
        assert!(rows[0].as_ref().unwrap().value.is_err());
        assert!(rows[1].as_ref().unwrap_err().contains("colour"));
        assert!(matches!(
            parse_json(br#"{"observations":[],"extra":1}"#),
            Err(IngestError::Malformed(_))
        ));
    }
}
