//! The demo country: plausible history for every indicator and every unit that reports it
//! (trend, seasonality, noise), deterministic from a seed and an end date. Every value it
//! writes carries the `demo` source, which marks it simulated in the database and on screen.
//!
//! National figures follow the indicator's rollup: `sum` is the sum of the provinces,
//! `weighted_mean` the mean of the provinces weighted by their size. Communes that report an
//! indicator have figures from July 2025 only: the 3,321 communes of the catalogue are those of
//! the two-tier local government in force since 1 July 2025. Each commune's figure scatters
//! around its province's.

use crate::catalogue::Catalogue;
use app::model::auth::{Role, RoleGrant};
use app::model::{Indicator, NewObservation, Period, Periodicity, Rollup, Source, UnitKind};
use app::store::{AuditEntry, NewUser, Store, StoreError};
use chrono::{Datelike, Months, NaiveDate, Weekday};
use indicatif::{ProgressBar, ProgressStyle};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

pub const META_KEY: &str = "demo_seed";

/// The first day the communes of the catalogue existed (their figures start then).
const COMMUNES_SINCE: (i32, u32) = (2025, 7);

/// One demo account per role: username, display name, role, unit.
pub const DEMO_ACCOUNTS: [(&str, &str, Role, Option<&str>); 7] = [
    ("quantri", "Quản trị hệ thống (demo)", Role::Admin, None),
    ("lanhdao", "Lãnh đạo Chính phủ (demo)", Role::Leader, None),
    (
        "vanphong",
        "Văn phòng Chính phủ (demo)",
        Role::Secretariat,
        None,
    ),
    (
        "canbo.hanoi",
        "Cán bộ báo cáo Hà Nội (demo)",
        Role::Officer,
        Some("01"),
    ),
    (
        "pheduyet.hanoi",
        "Người phê duyệt Hà Nội (demo)",
        Role::Approver,
        Some("01"),
    ),
    (
        "canbo.btc",
        "Cán bộ báo cáo Bộ Tài chính (demo)",
        Role::Officer,
        Some("BTC"),
    ),
    (
        "pheduyet.btc",
        "Người phê duyệt Bộ Tài chính (demo)",
        Role::Approver,
        Some("BTC"),
    ),
];

/// Creates the demo accounts, or gives them `password` when they exist, so the password
/// printed at this start is the one that works.
pub async fn ensure_accounts(store: &dyn Store, password: &str) -> Result<(), StoreError> {
    let hash = app::account::auth::hash_password(password).map_err(StoreError::other)?;
    for (username, name, role, unit) in DEMO_ACCOUNTS {
        match store.user_by_username(username).await? {
            Some(u) => {
                store
                    .set_password(u.id, &hash, &AuditEntry::system("password_reset", username))
                    .await?
            }
            None => {
                let audit = AuditEntry::system("user_create", username);
                let user = NewUser {
                    username: username.into(),
                    display_name: name.into(),
                    password_hash: hash.clone(),
                    roles: vec![RoleGrant {
                        role,
                        unit: unit.map(str::to_string),
                    }],
                    // An address no mail server delivers to: pointing DIEUHANH_SMTP_URL at a
                    // mail catcher shows the demo country's reminders arrive.
                    email: Some(format!("{username}@demo.invalid")),
                };
                store.create_user(&user, &audit).await?;
            }
        }
    }
    Ok(())
}

/// The demo's wall screen, so that a new user sees one within a minute of the first page.
pub const DEMO_WALL: &str = "Phòng họp Chính phủ (demo)";

/// Creates the demo's wall screen on the first start; at every start gives it a new display
/// token (the one before is revoked), shown on the terminal like the demo password. Returns the
/// screen's path with its token.
pub async fn ensure_wall(store: &dyn Store) -> Result<String, StoreError> {
    let by = AuditEntry::system("display_create", DEMO_WALL);
    let issued = |e: app::account::auth::IssueError| match e {
        app::account::auth::IssueError::Store(e) => e,
        other => StoreError::other(other.to_string()),
    };
    let existing = store
        .displays()
        .await?
        .into_iter()
        .find(|d| d.name == DEMO_WALL);
    let (id, token) = match existing {
        Some(screen) => {
            let token = app::account::auth::renew_display_token(store, screen.id, &by)
                .await
                .map_err(issued)?;
            (screen.id, token)
        }
        None => app::account::auth::create_display(store, DEMO_WALL, &by)
            .await
            .map_err(issued)?,
    };
    Ok(format!("/wall/{id}?token={token}"))
}

