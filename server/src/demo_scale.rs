//! The demo at the size of the real system (`DIEUHANH_DEMO_SCALE=national`): 200 indicators
//! over ten years, communes reporting about one in eight of them, more than ten million values.
//!
//! The Government reporting system carries some 200 indicators (Decision 293/QĐ-TTg); the 36 of
//! the built-in catalogue have their real names, and we could not find the annex's list, so
//! the other 164 are placeholders that say so in their names ("Chỉ tiêu giữ chỗ", "Placeholder
//! indicator") and codes (`GIUCHO_nnn`): never an invented official name. They are varied as
//! the real ones are (counts summed to the nation, shares averaged, monthly, weekly, quarterly,
//! yearly; reported by provinces, ministries, communes) so that pages, walls and queries carry
//! the real load. At this scale the communes' figures go back the whole history, recomputed for
//! today's boundaries, as a statistics office does after a reorganisation; the standard demo
//! keeps them from July 2025, when the communes of the catalogue came into being.

use crate::catalogue::Catalogue;
use app::catalogue::write::Outcome;
use app::model::indicator::{ChangeKind, Field, GoodDirection, NationalFigure, Rollup};
use app::model::{Indicator, Periodicity, UnitKind};
use app::store::{AuditEntry, Store, StoreError};

/// How large a demo country to seed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DemoScale {
    /// The built-in catalogue: 31 indicators, about 400,000 values.
    #[default]
    Standard,
    /// 200 indicators and more than ten million values.
    National,
}

impl DemoScale {
    pub fn parse(text: &str) -> Option<DemoScale> {
        match text {
            "standard" => Some(DemoScale::Standard),
            "national" => Some(DemoScale::National),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DemoScale::Standard => "standard",
            DemoScale::National => "national",
        }
    }
}

/// The indicators of the national scale: numbered after the built-in catalogue up to 200.
pub const FIRST: u16 = 37;
pub const LAST: u16 = 200;

/// Prefix of every placeholder's code.
pub const PREFIX: &str = "GIUCHO_";

/// The ministry that owns a field's placeholders.
fn owner(field: Field) -> &'static str {
    match field {
        Field::Macro | Field::Finance | Field::Investment => "BTC",
        Field::Trade => "BCT",
        Field::Agriculture => "BNNMT",
        Field::Infrastructure => "BXD",
        Field::Labour => "BNV",
        Field::Society => "BYT",
        Field::Digital => "BKHCN",
        Field::Order => "BCA",
    }
}

/// A count summed to the nation, or a share averaged over the units.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Count,
    Share,
}

/// Even numbers are counts, odd ones shares: the one rule the catalogue and the series share.
fn kind(n: u16) -> Kind {
    if n.is_multiple_of(2) {
        Kind::Count
    } else {
        Kind::Share
    }
}

/// A placeholder's size: a share in per cent, or a count a month for the nation.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Level {
    Share(f64),
    Count(f64),
}

/// Placeholder number `n` (FIRST..=LAST): its field, kind, periodicity and reporting units
/// follow from the number, so the catalogue is the same on every machine.
pub fn placeholder(n: u16) -> Indicator {
    let field = Field::ALL[usize::from(n - FIRST) % Field::ALL.len()];
    let kind = kind(n);
    use UnitKind::*;
    let (periodicity, reported_by) = if n.is_multiple_of(7) {
        // One in seven is reported by every commune (as the dossier rates are).
        (Periodicity::Monthly, vec![National, Province, Commune])
    } else if n.is_multiple_of(17) {
        (Periodicity::Weekly, vec![National, Province])
    } else if n.is_multiple_of(13) {
        (Periodicity::Yearly, vec![National])
    } else if n.is_multiple_of(11) {
        (Periodicity::Quarterly, vec![National, Province])
    } else if n.is_multiple_of(5) {
        (Periodicity::Monthly, vec![National, Ministry])
    } else {
        (Periodicity::Monthly, vec![National, Province])
    };
    let national_only = reported_by == [National];
    let (measure, measure_vi, rollup, change, decimals, max) = match kind {
        Kind::Count => ("count", "đơn vị", Rollup::Sum, ChangeKind::Percent, 0, None),
        Kind::Share => (
            "%",
            "%",
            Rollup::WeightedMean,
            ChangeKind::Points,
            1,
            Some(100.0),
        ),
    };
    Indicator {
        code: format!("{PREFIX}{n:03}"),
        name_vi: format!("Chỉ tiêu giữ chỗ {n:03} – {}", field.label_vi()),
        name_en: format!("Placeholder indicator {n:03} – {}", field.label_en()),
        measure: measure.into(),
        measure_vi: measure_vi.into(),
        periodicity,
        rollup: if national_only {
            Rollup::NationalOnly
        } else {
            rollup
        },
        national: if kind == Kind::Count && !national_only {
            NationalFigure::Computed
        } else {
            NationalFigure::Reported
        },
        good_direction: if n.is_multiple_of(3) {
            GoodDirection::Down
        } else {
            GoodDirection::Up
        },
        owner: owner(field).into(),
        reported_by,
        target: None,
        decimals,
        field,
        change,
        valid_min: Some(0.0),
        valid_max: max,
        formula: None,
        retired_at: None,
        // A count is a flow added up over the year; shares and rates are not.
        year_total: kind == Kind::Count,
        standing_by: Default::default(),
        at_risk_within: None,
        consistency_within: None,
        checked_against: None,
        weight: None,
    }
}

