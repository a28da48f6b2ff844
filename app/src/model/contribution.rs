//! What moved the number: a whole's change between two periods split into its members' parts
//! (the nation into its provinces and ministries, a province into its communes).
//!
//! For a summing rollup each member's part is its own change, and the parts with the rest (what
//! the owner's figure holds beyond its members' sum: central revenue, a visitor counted by
//! several provinces) add up to the whole's change exactly: the sums are done in millionths, as
//! integers, so no float rounding is left over.

use crate::model::Period;
use serde::{Deserialize, Serialize};

/// One member's part of the whole's change.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    pub unit: String,
    pub name_vi: String,
    /// The member's value in the first period (none: it did not report then).
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// Its part of the whole's change, in the indicator's measure.
    pub change: f64,
    /// The same as percentage points of the whole's per cent change (none when the whole had
    /// no value, or zero, in the first period).
    pub points: Option<f64>,
}

/// A whole's change between two periods and what made it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contributions {
    pub indicator: String,
    /// The whole: `VN` or a province.
    pub unit: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-09"))]
    pub from: Period,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-10"))]
    pub to: Period,
    /// The whole's value in each period, and its change (none when it misses either).
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub change: Option<f64>,
    /// The change as a per cent of the first period's value.
    pub percent: Option<f64>,
    /// Largest part first, whichever its sign.
    pub members: Vec<Contribution>,
    /// The part of the whole's change that is not a member's: the owner's own figure against
    /// the members' sum. Zero for a figure computed as that sum; none when `change` is none.
    pub rest: Option<f64>,
    pub rest_points: Option<f64>,
}

/// Millionths as integers: the parts of a sum add up to it without a float's remainder.
/// Bounded far below i128's range, so that no number of members can overflow their sum.
fn micro(v: f64) -> i128 {
    (v * 1e6).round().clamp(-1e30, 1e30) as i128
}

fn unmicro(m: i128) -> f64 {
    m as f64 / 1e6
}

/// One member's values: code, name, value in `from`, value in `to`.
pub type MemberValues = (String, String, Option<f64>, Option<f64>);

impl Contributions {
    /// The parts of a summed whole: each member's own change (a member that reported in only
    /// one of the periods adds or takes away its whole value, as it does in a computed sum);
    /// members with no value in either period are left out.
    pub fn of_sum(
        indicator: &str,
        unit: &str,
        (from, to): (Period, Period),
        (before, after): (Option<f64>, Option<f64>),
        members: Vec<MemberValues>,
    ) -> Contributions {
        let change = before.zip(after).map(|(b, a)| micro(a) - micro(b));
        // Per cent of the whole's first value; none from zero (no size to compare with).
        let points = |part: i128| {
            before
                .filter(|b| *b != 0.0)
                .map(|b| unmicro(part) / b.abs() * 100.0)
        };
        let mut parts: Vec<(i128, Contribution)> = members
            .into_iter()
            .filter(|(_, _, b, a)| b.is_some() || a.is_some())
            .map(|(unit, name_vi, b, a)| {
                let part = a.map_or(0, micro) - b.map_or(0, micro);
                let c = Contribution {
                    unit,
                    name_vi,
                    before: b,
                    after: a,
                    change: unmicro(part),
                    points: points(part),
                };
                (part, c)
            })
            .collect();
        parts.sort_by(|(x, a), (y, b)| y.abs().cmp(&x.abs()).then_with(|| a.unit.cmp(&b.unit)));
        let rest = change.map(|c| c - parts.iter().map(|(p, _)| p).sum::<i128>());
        Contributions {
            indicator: indicator.to_string(),
            unit: unit.to_string(),
            from,
            to,
            before,
            after,
            change: change.map(unmicro),
            percent: change.and_then(points),
            members: parts.into_iter().map(|(_, c)| c).collect(),
            rest: rest.map(unmicro),
            rest_points: rest.and_then(points),
        }
    }

    /// The sum of the parts and the rest in millionths: the whole's change, exactly.
    pub fn parts_total(&self) -> Option<f64> {
        let rest = micro(self.rest?);
        Some(unmicro(
            self.members.iter().map(|m| micro(m.change)).sum::<i128>() + rest,
        ))
    }

    /// The largest part by size, for the bars (at least a millionth, never zero).
    pub fn largest(&self) -> f64 {
        self.members
            .iter()
            .map(|m| m.change.abs())
            .chain(self.rest.map(f64::abs))
            .fold(1e-6, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    fn member(code: &str, b: Option<f64>, a: Option<f64>) -> MemberValues {
        (code.into(), format!("Tỉnh {code}"), b, a)
    }

    #[test]
    fn a_computed_sum_is_its_members_changes_exactly_largest_first() {
        // 0.1 + 0.2 is not 0.3 in floats; the parts must still add up to the whole.
        let members = vec![
            member("01", Some(100.1), Some(100.3)),
            member("79", Some(200.2), Some(199.9)),
            member("31", Some(0.7), Some(1.6)),
        ];
        let before = 100.1 + 200.2 + 0.7;
        let after = 100.3 + 199.9 + 1.6;
        let c = Contributions::of_sum(
            "EXPORT_VALUE",
            "VN",
            (p("2026-09"), p("2026-10")),
            (Some(before), Some(after)),
            members,
        );
        let order: Vec<&str> = c.members.iter().map(|m| m.unit.as_str()).collect();
        assert_eq!(order, ["31", "79", "01"]);
        assert_eq!(c.rest, Some(0.0));
        assert_eq!(c.change, Some(0.8));
        assert_eq!(c.parts_total(), c.change);
        assert_eq!(c.members[1].change, -0.3);
        // Percentage points of the whole's per cent change add up to it too.
        let points: f64 = c.members.iter().map(|m| m.points.unwrap()).sum();
        assert!((points - c.percent.unwrap()).abs() < 1e-9);
    }

    #[test]
    fn a_reported_whole_keeps_what_its_members_do_not_explain_as_the_rest() {
        let c = Contributions::of_sum(
            "BUDGET_REVENUE",
            "VN",
            (p("2026-09"), p("2026-10")),
            (Some(1000.0), Some(1100.0)),
            vec![
                member("01", Some(300.0), Some(340.0)),
                member("79", Some(400.0), Some(420.0)),
                member("02", None, Some(5.0)),
                member("04", None, None),
            ],
        );
        assert_eq!(
            c.members.len(),
            3,
            "a member with no value in either period is left out"
        );
        assert_eq!(
            c.members.last().unwrap().change,
            5.0,
            "a new reporter adds its whole value"
        );
        assert_eq!(c.rest, Some(35.0));
        assert_eq!(c.parts_total(), Some(100.0));
        assert_eq!(c.percent, Some(10.0));
    }

    #[test]
    fn without_the_wholes_two_values_there_is_no_change_to_split() {
        let c = Contributions::of_sum(
            "EXPORT_VALUE",
            "VN",
            (p("2026-09"), p("2026-10")),
            (None, Some(10.0)),
            vec![member("01", Some(1.0), Some(2.0))],
        );
        assert_eq!((c.change, c.rest, c.percent), (None, None, None));
        assert_eq!(c.members[0].change, 1.0);
        assert_eq!(c.members[0].points, None);
    }
}