#[derive(Clone, Copy, Debug)]
pub struct DemoSpec {
    pub seed: u64,
    /// The history ends with the last complete period before this day.
    pub as_of: NaiveDate,
    pub years: u32,
    /// With a reporting history (`demo_reports`): the values of reports not approved are held
    /// back. Without it every value is there and no report is.
    pub reports: bool,
    /// The built-in catalogue, or the 200 indicators of the national scale (`demo_scale`).
    pub scale: crate::demo_scale::DemoScale,
}

/// How an indicator's national level moves over the years.
#[derive(Clone, Copy)]
enum Shape {
    /// A flow growing geometrically from `start` to `end` (per period), with seasonality.
    Flow { start: f64, end: f64, seasonal: f64 },
    /// A rate moving linearly from `start` to `end`, with a slow wave and bounds.
    Rate {
        start: f64,
        end: f64,
        wave: f64,
        lo: f64,
        hi: f64,
    },
    /// Progress since 1 January towards a year-end level (credit growth, disbursement).
    YearToDate { year_end: f64, lo: f64, hi: f64 },
    /// A stock that only grows (kilometres of expressway).
    Stock { start: f64, end: f64 },
    /// A managed price moving by small daily steps (the central exchange rate).
    Walk { start: f64, end: f64 },
}

struct Profile {
    shape: Shape,
    /// Relative (flows) or absolute (rates) spread of one value around its trend.
    noise: f64,
    /// Absolute spread of provinces around the national rate (rates only).
    spread: f64,
    /// Pandemic effect on the level: multiplier for flows, points added for rates.
    covid: f64,
    /// No values before this year (a system that did not exist yet).
    since: Option<i32>,
}