/// Every placeholder of the national scale.
pub fn placeholders() -> Vec<Indicator> {
    (FIRST..=LAST).map(placeholder).collect()
}

/// Adds the placeholders to the database's catalogue when it has no demo yet, through the
/// catalogue's one path in (a file import, audited and announced like any other), then to the
/// demo's those the database holds: a demo seeded at the standard scale stays as it is.
pub async fn ensure_catalogue(
    store: &dyn Store,
    catalogue: &mut Catalogue,
) -> Result<(), StoreError> {
    let extra = placeholders();
    let known = store.indicators().await?;
    let missing: Vec<Indicator> = extra
        .iter()
        .filter(|i| !known.iter().any(|k| k.code == i.code))
        .cloned()
        .collect();
    let import = !missing.is_empty() && store.meta(crate::demo::META_KEY).await?.is_none();
    if import {
        let live = app::catalogue::LiveCatalogue::load(store).await?;
        let file = app::catalogue::file::write(&missing);
        let by = AuditEntry::system("catalogue_import", "demo national scale");
        if let Outcome::Refused(problems) = app::catalogue::write::import(
            store,
            &live,
            file.as_bytes(),
            &by,
            app::clock::Clock::system().today(),
        )
        .await?
        {
            let said: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            return Err(StoreError::other(format!(
                "the national-scale catalogue was refused: {}",
                said.join("; ")
            )));
        }
    }
    // After an import the database holds them all; otherwise those it held already.
    catalogue.indicators.extend(
        extra
            .into_iter()
            .filter(|i| import || known.iter().any(|k| k.code == i.code)),
    );
    Ok(())
}

/// A placeholder's series: a share between 20 and 90 %, or a count between 50 and 50,000 a
/// month, from its number (the same on every machine).
pub fn level(code: &str) -> Option<Level> {
    let n: u16 = code.strip_prefix(PREFIX)?.parse().ok()?;
    let spread = f64::from((u32::from(n) * 7919) % 1000) / 1000.0;
    Some(match kind(n) {
        Kind::Count => Level::Count(50.0 * 1000f64.powf(spread)),
        Kind::Share => Level::Share(20.0 + 70.0 * spread),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::catalogue::check::code_problem;

    #[test]
    fn two_hundred_indicators_with_a_share_from_communes_and_every_field() {
        let all = placeholders();
        assert_eq!(all.len() + 36, 200);
        for i in &all {
            assert_eq!(code_problem(&i.code), None, "{}", i.code);
            assert!(i.name_vi.starts_with("Chỉ tiêu giữ chỗ"), "{}", i.name_vi);
            assert!(i.name_en.starts_with("Placeholder indicator"));
        }
        let communes = all
            .iter()
            .filter(|i| i.is_reported_by(UnitKind::Commune))
            .count();
        assert!((20..=30).contains(&communes), "{communes}");
        for f in Field::ALL {
            assert!(all.iter().filter(|i| i.field == f).count() >= 16, "{f:?}");
        }
        for p in [
            Periodicity::Weekly,
            Periodicity::Monthly,
            Periodicity::Quarterly,
            Periodicity::Yearly,
        ] {
            assert!(all.iter().any(|i| i.periodicity == p), "{p:?}");
        }
        assert!(all.iter().any(|i| i.national_is_computed()));
        assert!(all.iter().any(|i| i.is_reported_by(UnitKind::Ministry)));
    }

    #[test]
    fn levels_are_plausible_for_their_kind() {
        for i in placeholders() {
            let (Level::Share(v) | Level::Count(v)) = level(&i.code).unwrap();
            assert!(v > 0.0 && i.out_of_range(v).is_none(), "{} {v}", i.code);
        }
        assert_eq!(level("EXPORT_VALUE"), None);
    }
}
