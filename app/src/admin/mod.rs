//! Administration: accounts, API tokens, wall screens, targets and thresholds, the reporting
//! regime and the audit log.

pub mod api;
#[cfg(feature = "ssr")]
pub mod audit;
pub mod page;

/// Every action the audit log records, by code, with its Vietnamese and English names: the
/// audit log's words and the choices of its filter, sent by the server (the names stay out of
/// the wasm every page loads: a build's strings all live in its main module).
#[cfg(feature = "ssr")]
pub const ACTIONS: &[(&str, &str, &str)] = &[
    ("sign_in", "Đăng nhập", "Signed in"),
    (
        "sign_in_failed",
        "Đăng nhập không thành công",
        "Failed sign-in",
    ),
    ("sign_out", "Đăng xuất", "Signed out"),
    (
        "sign_out_everywhere",
        "Đăng xuất mọi nơi",
        "Signed out everywhere",
    ),
    ("password_change", "Đổi mật khẩu", "Password changed"),
    ("password_reset", "Đặt lại mật khẩu", "Password reset"),
    ("user_create", "Tạo tài khoản", "Account created"),
    ("user_disable", "Khóa tài khoản", "Account disabled"),
    ("user_enable", "Mở khóa tài khoản", "Account enabled"),
    ("token_create", "Cấp token API", "API token issued"),
    ("token_revoke", "Thu hồi token", "Token revoked"),
    ("display_create", "Tạo màn hình", "Wall screen created"),
    (
        "display_layout",
        "Đổi bố cục màn hình",
        "Wall screen layout changed",
    ),
    (
        "display_token_renew",
        "Cấp lại liên kết màn hình",
        "Wall screen link renewed",
    ),
    (
        "threshold_set",
        "Đặt mục tiêu, ngưỡng cảnh báo",
        "Target and thresholds set",
    ),
    (
        "reporting_rules_set",
        "Đổi chế độ báo cáo",
        "Reporting rules changed",
    ),
    ("holiday_set", "Thêm ngày nghỉ", "Holiday added"),
    ("holiday_removed", "Xóa ngày nghỉ", "Holiday removed"),
    (
        "observations_ingest",
        "Nhận số liệu qua API",
        "Values received over the API",
    ),
    (
        "observations_simulate",
        "Số liệu mô phỏng",
        "Simulated values",
    ),
    ("demo_seed", "Tạo dữ liệu demo", "Demo data seeded"),
    ("report_save", "Lưu nháp báo cáo", "Report draft saved"),
    ("report_submit", "Gửi báo cáo", "Report submitted"),
    ("report_return", "Trả lại báo cáo", "Report returned"),
    ("report_approve", "Phê duyệt báo cáo", "Report approved"),
    (
        "report_reopen",
        "Mở lại báo cáo để đính chính",
        "Report reopened",
    ),
    ("meeting_create", "Tạo phiên họp", "Meeting created"),
    ("meeting_save", "Cập nhật phiên họp", "Meeting updated"),
    ("conclusion_record", "Ghi kết luận", "Conclusion recorded"),
    ("task_assign", "Giao nhiệm vụ", "Task assigned"),
    (
        "report_task_progress",
        "Báo cáo tiến độ nhiệm vụ",
        "Task progress reported",
    ),
    ("task_decide", "Quyết định về nhiệm vụ", "Task decided"),
    (
        "task_extension_grant",
        "Gia hạn nhiệm vụ",
        "Task extension granted",
    ),
    (
        "task_extension_refuse",
        "Từ chối gia hạn",
        "Task extension refused",
    ),
    (
        "task_done_confirm",
        "Xác nhận hoàn thành nhiệm vụ",
        "Task completion confirmed",
    ),
    (
        "task_done_return",
        "Trả lại báo cáo hoàn thành",
        "Task completion returned",
    ),
    ("attachment_upload", "Tải lên tài liệu", "Document uploaded"),
    (
        "catalogue.indicator.create",
        "Thêm chỉ tiêu",
        "Indicator added",
    ),
    (
        "catalogue.indicator.update",
        "Sửa chỉ tiêu",
        "Indicator changed",
    ),
    (
        "catalogue.indicator.retire",
        "Ngừng dùng chỉ tiêu",
        "Indicator retired",
    ),
    (
        "catalogue.indicator.restore",
        "Dùng lại chỉ tiêu",
        "Indicator back in use",
    ),
    (
        "catalogue.regime.create",
        "Thêm chế độ báo cáo",
        "Reporting regime added",
    ),
    (
        "catalogue.regime.update",
        "Sửa chế độ báo cáo",
        "Reporting regime changed",
    ),
    (
        "catalogue.regime.retire",
        "Ngừng áp dụng chế độ báo cáo",
        "Reporting regime retired",
    ),
    (
        "catalogue.regime.restore",
        "Áp dụng lại chế độ báo cáo",
        "Reporting regime back in force",
    ),
    ("catalogue.unit.create", "Thêm đơn vị", "Unit added"),
    ("catalogue.unit.update", "Sửa đơn vị", "Unit changed"),
    (
        "catalogue.unit.retire",
        "Ghi đơn vị kết thúc (sáp nhập, chia tách)",
        "Unit ended (merged or split)",
    ),
    (
        "catalogue.unit.restore",
        "Bỏ việc kết thúc đơn vị",
        "Unit's end called off",
    ),
    (
        "catalogue.target.create",
        "Đặt mục tiêu, kế hoạch",
        "Target or plan set",
    ),
    (
        "catalogue.target.update",
        "Sửa mục tiêu, kế hoạch",
        "Target or plan changed",
    ),
    (
        "catalogue.target.retire",
        "Bỏ mục tiêu, kế hoạch",
        "Target or plan taken away",
    ),
    (
        "explanation.ask",
        "Yêu cầu giải trình",
        "Explanation requested",
    ),
    ("explanation.answer", "Giải trình", "Explanation given"),
    (
        "explanation.accept",
        "Chấp nhận giải trình",
        "Explanation accepted",
    ),
    (
        "explanation.ask_again",
        "Yêu cầu giải trình thêm",
        "Explanation asked again",
    ),
    ("note.write", "Thêm ghi chú", "Note written"),
    ("note.correct", "Sửa ghi chú", "Note corrected"),
    ("note.remove", "Gỡ ghi chú", "Note taken away"),
];
