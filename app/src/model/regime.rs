//! Chế độ báo cáo (Decree 09/2019/NĐ-CP): a reporting regime is data the Government Office
//! keeps, not a rule in code: its name and legal basis, the indicators it carries, which units
//! report it (kinds, or a list), its periodicity, cut-off day and deadline. Several are in force
//! at once (the monthly socio-economic report, a quarterly one, the weekly public-investment
//! disbursement report); forms, the officers' desk and timeliness come from them.
//!
//! The report of a regime is signed by the head of the reporting unit (the Decree's rule), so
//! the unit's approver approves it.

use crate::model::reporting::{DataSet, ReportingRules};
use crate::model::{Indicator, Periodicity, Unit, UnitKind};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Regime {
    /// Upper-case letters, digits and hyphens (`KTXH-THANG`): what URLs and files name.
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// The document that sets it (for example "Nghị định 09/2019/NĐ-CP").
    pub legal_basis: String,
    pub periodicity: Periodicity,
    /// Kinds of unit that report it (ministries, provinces, communes).
    pub kinds: Vec<UnitKind>,
    /// Only these units, when not empty (codes); otherwise every unit of the kinds.
    pub units: Vec<String>,
    /// The cut-off day (months and longer) and the deadline in working days.
    pub rules: ReportingRules,
    /// Indicator codes, in the form's order; each unit reports those its kind reports.
    pub indicators: Vec<String>,
    /// Reports are owed from this day on (those due before it were never asked for); None:
    /// always, as for the regimes that were in force before the centre kept them.
    pub in_force_from: Option<NaiveDate>,
    pub retired_at: Option<DateTime<Utc>>,
}

/// Longest regime code.
pub const MAX_CODE: usize = 24;

/// The periodicities a regime may have: reports are made per week, month or longer.
pub const PERIODICITIES: [Periodicity; 5] = [
    Periodicity::Weekly,
    Periodicity::Monthly,
    Periodicity::Quarterly,
    Periodicity::HalfYearly,
    Periodicity::Yearly,
];

/// The kinds of unit that report under a regime (the nation's figures come over the API).
pub const REPORTING_KINDS: [UnitKind; 3] =
    [UnitKind::Ministry, UnitKind::Province, UnitKind::Commune];

/// Checks a regime code: the reason in Vietnamese and English when it is not one.
pub fn check_code(code: &str) -> Result<(), String> {
    let ok = !code.is_empty()
        && code.len() <= MAX_CODE
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        && !code.starts_with('-')
        && !code.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "Mã chế độ báo cáo gồm chữ in hoa không dấu, chữ số và dấu gạch ngang, tối đa {MAX_CODE} ký tự (ví dụ KTXH-THANG). (A regime code is A–Z, 0–9 and hyphens, at most {MAX_CODE} characters.)"
        ))
    }
}

/// A regime with nothing set: what a new line of a file or a new form starts from (the
/// Decree's cut-off and deadline).
pub fn blank() -> Regime {
    Regime {
        code: String::new(),
        name_vi: String::new(),
        name_en: String::new(),
        legal_basis: String::new(),
        periodicity: Periodicity::Monthly,
        kinds: Vec::new(),
        units: Vec::new(),
        rules: ReportingRules::default(),
        indicators: Vec::new(),
        in_force_from: None,
        retired_at: None,
    }
}

impl Regime {
    pub fn is_active(&self) -> bool {
        self.retired_at.is_none()
    }

    /// Whether `unit` reports under this regime.
    pub fn covers(&self, unit: &Unit) -> bool {
        self.kinds.contains(&unit.kind)
            && (self.units.is_empty() || self.units.contains(&unit.code))
    }

    /// What a unit of `kind` reports under this regime: the regime's indicators in use that
    /// its kind reports, in the regime's order (`None`: nothing, so no report). A derived one
    /// is on the form computed from the others, never typed.
    pub fn data_set<'a>(
        &self,
        kind: UnitKind,
        indicator: impl Fn(&str) -> Option<&'a Indicator>,
    ) -> Option<DataSet> {
        if !self.is_active() || !self.kinds.contains(&kind) {
            return None;
        }
        let codes: Vec<String> = self
            .indicators
            .iter()
            .filter_map(|c| indicator(c))
            .filter(|i| {
                i.is_active() && i.periodicity == self.periodicity && i.is_reported_by(kind)
            })
            .map(|i| i.code.clone())
            .collect();
        (!codes.is_empty()).then(|| DataSet {
            regime: self.code.clone(),
            name_vi: self.name_vi.clone(),
            name_en: self.name_en.clone(),
            kind,
            periodicity: self.periodicity,
            rules: self.rules,
            in_force_from: self.in_force_from,
            indicators: codes,
        })
    }
}

/// The reports `unit` owes: one data set per regime in force that covers it and gives it
/// something to report, in the regimes' order.
pub fn data_sets_of<'a>(
    regimes: &[Regime],
    unit: &Unit,
    indicator: impl Fn(&str) -> Option<&'a Indicator> + Copy,
) -> Vec<DataSet> {
    regimes
        .iter()
        .filter(|r| r.covers(unit))
        .filter_map(|r| r.data_set(unit.kind, indicator))
        .collect()
}

