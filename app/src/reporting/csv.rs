//! [ssr] A report's values from a CSV file (bulk entry): every line checked and shown before
//! anything is stored, by the same checks as the form. Nothing here writes: the officer applies
//! the preview to the form and saves it through the one path (`reports::Desk::save`).

use crate::model::Indicator;
use crate::model::i18n::Lang;
use crate::model::report::{CsvLine, CsvPreview, EntryInput, History, check_entry};

/// Largest file read, in bytes (a report has a few dozen lines).
pub const MAX_CSV_BYTES: usize = 256 * 1024;
/// Most lines read.
pub const MAX_CSV_LINES: usize = 500;

const COLUMNS: [&str; 3] = ["indicator", "value", "note"];

/// Reads `text` (the file as the browser decoded it, UTF-8) for the data set `indicators`.
pub fn preview(
    indicators: &[Indicator],
    text: &str,
    history: &[History],
    lang: Lang,
) -> CsvPreview {
    let mut out = CsvPreview::default();
    let refuse = |out: &mut CsvPreview, m: &str| out.file_errors.push(m.to_string());
    if text.len() > MAX_CSV_BYTES {
        refuse(
            &mut out,
            "Tệp quá lớn (tối đa 256 KB). (The file is too large.)",
        );
        return out;
    }
    // The browser decodes the file as UTF-8: bytes that are not become U+FFFD, and a UTF-16
    // file shows NULs. Either way the file is in another encoding.
    if text.contains('\u{FFFD}') || text.contains('\0') {
        refuse(
            &mut out,
            "Tệp không ở mã UTF-8 (có thể là ANSI/Windows-1258 hoặc UTF-16). Trong Excel chọn Lưu dưới dạng › CSV UTF-8. (Not UTF-8: save as “CSV UTF-8”.)",
        );
        return out;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.to_lowercase()).collect(),
        Err(e) => {
            refuse(
                &mut out,
                &format!("Không đọc được dòng tiêu đề (bad header): {e}"),
            );
            return out;
        }
    };
    for h in &headers {
        if !COLUMNS.contains(&h.as_str()) {
            let shown: String = h.chars().take(40).collect();
            refuse(
                &mut out,
                &format!(
                    "Cột không được hỗ trợ “{shown}”: chỉ dùng indicator, value, note. (Unknown column.)"
                ),
            );
        }
    }
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(ci), Some(cv)) = (col("indicator"), col("value")) else {
        refuse(
            &mut out,
            "Cần dòng tiêu đề có các cột indicator và value (note tùy chọn). (Needs indicator and value columns.)",
        );
        return out;
    };
    if !out.file_errors.is_empty() {
        return out;
    }
    let cn = col("note");
    let mut inputs: Vec<EntryInput> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        if i >= MAX_CSV_LINES {
            refuse(&mut out, "Quá 500 dòng. (More than 500 lines.)");
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.lines.push(CsvLine {
                    line,
                    indicator: String::new(),
                    value: String::new(),
                    read: None,
                    error: Some(format!("Dòng không đọc được (unreadable line): {e}")),
                    warning: None,
                });
                continue;
            }
        };
        if record.len() != headers.len() {
            out.lines.push(CsvLine {
                line,
                indicator: record.get(ci).unwrap_or("").to_string(),
                value: record.get(cv).unwrap_or("").to_string(),
                read: None,
                error: Some(format!(
                    "Dòng có {} ô, tiêu đề có {} cột. (Wrong number of cells.)",
                    record.len(),
                    headers.len()
                )),
                warning: None,
            });
            continue;
        }
        let code = record.get(ci).unwrap_or("").to_uppercase();
        let value = record.get(cv).unwrap_or("").to_string();
        let note = cn.and_then(|c| record.get(c)).unwrap_or("").to_string();
        let mut error = None;
        if !indicators.iter().any(|ind| ind.code == code) {
            let shown: String = code.chars().take(40).collect();
            error = Some(format!(
                "Chỉ tiêu “{shown}” không thuộc báo cáo này. (Not in this report.)"
            ));
        } else if inputs.iter().any(|x| x.indicator == code) {
            error = Some(format!("Chỉ tiêu {code} lặp lại. (Repeated.)"));
        }
        let read = crate::model::typed_number::read(&value, lang)
            .ok()
            .flatten()
            .map(|t| t.value);
        if error.is_none() {
            inputs.push(EntryInput {
                indicator: code.clone(),
                value: value.clone(),
                note,
            });
        }
        out.lines.push(CsvLine {
            line,
            indicator: code,
            value,
            read,
            error,
            warning: None,
        });
    }
    // The form's own checks (number, range, the trade balance, history), line by line.
    let checked = check_entry(indicators, &inputs, history, false, lang);
    for (issue, is_error) in checked
        .errors
        .iter()
        .map(|i| (i, true))
        .chain(checked.warnings.iter().map(|i| (i, false)))
    {
        if let Some(l) = out
            .lines
            .iter_mut()
            .find(|l| l.indicator == issue.indicator && l.error.is_none())
        {
            if is_error {
                l.error = Some(issue.message.clone());
            } else {
                l.warning = Some(issue.message.clone());
            }
        }
    }
    if out.lines.is_empty() && out.file_errors.is_empty() {
        refuse(&mut out, "Tệp không có dòng số liệu nào. (No data lines.)");
    }
    out.inputs = inputs;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::report::test_indicator as ind;

    fn set() -> Vec<Indicator> {
        vec![
            ind("EXPORT_VALUE", "million USD"),
            ind("IMPORT_VALUE", "million USD"),
            ind("NEW_ENTERPRISES", "enterprises"),
        ]
    }

    #[test]
    fn a_good_file_in_either_writing_with_a_bom_and_notes_can_be_applied() {
        let p = preview(
            &set(),
            "\u{feff}indicator,value,note\nEXPORT_VALUE,\"1.234,5\",\nimport_value,\"1,034.5\",theo hải quan\n",
            &[],
            Lang::Vi,
        );
        assert!(p.applicable(), "{p:?}");
        assert_eq!(p.lines[0].read, Some(1234.5));
        assert_eq!(p.lines[1].read, Some(1034.5));
        assert_eq!(p.inputs[1].indicator, "IMPORT_VALUE");
        assert_eq!(p.inputs[1].note, "theo hải quan");
    }

    #[test]
    fn a_file_in_another_encoding_or_with_other_columns_is_refused_whole() {
        // Windows-1258 bytes decoded as UTF-8 by the browser, and a UTF-16 file.
        for text in [
            "indicator,value\nEXPORT_VALUE,1\nghi ch\u{FFFD}\n",
            "i\0n\0d\0",
        ] {
            let p = preview(&set(), text, &[], Lang::Vi);
            assert!(!p.applicable());
            assert!(p.file_errors[0].contains("UTF-8"), "{p:?}");
        }
        let p = preview(
            &set(),
            "indicator,value,unit\nEXPORT_VALUE,1,01\n",
            &[],
            Lang::Vi,
        );
        assert!(p.file_errors[0].contains("“unit”"), "{p:?}");
        let p = preview(&set(), "code,amount\nEXPORT_VALUE,1\n", &[], Lang::Vi);
        assert!(
            p.file_errors
                .iter()
                .any(|e| e.contains("indicator và value"))
        );
        assert!(!preview(&set(), "indicator,value\n", &[], Lang::Vi).applicable());
    }

    #[test]
    fn every_bad_line_is_named_and_the_file_cannot_be_applied() {
        let p = preview(
            &set(),
            "indicator,value\nEXPORT_VALUE,mười\nGDP,1\nNEW_ENTERPRISES,-4\nIMPORT_VALUE,1,2\nEXPORT_VALUE,3\n",
            &[],
            Lang::Vi,
        );
        assert!(!p.applicable());
        let problems: Vec<(usize, bool)> = p
            .lines
            .iter()
            .map(|l| (l.line, l.error.is_some()))
            .collect();
        assert_eq!(
            problems,
            [(2, true), (3, true), (4, true), (5, true), (6, true)],
            "{p:?}"
        );
        assert!(p.lines[1].error.as_ref().unwrap().contains("không thuộc"));
        assert!(p.lines[2].error.as_ref().unwrap().contains("không được âm"));
        assert!(p.lines[3].error.as_ref().unwrap().contains("ô"));
        assert!(p.lines[4].error.as_ref().unwrap().contains("lặp lại"));
    }
}
