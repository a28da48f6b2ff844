//! Chỉ tiêu: a measured quantity and the rules that govern how it is shown and combined.

use crate::model::unit::UnitKind;
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Periodicity {
    Daily,
    Weekly,
    #[default]
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
        Self::ALL.into_iter().find(|v| v.as_str() == s)
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
    pub fn label_en(self) -> &'static str {
        match self {
            Periodicity::Daily => "daily",
            Periodicity::Weekly => "weekly",
            Periodicity::Monthly => "monthly",
            Periodicity::Quarterly => "quarterly",
            Periodicity::HalfYearly => "half-yearly",
            Periodicity::Yearly => "yearly",
        }
    }
    pub const ALL: [Periodicity; 6] = [
        Periodicity::Daily,
        Periodicity::Weekly,
        Periodicity::Monthly,
        Periodicity::Quarterly,
        Periodicity::HalfYearly,
        Periodicity::Yearly,
    ];
}

/// How a national figure relates to the units' figures.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rollup {
    Sum,
    WeightedMean,
    NationalOnly,
    #[default]
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
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
    pub const ALL: [Rollup; 4] = [
        Rollup::Sum,
        Rollup::WeightedMean,
        Rollup::NationalOnly,
        Rollup::None,
    ];
    pub fn label_vi(self) -> &'static str {
        match self {
            Rollup::Sum => "cộng tổng các đơn vị",
            Rollup::WeightedMean => "bình quân gia quyền",
            Rollup::NationalOnly => "chỉ có số toàn quốc",
            Rollup::None => "không tổng hợp",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Rollup::Sum => "sum of units",
            Rollup::WeightedMean => "weighted mean",
            Rollup::NationalOnly => "national figure only",
            Rollup::None => "not combined",
        }
    }
}

/// Where the national figure of an indicator that units report comes from.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NationalFigure {
    /// Its owner reports it (the Ministry of Finance's budget revenue includes central revenue
    /// no province reports): the sum of the units is shown beside it with the difference.
    #[default]
    Reported,
    /// The sum of the units that report to the nation (provinces, ministries), recomputed in
    /// the transaction that changes one of them; nobody types it.
    Computed,
}

impl NationalFigure {
    pub const ALL: [NationalFigure; 2] = [NationalFigure::Reported, NationalFigure::Computed];
    pub fn as_str(self) -> &'static str {
        match self {
            NationalFigure::Reported => "reported",
            NationalFigure::Computed => "computed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            NationalFigure::Reported => "do cơ quan chủ trì báo cáo",
            NationalFigure::Computed => "tính tự động từ các đơn vị",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            NationalFigure::Reported => "reported by its owner",
            NationalFigure::Computed => "computed from the units",
        }
    }
}

/// Which way is better: drives colours and arrows.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoodDirection {
    Up,
    Down,
    #[default]
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
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
    pub const ALL: [GoodDirection; 3] =
        [GoodDirection::Up, GoodDirection::Down, GoodDirection::None];
    pub fn label_vi(self) -> &'static str {
        match self {
            GoodDirection::Up => "càng cao càng tốt",
            GoodDirection::Down => "càng thấp càng tốt",
            GoodDirection::None => "không cao không thấp",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            GoodDirection::Up => "higher is better",
            GoodDirection::Down => "lower is better",
            GoodDirection::None => "neither",
        }
    }
}

/// How a change between two values of the indicator is said.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Per cent of the earlier value: for levels (amounts, counts).
    #[default]
    Percent,
    /// Percentage points: for rates and shares.
    Points,
    /// The difference in the indicator's own measure: for values that cross zero (a balance).
    Difference,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 3] = [
        ChangeKind::Percent,
        ChangeKind::Points,
        ChangeKind::Difference,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Percent => "percent",
            ChangeKind::Points => "points",
            ChangeKind::Difference => "difference",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            ChangeKind::Percent => "phần trăm (%)",
            ChangeKind::Points => "điểm phần trăm",
            ChangeKind::Difference => "chênh lệch tuyệt đối",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            ChangeKind::Percent => "per cent",
            ChangeKind::Points => "percentage points",
            ChangeKind::Difference => "absolute difference",
        }
    }
}

