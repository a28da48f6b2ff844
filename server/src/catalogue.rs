//! The catalogue the program ships with: the nation, 17 ministries, 34 provinces, 3,321 communes
//! and 36 indicators, copied from the reference lists into `server/catalogue/` and compiled in.
//! It is written once, into a new database; from then on the catalogue is the database's, and
//! the Government Office changes it while the centre runs (`app::catalogue`).

use app::model::{Indicator, Succession, Unit, UnitKind};
use app::store::{Store, StoreError};
use serde::Deserialize;

const PROVINCES: &str = include_str!("../catalogue/provinces.csv");
const MINISTRIES: &str = include_str!("../catalogue/ministries.csv");
const WARDS: &str = include_str!("../catalogue/wards.csv");
const INDICATORS: &str = include_str!("../catalogue/indicators.csv");
const MERGERS: &str = include_str!("../catalogue/province_mergers.csv");

/// The day the 2025 reorganisation of provinces took effect.
const REORGANISED: (i32, u32, u32) = (2025, 7, 1);

#[derive(Clone, Debug)]
pub struct Catalogue {
    /// Nation first, then ministries, provinces (by code) and communes (by province).
    pub units: Vec<Unit>,
    pub indicators: Vec<Indicator>,
    /// The former provinces of the 2025 reorganisation and their successors.
    pub successions: Vec<Succession>,
    /// Relative size of each province (its commune count), used by the demo generator.
    pub province_weights: Vec<(String, f64)>,
}

/// Marks a database whose catalogue was written: later starts leave the catalogue to its owners.
const SEEDED_KEY: &str = "catalogue_seeded";

/// Writes the built-in catalogue into a database that has never had it (a new one, or one made
/// before the catalogue became the database's own, whose rows are brought up to date once).
pub async fn ensure_seeded(store: &dyn Store) -> Result<(), StoreError> {
    if store.meta(SEEDED_KEY).await?.is_none() {
        let c = Catalogue::load();
        store.seed_catalogue(&c.units, &c.indicators).await?;
        store.set_meta(SEEDED_KEY, "1").await?;
    }
    ensure_successions(store).await?;
    ensure_regimes_filled(store).await
}

/// Marks a database whose built-in regimes were given their indicators.
const REGIMES_KEY: &str = "regimes_filled";

/// Gives the built-in regimes (written by the migration that made regimes data, without
/// indicators, since a new database has no catalogue yet) the indicators the forms had before:
/// every indicator in use of the regime's periodicity that its kinds report. One left with
/// none (no half-yearly indicator in the catalogue) is retired: it asks for nothing, and an
/// administrator puts it back in force with its indicators. Once; from then on the regimes are
/// the Government Office's.
async fn ensure_regimes_filled(store: &dyn Store) -> Result<(), StoreError> {
    if store.meta(REGIMES_KEY).await?.is_some() {
        return Ok(());
    }
    let indicators = store.indicators().await?;
    let filled: Vec<_> = store
        .regimes()
        .await?
        .into_iter()
        .filter(|r| r.indicators.is_empty())
        .map(|mut r| {
            r.indicators = indicators
                .iter()
                .filter(|i| i.is_active() && i.periodicity == r.periodicity)
                .filter(|i| r.kinds.iter().any(|k| i.is_reported_by(*k)))
                .map(|i| i.code.clone())
                .collect();
            if r.indicators.is_empty() {
                r.retired_at = Some(chrono::Utc::now());
            }
            r
        })
        .collect();
    if !filled.is_empty() {
        let notice = app::model::live::CatalogueNotice {
            changed_regimes: filled.iter().map(|r| r.code.clone()).collect(),
            ..Default::default()
        };
        store
            .save_regimes(
                &filled,
                &[],
                &serde_json::to_string(&notice).map_err(StoreError::because)?,
            )
            .await?;
    }
    store.set_meta(REGIMES_KEY, "1").await
}

/// Marks a database whose successions were written (one made before they were kept gets them
/// once, as a new one does).
const SUCCESSIONS_KEY: &str = "successions_seeded";

/// Writes the 2025 reorganisation into a database that has never had it.
async fn ensure_successions(store: &dyn Store) -> Result<(), StoreError> {
    if store.meta(SUCCESSIONS_KEY).await?.is_some() {
        return Ok(());
    }
    store
        .seed_successions(&Catalogue::load().successions)
        .await?;
    store.set_meta(SUCCESSIONS_KEY, "1").await
}

#[derive(Deserialize)]
struct ProvinceRow {
    code: u32,
    name: String,
    codename: String,
    ward_count: u32,
}

#[derive(Deserialize)]
struct MinistryRow {
    code: String,
    name: String,
    name_en: String,
}

#[derive(Deserialize)]
struct MergerRow {
    old_code: u32,
    old_name: String,
    new_code: u32,
    new_name: String,
}

/// "Tỉnh Hà Giang" → "Hà Giang": the name without its kind, to tell a renamed unit from one
/// that only lost the word "Tỉnh" in the list.
fn bare_name(name: &str) -> &str {
    ["Thành phố ", "Tỉnh "]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .unwrap_or(name)
}

#[derive(Deserialize)]
struct WardRow {
    code: u32,
    name: String,
    province_code: u32,
}

fn rows<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Vec<T> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .enumerate()
        // The files are compiled in and checked by the tests below: a bad row is a build defect.
        .map(|(i, r)| r.unwrap_or_else(|e| panic!("catalogue/{name} row {}: {e}", i + 2)))
        .collect()
}

