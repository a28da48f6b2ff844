//! [ssr] The rules a regime change must keep, from a file or from the regimes page: every
//! problem is named (by line for a file), and a change with any problem changes nothing.

use crate::catalogue::Problem;
use crate::catalogue::check::text_problem;
use crate::catalogue::regime_file::RegimeLine;
use crate::model::regime::{Regime, check_code};
use crate::model::{Indicator, Unit};
use std::collections::{HashMap, HashSet};

/// One regime created or changed.
pub type RegimeChange = crate::catalogue::entry::Change<Regime>;

/// What the rules need to know besides the regimes.
pub struct RegimeContext<'a> {
    /// Every regime now, retired ones too.
    pub current: &'a HashMap<String, Regime>,
    pub indicators: &'a HashMap<String, Indicator>,
    pub units: &'a HashMap<String, Unit>,
    /// Regimes under which a report was made.
    pub with_reports: &'a HashSet<String>,
}

/// Checks `lines`; the changes to make, or every problem found. Lines identical to the regime
/// they name are left out.
pub fn plan(lines: &[RegimeLine], ctx: &RegimeContext) -> Result<Vec<RegimeChange>, Vec<Problem>> {
    let mut problems = crate::catalogue::entry::duplicate_codes(lines);
    let mut p = |line: usize, column: &str, message: String| {
        problems.push(Problem {
            line,
            column: column.into(),
            message,
        })
    };
    for l in lines {
        let (line, r) = (l.line, &l.item);
        let before = ctx.current.get(&r.code);
        if l.new
            && let Err(m) = check_code(&r.code)
        {
            p(line, "code", m);
        }
        for (column, text, max) in [
            ("name_vi", &r.name_vi, 300),
            ("name_en", &r.name_en, 300),
            ("legal_basis", &r.legal_basis, 200),
        ] {
            if let Some(m) = text_problem(text, max) {
                p(line, column, m);
            }
        }
        if r.kinds.is_empty() {
            p(
                line,
                "kinds",
                "Cần ít nhất một cấp báo cáo: ministry, province hoặc commune (who reports it)"
                    .into(),
            );
        }
        for u in &r.units {
            match ctx.units.get(u) {
                None => p(
                    line,
                    "units",
                    format!(
                        "Không có đơn vị mã “{}” (unknown unit)",
                        u.chars().take(40).collect::<String>()
                    ),
                ),
                Some(unit) if !r.kinds.contains(&unit.kind) => p(
                    line,
                    "units",
                    format!(
                        "{} không thuộc cấp báo cáo của chế độ này (the unit is not of the regime's kinds)",
                        unit.name_vi
                    ),
                ),
                Some(_) => {}
            }
        }
        if r.indicators.is_empty() && r.is_active() {
            p(
                line,
                "indicators",
                "Chế độ báo cáo đang áp dụng cần ít nhất một chỉ tiêu (a regime in force needs at least one indicator)"
                    .into(),
            );
        }
        for code in &r.indicators {
            let already = before.is_some_and(|b| b.indicators.contains(code));
            let why = match ctx.indicators.get(code) {
                None => Some(format!(
                    "không có chỉ tiêu mã “{}” (unknown indicator)",
                    code.chars().take(40).collect::<String>()
                )),
                // One retired since it was listed stays listed (its history is the regime's).
                Some(i) if !i.is_active() && !already => Some(format!(
                    "chỉ tiêu {code} đã ngừng dùng (the indicator is retired)"
                )),
                Some(i) if i.periodicity != r.periodicity => Some(format!(
                    "chỉ tiêu {code} báo cáo theo kỳ {}, chế độ này theo kỳ {} (periodicity differs)",
                    i.periodicity.label_vi().to_lowercase(),
                    r.periodicity.label_vi().to_lowercase()
                )),
                Some(i) if !r.kinds.iter().any(|k| i.is_reported_by(*k)) => Some(format!(
                    "không cấp nào của chế độ này báo cáo chỉ tiêu {code} (none of the regime's kinds reports it)"
                )),
                Some(_) => None,
            };
            if let Some(why) = why {
                p(line, "indicators", why);
            }
        }
        if let Some(b) = before
            && b.periodicity != r.periodicity
            && ctx.with_reports.contains(&r.code)
        {
            p(
                line,
                "periodicity",
                format!(
                    "Đã có báo cáo theo chế độ {}: không đổi được kỳ báo cáo; hãy ngừng áp dụng chế độ này và tạo chế độ mới (reports exist: retire it and create a new one)",
                    r.code
                ),
            );
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(problems);
    }
    Ok(lines
        .iter()
        .filter(|l| ctx.current.get(&l.item.code) != Some(&l.item))
        .map(|l| RegimeChange {
            before: ctx.current.get(&l.item.code).cloned(),
            after: l.item.clone(),
        })
        .collect())
}
