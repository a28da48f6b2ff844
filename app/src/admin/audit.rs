//! [ssr] The audit log as people read it: each action by its name in Vietnamese and English,
//! and what changed as "field: before → after" lines instead of the JSON the log keeps.

use crate::admin::api::AuditChange;
use serde_json::Value;

/// An action's name (Vietnamese, English); an action this version does not know keeps its code.
pub fn action_label(action: &str) -> (String, String) {
    let (vi, en) = match action {
        "sign_in" => ("Đăng nhập", "Signed in"),
        "sign_in_failed" => ("Đăng nhập không thành công", "Failed sign-in"),
        "sign_out" => ("Đăng xuất", "Signed out"),
        "sign_out_everywhere" => ("Đăng xuất mọi nơi", "Signed out everywhere"),
        "password_change" => ("Đổi mật khẩu", "Password changed"),
        "password_reset" => ("Đặt lại mật khẩu", "Password reset"),
        "user_create" => ("Tạo tài khoản", "Account created"),
        "user_disable" => ("Khóa tài khoản", "Account disabled"),
        "user_enable" => ("Mở khóa tài khoản", "Account enabled"),
        "token_create" => ("Cấp token API", "API token issued"),
        "token_revoke" => ("Thu hồi token", "Token revoked"),
        "display_create" => ("Tạo màn hình", "Wall screen created"),
        "display_layout" => ("Đổi bố cục màn hình", "Wall screen layout changed"),
        "display_token_renew" => ("Cấp lại liên kết màn hình", "Wall screen link renewed"),
        "threshold_set" => ("Đặt mục tiêu, ngưỡng cảnh báo", "Target and thresholds set"),
        "reporting_rules_set" | "reporting_rules" => {
            ("Đổi chế độ báo cáo", "Reporting rules changed")
        }
        "holiday_set" => ("Thêm ngày nghỉ", "Holiday added"),
        "holiday_removed" => ("Xóa ngày nghỉ", "Holiday removed"),
        "observations_ingest" => ("Nhận số liệu qua API", "Values received over the API"),
        "observations_simulate" => ("Số liệu mô phỏng", "Simulated values"),
        "demo_seed" => ("Tạo dữ liệu demo", "Demo data seeded"),
        "report_save" => ("Lưu nháp báo cáo", "Report draft saved"),
        "report_submit" => ("Gửi báo cáo", "Report submitted"),
        "report_return" => ("Trả lại báo cáo", "Report returned"),
        "report_approve" => ("Phê duyệt báo cáo", "Report approved"),
        "report_reopen" => ("Mở lại báo cáo để đính chính", "Report reopened"),
        "meeting_create" => ("Tạo phiên họp", "Meeting created"),
        "meeting_save" | "meeting_update" => ("Cập nhật phiên họp", "Meeting updated"),
        "conclusion_record" => ("Ghi kết luận", "Conclusion recorded"),
        "task_assign" => ("Giao nhiệm vụ", "Task assigned"),
        "task_report" => ("Báo cáo tiến độ nhiệm vụ", "Task progress reported"),
        "report_task_progress" => ("Báo cáo tiến độ nhiệm vụ", "Task progress reported"),
        "task_decide" => ("Quyết định về nhiệm vụ", "Task decided"),
        "task_extension_grant" => ("Gia hạn nhiệm vụ", "Task extension granted"),
        "task_extension_refuse" => ("Từ chối gia hạn", "Task extension refused"),
        "attachment_upload" => ("Tải lên tài liệu", "Document uploaded"),
        "catalogue.indicator.create" => ("Thêm chỉ tiêu", "Indicator added"),
        "catalogue.indicator.update" => ("Sửa chỉ tiêu", "Indicator changed"),
        "catalogue.indicator.retire" => ("Ngừng dùng chỉ tiêu", "Indicator retired"),
        "catalogue.indicator.restore" => ("Dùng lại chỉ tiêu", "Indicator back in use"),
        "catalogue.regime.create" => ("Thêm chế độ báo cáo", "Reporting regime added"),
        "catalogue.regime.update" => ("Sửa chế độ báo cáo", "Reporting regime changed"),
        "catalogue.regime.retire" => ("Ngừng áp dụng chế độ báo cáo", "Reporting regime retired"),
        "catalogue.regime.restore" => (
            "Áp dụng lại chế độ báo cáo",
            "Reporting regime back in force",
        ),
        other => return (other.to_string(), other.to_string()),
    };
    (vi.to_string(), en.to_string())
}

/// A field's name (Vietnamese, English); an unknown one keeps its key.
fn field_label(key: &str) -> (String, String) {
    if let Some((vi, en)) = crate::catalogue::column_label(key) {
        return (vi.to_string(), en.to_string());
    }
    let (vi, en) = match key {
        "name" => ("Tên", "Name"),
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
