//! What moved the number: a whole's change between two periods split into its members' parts
//! (the nation into its provinces and ministries, a province into its communes).
//!
//! For a summing rollup each member's part is its own change. For a weighted mean (a share of
//! dossiers, an unemployment rate) each member's part has two pieces: the change of its own
//! value, at its mean share of the weight, and the change of that share, counted by how far its
//! value lies from the mean (a province above the average that grows raises the mean):
//! ΔM = Σ s̄ᵢ Δvᵢ + Σ (v̄ᵢ − M̄) Δsᵢ, with sᵢ its share of the weight and bars the mean of the
//! two periods, which holds exactly. Either way the parts with the rest (what the owner's
//! figure holds beyond its members': central revenue, a visitor counted by several provinces,
//! the owner's own rounding) add up to the whole's change exactly: the sums are done in
//! millionths, as integers, so no float rounding is left over.

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
    /// no value, or zero, in the first period, and for a weighted mean, whose parts are already
    /// in its own measure).
    pub points: Option<f64>,
    /// For a weighted mean: the member's weight (its value of the weight indicator) in each
    /// period, and its share of the members' total weight, in per cent.
    #[serde(default)]
    pub weight_before: Option<f64>,
    #[serde(default)]
    pub weight_after: Option<f64>,
    #[serde(default)]
    pub share_before: Option<f64>,
    #[serde(default)]
    pub share_after: Option<f64>,
    /// For a weighted mean, `change` in two pieces: the change of the member's own value at its
    /// mean share, and the change of its share counted from the mean. They add up to `change`.
    #[serde(default)]
    pub value_part: Option<f64>,
    #[serde(default)]
    pub weight_part: Option<f64>,
}

/// The indicator whose values weigh a mean's members (dossiers received, the labour force).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightedBy {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
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
    /// For a weighted mean: the summed indicator whose values weigh the members.
    #[serde(default)]
    pub weight: Option<WeightedBy>,
    /// For a weighted mean: the members' own mean in each period, which their parts explain.
    #[serde(default)]
    pub members_before: Option<f64>,
    #[serde(default)]
    pub members_after: Option<f64>,
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

/// One member's values and weights of a weighted mean: code, name, value in `from`, in `to`,
/// weight in `from`, in `to`.
pub type WeightedValues = (
    String,
    String,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
);

impl Contribution {
    fn new(unit: String, name_vi: String, before: Option<f64>, after: Option<f64>) -> Self {
        Contribution {
            unit,
            name_vi,
            before,
            after,
            change: 0.0,
            points: None,
            weight_before: None,
            weight_after: None,
            share_before: None,
            share_after: None,
            value_part: None,
            weight_part: None,
        }
    }
}

impl Contributions {
    /// The parts of a summed whole: each member's own change (a member that reported in only
    /// one of the periods adds or takes away its whole value, as it does in a computed sum);
    /// members with no value in either period are left out.
    pub fn of_sum(
        indicator: &str,
        unit: &str,
        periods: (Period, Period),
        whole: (Option<f64>, Option<f64>),
        members: Vec<MemberValues>,
    ) -> Contributions {
        let parts = members
            .into_iter()
            .filter(|(_, _, b, a)| b.is_some() || a.is_some())
            .map(|(unit, name_vi, b, a)| {
                let part = a.map_or(0, micro) - b.map_or(0, micro);
                (part, Contribution::new(unit, name_vi, b, a))
            })
            .collect();
        Contributions::assemble(indicator, unit, periods, whole, parts, true)
    }