fn profile(code: &str) -> Profile {
    use Shape::*;
    let p = |shape, noise, spread, covid| Profile {
        shape,
        noise,
        spread,
        covid,
        since: None,
    };
    match code {
        "GDP_GROWTH" => p(
            Rate {
                start: 6.2,
                end: 7.0,
                wave: 0.5,
                lo: -5.0,
                hi: 12.0,
            },
            0.3,
            0.0,
            -4.0,
        ),
        "GRDP_GROWTH" => p(
            Rate {
                start: 6.5,
                end: 7.5,
                wave: 0.6,
                lo: -10.0,
                hi: 20.0,
            },
            0.6,
            2.2,
            -4.0,
        ),
        "CPI_YOY" => p(
            Rate {
                start: 2.5,
                end: 3.3,
                wave: 1.2,
                lo: -1.0,
                hi: 9.0,
            },
            0.25,
            0.0,
            -1.0,
        ),
        "IIP_YOY" => p(
            Rate {
                start: 9.0,
                end: 8.5,
                wave: 2.0,
                lo: -30.0,
                hi: 40.0,
            },
            1.5,
            4.0,
            -8.0,
        ),
        "EXPORT_VALUE" => p(
            Flow {
                start: 15_000.0,
                end: 39_000.0,
                seasonal: 0.10,
            },
            0.05,
            0.0,
            0.92,
        ),
        "IMPORT_VALUE" => p(
            Flow {
                start: 14_800.0,
                end: 37_000.0,
                seasonal: 0.10,
            },
            0.05,
            0.0,
            0.92,
        ),
        "RETAIL_SALES" => p(
            Flow {
                start: 300_000.0,
                end: 620_000.0,
                seasonal: 0.08,
            },
            0.03,
            0.0,
            0.85,
        ),
        "FDI_REGISTERED" => p(
            Flow {
                start: 1_800.0,
                end: 3_200.0,
                seasonal: 0.15,
            },
            0.25,
            0.0,
            0.8,
        ),
        "FDI_DISBURSED" => p(
            Flow {
                start: 1_300.0,
                end: 2_100.0,
                seasonal: 0.10,
            },
            0.08,
            0.0,
            0.9,
        ),
        "BUDGET_REVENUE" => p(
            Flow {
                start: 90_000.0,
                end: 185_000.0,
                seasonal: 0.12,
            },
            0.08,
            0.0,
            0.9,
        ),
        "BUDGET_SPENDING" => p(
            Flow {
                start: 100_000.0,
                end: 175_000.0,
                seasonal: 0.15,
            },
            0.06,
            0.0,
            1.0,
        ),
        "PUBINV_DISBURSED" => p(
            YearToDate {
                year_end: 90.0,
                lo: 0.0,
                hi: 100.0,
            },
            1.5,
            6.0,
            -4.0,
        ),
        "NEW_ENTERPRISES" => p(
            Flow {
                start: 10_000.0,
                end: 16_000.0,
                seasonal: 0.15,
            },
            0.08,
            0.0,
            0.8,
        ),
        "EXITED_ENTERPRISES" => p(
            Flow {
                start: 8_000.0,
                end: 14_000.0,
                seasonal: 0.20,
            },
            0.08,
            0.0,
            1.3,
        ),
        "INTL_VISITORS" => p(
            Flow {
                start: 850.0,
                end: 1_900.0,
                seasonal: 0.12,
            },
            0.05,
            0.0,
            0.03,
        ),
        "UNEMPLOYMENT" => p(
            Rate {
                start: 2.3,
                end: 2.2,
                wave: 0.15,
                lo: 0.5,
                hi: 10.0,
            },
            0.08,
            0.8,
            0.7,
        ),
        "CREDIT_GROWTH" => p(
            YearToDate {
                year_end: 14.0,
                lo: -2.0,
                hi: 25.0,
            },
            0.3,
            0.0,
            -3.0,
        ),
        "FX_CENTRAL" => p(
            Walk {
                start: 21_900.0,
                end: 25_250.0,
            },
            6.0,
            0.0,
            0.0,
        ),
        "TRAFFIC_ACCIDENTS" => p(
            Flow {
                start: 1_750.0,
                end: 1_000.0,
                seasonal: 0.12,
            },
            0.06,
            0.0,
            0.8,
        ),
        "TRAFFIC_DEATHS" => p(
            Flow {
                start: 740.0,
                end: 500.0,
                seasonal: 0.12,
            },
            0.06,
            0.0,
            0.8,
        ),
        "HEALTH_INSURANCE" => p(
            Rate {
                start: 82.0,
                end: 94.0,
                wave: 0.0,
                lo: 50.0,
                hi: 100.0,
            },
            0.4,
            3.0,
            0.0,
        ),
        "ONLINE_DOSSIERS" => p(
            Rate {
                start: 8.0,
                end: 68.0,
                wave: 0.0,
                lo: 0.0,
                hi: 100.0,
            },
            2.0,
            8.0,
            0.0,
        ),
        "ONTIME_DOSSIERS" => p(
            Rate {
                start: 90.0,
                end: 97.5,
                wave: 0.5,
                lo: 60.0,
                hi: 100.0,
            },
            0.6,
            1.5,
            0.0,
        ),
        "EDOCS_EXCHANGED" => p(
            Flow {
                start: 900.0,
                end: 2_100.0,
                seasonal: 0.05,
            },
            0.10,
            0.0,
            1.0,
        ),
        "EDOCS_SHARE" => p(
            Rate {
                start: 55.0,
                end: 96.0,
                wave: 0.0,
                lo: 0.0,
                hi: 100.0,
            },
            1.0,
            4.0,
            0.0,
        ),
        "VNEID_ACTIVATED" => Profile {
            shape: Flow {
                start: 3_000.0,
                end: 900.0,
                seasonal: 0.05,
            },
            noise: 0.10,
            spread: 0.0,
            covid: 1.0,
            since: Some(2022),
        },
        "SOCIAL_HOUSING" => p(
            Flow {
                start: 1_500.0,
                end: 6_000.0,
                seasonal: 0.20,
            },
            0.20,
            0.0,
            0.7,
        ),
        "EXPRESSWAY_KM" => p(
            Stock {
                start: 900.0,
                end: 3_300.0,
            },
            0.0,
            0.0,
            0.0,
        ),
        "RICE_EXPORT" => p(
            Flow {
                start: 430.0,
                end: 760.0,
                seasonal: 0.20,
            },
            0.10,
            0.0,
            1.0,
        ),
        "ELECTRICITY" => p(
            Flow {
                start: 15_500.0,
                end: 28_500.0,
                seasonal: 0.08,
            },
            0.03,
            0.0,
            0.95,
        ),
        // The weights of the weighted means: sizes that move slowly (people, the plan) or with
        // the month (dossiers), so that a mean's change is partly one of its units' weights.
        "PUBINV_PLAN" => p(
            Stock {
                start: 420_000.0,
                end: 1_000_000.0,
            },
            0.01,
            0.0,
            0.0,
        ),
        "LABOUR_FORCE" => p(
            Stock {
                start: 54_300.0,
                end: 53_400.0,
            },
            0.01,
            0.0,
            0.0,
        ),
        "POPULATION" => p(
            Stock {
                start: 92_200.0,
                end: 101_600.0,
            },
            0.005,
            0.0,
            0.0,
        ),
        "DOSSIERS_RECEIVED" => p(
            Flow {
                start: 3_000_000.0,
                end: 5_500_000.0,
                seasonal: 0.10,
            },
            0.08,
            0.0,
            0.9,
        ),
        "DOSSIERS_SETTLED" => p(
            Flow {
                start: 2_900_000.0,
                end: 5_400_000.0,
                seasonal: 0.10,
            },
            0.08,
            0.0,
            0.9,
        ),
        // The national scale's placeholders by their own size; any other indicator a plain flow.
        _ => match crate::demo_scale::level(code) {
            Some(crate::demo_scale::Level::Share(level)) => p(
                Rate {
                    start: level - 6.0,
                    end: level + 6.0,
                    wave: 1.0,
                    lo: 0.0,
                    hi: 100.0,
                },
                0.5,
                5.0,
                0.0,
            ),
            Some(crate::demo_scale::Level::Count(level)) => p(
                Flow {
                    start: level,
                    end: level * 1.6,
                    seasonal: 0.10,
                },
                0.06,
                0.0,
                0.9,
            ),
            // Any indicator added to the catalogue later still gets a plausible flow.
            None => p(
                Flow {
                    start: 100.0,
                    end: 150.0,
                    seasonal: 0.05,
                },
                0.05,
                0.0,
                1.0,
            ),
        },
    }
}

