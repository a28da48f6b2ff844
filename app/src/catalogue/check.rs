//! [ssr] The rules a catalogue change must keep, whether it comes from a file or from the
//! administration page: every problem is found and named (by line for a file), and a change
//! with any problem changes nothing.

use crate::catalogue::Problem;
use crate::catalogue::file::Line;
use crate::model::{Indicator, NationalFigure, Rollup, UnitKind};
use std::collections::{HashMap, HashSet};

/// One indicator created or changed.
pub type IndicatorChange = crate::catalogue::entry::Change<Indicator>;

/// What the rules need to know besides the indicators.
pub struct Context<'a> {
    /// Every indicator now in the catalogue, retired ones too.
    pub current: &'a HashMap<String, Indicator>,
    /// Codes of the ministries (an indicator's owner is one).
    pub ministries: &'a HashSet<String>,
    /// Indicators that already have values.
    pub with_values: &'a HashSet<String>,
}

/// Codes of indicators: capitals, digits and `_`, starting with a capital.
pub fn code_problem(code: &str) -> Option<String> {
    let ok = (2..=40).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_uppercase())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    (!ok).then(|| {
        format!(
            "Mã “{}” không hợp lệ: 2–40 ký tự gồm chữ in hoa không dấu, chữ số và “_”, bắt đầu bằng chữ (invalid code)",
            code.chars().take(60).collect::<String>()
        )
    })
}

pub(crate) fn text_problem(text: &str, max: usize) -> Option<String> {
    if text.trim().is_empty() {
        Some("Không được để trống (required)".into())
    } else if text.chars().count() > max {
        Some(format!("Dài quá {max} ký tự (too long)"))
    } else if text.chars().any(char::is_control) {
        Some("Có ký tự điều khiển (control characters)".into())
    } else {
        None
    }
}