    /// The parts of a weighted mean's change (see the module's note). A member counts in a
    /// period when it has a value and a weight above zero there; one that counts in only one
    /// period enters or leaves the mean, which is a change of its share alone. Members that
    /// count in neither are left out. When no member counts in one of the periods there is no
    /// mean to split, and the whole's change is all rest.
    pub fn of_weighted_mean(
        indicator: &str,
        unit: &str,
        weight: WeightedBy,
        periods: (Period, Period),
        whole: (Option<f64>, Option<f64>),
        members: Vec<WeightedValues>,
    ) -> Contributions {
        let counted = |v: Option<f64>, w: Option<f64>| {
            v.zip(w)
                .filter(|(v, w)| v.is_finite() && w.is_finite() && *w > 0.0)
        };
        let members: Vec<_> = members
            .into_iter()
            .map(|(u, n, vb, va, wb, wa)| (u, n, vb, va, wb, wa, counted(vb, wb), counted(va, wa)))
            .filter(|(.., b, a)| b.is_some() || a.is_some())
            .collect();
        // The members' total weight and weighted mean in one period (`after` or before).
        let totals = |after: bool| {
            let (mut weight, mut weighted) = (0.0, 0.0);
            for (.., counted_before, counted_after) in &members {
                if let Some((v, w)) = if after { counted_after } else { counted_before } {
                    weight += w;
                    weighted += v * w;
                }
            }
            (weight > 0.0).then_some((weight, weighted / weight))
        };
        let (before, after) = (totals(false), totals(true));
        let mean = before.zip(after).map(|((_, b), (_, a))| (b + a) / 2.0);
        let parts = members
            .into_iter()
            .map(|(u, name, vb, va, wb, wa, cb, ca)| {
                let mut c = Contribution::new(u, name, vb, va);
                c.weight_before = wb;
                c.weight_after = wa;
                let share = |x: Option<(f64, f64)>, total: Option<(f64, f64)>| {
                    x.zip(total).map_or(0.0, |((_, w), (t, _))| w / t)
                };
                let (sb, sa) = (share(cb, before), share(ca, after));
                c.share_before = cb.and(before).map(|_| sb * 100.0);
                c.share_after = ca.and(after).map(|_| sa * 100.0);
                let Some(mean) = mean else {
                    return (0, c);
                };
                // One that enters or leaves keeps its one value in both periods: no change of
                // value, only of share.
                let (vb, va) = match (cb, ca) {
                    (Some((b, _)), Some((a, _))) => (b, a),
                    (Some((v, _)), None) | (None, Some((v, _))) => (v, v),
                    (None, None) => return (0, c),
                };
                let value = micro((sb + sa) / 2.0 * (va - vb));
                let weight = micro(((vb + va) / 2.0 - mean) * (sa - sb));
                c.value_part = Some(unmicro(value));
                c.weight_part = Some(unmicro(weight));
                (value + weight, c)
            })
            .collect();
        let mut c = Contributions::assemble(indicator, unit, periods, whole, parts, false);
        c.weight = Some(weight);
        c.members_before = before.map(|(_, m)| m);
        c.members_after = after.map(|(_, m)| m);
        c
    }

