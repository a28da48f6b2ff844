//! [ssr] The rules for targets and plans, checked against the catalogue in force: a target is
//! for an indicator in use and a unit that reports it; a plan follows the indicator's own
//! periods; every value lies in the indicator's valid range, and a range runs upwards. Any
//! problem changes nothing.

use crate::catalogue::Problem;
use crate::catalogue::entry::Change;
use crate::catalogue::file::cell_problem;
use crate::catalogue::target_file::{TargetEntry, TargetLine};
use crate::model::target::TargetBook;
use crate::model::{Indicator, Period, Unit};
use std::collections::HashMap;

pub struct TargetContext<'a> {
    pub indicators: &'a HashMap<String, Indicator>,
    pub units: &'a HashMap<String, Unit>,
    pub book: &'a TargetBook,
}

/// Checks `lines`; the changes to make, or every problem found. Lines that change nothing (the
/// same value, or taking away what is not there) are left out.
pub fn plan(
    lines: &[TargetLine],
    ctx: &TargetContext,
) -> Result<Vec<Change<TargetEntry>>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut changes = Vec::new();
    for l in lines {
        let before = problems.len();
        let t = &l.item;
        let mut p =
            |column: &str, message: String| problems.push(cell_problem(l.line, column, message));
        let indicator = match ctx.indicators.get(&t.indicator) {
            Some(i) if i.is_active() => Some(i),
            Some(_) => {
                p(
                    "indicator",
                    format!(
                        "Chỉ tiêu {} đã ngừng dùng (the indicator is retired)",
                        t.indicator
                    ),
                );
                None
            }
            None => {
                p(
                    "indicator",
                    format!("Không có chỉ tiêu {} (no such indicator)", t.indicator),
                );
                None
            }
        };
        let unit = ctx.units.get(&t.unit);
        if unit.is_none() {
            p("unit", format!("Không có đơn vị {} (no such unit)", t.unit));
        }
        if let (Some(i), Some(u)) = (indicator, unit) {
            if !i.is_reported_by(u.kind) {
                p(
                    "unit",
                    format!(
                        "{} không báo cáo chỉ tiêu {} nên không đặt mục tiêu được ({} does not report it)",
                        u.name_vi, i.code, u.code
                    ),
                );
            }
            check_values(i, t, &mut p);
        }
        if problems.len() > before {
            continue;
        }
        let current = ctx
            .book
            .row(&t.indicator, &t.unit, &t.period)
            .map(TargetEntry::of);
        if current.is_none() && t.value.is_none() {
            continue;
        }
        if current.as_ref() == Some(t) {
            continue;
        }
        changes.push(Change {
            before: current,
            after: t.clone(),
        });
    }
    if problems.is_empty() {
        Ok(changes)
    } else {
        Err(problems)
    }
}

fn check_values(i: &Indicator, t: &TargetEntry, p: &mut impl FnMut(&str, String)) {
    let year = matches!(t.period, Period::Year(_));
    if !year && t.period.periodicity() != i.periodicity {
        p(
            "period",
            format!(
                "Kế hoạch theo kỳ của chỉ tiêu ({}): kỳ {} không hợp; mục tiêu năm ghi kỳ là năm, ví dụ 2026 (a plan follows the indicator's periodicity)",
                i.periodicity.label_vi(),
                t.period
            ),
        );
    }
    if !year && t.value_max.is_some() {
        p(
            "target_max",
            "Khoảng mục tiêu chỉ dùng cho mục tiêu năm; kế hoạch của kỳ là một số (a plan point is one value)".into(),
        );
    }
    for (column, v) in [("target", t.value), ("target_max", t.value_max)] {
        if let Some(v) = v
            && let Some(why) = i.out_of_range(v)
        {
            p(column, format!("Mục tiêu {v} nằm ngoài giới hạn: {why}"));
        }
    }
    if let (Some(lo), Some(hi)) = (t.value, t.value_max)
        && lo > hi
    {
        p(
            "target_max",
            format!("Khoảng mục tiêu {lo}–{hi} phải từ số nhỏ đến số lớn (the range runs upwards)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::target_file::read;
    use crate::model::{GoodDirection, Periodicity, UnitKind};

    fn context() -> (HashMap<String, Indicator>, HashMap<String, Unit>) {
        let growth = Indicator {
            code: "GRDP_GROWTH".into(),
            periodicity: Periodicity::Quarterly,
            good_direction: GoodDirection::Up,
            reported_by: vec![UnitKind::Province],
            valid_min: Some(-50.0),
            valid_max: Some(50.0),
            ..Default::default()
        };
        let units = [
            ("01", UnitKind::Province, "Hà Nội"),
            ("VN", UnitKind::National, "Toàn quốc"),
        ]
        .map(|(code, kind, name)| {
            (
                code.to_string(),
                Unit {
                    code: code.into(),
                    kind,
                    name_vi: name.into(),
                    ..Default::default()
                },
            )
        });
        (
            [("GRDP_GROWTH".to_string(), growth)].into(),
            units.into_iter().collect(),
        )
    }

    fn check(file: &str, book: &TargetBook) -> Result<Vec<Change<TargetEntry>>, Vec<Problem>> {
        let (indicators, units) = context();
        let (lines, problems) = read(file.as_bytes(), book);
        assert_eq!(problems, vec![], "the file reads");
        plan(
            &lines,
            &TargetContext {
                indicators: &indicators,
                units: &units,
                book,
            },
        )
    }

    #[test]
    fn a_province_gets_its_target_and_quarterly_plan() {
        let changes = check(
            "indicator,unit,period,target,target_max\nGRDP_GROWTH,01,2026,8.3,8.5\nGRDP_GROWTH,01,2026-Q1,7.5,\n",
            &TargetBook::default(),
        )
        .unwrap();
        assert_eq!(changes.len(), 2);
        assert!(changes.iter().all(|c| c.before.is_none()));
        // The same file again changes nothing; taking a target away that is not there, neither.
        let book = TargetBook::new(changes.iter().filter_map(|c| c.after.row()).collect());
        let again = check(
            "indicator,unit,period,target,target_max\nGRDP_GROWTH,01,2026,8.3,8.5\nGRDP_GROWTH,01,2027,,\n",
            &book,
        )
        .unwrap();
        assert_eq!(again, vec![]);
    }

    #[test]
    fn targets_that_break_the_rules_are_refused_by_line() {
        let problems = check(
            "indicator,unit,period,target,target_max\n\
             GRDP_GROWTH,VN,2026,8,\n\
             GRDP_GROWTH,01,2026-03,8,\n\
             GRDP_GROWTH,01,2026,80,\n\
             GRDP_GROWTH,01,2027,9,8\n\
             GRDP_GROWTH,01,2026-Q2,7,8\n\
             NO_SUCH,01,2026,1,\n\
             GRDP_GROWTH,99,2026,1,\n",
            &TargetBook::default(),
        )
        .unwrap_err();
        assert_eq!(
            crate::catalogue::at(&problems),
            [
                (2, "unit"),
                (3, "period"),
                (4, "target"),
                (5, "target_max"),
                (6, "target_max"),
                (7, "indicator"),
                (8, "unit")
            ]
        );
        assert!(
            problems[0].message.contains("Toàn quốc không báo cáo"),
            "{}",
            problems[0].message
        );
    }
}