/// FNV-1a: a stable hash, so each indicator's series depends only on the seed and its code.
pub(crate) fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    // Box–Muller; one value per call is enough here.
    let u1: f64 = rng.random::<f64>().max(1e-12);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Rounds to the indicator's decimals, as published figures are.
pub(crate) fn round(v: f64, decimals: u8) -> f64 {
    let f = 10f64.powi(decimals as i32);
    (v * f).round() / f
}

/// Periods of one periodicity covering `years` before `as_of`, ending with the last complete one.
pub fn periods(periodicity: Periodicity, as_of: NaiveDate, years: u32) -> Vec<Period> {
    let last = Period::containing(periodicity, as_of).prev();
    let first = Period::containing(periodicity, as_of - Months::new(12 * years)).next();
    let mut out = Vec::new();
    let mut p = first;
    while p.start() <= last.start() {
        out.push(p);
        p = p.next();
    }
    out
}

fn covid_weight(d: NaiveDate) -> f64 {
    // Strongest from April 2020 to September 2021, fading until March 2022.
    let m = d.year() * 12 + d.month0() as i32;
    let (start, full_until, end) = (2020 * 12 + 2, 2021 * 12 + 8, 2022 * 12 + 2);
    if m < start || m > end {
        0.0
    } else if m <= full_until {
        1.0
    } else {
        1.0 - (m - full_until) as f64 / (end - full_until) as f64
    }
}

/// Month-of-year factor: low around Tết (February), high at year end.
fn seasonal(d: NaiveDate, amplitude: f64) -> f64 {
    let base = match d.month() {
        1 => 0.0,
        2 => -1.6,
        3 => 0.2,
        12 => 1.2,
        m => 0.3 * ((m as f64 - 3.0) / 9.0 * std::f64::consts::PI).sin(),
    };
    1.0 + amplitude * base
}

/// How much of a period a flow's monthly level covers (a day is 1/30 of a month).
fn period_scale(p: Periodicity) -> f64 {
    match p {
        Periodicity::Daily => 1.0 / 30.4,
        Periodicity::Weekly => 7.0 / 30.4,
        Periodicity::Monthly => 1.0,
        Periodicity::Quarterly => 3.0,
        Periodicity::HalfYearly => 6.0,
        Periodicity::Yearly => 12.0,
    }
}