    /// The whole's change, its members' parts (in millionths) largest first, and the rest;
    /// `points`: whether the parts are also said as points of the whole's per cent change.
    fn assemble(
        indicator: &str,
        unit: &str,
        (from, to): (Period, Period),
        (before, after): (Option<f64>, Option<f64>),
        mut parts: Vec<(i128, Contribution)>,
        points: bool,
    ) -> Contributions {
        let change = before.zip(after).map(|(b, a)| micro(a) - micro(b));
        // Per cent of the whole's first value; none from zero (no size to compare with).
        let points = |part: i128| {
            before
                .filter(|b| *b != 0.0 && points)
                .map(|b| unmicro(part) / b.abs() * 100.0)
        };
        for (part, c) in &mut parts {
            c.change = unmicro(*part);
            c.points = points(*part);
        }
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
            weight: None,
            members_before: None,
            members_after: None,
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

    fn by(code: &str) -> WeightedBy {
        WeightedBy {
            code: code.into(),
            name_vi: code.into(),
            name_en: code.into(),
        }
    }

    fn weighted(
        code: &str,
        (vb, va): (Option<f64>, Option<f64>),
        (wb, wa): (Option<f64>, Option<f64>),
    ) -> WeightedValues {
        (code.into(), format!("Tỉnh {code}"), vb, va, wb, wa)
    }

    #[test]
    fn a_weighted_means_parts_split_into_value_and_weight_and_add_up_exactly() {
        // Hà Nội's share handled online rises and it receives more dossiers; a small province
        // above the mean loses weight.
        let members = vec![
            weighted("01", (Some(60.0), Some(70.0)), (Some(1000.0), Some(1500.0))),
            weighted("79", (Some(50.0), Some(50.0)), (Some(1000.0), Some(1000.0))),
            weighted("02", (Some(90.0), Some(80.0)), (Some(500.0), Some(250.0))),
        ];
        let mean = |vw: &[(f64, f64)]| {
            vw.iter().map(|(v, w)| v * w).sum::<f64>() / vw.iter().map(|(_, w)| w).sum::<f64>()
        };
        let before = mean(&[(60.0, 1000.0), (50.0, 1000.0), (90.0, 500.0)]);
        let after = mean(&[(70.0, 1500.0), (50.0, 1000.0), (80.0, 250.0)]);
        // The owner reports the mean to one decimal, as the indicator shows it.
        let whole = (
            Some((before * 10.0).round() / 10.0),
            Some((after * 10.0).round() / 10.0),
        );
        let c = Contributions::of_weighted_mean(
            "ONLINE_DOSSIERS",
            "VN",
            by("DOSSIERS_RECEIVED"),
            (p("2026-09"), p("2026-10")),
            whole,
            members,
        );
        assert_eq!(c.weight.as_ref().unwrap().code, "DOSSIERS_RECEIVED");
        assert_eq!(
            c.parts_total(),
            c.change,
            "the parts and the rest are the change"
        );
        let explained: f64 = c.members.iter().map(|m| m.change).sum();
        let members_change = c.members_after.unwrap() - c.members_before.unwrap();
        assert!(
            (explained - members_change).abs() < 1e-5,
            "the members' parts are their own mean's change: {explained} vs {members_change}"
        );
        for m in &c.members {
            assert_eq!(
                micro(m.value_part.unwrap()) + micro(m.weight_part.unwrap()),
                micro(m.change),
                "{}'s two pieces are its part",
                m.unit
            );
        }
        let hanoi = c.members.iter().find(|m| m.unit == "01").unwrap();
        assert_eq!(c.members[0].unit, "01", "largest first");
        assert!(hanoi.value_part.unwrap() > 0.0 && hanoi.weight_part.unwrap() > 0.0);
        assert_eq!(hanoi.share_before, Some(40.0));
        assert_eq!(hanoi.share_after, Some(1500.0 / 2750.0 * 100.0));
        let ho_chi_minh = c.members.iter().find(|m| m.unit == "79").unwrap();
        assert_eq!(ho_chi_minh.value_part, Some(0.0), "an unchanged value");
        assert!(
            ho_chi_minh.weight_part.unwrap() > 0.0,
            "below the mean and losing share: it lifts the mean"
        );
        assert_eq!(
            c.percent, None,
            "a mean's change is said in its own measure"
        );
        assert!(c.members.iter().all(|m| m.points.is_none()));
    }

    #[test]
    fn a_member_that_starts_reporting_changes_the_mean_by_its_share_alone() {
        let c = Contributions::of_weighted_mean(
            "UNEMPLOYMENT",
            "VN",
            by("LABOUR_FORCE"),
            (p("2026-Q2"), p("2026-Q3")),
            (Some(2.0), Some(2.5)),
            vec![
                weighted("01", (Some(2.0), Some(2.0)), (Some(100.0), Some(100.0))),
                weighted("79", (None, Some(3.0)), (None, Some(100.0))),
                weighted("02", (Some(9.0), Some(9.0)), (None, None)),
            ],
        );
        assert_eq!(
            c.members.len(),
            2,
            "a member without a weight does not count"
        );
        let new = c.members.iter().find(|m| m.unit == "79").unwrap();
        assert_eq!(new.value_part, Some(0.0));
        assert_eq!(new.share_before, None);
        assert_eq!(new.share_after, Some(50.0));
        // Its share rose by a half, at 3.0 against the two periods' mean of 2.25.
        assert_eq!(new.weight_part, Some(0.375));
        assert_eq!(c.parts_total(), Some(0.5));
        assert_eq!((c.members_before, c.members_after), (Some(2.0), Some(2.5)));
        assert_eq!(c.rest, Some(0.0));
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