/// Checks `lines` against the rules and the catalogue they would make; the changes to make, or
/// every problem found. Lines identical to the indicator they name are left out.
pub fn plan(lines: &[Line], ctx: &Context) -> Result<Vec<IndicatorChange>, Vec<Problem>> {
    let mut problems = crate::catalogue::entry::duplicate_codes(lines);
    let mut p = |line: usize, column: &str, message: String| {
        problems.push(Problem {
            line,
            column: column.into(),
            message,
        })
    };
    // The catalogue as it would be after the change.
    let mut after: HashMap<&str, &Indicator> =
        ctx.current.iter().map(|(c, i)| (c.as_str(), i)).collect();
    for l in lines {
        after.insert(&l.item.code, &l.item);
    }
    for l in lines {
        let (line, i) = (l.line, &l.item);
        if l.new
            && let Some(m) = code_problem(&i.code)
        {
            p(line, "code", m);
        }
        for (column, text, max) in [
            ("name_vi", &i.name_vi, 300),
            ("name_en", &i.name_en, 300),
            ("measure", &i.measure, 60),
            ("measure_vi", &i.measure_vi, 60),
        ] {
            if let Some(m) = text_problem(text, max) {
                p(line, column, m);
            }
        }
        if !ctx.ministries.contains(&i.owner) {
            p(
                line,
                "owner",
                format!(
                    "Không có bộ, cơ quan mã “{}” (the owner must be a ministry's code)",
                    i.owner.chars().take(40).collect::<String>()
                ),
            );
        }
        if let (Some(lo), Some(hi)) = (i.valid_min, i.valid_max)
            && lo > hi
        {
            p(
                line,
                "valid_min",
                format!("Giới hạn dưới {lo} lớn hơn giới hạn trên {hi} (min above max)"),
            );
        }
        if let Some(t) = i.target
            && let Some(why) = i.out_of_range(t)
        {
            p(
                line,
                "target",
                format!("Mục tiêu {t} nằm ngoài giới hạn: {why}"),
            );
        }
        if let Some(w) = i.at_risk_within
            && !(0.0..=100.0).contains(&w)
        {
            p(
                line,
                "at_risk_within",
                format!(
                    "Ngưỡng có nguy cơ {w} phải từ 0 đến 100 (% của mục tiêu) (0–100 per cent)"
                ),
            );
        }
        if i.national == NationalFigure::Computed {
            let children =
                i.is_reported_by(UnitKind::Province) || i.is_reported_by(UnitKind::Ministry);
            let why = if i.rollup != Rollup::Sum {
                Some(
                    "chỉ số cộng tổng (rollup sum) mới tính được số toàn quốc (only a sum can be computed)",
                )
            } else if i.is_derived() {
                Some(
                    "chỉ tiêu có công thức được tính theo công thức ở mọi cấp, kể cả toàn quốc; để trống cột này (a derived indicator follows its formula)",
                )
            } else if !children {
                Some(
                    "không có tỉnh hay bộ nào báo cáo chỉ tiêu này để cộng (no province or ministry reports it)",
                )
            } else {
                None
            };
            if let Some(why) = why {
                p(
                    line,
                    "national",
                    format!("Số toàn quốc không tính tự động được: {why}"),
                );
            }
        }
        if let Some(before) = ctx.current.get(&i.code)
            && ctx.with_values.contains(&i.code)
        {
            for (column, changed) in [
                ("periodicity", before.periodicity != i.periodicity),
                ("rollup", before.rollup != i.rollup),
            ] {
                if changed {
                    p(
                        line,
                        column,
                        format!(
                            "Chỉ tiêu {} đã có số liệu: không đổi được {}; hãy ngừng dùng chỉ tiêu này và tạo chỉ tiêu mới (the indicator has values: retire it and create a new one)",
                            i.code,
                            if column == "rollup" {
                                "cách tổng hợp"
                            } else {
                                "kỳ báo cáo"
                            }
                        ),
                    );
                }
            }
        }
        if let Some(f) = &i.formula {
            for input in f.inputs() {
                match after.get(input) {
                    _ if input == i.code => p(
                        line,
                        "formula",
                        format!("Công thức của {} dùng chính nó (refers to itself)", i.code),
                    ),
                    None => p(
                        line,
                        "formula",
                        format!(
                            "Công thức dùng chỉ tiêu “{input}” không có trong danh mục (unknown indicator)"
                        ),
                    ),
                    Some(x) if !x.is_active() && i.is_active() => p(
                        line,
                        "formula",
                        format!("Công thức dùng chỉ tiêu {input} đã ngừng dùng (retired input)"),
                    ),
                    Some(x) if x.periodicity != i.periodicity => p(
                        line,
                        "formula",
                        format!(
                            "Chỉ tiêu {input} báo cáo theo {}, {} theo {}: công thức cần cùng kỳ (periodicity differs)",
                            x.periodicity.label_vi(),
                            i.code,
                            i.periodicity.label_vi()
                        ),
                    ),
                    Some(_) => {}
                }
            }
        }
        if let Some(w) = i.consistency_within {
            // The national figure the provinces' mean is held against: another indicator's
            // (GDP against GRDP), or this one's own.
            let national = match &i.checked_against {
                Some(code) => after.get(code.as_str()).copied(),
                None => Some(i),
            };
            let problem = if !(w.is_finite() && w >= 0.0) {
                Some(format!(
                    "Sai lệch cho phép {w} phải là số không âm (not negative)"
                ))
            } else if !i.is_reported_by(UnitKind::Province) || i.rollup == Rollup::Sum {
                Some("Chỉ đối chiếu được chỉ tiêu các tỉnh báo cáo và không cộng dồn (only a provincial figure that is not summed)".to_string())
            } else {
                match national {
                    None => Some(format!(
                        "Không có chỉ tiêu “{}” trong danh mục (unknown indicator)",
                        i.checked_against.as_deref().unwrap_or_default()
                    )),
                    Some(n) if !n.is_reported_by(UnitKind::National) => Some(format!(
                        "{} không có số toàn quốc để đối chiếu (no national figure)",
                        n.code
                    )),
                    Some(n) if n.periodicity != i.periodicity => Some(format!(
                        "{} báo cáo theo {}, {} theo {}: cần cùng kỳ (periodicity differs)",
                        n.code,
                        n.periodicity.label_vi(),
                        i.code,
                        i.periodicity.label_vi()
                    )),
                    Some(_) => None,
                }
            };
            if let Some(message) = problem {
                p(line, "consistency_within", message);
            }
        } else if i.checked_against.is_some() {
            p(
                line,
                "checked_against",
                "Cần sai lệch cho phép để đối chiếu (a tolerance is needed)".to_string(),
            );
        }
        if let Some(code) = &i.weight
            && let Some(message) = weight_problem(i, code, &after)
        {
            p(line, "weight", message);
        }
        // Retiring an input of a formula in use would leave the derived indicator without a value.
        if !i.is_active() {
            for other in after.values().filter(|o| o.is_active()) {
                if other.weight.as_deref() == Some(i.code.as_str()) {
                    p(
                        line,
                        "retired",
                        format!(
                            "{} là trọng số của {}: bỏ trọng số đó trước (the weight of an indicator in use)",
                            i.code, other.code
                        ),
                    );
                }
                if other
                    .formula
                    .as_ref()
                    .is_some_and(|f| f.inputs().contains(&i.code.as_str()))
                {
                    p(
                        line,
                        "retired",
                        format!(
                            "{} là đầu vào của công thức {}: ngừng dùng {} trước (an input of a formula in use)",
                            i.code, other.code, other.code
                        ),
                    );
                }
            }
        }
    }
    // Formulas may not go round in a circle (A from B, B from A).
    for l in lines {
        if let Some(cycle) = cycle_from(&l.item.code, &after) {
            p(
                l.line,
                "formula",
                format!(
                    "Công thức vòng tròn: {} (formulas refer to each other)",
                    cycle.join(" → ")
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
        .filter_map(|l| {
            let before = ctx.current.get(&l.item.code).cloned();
            (before.as_ref() != Some(&l.item)).then(|| IndicatorChange {
                before,
                after: l.item.clone(),
            })
        })
        .collect())
}

/// The path back to `start` through formulas, if there is one.
fn cycle_from(start: &str, all: &HashMap<&str, &Indicator>) -> Option<Vec<String>> {
    fn walk(
        at: &str,
        start: &str,
        all: &HashMap<&str, &Indicator>,
        path: &mut Vec<String>,
        seen: &mut HashSet<String>,
    ) -> bool {
        let Some(f) = all.get(at).and_then(|i| i.formula.as_ref()) else {
            return false;
        };
        for input in f.inputs() {
            if input == start && path.len() > 1 {
                path.push(input.to_string());
                return true;
            }
            if input != at && seen.insert(input.to_string()) {
                path.push(input.to_string());
                if walk(input, start, all, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_string()];
    let mut seen = HashSet::new();
    walk(start, start, all, &mut path, &mut seen).then_some(path)
}

/// Why `code` cannot weigh `i`'s units: a weight is a summed indicator of the same periods that
/// every kind of unit below the nation reporting `i` also reports. None: it can.
fn weight_problem(i: &Indicator, code: &str, after: &HashMap<&str, &Indicator>) -> Option<String> {
    if i.rollup != Rollup::WeightedMean {
        return Some(format!(
            "Chỉ chỉ tiêu bình quân gia quyền mới có trọng số; {} là “{}” (only a weighted mean has a weight)",
            i.code,
            i.rollup.label_vi()
        ));
    }
    let Some(w) = after.get(code).copied() else {
        return Some(format!(
            "Không có chỉ tiêu “{}” trong danh mục (unknown indicator)",
            code.chars().take(40).collect::<String>()
        ));
    };
    let missing: Vec<String> = i
        .reported_by
        .iter()
        .filter(|k| **k != UnitKind::National && !w.is_reported_by(**k))
        .map(|k| k.label_vi().to_lowercase())
        .collect();
    if w.code == i.code {
        Some(format!(
            "{} không là trọng số của chính nó (not its own weight)",
            i.code
        ))
    } else if w.rollup != Rollup::Sum {
        Some(format!(
            "Trọng số phải là chỉ tiêu cộng tổng các đơn vị (số hồ sơ, lực lượng lao động); {} là “{}” (a weight must be a sum)",
            w.code,
            w.rollup.label_vi()
        ))
    } else if w.periodicity != i.periodicity {
        Some(format!(
            "{} báo cáo theo {}, {} theo {}: cần cùng kỳ (periodicity differs)",
            w.code,
            w.periodicity.label_vi(),
            i.code,
            i.periodicity.label_vi()
        ))
    } else if !w.is_active() && i.is_active() {
        Some(format!("Chỉ tiêu {} đã ngừng dùng (retired)", w.code))
    } else if !missing.is_empty() {
        Some(format!(
            "{} không được cấp {} báo cáo, nên không cân được các đơn vị đó (not reported by every level that reports {})",
            w.code,
            missing.join(", "),
            i.code
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::file::read;

    const FILE: &str = include_str!("../../../server/catalogue/indicators.csv");

    fn current() -> HashMap<String, Indicator> {
        read(FILE.as_bytes(), &HashMap::new())
            .0
            .into_iter()
            .map(|l| (l.item.code.clone(), l.item))
            .collect()
    }

    fn check(file: &str, with_values: &[&str]) -> Result<Vec<IndicatorChange>, Vec<Problem>> {
        let current = current();
        let ministries: HashSet<String> = include_str!("../../../server/catalogue/ministries.csv")
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').next())
            .map(String::from)
            .collect();
        let with_values: HashSet<String> = with_values.iter().map(|s| s.to_string()).collect();
        let (lines, mut problems) = read(file.as_bytes(), &current);
        let planned = plan(
            &lines,
            &Context {
                current: &current,
                ministries: &ministries,
                with_values: &with_values,
            },
        );
        match planned {
            Err(more) => {
                problems.extend(more);
                Err(problems)
            }
            Ok(_) if !problems.is_empty() => Err(problems),
            Ok(c) => Ok(c),
        }
    }

    use crate::catalogue::at;

    const HEAD: &str = "code,name_vi,name_en,measure,measure_vi,periodicity,rollup,good_direction,owner,reported_by,decimals,formula";

    #[test]
    fn a_new_derived_indicator_and_a_rename_are_planned_and_unchanged_lines_skipped() {
        let file = format!(
            "{HEAD}\nRETAIL_PER_EXPORT,Bán lẻ trên xuất khẩu,Retail per export,ratio,lần,monthly,none,none,BCT,national|province,2,RETAIL_SALES / EXPORT_VALUE\n"
        ) + "CPI_YOY,Chỉ số giá tiêu dùng (so cùng kỳ),Consumer prices,% yoy,% so cùng kỳ,monthly,national_only,down,BTC,national,2,\n";
        let changes = check(&file, &["CPI_YOY"]).unwrap();
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].action(), "catalogue.indicator.create");
        assert_eq!(changes[1].action(), "catalogue.indicator.update");
        assert_eq!(changes[1].after.name_en, "Consumer prices");
        // The whole built-in file against itself: nothing to do.
        assert_eq!(check(FILE, &[]).unwrap(), vec![]);
    }

    #[test]
    fn every_problem_is_named_by_line_and_nothing_is_planned() {
        let file = format!(
            "{HEAD}\n\
             NEW_A,A,A,x,x,monthly,sum,up,BXX,province,0,\n\
             NEW_A,A,A,x,x,monthly,sum,up,BTC,province,0,\n\
             SELF,S,S,x,x,monthly,sum,up,BTC,province,0,SELF + 1\n\
             LOOP_A,L,L,x,x,monthly,none,up,BTC,province,0,LOOP_B\n\
             LOOP_B,L,L,x,x,monthly,none,up,BTC,province,0,LOOP_A * 2\n\
             GHOST,G,G,x,x,monthly,none,up,BTC,province,0,EXPORT_VALUE - NOWHERE\n\
             CPI_YOY,C,C,x,x,quarterly,national_only,down,BTC,national,2,\n\
             bad code,B,B,x,x,monthly,none,up,BTC,province,0,\n"
        );
        let problems = check(&file, &["CPI_YOY"]).unwrap_err();
        let at = at(&problems);
        for expected in [
            (2, "owner"),
            (3, "code"),
            (4, "formula"),
            (5, "formula"),
            (6, "formula"),
            (7, "formula"),
            (8, "periodicity"),
            (9, "code"),
        ] {
            assert!(at.contains(&expected), "{expected:?} in {problems:#?}");
        }
        let duplicate = &problems.iter().find(|p| p.line == 3).unwrap().message;
        assert!(duplicate.contains("dòng 2"), "{duplicate}");
    }

    #[test]
    fn retiring_an_input_of_a_formula_in_use_is_refused() {
        let problems = check("code,retired\nEXPORT_VALUE,2026-12-01\n", &[]).unwrap_err();
        assert_eq!(at(&problems), [(2, "retired")]);
        assert!(problems[0].message.contains("TRADE_BALANCE"));
        let both = check(
            "code,retired\nTRADE_BALANCE,2026-12-01\nEXPORT_VALUE,2026-12-01\n",
            &[],
        )
        .unwrap();
        assert_eq!(both[0].action(), "catalogue.indicator.retire");
    }
}
