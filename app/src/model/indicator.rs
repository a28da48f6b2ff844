//! Chỉ tiêu: a measured quantity and the rules that govern how it is shown and combined.

use crate::model::unit::UnitKind;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Periodicity {
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
}

impl Periodicity {
    pub fn as_str(self) -> &'static str {
        match self {
            Periodicity::Daily => "daily",
            Periodicity::Weekly => "weekly",
            Periodicity::Monthly => "monthly",
            Periodicity::Quarterly => "quarterly",
            Periodicity::HalfYearly => "half_yearly",
            Periodicity::Yearly => "yearly",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "daily" => Periodicity::Daily,
            "weekly" => Periodicity::Weekly,
            "monthly" => Periodicity::Monthly,
            "quarterly" => Periodicity::Quarterly,
            "half_yearly" => Periodicity::HalfYearly,
            "yearly" => Periodicity::Yearly,
            _ => return None,
        })
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            Periodicity::Daily => "ngày",
            Periodicity::Weekly => "tuần",
            Periodicity::Monthly => "tháng",
            Periodicity::Quarterly => "quý",
            Periodicity::HalfYearly => "6 tháng",
            Periodicity::Yearly => "năm",
        }
    }
}

/// How a national figure relates to the units' figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rollup {
    Sum,
    WeightedMean,
    NationalOnly,
    None,
}

impl Rollup {
    pub fn as_str(self) -> &'static str {
        match self {
            Rollup::Sum => "sum",
            Rollup::WeightedMean => "weighted_mean",
            Rollup::NationalOnly => "national_only",
            Rollup::None => "none",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "sum" => Rollup::Sum,
            "weighted_mean" => Rollup::WeightedMean,
            "national_only" => Rollup::NationalOnly,
            "none" => Rollup::None,
            _ => return None,
        })
    }
}

/// Which way is better: drives colours and arrows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoodDirection {
    Up,
    Down,
    None,
}

impl GoodDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            GoodDirection::Up => "up",
            GoodDirection::Down => "down",
            GoodDirection::None => "none",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "up" => GoodDirection::Up,
            "down" => GoodDirection::Down,
            "none" => GoodDirection::None,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// Unit of measure in English ("% yoy"), and as Vietnamese screens show it ("% so cùng kỳ").
    pub measure: String,
    pub measure_vi: String,
    pub periodicity: Periodicity,
    pub rollup: Rollup,
    pub good_direction: GoodDirection,
    /// Ministry responsible for the figure.
    pub owner: String,
    pub reported_by: Vec<UnitKind>,
    /// Illustrative target, for demonstration only.
    pub target: Option<f64>,
    /// Decimals shown on screen.
    pub decimals: u8,
}

impl Indicator {
    pub fn is_reported_by(&self, kind: UnitKind) -> bool {
        self.reported_by.contains(&kind)
    }

    /// A share of a whole ("% of dossiers", "% of population"): never above 100.
    pub fn is_share(&self) -> bool {
        self.measure.starts_with("% of")
    }

    /// Rates are compared in percentage points, levels in per cent.
    pub fn is_rate(&self) -> bool {
        self.measure.starts_with('%')
    }
}