struct Series {
    profile: Profile,
    periods: Vec<Period>,
    /// 0 at the first period, 1 at the last.
    progress: Vec<f64>,
}

impl Series {
    /// The national trend value at period `k` (before noise).
    fn trend(&self, k: usize, walk: f64) -> f64 {
        let t = self.progress[k];
        let p = self.periods[k];
        let d = p.start();
        let covid = covid_weight(d);
        match self.profile.shape {
            Shape::Flow {
                start,
                end,
                seasonal: amp,
            } => {
                let level = start * (end / start).powf(t) * period_scale(p.periodicity());
                let weekday = if p.periodicity() == Periodicity::Daily {
                    match d.weekday() {
                        Weekday::Sat => 0.25,
                        Weekday::Sun => 0.1,
                        _ => 1.3,
                    }
                } else {
                    1.0
                };
                level * seasonal(d, amp) * weekday * (1.0 + (self.profile.covid - 1.0) * covid)
            }
            Shape::Rate {
                start, end, wave, ..
            } => {
                start
                    + (end - start) * t
                    + wave * (t * std::f64::consts::TAU * 3.3).sin()
                    + self.profile.covid * covid
            }
            Shape::YearToDate { year_end, .. } => {
                let day = d.ordinal() as f64 + (p.end() - d).num_days() as f64;
                let frac = (day / 365.0).clamp(0.0, 1.0);
                year_end * frac.powf(1.3) + self.profile.covid * covid * frac
            }
            Shape::Stock { start, end } => (start + (end - start) * t.powf(1.4)).round(),
            Shape::Walk { .. } => walk,
        }
    }

    fn bounds(&self) -> (f64, f64) {
        match self.profile.shape {
            Shape::Rate { lo, hi, .. } | Shape::YearToDate { lo, hi, .. } => (lo, hi),
            _ => (0.0, f64::INFINITY),
        }
    }
}

fn is_rate(shape: Shape) -> bool {
    matches!(shape, Shape::Rate { .. } | Shape::YearToDate { .. })
}