/// Every (regime, kind) data set of the regimes in force: what the demo seeds and unit pages
/// count. A regime that lists its units still yields one set per kind; [`Regime::covers`]
/// says which units owe it.
pub fn all_data_sets<'a>(
    regimes: &[Regime],
    indicator: impl Fn(&str) -> Option<&'a Indicator> + Copy,
) -> Vec<DataSet> {
    let mut sets = Vec::new();
    for r in regimes {
        for kind in REPORTING_KINDS {
            if let Some(s) = r.data_set(kind, indicator) {
                sets.push(s);
            }
        }
    }
    sets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{GoodDirection, Rollup};

    fn ind(code: &str, periodicity: Periodicity, reported_by: Vec<UnitKind>) -> Indicator {
        Indicator {
            code: code.into(),
            name_vi: code.into(),
            name_en: code.into(),
            measure: "units".into(),
            measure_vi: "đơn vị".into(),
            periodicity,
            rollup: Rollup::Sum,
            good_direction: GoodDirection::Up,
            owner: "BTC".into(),
            reported_by,
            target: None,
            decimals: 0,
            ..Default::default()
        }
    }

    fn regime(code: &str, periodicity: Periodicity, indicators: &[&str]) -> Regime {
        Regime {
            code: code.into(),
            name_vi: code.into(),
            name_en: code.into(),
            legal_basis: "Nghị định 09/2019/NĐ-CP".into(),
            periodicity,
            kinds: vec![UnitKind::Province, UnitKind::Commune],
            units: vec![],
            rules: ReportingRules::default(),
            indicators: indicators.iter().map(|s| s.to_string()).collect(),
            in_force_from: None,
            retired_at: None,
        }
    }

    fn unit(code: &str, kind: UnitKind) -> Unit {
        Unit {
            code: code.into(),
            name_vi: code.into(),
            name_en: None,
            kind,
            parent: None,
            ..Default::default()
        }
    }

    #[test]
    fn a_unit_reports_what_its_kind_reports_of_each_regime_that_covers_it() {
        let catalogue = [
            ind(
                "A",
                Periodicity::Monthly,
                vec![UnitKind::National, UnitKind::Province],
            ),
            ind(
                "B",
                Periodicity::Monthly,
                vec![UnitKind::Province, UnitKind::Commune],
            ),
            ind("W", Periodicity::Weekly, vec![UnitKind::Province]),
            Indicator {
                retired_at: Some(Utc::now()),
                ..ind("OLD", Periodicity::Monthly, vec![UnitKind::Province])
            },
            Indicator {
                formula: Some(crate::model::formula::Formula::parse("A - B").unwrap()),
                ..ind("AB", Periodicity::Monthly, vec![UnitKind::Province])
            },
        ];
        let find = |c: &str| catalogue.iter().find(|i| i.code == c);
        let mut weekly = regime("TUAN", Periodicity::Weekly, &["W"]);
        weekly.units = vec!["01".into()];
        let regimes = [
            regime("THANG", Periodicity::Monthly, &["B", "A", "OLD", "AB", "W"]),
            weekly,
        ];
        let sets = |u: &Unit| -> Vec<(String, Vec<String>)> {
            data_sets_of(&regimes, u, find)
                .into_iter()
                .map(|s| (s.regime, s.indicators))
                .collect()
        };
        // The regime's order; retired and other periodicities' indicators left out.
        assert_eq!(
            sets(&unit("01", UnitKind::Province)),
            vec![
                (
                    "THANG".to_string(),
                    vec!["B".to_string(), "A".to_string(), "AB".to_string()]
                ),
                ("TUAN".to_string(), vec!["W".to_string()]),
            ]
        );
        // Only the listed units report the weekly regime.
        assert_eq!(sets(&unit("79", UnitKind::Province)).len(), 1);
        assert_eq!(
            sets(&unit("00004", UnitKind::Commune)),
            vec![("THANG".to_string(), vec!["B".to_string()])]
        );
        // Ministries are not among the kinds; a retired regime asks for nothing.
        assert!(sets(&unit("BTC", UnitKind::Ministry)).is_empty());
        let mut retired = regimes.clone();
        retired[0].retired_at = Some(Utc::now());
        assert_eq!(
            data_sets_of(&retired, &unit("79", UnitKind::Province), find).len(),
            0
        );
        assert_eq!(all_data_sets(&regimes, find).len(), 3);
    }

    #[test]
    fn codes_are_short_upper_case_words() {
        for ok in ["KTXH-THANG", "GNVDT-TUAN", "BC2025"] {
            assert!(check_code(ok).is_ok(), "{ok}");
        }
        for bad in ["", "ktxh", "KTXH THANG", "-A", "A-", "Á", &"A".repeat(25)] {
            assert!(check_code(bad).is_err(), "{bad}");
        }
    }
}
