//! [ssr] The audit log as people read it: each action by its name in Vietnamese and English,
//! and what changed as "field: before → after" lines instead of the JSON the log keeps.

use crate::admin::api::AuditChange;
use serde_json::Value;

/// An action's name (Vietnamese, English); an action this version does not know keeps its code.
pub fn action_label(action: &str) -> (String, String) {
    // Codes of earlier versions, said as the action they were.
    let code = match action {
        "reporting_rules" => "reporting_rules_set",
        "meeting_update" => "meeting_save",
        "task_report" => "report_task_progress",
        other => other,
    };
    match crate::admin::ACTIONS.iter().find(|(c, _, _)| *c == code) {
        Some((_, vi, en)) => (vi.to_string(), en.to_string()),
        None => (action.to_string(), action.to_string()),
    }
}

/// A field's name (Vietnamese, English); an unknown one keeps its key.
fn field_label(key: &str) -> (String, String) {
    if let Some((vi, en)) = crate::catalogue::column_label(key) {
        return (vi.to_string(), en.to_string());
    }
    let (vi, en) = match key {
        "name" => ("Tên", "Name"),
        "computed" => ("Giá trị tính lại", "Recomputed"),
        "warning" => ("Ngưỡng cảnh báo", "Warning threshold"),
        "critical" => ("Ngưỡng nguy cấp", "Critical threshold"),
        "status" => ("Trạng thái", "Status"),
        "values" => ("Số liệu", "Values"),
        "comment" => ("Ý kiến", "Comment"),
        "correction" => ("Lý do đính chính", "Correction"),
        "reason" => ("Lý do", "Reason"),
        "units" => ("Đơn vị", "Units"),
        "pages" => ("Trang", "Pages"),
        "indicators" => ("Chỉ tiêu", "Indicators"),
        "map_indicator" => ("Chỉ tiêu trên bản đồ", "Map indicator"),
        "rotate_seconds" => ("Giây mỗi trang", "Seconds per page"),
        "cutoff_day" => ("Ngày chốt số liệu", "Cut-off day"),
        "deadline_working_days" => ("Hạn nộp (ngày làm việc)", "Deadline (working days)"),
        "stored" => ("Đã lưu", "Stored"),
        "unchanged" => ("Không đổi", "Unchanged"),
        "day" => ("Ngày", "Day"),
        "source" => ("Nguồn", "Source"),
        "disabled" => ("Bị khóa", "Disabled"),
        other => return (other.to_string(), other.to_string()),
    };
    (vi.to_string(), en.to_string())
}

/// A JSON value as a line of text.
fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(true) => "có (yes)".into(),
        Value::Bool(false) => "không (no)".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join("; "),
        Value::Object(map) => map
            .values()
            .map(text)
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// A value of a field that the log keeps as a code (`monthly`, `province|commune`), in words as
/// the forms say it; any other value as it is.
fn value_words(key: &str, value: String) -> String {
    use crate::model::UnitKind;
    use crate::model::{ChangeKind, Field, GoodDirection, NationalFigure, Periodicity, Rollup};
    let one = |code: &str| -> Option<&'static str> {
        match key {
            "periodicity" => Periodicity::parse(code).map(Periodicity::label_vi),
            "rollup" => Rollup::parse(code).map(Rollup::label_vi),
            "national" => NationalFigure::parse(code).map(NationalFigure::label_vi),
            "good_direction" => GoodDirection::parse(code).map(GoodDirection::label_vi),
            "change" => ChangeKind::parse(code).map(ChangeKind::label_vi),
            "field" => Field::parse(code).map(Field::label_vi),
            "kinds" | "reported_by" => UnitKind::parse(code).map(UnitKind::label_vi),
            _ => None,
        }
    };
    let words: Option<Vec<&str>> = value
        .split('|')
        .filter(|c| !c.is_empty())
        .map(one)
        .collect();
    match words {
        Some(w) if !w.is_empty() => w.join(", "),
        _ => value,
    }
}

/// What changed between the `before` and `after` the log keeps (JSON objects): each field whose
/// value differs. Text that is not a JSON object is shown whole, as one change.
pub fn changes(before: Option<&str>, after: Option<&str>) -> Vec<AuditChange> {
    let parse = |s: Option<&str>| {
        s.map(|s| serde_json::from_str::<Value>(s).unwrap_or(Value::String(s.into())))
    };
    let (b, a) = (parse(before), parse(after));
    let empty = serde_json::Map::new();
    match (&b, &a) {
        (None | Some(Value::Object(_)), None | Some(Value::Object(_))) => {
            let bm = b.as_ref().and_then(Value::as_object).unwrap_or(&empty);
            let am = a.as_ref().and_then(Value::as_object).unwrap_or(&empty);
            let mut keys: Vec<&String> = am.keys().collect();
            keys.extend(bm.keys().filter(|k| !am.contains_key(*k)));
            keys.into_iter()
                .filter_map(|k| {
                    let (old, new) = (
                        value_words(k, bm.get(k).map(text).unwrap_or_default()),
                        value_words(k, am.get(k).map(text).unwrap_or_default()),
                    );
                    (old != new).then(|| {
                        let (field_vi, field_en) = field_label(k);
                        AuditChange {
                            field_vi,
                            field_en,
                            before: old,
                            after: new,
                        }
                    })
                })
                .collect()
        }
        _ => vec![AuditChange {
            field_vi: String::new(),
            field_en: String::new(),
            before: b.as_ref().map(text).unwrap_or_default(),
            after: a.as_ref().map(text).unwrap_or_default(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalogue_change_reads_as_the_fields_that_changed() {
        let c = changes(
            Some(r#"{"code":"CPI_YOY","name_en":"CPI","target":"4.5","formula":""}"#),
            Some(r#"{"code":"CPI_YOY","name_en":"Consumer prices","target":"4","formula":""}"#),
        );
        let lines: Vec<String> = c
            .iter()
            .map(|f| format!("{}: {} → {}", f.field_vi, f.before, f.after))
            .collect();
        assert_eq!(
            lines,
            ["Tên tiếng Anh: CPI → Consumer prices", "Mục tiêu: 4.5 → 4"]
        );
        assert_eq!(action_label("catalogue.indicator.update").0, "Sửa chỉ tiêu");
    }

    #[test]
    fn codes_of_the_catalogue_read_as_words() {
        let c = changes(
            Some(r#"{"periodicity":"monthly","kinds":"province","legal_basis":"NĐ 09"}"#),
            Some(
                r#"{"periodicity":"quarterly","kinds":"ministry|province","legal_basis":"NĐ 09"}"#,
            ),
        );
        let lines: Vec<String> = c
            .iter()
            .map(|f| format!("{}: {} → {}", f.field_vi, f.before, f.after))
            .collect();
        assert_eq!(
            lines,
            [
                "Cấp báo cáo: Tỉnh, thành phố → Bộ, cơ quan ngang bộ, Tỉnh, thành phố",
                "Kỳ báo cáo: tháng → quý",
            ]
        );
    }

    #[test]
    fn a_creation_lists_what_was_set_and_plain_text_is_kept_whole() {
        let c = changes(None, Some(r#"{"units":["01","79"]}"#));
        assert_eq!(
            (c[0].field_vi.as_str(), c[0].after.as_str()),
            ("Đơn vị", "01; 79")
        );
        let c = changes(None, Some("12 rows"));
        assert_eq!(c[0].after, "12 rows");
    }
}