/// Every value of one indicator, for every unit that reports it.
pub fn generate_indicator(
    catalogue: &Catalogue,
    indicator: &Indicator,
    spec: &DemoSpec,
) -> Vec<NewObservation> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed ^ stable_hash(&indicator.code));
    let profile = profile(&indicator.code);
    let mut all = periods(indicator.periodicity, spec.as_of, spec.years);
    if let Some(y) = profile.since {
        all.retain(|p| p.start().year() >= y);
    }
    let n = all.len().max(2) - 1;
    let progress = (0..all.len()).map(|k| k as f64 / n as f64).collect();
    let series = Series {
        profile,
        periods: all,
        progress,
    };
    let (lo, hi) = series.bounds();
    let rate = is_rate(series.profile.shape);
    let d = indicator.decimals;

    // Province weights (size) with a deterministic spread; the two big cities weigh more.
    let provinces: Vec<(String, f64)> = catalogue
        .province_weights
        .iter()
        .map(|(code, w)| {
            let city = match code.as_str() {
                "01" | "79" => 5.0,
                "31" | "48" | "92" | "46" => 1.8,
                _ => 1.0,
            };
            (code.clone(), w * city * (0.6 + 0.8 * rng.random::<f64>()))
        })
        .collect();
    let total: f64 = provinces.iter().map(|(_, w)| w).sum();
    let offsets: Vec<f64> = provinces
        .iter()
        .map(|_| normal(&mut rng) * series.profile.spread)
        .collect();
    let ministries: Vec<(String, f64, f64)> = catalogue
        .units_of(UnitKind::Ministry)
        .map(|m| {
            (
                m.code.clone(),
                0.02 + 0.05 * rng.random::<f64>(),
                normal(&mut rng) * series.profile.spread,
            )
        })
        .collect();

    let reports = |k: UnitKind| indicator.is_reported_by(k);
    // A mean weighted by another indicator: that indicator's demo values (the same every time
    // they are made) weigh the units' values into the national figure.
    let weights: HashMap<(String, Period), f64> = indicator
        .mean_weight()
        .and_then(|code| {
            catalogue
                .indicators
                .iter()
                .find(|w| w.code == code && w.rollup == Rollup::Sum)
        })
        .map(|w| {
            generate_indicator(catalogue, w, spec)
                .into_iter()
                .map(|o| ((o.unit, o.period), o.value))
                .collect()
        })
        .unwrap_or_default();
    // Each commune: its province's place in `provinces`, its code, its lasting offset.
    let communes: Vec<(usize, String, f64)> = if reports(UnitKind::Commune) {
        let index: HashMap<&str, usize> = provinces
            .iter()
            .enumerate()
            .map(|(i, (code, _))| (code.as_str(), i))
            .collect();
        catalogue
            .units_of(UnitKind::Commune)
            .filter_map(|c| {
                let i = *index.get(c.parent.as_deref()?)?;
                Some((i, c.code.clone(), normal(&mut rng) * series.profile.spread))
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut per_province = vec![0usize; provinces.len()];
    for (i, _, _) in &communes {
        per_province[*i] += 1;
    }
    // At national scale the communes' history is recomputed for today's boundaries.
    let communes_since = match spec.scale {
        crate::demo_scale::DemoScale::Standard => {
            NaiveDate::from_ymd_opt(COMMUNES_SINCE.0, COMMUNES_SINCE.1, 1).expect("a valid date")
        }
        crate::demo_scale::DemoScale::National => NaiveDate::MIN,
    };
    let mut out = Vec::new();
    let mut walk = match series.profile.shape {
        Shape::Walk { start, .. } => start,
        _ => 0.0,
    };
    let walk_step = match series.profile.shape {
        Shape::Walk { start, end } => (end - start) / series.periods.len().max(1) as f64,
        _ => 0.0,
    };
    for (k, &period) in series.periods.iter().enumerate() {
        walk += walk_step + normal(&mut rng) * series.profile.noise;
        let trend = series.trend(k, walk);
        let obs = |unit: &str, value: f64| NewObservation {
            indicator: indicator.code.clone(),
            unit: unit.to_string(),
            period,
            value,
            note: None,
            source_ref: None,
            outlier: None,
        };

        let mut province_values = Vec::new();
        // The provinces' and ministries' values, for a mean weighted by published weights.
        let mut members: Vec<(&str, f64)> = Vec::new();
        if reports(UnitKind::Province) {
            for (i, (code, w)) in provinces.iter().enumerate() {
                let v = if rate {
                    trend + offsets[i] + normal(&mut rng) * series.profile.noise * 2.0
                } else {
                    trend * w / total * (1.0 + normal(&mut rng) * series.profile.noise * 1.5)
                };
                let v = round(v.clamp(lo, hi), d);
                province_values.push((w, v));
                members.push((code, v));
                out.push(obs(code, v));
            }
        }
        if !communes.is_empty() && period.start() >= communes_since && !province_values.is_empty() {
            for (i, code, offset) in &communes {
                let province = province_values[*i].1;
                let v = if rate {
                    province + offset + normal(&mut rng) * series.profile.noise * 3.0
                } else {
                    province / per_province[*i].max(1) as f64
                        * (1.0 + normal(&mut rng) * series.profile.noise * 2.0)
                };
                out.push(obs(code, round(v.clamp(lo, hi), d)));
            }
        }
        if reports(UnitKind::Ministry) {
            for (code, share, offset) in &ministries {
                let v = if rate {
                    trend + offset + normal(&mut rng) * series.profile.noise * 2.0
                } else {
                    trend * share * (1.0 + normal(&mut rng) * series.profile.noise)
                };
                let v = round(v.clamp(lo, hi), d);
                members.push((code, v));
                out.push(obs(code, v));
            }
        }
        // A national figure computed as the sum of the units is the store's to compute.
        if reports(UnitKind::National) && !indicator.national_is_computed() {
            let v = match indicator.rollup {
                // The owner's own figure: the units' sum with what no province reports (central
                // revenue) or without what several count (a visitor to three provinces).
                Rollup::Sum if !province_values.is_empty() => {
                    province_values.iter().map(|(_, v)| v).sum::<f64>()
                        * national_over_units(&indicator.code)
                        * (1.0 + normal(&mut rng) * series.profile.noise)
                }
                Rollup::WeightedMean if !weights.is_empty() => {
                    let (mut weight, mut weighted) = (0.0, 0.0);
                    for (code, v) in &members {
                        if let Some(w) = weights.get(&(code.to_string(), period)) {
                            weight += w;
                            weighted += w * v;
                        }
                    }
                    if weight > 0.0 {
                        weighted / weight
                    } else {
                        trend
                    }
                }
                Rollup::WeightedMean if !province_values.is_empty() => {
                    province_values.iter().map(|(w, v)| *w * v).sum::<f64>() / total
                }
                _ if rate => trend + normal(&mut rng) * series.profile.noise,
                _ => match series.profile.shape {
                    Shape::Stock { .. } | Shape::Walk { .. } => trend,
                    _ => trend * (1.0 + normal(&mut rng) * series.profile.noise),
                },
            };
            out.push(obs("VN", round(v.clamp(lo, hi), d)));
        }
    }
    out
}

/// How the owner's national figure of a reported sum compares with the units' sum.
fn national_over_units(code: &str) -> f64 {
    match code {
        "BUDGET_REVENUE" => 1.28,
        "BUDGET_SPENDING" => 1.35,
        "FDI_REGISTERED" => 1.04,
        "INTL_VISITORS" => 0.55,
        _ => 1.0,
    }
}

/// The whole demo history, indicator by indicator in catalogue order.
pub fn generate(catalogue: &Catalogue, spec: &DemoSpec) -> Vec<(String, Vec<NewObservation>)> {
    // Derived indicators (the trade balance) are computed by the store from their inputs.
    catalogue
        .indicators
        .iter()
        .filter(|i| !i.is_derived())
        .map(|i| (i.code.clone(), generate_indicator(catalogue, i, spec)))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedResult {
    Seeded {
        values: u64,
    },
    AlreadySeeded,
    /// The database holds real values: the demo never mixes with them.
    HasRealData,
}

/// Seeds the demo history into an empty database, through the one write path, with a progress
/// bar on a terminal. Does nothing when a demo is already there or real data exists.
pub async fn seed(
    store: &dyn Store,
    catalogue: &Catalogue,
    spec: &DemoSpec,
) -> Result<SeedResult, StoreError> {
    if store.meta(META_KEY).await?.is_some() {
        return Ok(SeedResult::AlreadySeeded);
    }
    if store.count_observations().await? > 0 {
        return Ok(SeedResult::HasRealData);
    }
    // One indicator at a time: at national scale the whole history would not fit in memory
    // comfortably (ten million values).
    let indicators: Vec<&Indicator> = catalogue
        .indicators
        .iter()
        .filter(|i| !i.is_derived())
        .collect();
    let bar = ProgressBar::new(indicators.len() as u64).with_style(
        ProgressStyle::with_template(
            "  dữ liệu mô phỏng {bar:40} {pos}/{len} chỉ tiêu, {msg} giá trị ({eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut stored = 0;
    for indicator in indicators {
        let mut values = generate_indicator(catalogue, indicator, spec);
        // What a report not (yet) approved would have published is held back.
        if spec.reports {
            values.retain(|o| crate::demo_reports::fate(spec, &o.unit, &o.period).published());
        }
        let audit = AuditEntry::system("demo_seed", &indicator.code);
        // Whole periods per batch, so that a national sum is computed once, from every unit,
        // rather than revised when the rest of its period arrives.
        values.sort_by_key(|o| o.period);
        let mut rest = values.as_slice();
        while !rest.is_empty() {
            let mut end = rest.len().min(20_000);
            while end < rest.len() && rest[end].period == rest[end - 1].period {
                end += 1;
            }
            let (chunk, tail) = rest.split_at(end);
            // With what the store computed from them (national sums, the trade balance).
            let outcome = store
                .store_observations(chunk, Source::Demo, &audit)
                .await?;
            stored += outcome.stored + outcome.computed;
            bar.set_message(stored.to_string());
            rest = tail;
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    store
        .set_meta(
            META_KEY,
            &format!(
                "seed={} as_of={} years={} scale={}",
                spec.seed,
                spec.as_of,
                spec.years,
                spec.scale.as_str()
            ),
        )
        .await?;
    Ok(SeedResult::Seeded { values: stored })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> DemoSpec {
        DemoSpec {
            seed: 7,
            as_of: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            years: 10,
            reports: true,
            scale: Default::default(),
        }
    }

    #[test]
    fn history_ends_with_the_last_complete_period() {
        let as_of = spec().as_of;
        let m = periods(Periodicity::Monthly, as_of, 10);
        assert_eq!(m.last().unwrap().to_string(), "2026-10");
        assert_eq!(m.first().unwrap().to_string(), "2016-12");
        assert_eq!(m.len(), 119);
        assert_eq!(
            periods(Periodicity::Quarterly, as_of, 10)
                .last()
                .unwrap()
                .to_string(),
            "2026-Q3"
        );
        assert_eq!(
            periods(Periodicity::Daily, as_of, 10)
                .last()
                .unwrap()
                .to_string(),
            "2026-11-21"
        );
        assert_eq!(
            periods(Periodicity::Yearly, as_of, 10)
                .last()
                .unwrap()
                .to_string(),
            "2025"
        );
    }

    #[test]
    fn same_seed_same_country_other_seed_other_country() {
        let c = Catalogue::load();
        let a = generate(&c, &spec());
        let b = generate(&c, &spec());
        assert_eq!(a, b);
        let other = generate(&c, &DemoSpec { seed: 8, ..spec() });
        assert_ne!(a, other);
    }

    #[test]
    fn a_weighted_means_national_figure_is_its_units_weighed_by_their_published_weights() {
        let c = Catalogue::load();
        let find = |code: &str| c.indicators.iter().find(|i| i.code == code).unwrap();
        let values = generate_indicator(&c, find("ONLINE_DOSSIERS"), &spec());
        let weights: HashMap<(String, Period), f64> =
            generate_indicator(&c, find("DOSSIERS_RECEIVED"), &spec())
                .into_iter()
                .map(|o| ((o.unit, o.period), o.value))
                .collect();
        let nation: Vec<_> = values.iter().filter(|o| o.unit == "VN").collect();
        assert!(nation.len() >= 100);
        for n in nation.iter().rev().take(12) {
            // The provinces and the ministries (not the communes, which are the provinces').
            let (mut weight, mut weighted) = (0.0, 0.0);
            for o in values
                .iter()
                .filter(|o| o.period == n.period && o.unit != "VN")
                .filter(|o| !(o.unit.len() == 5 && o.unit.bytes().all(|b| b.is_ascii_digit())))
            {
                let w = weights[&(o.unit.clone(), o.period)];
                weight += w;
                weighted += w * o.value;
            }
            let mean = weighted / weight;
            assert!(
                (n.value - mean).abs() <= 0.05 + 1e-9,
                "{}: {} against {mean}",
                n.period,
                n.value
            );
        }
        // The weights move from one period to the next, so a mean's change is partly theirs.
        let (a, b) = (
            nation[nation.len() - 2].period,
            nation[nation.len() - 1].period,
        );
        assert_ne!(
            weights[&("01".to_string(), a)],
            weights[&("01".to_string(), b)]
        );
    }

    #[test]
    fn every_reporting_unit_has_history_and_values_are_plausible() {
        let c = Catalogue::load();
        let data = generate(&c, &spec());
        assert_eq!(data.len(), 35, "every indicator but the derived one");
        for (code, values) in &data {
            let ind = c.indicators.iter().find(|i| &i.code == code).unwrap();
            assert!(!values.is_empty(), "{code}");
            for v in values {
                assert!(v.value.is_finite(), "{code} {v:?}");
                assert!(ind.out_of_range(v.value).is_none(), "{code} {v:?}");
            }
            let units: std::collections::HashSet<&str> =
                values.iter().map(|v| v.unit.as_str()).collect();
            let expected = ind
                .reported_by
                .iter()
                .map(|k| c.units_of(*k).count())
                .sum::<usize>()
                - usize::from(ind.national_is_computed());
            assert_eq!(units.len(), expected, "{code}");
        }
    }

    #[test]
    fn computed_figures_are_left_to_the_store() {
        let c = Catalogue::load();
        let data: HashMap<String, Vec<NewObservation>> =
            generate(&c, &spec()).into_iter().collect();
        assert!(
            !data.contains_key("TRADE_BALANCE"),
            "a formula is the store's"
        );
        assert!(data["EXPORT_VALUE"].iter().all(|o| o.unit != "VN"));
        assert!(data["BUDGET_REVENUE"].iter().any(|o| o.unit == "VN"));
    }
}
