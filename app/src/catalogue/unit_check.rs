//! [ssr] The rules a change of units must keep, from a file or from the units page: a
//! reorganisation is recorded whole (the former units, their successors and the communes that
//! move with them), never rewrites what was recorded before its day, and any problem changes
//! nothing.

use crate::catalogue::Problem;
use crate::catalogue::check::text_problem;
use crate::catalogue::unit_file::{UnitLine, UnitRecord};
use crate::model::{Unit, UnitCode, UnitKind};
use chrono::NaiveDate;
use std::collections::HashMap;

/// One unit created or changed.
pub type UnitChange = crate::catalogue::entry::Change<UnitRecord>;

/// What the rules need to know besides the units.
pub struct UnitContext<'a> {
    /// Every unit now, ended ones too, with its successors.
    pub current: &'a HashMap<String, UnitRecord>,
    /// Of the units whose days the change moves, those holding values: the first days of their
    /// earliest and latest periods with a value.
    pub spans: &'a HashMap<String, (NaiveDate, NaiveDate)>,
    /// Today in Viet Nam: a day already passed is history, not a plan.
    pub today: NaiveDate,
}

/// Checks `lines`; the changes to make, or every problem found. Lines identical to the unit they
/// name are left out.
pub fn plan(lines: &[UnitLine], ctx: &UnitContext) -> Result<Vec<UnitChange>, Vec<Problem>> {
    let mut problems = crate::catalogue::entry::duplicate_codes(lines);
    // The units as the change would leave them: the file's lines over the catalogue.
    let after: HashMap<&str, &Unit> = ctx
        .current
        .values()
        .map(|r| (r.unit.code.as_str(), &r.unit))
        .chain(
            lines
                .iter()
                .map(|l| (l.item.unit.code.as_str(), &l.item.unit)),
        )
        .collect();
    for l in lines {
        let (line, r) = (l.line, &l.item);
        let u = &r.unit;
        // A form's units have no line: each problem names its unit.
        let mut p = |line: usize, column: &str, message: String| {
            problems.push(Problem {
                line,
                column: column.into(),
                message: match line {
                    0 => format!("{} ({}): {message}", u.name_vi, u.code),
                    _ => message,
                },
            })
        };
        let before = ctx.current.get(&u.code).map(|b| &b.unit);
        match before {
            None if u.kind == UnitKind::National => p(
                line,
                "kind",
                "Toàn quốc là một và đã có (the nation is one, and is there)".into(),
            ),
            None => match UnitCode::parse(&u.code) {
                Err(e) => p(line, "code", e.to_string()),
                Ok(c) if c.kind() != u.kind => p(
                    line,
                    "kind",
                    format!(
                        "Mã “{}” là mã của cấp {}, không phải {} (the code's shape says another kind)",
                        u.code,
                        c.kind().label_vi().to_lowercase(),
                        u.kind.label_vi().to_lowercase()
                    ),
                ),
                Ok(_) => {}
            },
            Some(b) if b.kind != u.kind => p(
                line,
                "kind",
                "Không đổi được cấp của một đơn vị (a unit's kind cannot change)".into(),
            ),
            Some(b) if b.parent != u.parent => p(
                line,
                "parent",
                "Không đổi được nơi trực thuộc: hãy kết thúc đơn vị này và ghi đơn vị kế thừa (a unit that moves ends, and a successor takes over)"
                    .into(),
            ),
            Some(b) if b.kind == UnitKind::National && b != u && b.ended != u.ended => p(
                line,
                "ended",
                "Toàn quốc không kết thúc (the nation does not end)".into(),
            ),
            Some(_) => {}
        }
        if let Some(m) = text_problem(&u.name_vi, 200) {
            p(line, "name_vi", m);
        }
        if let Some(name) = &u.name_en
            && let Some(m) = text_problem(name, 200)
        {
            p(line, "name_en", m);
        }
        // Where it belongs: ministries and provinces to the nation, communes to a province in
        // force on the commune's first day.
        let parent = u.parent.as_deref().and_then(|c| after.get(c));
        let belongs = match (u.kind, parent) {
            (UnitKind::National, None) => u.parent.is_none(),
            (UnitKind::Ministry | UnitKind::Province, Some(par)) => par.code == "VN",
            (UnitKind::Commune, Some(par)) => {
                par.kind == UnitKind::Province && par.in_force(u.started.unwrap_or(ctx.today))
            }
            _ => false,
        };
        if !belongs && before.is_none() {
            p(
                line,
                "parent",
                match u.kind {
                    UnitKind::Commune => format!(
                        "“{}” không phải một tỉnh, thành phố có hiệu lực ngày xã bắt đầu (a commune belongs to a province in force)",
                        u.parent.as_deref().unwrap_or_default()
                    ),
                    _ => "Bộ, tỉnh thuộc “VN” (ministries and provinces belong to VN)".into(),
                },
            );
        }
        if let (Some(s), Some(e)) = (u.started, u.ended)
            && s >= e
        {
            p(
                line,
                "ended",
                format!(
                    "Ngày kết thúc {} phải sau ngày bắt đầu {} (ends after it starts)",
                    crate::model::i18n::Lang::Vi.date(e),
                    crate::model::i18n::Lang::Vi.date(s)
                ),
            );
        }
        // What was in force is history: a day already passed is not moved (a day in the past
        // may still be recorded, when no value lies beyond it: see the values below).
        for (column, was, is) in [
            ("started", before.and_then(|b| b.started), u.started),
            ("ended", before.and_then(|b| b.ended), u.ended),
        ] {
            if was != is
                && let Some(passed) = was.filter(|d| *d <= ctx.today)
            {
                p(
                    line,
                    column,
                    format!(
                        "Ngày {} đã qua: những gì đã ghi trước ngày đó không đổi (a day passed is history)",
                        crate::model::i18n::Lang::Vi.date(passed)
                    ),
                );
            }
        }
        let before_successors = ctx.current.get(&u.code).map(|b| b.successors.clone());
        if u.ended.is_some_and(|e| e <= ctx.today)
            && before.is_some_and(|b| b.ended == u.ended)
            && before_successors.as_ref() != Some(&r.successors)
        {
            p(
                line,
                "successors",
                "Sự kế thừa đã có hiệu lực thì không sửa (a succession in force is history)".into(),
            );
        }
        // A unit that ends is taken over: a merger names one successor, a split several.
        match u.ended {
            None if !r.successors.is_empty() => p(
                line,
                "ended",
                "Đơn vị có đơn vị kế thừa cần ngày kết thúc (a unit with successors needs the day it ends)"
                    .into(),
            ),
            Some(_) if r.successors.is_empty() => p(
                line,
                "successors",
                "Đơn vị kết thúc cần ít nhất một đơn vị kế thừa (a unit that ends needs a successor)"
                    .into(),
            ),
            _ => {}
        }
        if let Some(end) = u.ended {
            for code in &r.successors {
                let why = match after.get(code.as_str()) {
                    None => Some(format!(
                        "không có đơn vị kế thừa mã “{}” (the successor does not exist)",
                        code.chars().take(40).collect::<String>()
                    )),
                    Some(s) if s.code == u.code => Some(
                        "đơn vị không kế thừa chính nó (a unit is not its own successor)".into(),
                    ),
                    Some(s) if s.kind != u.kind => Some(format!(
                        "{} không cùng cấp với đơn vị kết thúc (the successor is of another kind)",
                        s.name_vi
                    )),
                    Some(s) if !s.in_force(end) => Some(format!(
                        "{} không có hiệu lực ngày {} (the successor is not in force that day)",
                        s.name_vi,
                        crate::model::i18n::Lang::Vi.date(end)
                    )),
                    Some(_) => None,
                };
                if let Some(why) = why {
                    p(line, "successors", why);
                }
            }
            // Its communes end with it, taken over by communes of the new province.
            let staying = after
                .values()
                .filter(|c| c.parent.as_deref() == Some(u.code.as_str()))
                .filter(|c| c.ended.is_none_or(|ce| ce > end))
                .count();
            if staying > 0 {
                p(
                    line,
                    "ended",
                    format!(
                        "Còn {staying} đơn vị trực thuộc sau ngày {}: ghi cả sự kế thừa của chúng trong cùng tệp (its communes must end with it)",
                        crate::model::i18n::Lang::Vi.date(end)
                    ),
                );
            }
        }
        // Nothing recorded is left outside the unit's days.
        if let Some((first, last)) = ctx.spans.get(&u.code) {
            if let Some(end) = u.ended
                && *last >= end
            {
                p(
                    line,
                    "ended",
                    format!(
                        "Đã có số liệu của kỳ bắt đầu ngày {}, từ ngày kết thúc {} trở đi (values exist after the day it ends)",
                        crate::model::i18n::Lang::Vi.date(*last),
                        crate::model::i18n::Lang::Vi.date(end)
                    ),
                );
            }
            if let Some(start) = u.started
                && *first < start
            {
                p(
                    line,
                    "started",
                    format!(
                        "Đã có số liệu của kỳ bắt đầu ngày {}, trước ngày bắt đầu {} (values exist before the day it starts)",
                        crate::model::i18n::Lang::Vi.date(*first),
                        crate::model::i18n::Lang::Vi.date(start)
                    ),
                );
            }
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(problems);
    }
    Ok(lines
        .iter()
        .filter(|l| ctx.current.get(&l.item.unit.code) != Some(&l.item))
        .map(|l| UnitChange {
            before: ctx.current.get(&l.item.unit.code).cloned(),
            after: l.item.clone(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::unit_file::read;

    fn unit(code: &str, kind: UnitKind, parent: Option<&str>) -> UnitRecord {
        UnitRecord {
            unit: Unit {
                code: code.into(),
                kind,
                name_vi: format!("Đơn vị {code}"),
                parent: parent.map(Into::into),
                ..Default::default()
            },
            successors: vec![],
        }
    }

    fn current() -> HashMap<String, UnitRecord> {
        [
            unit("VN", UnitKind::National, None),
            unit("40", UnitKind::Province, Some("VN")),
            unit("42", UnitKind::Province, Some("VN")),
            unit("16681", UnitKind::Commune, Some("40")),
        ]
        .into_iter()
        .map(|r| (r.unit.code.clone(), r))
        .collect()
    }

    fn check(
        file: &str,
        spans: &[(&str, &str, &str)],
    ) -> Result<Vec<UnitChange>, Vec<(usize, String)>> {
        let current = current();
        let (lines, problems) = read(file.as_bytes(), &current);
        assert!(problems.is_empty(), "{problems:?}");
        let spans = spans
            .iter()
            .map(|(c, a, b)| (c.to_string(), (a.parse().unwrap(), b.parse().unwrap())))
            .collect();
        plan(
            &lines,
            &UnitContext {
                current: &current,
                spans: &spans,
                today: "2026-12-04".parse().unwrap(),
            },
        )
        .map_err(|ps| ps.into_iter().map(|p| (p.line, p.column)).collect())
    }

    #[test]
    fn a_merger_is_recorded_whole_ahead_of_its_day() {
        let file = "code,kind,name_vi,parent,started,ended,successors
40,province,Tỉnh Nghệ An,VN,,2027-07-01,42
16681,commune,Xã A,40,,2027-07-01,16700
16700,commune,Xã A mới,42,2027-07-01,,
";
        let changes = check(file, &[("40", "2015-01-01", "2026-10-01")]).unwrap();
        assert_eq!(changes.len(), 3);
        assert_eq!(changes[0].action(), "catalogue.unit.retire");
        assert_eq!(changes[2].action(), "catalogue.unit.create");
    }

    #[test]
    fn a_merger_that_leaves_its_communes_or_has_no_successor_is_refused() {
        let file = "code,kind,name_vi,parent,ended,successors
40,province,Tỉnh Nghệ An,VN,2027-07-01,42
42,province,Tỉnh Hà Tĩnh,VN,2027-07-01,
";
        // Hà Tĩnh ends the same day, so it cannot take over Nghệ An either.
        assert_eq!(
            check(file, &[]).unwrap_err(),
            [
                (2, "successors".to_string()),
                (2, "ended".to_string()),
                (3, "successors".to_string())
            ]
        );
        let file = "code,kind,name_vi,parent,ended,successors\n40,province,Tỉnh Nghệ An,VN,2027-07-01,99\n16681,commune,Xã A,40,2027-07-01,40\n";
        let problems = check(file, &[]).unwrap_err();
        assert!(
            problems.contains(&(2, "successors".to_string())),
            "{problems:?}"
        );
        assert!(
            problems.contains(&(3, "successors".to_string())),
            "{problems:?}"
        );
    }

    #[test]
    fn a_past_day_with_values_after_it_is_refused() {
        let file = "code,kind,name_vi,parent,ended,successors
40,province,Tỉnh Nghệ An,VN,2026-07-01,42
16681,commune,Xã A,40,2026-07-01,
";
        let problems = check(file, &[("40", "2015-01-01", "2026-10-01")]).unwrap_err();
        assert!(problems.contains(&(2, "ended".to_string())), "{problems:?}");
        // The same merger on a day after its last value is history caught up, and recorded.
        let file = "code,kind,name_vi,parent,ended,successors
40,province,Tỉnh Nghệ An,VN,2026-11-01,42
16681,commune,Xã A,40,2026-11-01,42
";
        let problems = check(file, &[("40", "2015-01-01", "2026-10-01")]).unwrap_err();
        // A commune is taken over by a commune, not by a province.
        assert_eq!(problems, [(3, "successors".to_string())]);
    }

    #[test]
    fn a_new_units_code_says_its_kind_and_a_commune_belongs_to_a_province() {
        let file = "code,kind,name_vi,parent\n35,commune,Xã B,40\n16800,commune,Xã C,16681\nBXX,ministry,Bộ X,40\n";
        assert_eq!(
            check(file, &[]).unwrap_err(),
            [
                (2, "kind".to_string()),
                (3, "parent".to_string()),
                (4, "parent".to_string())
            ]
        );
    }
}