/// "ha_noi" → "Ha Noi": an ASCII name for English screens.
fn english_name(codename: &str) -> String {
    codename
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Catalogue {
    pub fn load() -> Catalogue {
        let mut units = vec![Unit {
            code: "VN".into(),
            kind: UnitKind::National,
            name_vi: "Toàn quốc".into(),
            name_en: Some("Viet Nam".into()),
            parent: None,
            ..Default::default()
        }];
        for m in rows::<MinistryRow>("ministries.csv", MINISTRIES) {
            units.push(Unit {
                code: m.code,
                kind: UnitKind::Ministry,
                name_vi: m.name,
                name_en: Some(m.name_en),
                parent: Some("VN".into()),
                ..Default::default()
            });
        }
        let mut provinces = rows::<ProvinceRow>("provinces.csv", PROVINCES);
        provinces.sort_by_key(|p| p.code);
        let province_weights = provinces
            .iter()
            .map(|p| (format!("{:02}", p.code), p.ward_count as f64))
            .collect();
        for p in &provinces {
            units.push(Unit {
                code: format!("{:02}", p.code),
                kind: UnitKind::Province,
                name_vi: p.name.clone(),
                name_en: Some(english_name(&p.codename)),
                parent: Some("VN".into()),
                ..Default::default()
            });
        }
        let mut wards = rows::<WardRow>("wards.csv", WARDS);
        wards.sort_by_key(|w| (w.province_code, w.code));
        for w in wards {
            units.push(Unit {
                code: format!("{:05}", w.code),
                kind: UnitKind::Commune,
                name_vi: w.name,
                name_en: None,
                parent: Some(format!("{:02}", w.province_code)),
                ..Default::default()
            });
        }

        let (lines, problems) =
            app::catalogue::file::read(INDICATORS.as_bytes(), &Default::default());
        // Compiled in and checked by the tests: a problem is a build defect.
        assert!(
            problems.is_empty(),
            "catalogue/indicators.csv: {problems:?}"
        );
        let indicators = lines.into_iter().map(|l| l.item).collect();

        // A province that kept its code and name continued; every other line is a former unit.
        let effective =
            chrono::NaiveDate::from_ymd_opt(REORGANISED.0, REORGANISED.1, REORGANISED.2)
                .expect("a valid date");
        let successions = rows::<MergerRow>("province_mergers.csv", MERGERS)
            .into_iter()
            .filter(|m| {
                m.old_code != m.new_code || bare_name(&m.old_name) != bare_name(&m.new_name)
            })
            .map(|m| Succession {
                former_code: format!("{:02}", m.old_code),
                former_name: m.old_name,
                successor: format!("{:02}", m.new_code),
                effective,
            })
            .collect();

        Catalogue {
            units,
            indicators,
            successions,
            province_weights,
        }
    }

    pub fn units_of(&self, kind: UnitKind) -> impl Iterator<Item = &Unit> {
        self.units.iter().filter(move |u| u.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::UnitCode;
    use std::collections::HashSet;

    #[test]
    fn the_whole_country_is_there() {
        let c = Catalogue::load();
        assert_eq!(c.units_of(UnitKind::National).count(), 1);
        assert_eq!(c.units_of(UnitKind::Ministry).count(), 17);
        assert_eq!(c.units_of(UnitKind::Province).count(), 34);
        assert_eq!(c.units_of(UnitKind::Commune).count(), 3321);
        assert_eq!(c.indicators.len(), 36);
    }

    #[test]
    fn codes_are_unique_well_formed_and_parents_exist() {
        let c = Catalogue::load();
        let codes: HashSet<&str> = c.units.iter().map(|u| u.code.as_str()).collect();
        assert_eq!(codes.len(), c.units.len());
        for u in &c.units {
            let code = UnitCode::parse(&u.code).unwrap();
            assert_eq!(code.kind(), u.kind, "{}", u.code);
            if let Some(p) = &u.parent {
                assert!(
                    codes.contains(p.as_str()),
                    "{} has unknown parent {p}",
                    u.code
                );
            }
        }
        let hanoi = c.units.iter().find(|u| u.code == "01").unwrap();
        assert_eq!(hanoi.name_vi, "Thành phố Hà Nội");
        assert_eq!(hanoi.name_en.as_deref(), Some("Ha Noi"));
    }

    #[test]
    fn the_former_provinces_lead_to_existing_successors() {
        let c = Catalogue::load();
        let provinces: HashSet<&str> = c
            .units_of(UnitKind::Province)
            .map(|u| u.code.as_str())
            .collect();
        // 63 former provinces, of which 34 continue under their own code and name but for An
        // Giang (89, now 91) and Lào Cai (10, now 15)... every other one is a succession.
        assert!(c.successions.len() >= 29, "{}", c.successions.len());
        for s in &c.successions {
            assert!(provinces.contains(s.successor.as_str()), "{s:?}");
        }
        let kien_giang = c
            .successions
            .iter()
            .find(|s| s.former_name == "Tỉnh Kiên Giang")
            .unwrap();
        assert_eq!(
            (
                kien_giang.former_code.as_str(),
                kien_giang.successor.as_str()
            ),
            ("91", "91")
        );
        assert!(
            !c.successions
                .iter()
                .any(|s| s.former_name == "Thành phố Hà Nội")
        );
    }

    #[test]
    fn every_indicator_owner_is_a_ministry() {
        let c = Catalogue::load();
        let ministries: HashSet<&str> = c
            .units_of(UnitKind::Ministry)
            .map(|u| u.code.as_str())
            .collect();
        for i in &c.indicators {
            assert!(
                ministries.contains(i.owner.as_str()),
                "{} owner {}",
                i.code,
                i.owner
            );
        }
    }
}