/// Lĩnh vực: the field an indicator belongs to; screens with many indicators group by it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    #[default]
    Macro,
    Finance,
    Trade,
    Investment,
    Agriculture,
    Infrastructure,
    Labour,
    Society,
    Digital,
    Order,
}

impl Field {
    pub const ALL: [Field; 10] = [
        Field::Macro,
        Field::Finance,
        Field::Trade,
        Field::Investment,
        Field::Agriculture,
        Field::Infrastructure,
        Field::Labour,
        Field::Society,
        Field::Digital,
        Field::Order,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Macro => "macro",
            Field::Finance => "finance",
            Field::Trade => "trade",
            Field::Investment => "investment",
            Field::Agriculture => "agriculture",
            Field::Infrastructure => "infrastructure",
            Field::Labour => "labour",
            Field::Society => "society",
            Field::Digital => "digital",
            Field::Order => "order",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            Field::Macro => "Kinh tế vĩ mô",
            Field::Finance => "Tài chính, ngân sách, tín dụng",
            Field::Trade => "Thương mại, dịch vụ, du lịch",
            Field::Investment => "Đầu tư, doanh nghiệp",
            Field::Agriculture => "Nông nghiệp, môi trường",
            Field::Infrastructure => "Xây dựng, giao thông, năng lượng",
            Field::Labour => "Lao động, việc làm",
            Field::Society => "Y tế, giáo dục, an sinh xã hội",
            Field::Digital => "Cải cách hành chính, chuyển đổi số",
            Field::Order => "Quốc phòng, an ninh, trật tự",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Field::Macro => "Macroeconomy",
            Field::Finance => "Public finance and credit",
            Field::Trade => "Trade, services and tourism",
            Field::Investment => "Investment and enterprises",
            Field::Agriculture => "Agriculture and environment",
            Field::Infrastructure => "Construction, transport and energy",
            Field::Labour => "Labour and employment",
            Field::Society => "Health, education and social security",
            Field::Digital => "Administrative reform and digital transformation",
            Field::Order => "Defence, security and public order",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Indicator {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// Unit of measure in English ("% yoy"), and as Vietnamese screens show it ("% so cùng kỳ").
    pub measure: String,
    pub measure_vi: String,
    pub periodicity: Periodicity,
    pub rollup: Rollup,
    /// With a sum rollup: whether the national figure is the sum (computed) or its owner's.
    pub national: NationalFigure,
    pub good_direction: GoodDirection,
    /// Ministry responsible for the figure.
    pub owner: String,
    pub reported_by: Vec<UnitKind>,
    /// Illustrative target, for demonstration only.
    pub target: Option<f64>,
    /// Decimals shown on screen.
    pub decimals: u8,
    pub field: Field,
    /// How a change is said (per cent, points, difference).
    pub change: ChangeKind,
    /// The values it may take, whoever sends them (a share lies in 0–100, a count is not
    /// negative); None: no bound on that side.
    pub valid_min: Option<f64>,
    pub valid_max: Option<f64>,
    /// A derived indicator's formula over other indicators: computed, never typed.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, example = "EXPORT_VALUE - IMPORT_VALUE"))]
    pub formula: Option<crate::model::formula::Formula>,
    /// When it was retired: gone from walls, forms and lists; its history stays readable.
    pub retired_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Counted over the year (exports, revenue, visitors): its year to date means something,
    /// a target is the year's total and a plan runs year to date.
    #[serde(default)]
    pub year_total: bool,
    /// What its standing is judged by (`mục tiêu, kế hoạch`).
    #[serde(default)]
    pub standing_by: crate::model::target::StandingBy,
    /// How far short of a goal is still "at risk", in per cent of the goal; None: 5 %.
    #[serde(default)]
    pub at_risk_within: Option<f64>,
    /// For a figure the nation and the provinces both report without adding up (growth rates):
    /// how far the provinces' mean may lie from the national figure, in the indicator's
    /// measure, before the period is flagged (GRDP against GDP); None: not checked.
    #[serde(default)]
    pub consistency_within: Option<f64>,
    /// The national indicator the provinces' mean is held against (GDP_GROWTH for
    /// GRDP_GROWTH); None: this indicator's own national figure.
    #[serde(default)]
    pub checked_against: Option<String>,
    /// A weighted mean's weight: the summed indicator whose values weigh the units (dossiers
    /// received for the share handled online), so its change splits into the units' values
    /// and their weights. None: the units' parts are not split.
    #[serde(default)]
    pub weight: Option<String>,
}

impl Indicator {
    pub fn is_reported_by(&self, kind: UnitKind) -> bool {
        self.reported_by.contains(&kind)
    }

    /// The kinds of unit whose figures make up a unit of `kind`'s figure of this indicator, so
    /// that its change splits into theirs (the nation's into its provinces' and ministries', a
    /// province's into its communes'): their sum, or their mean weighted by the `weight`
    /// indicator; empty when it does not.
    pub fn member_kinds(&self, kind: UnitKind) -> Vec<UnitKind> {
        let below: &[UnitKind] = match kind {
            UnitKind::National => &[UnitKind::Province, UnitKind::Ministry],
            UnitKind::Province => &[UnitKind::Commune],
            _ => &[],
        };
        if self.rollup != Rollup::Sum && self.mean_weight().is_none() {
            return Vec::new();
        }
        below
            .iter()
            .copied()
            .filter(|k| self.is_reported_by(*k))
            .collect()
    }

    /// The indicator whose values weigh this weighted mean's units; none for any other figure.
    pub fn mean_weight(&self) -> Option<&str> {
        match self.rollup {
            Rollup::WeightedMean => self.weight.as_deref(),
            _ => None,
        }
    }

    /// In use: not retired. Lists, forms and walls show only these.
    pub fn is_active(&self) -> bool {
        self.retired_at.is_none()
    }

    /// Computed from other indicators by its formula.
    pub fn is_derived(&self) -> bool {
        self.formula.is_some()
    }

    /// Whether the national figure is the sum of the units, computed by the store.
    pub fn national_is_computed(&self) -> bool {
        self.rollup == Rollup::Sum
            && self.national == NationalFigure::Computed
            && !self.is_derived()
    }

    /// Why nobody may write this indicator's value for `unit`: it is computed (by its formula
    /// everywhere, or as the sum of the units for the nation). None: it is typed or sent.
    pub fn computed_for(&self, unit: &str) -> Option<String> {
        if let Some(f) = &self.formula {
            Some(format!(
                "chỉ tiêu {} được tính theo công thức {}, không nhập trực tiếp (computed from its formula, not written)",
                self.code,
                f.as_str()
            ))
        } else if unit == crate::model::UnitCode::NATIONAL && self.national_is_computed() {
            Some(format!(
                "số toàn quốc của {} là tổng các đơn vị, được tính tự động (the national figure is computed as the sum of the units)",
                self.code
            ))
        } else {
            None
        }
    }

    /// A share of a whole, bounded by 100: charts draw that ceiling.
    pub fn ceiling(&self) -> Option<f64> {
        self.valid_max.filter(|m| *m == 100.0)
    }

    /// Why `value` lies outside the indicator's valid range, in Vietnamese and English.
    pub fn out_of_range(&self, value: f64) -> Option<String> {
        let n =
            |v: f64| crate::model::format::number_vi(v, crate::model::format::decimals_needed(v));
        match (self.valid_min, self.valid_max) {
            (Some(lo), Some(hi)) if !(lo..=hi).contains(&value) => Some(format!(
                "Phải từ {} đến {}. (Must lie between {lo} and {hi}.)",
                n(lo),
                n(hi)
            )),
            (Some(lo), _) if value < lo && lo == 0.0 => {
                Some("Số liệu này không được âm. (This figure cannot be negative.)".to_string())
            }
            (Some(lo), _) if value < lo => Some(format!(
                "Không được nhỏ hơn {}. (Must be at least {lo}.)",
                n(lo)
            )),
            (_, Some(hi)) if value > hi => Some(format!(
                "Không được lớn hơn {}. (Must be at most {hi}.)",
                n(hi)
            )),
            _ => None,
        }
    }
}
