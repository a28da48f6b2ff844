//! Danh mục: the Government Office's own catalogue of indicators (and, with them, units and
//! reporting regimes), changed while the centre runs. One path in for every change (a file or
//! the administration page): read, checked by the rules, stored with its audit rows and
//! announced on the live stream, after which every instance reads the catalogue again.

pub mod api;
#[cfg(feature = "ssr")]
pub mod check;
#[cfg(feature = "ssr")]
pub mod entry;
#[cfg(feature = "ssr")]
pub mod file;
#[cfg(feature = "ssr")]
mod index;
pub mod page;
pub mod regime_api;
#[cfg(feature = "ssr")]
pub mod regime_check;
#[cfg(feature = "ssr")]
pub mod regime_file;
pub mod regime_page;
#[cfg(feature = "ssr")]
pub mod target_check;
#[cfg(feature = "ssr")]
pub mod target_file;
#[cfg(feature = "ssr")]
pub mod unit_check;
#[cfg(feature = "ssr")]
pub mod unit_file;
pub mod units_api;
pub mod units_page;
#[cfg(feature = "ssr")]
pub mod write;

#[cfg(feature = "ssr")]
pub use index::{CatalogueIndex, LiveCatalogue};

use serde::{Deserialize, Serialize};

/// One thing wrong with a catalogue change: where (a file's line and column; line 0 for the
/// whole file or a form) and why, in Vietnamese with the English after it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub line: usize,
    pub column: String,
    pub message: String,
}

/// Where each problem is, (line, column): what the rules' tests compare.
#[cfg(test)]
pub(crate) fn at(problems: &[Problem]) -> Vec<(usize, &str)> {
    problems
        .iter()
        .map(|p| (p.line, p.column.as_str()))
        .collect()
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column.as_str()) {
            (0, "") => f.write_str(&self.message),
            (0, c) => write!(f, "{c}: {}", self.message),
            (l, "") => write!(f, "dòng {l}: {}", self.message),
            (l, c) => write!(f, "dòng {l}, cột {c}: {}", self.message),
        }
    }
}

/// A column of the catalogue file (a field of an indicator) as people call it: Vietnamese,
/// English. The form, its problems and the audit log say the same.
pub fn column_label(column: &str) -> Option<(&'static str, &'static str)> {
    Some(match column {
        "code" => ("Mã", "Code"),
        "name_vi" => ("Tên tiếng Việt", "Vietnamese name"),
        "name_en" => ("Tên tiếng Anh", "English name"),
        "field" => ("Lĩnh vực", "Field"),
        "measure" => ("Đơn vị tính (tiếng Anh)", "Measure (English)"),
        "measure_vi" => ("Đơn vị tính", "Measure"),
        "periodicity" => ("Kỳ báo cáo", "Periodicity"),
        "rollup" => ("Cách tổng hợp", "Rollup"),
        "national" => ("Số toàn quốc", "National figure"),
        "good_direction" => ("Chiều tốt", "Good direction"),
        "change" => ("Cách nói thay đổi", "Change shown as"),
        "owner" => ("Cơ quan chủ trì", "Owner"),
        "reported_by" => ("Cấp báo cáo", "Reported by"),
        "target" => ("Mục tiêu", "Target"),
        "target_max" => ("Mục tiêu đến", "Target up to"),
        "indicator" => ("Chỉ tiêu", "Indicator"),
        "unit" => ("Đơn vị", "Unit"),
        "period" => ("Kỳ", "Period"),
        "year_total" => ("Cộng dồn cả năm", "Counted over the year"),
        "standing_by" => ("Đánh giá tình trạng theo", "Standing judged by"),
        "at_risk_within" => (
            "Ngưỡng có nguy cơ (% mục tiêu)",
            "At risk within (% of goal)",
        ),
        "consistency_within" => (
            "Sai lệch cho phép giữa bình quân các tỉnh và số toàn quốc",
            "Provinces' mean may differ from the national figure by",
        ),
        "checked_against" => (
            "Đối chiếu với số toàn quốc của chỉ tiêu",
            "Held against the national figure of",
        ),
        "weight" => ("Trọng số bình quân (chỉ tiêu)", "Weighted by (indicator)"),
        "decimals" => ("Số chữ số thập phân", "Decimals"),
        "valid_min" => ("Giá trị nhỏ nhất", "Lowest valid value"),
        "valid_max" => ("Giá trị lớn nhất", "Highest valid value"),
        "formula" => ("Công thức", "Formula"),
        "retired" => ("Ngừng dùng từ", "Retired on"),
        "legal_basis" => ("Căn cứ pháp lý", "Legal basis"),
        "kinds" => ("Cấp báo cáo", "Reporting levels"),
        "units" => ("Đơn vị", "Units"),
        "cutoff_day" => ("Ngày chốt số liệu", "Cut-off day"),
        "deadline_working_days" => (
            "Hạn gửi (ngày làm việc sau ngày chốt)",
            "Due (working days after the cut-off)",
        ),
        "indicators" => ("Chỉ tiêu", "Indicators"),
        "in_force_from" => ("Áp dụng từ ngày", "In force from"),
        "kind" => ("Cấp", "Kind"),
        "parent" => ("Trực thuộc", "Belongs to"),
        "started" => ("Bắt đầu từ ngày", "Started on"),
        "ended" => ("Kết thúc từ ngày", "Ended on"),
        "successors" => ("Đơn vị kế thừa", "Successors"),
        _ => return None,
    })
}
