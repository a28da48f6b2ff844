//! One storage story, told against SQLite and against PostgreSQL: migrate, seed the catalogue
//! and the demo country, read back, and check that the national figures add up.

use crate::common;

use crate::common::TestPg;
use app::model::{NewObservation, Observation, Period, Rollup, Source, UnitKind};
use app::store::{AuditEntry, ObservationQuery, SharedStore};
use chrono::NaiveDate;
use server::catalogue::Catalogue;
use server::config::DatabaseUrl;
use server::demo::{self, DemoSpec, SeedResult};
use std::collections::HashMap;

fn spec() -> DemoSpec {
    // Three years keep the debug-build test quick; the generator is the same for ten.
    DemoSpec {
        seed: 42,
        as_of: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        years: 3,
        // Every value, so that every province's figure is there (the reporting history that
        // holds some back is `reports::`'s).
        reports: false,
        scale: Default::default(),
    }
}

/// A value with no note or reference, as the tests write them.
fn value(indicator: &str, unit: &str, period: &str, value: f64) -> NewObservation {
    NewObservation {
        indicator: indicator.into(),
        unit: unit.into(),
        period: Period::parse(period).unwrap(),
        value,
        note: None,
        source_ref: None,
        outlier: None,
    }
}

/// Every stored national CPI value, by period.
async fn national_cpi(store: &SharedStore) -> Vec<Observation> {
    store
        .observations(&ObservationQuery {
            indicator: Some("CPI_YOY".into()),
            unit: Some("VN".into()),
            ..Default::default()
        })
        .await
        .unwrap()
}

async fn story(store: SharedStore) {
    let catalogue = Catalogue::load();
    store
        .seed_catalogue(&catalogue.units, &catalogue.indicators)
        .await
        .unwrap();
    // Seeding the catalogue twice is harmless (every start does it).
    store
        .seed_catalogue(&catalogue.units, &catalogue.indicators)
        .await
        .unwrap();

    let vn = store.unit("VN").await.unwrap().expect("the nation");
    assert_eq!(vn.kind, UnitKind::National);
    let top = store.children("VN").await.unwrap();
    assert_eq!(
        top.iter().filter(|u| u.kind == UnitKind::Ministry).count(),
        17
    );
    assert_eq!(
        top.iter().filter(|u| u.kind == UnitKind::Province).count(),
        34
    );
    let hanoi_communes = store.children("01").await.unwrap();
    assert_eq!(
        hanoi_communes.len(),
        126,
        "Hà Nội has 126 communes and wards"
    );
    assert!(
        hanoi_communes
            .iter()
            .all(|u| u.kind == UnitKind::Commune && u.code.len() == 5)
    );
    assert!(store.unit("99999").await.unwrap().is_none());
    assert_eq!(store.indicators().await.unwrap(), catalogue.indicators);

    // The demo country, through the one write path.
    let result = demo::seed(store.as_ref(), &catalogue, &spec())
        .await
        .unwrap();
    let SeedResult::Seeded { values } = result else {
        panic!("expected a seed, got {result:?}")
    };
    assert_eq!(store.count_observations().await.unwrap(), values);
    assert_eq!(
        demo::seed(store.as_ref(), &catalogue, &spec())
            .await
            .unwrap(),
        SeedResult::AlreadySeeded
    );

    // Read back the national page's data: the latest 24 points, oldest first, simulated.
    let per_indicator: HashMap<String, Vec<_>> = store
        .recent_points("VN", 24)
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(
        per_indicator.len(),
        35,
        "every indicator but the province-only GRDP has a national value"
    );
    let cpi = &per_indicator["CPI_YOY"];
    assert_eq!(cpi.len(), 24);
    assert_eq!(cpi[23].period.to_string(), "2026-10");
    assert_eq!(cpi[22].period.to_string(), "2026-09");
    assert!(cpi.iter().all(|p| p.simulated));
    let stored_cpi = national_cpi(&store).await;
    assert_eq!(
        cpi.last().map(|p| p.value),
        stored_cpi.last().map(|o| o.value),
        "the value exactly as stored"
    );
    assert!(
        stored_cpi
            .iter()
            .all(|o| o.simulated && o.source == Source::Demo && o.revision == 1)
    );

    // Rollups hold: for a computed `sum`, the nation is the sum of the provinces, period by
    // period (where the owner reports it, it may differ, and is shown beside the sum); for
    // `weighted_mean`, it lies between the smallest and the largest province.
    let ministries: std::collections::HashSet<&str> = catalogue
        .units_of(UnitKind::Ministry)
        .map(|u| u.code.as_str())
        .collect();
    for ind in catalogue
        .indicators
        .iter()
        .filter(|i| i.is_reported_by(UnitKind::Province))
    {
        let all = store
            .observations(&ObservationQuery {
                indicator: Some(ind.code.clone()),
                ..Default::default()
            })
            .await
            .unwrap();
        let mut national: HashMap<Period, f64> = HashMap::new();
        let mut provinces: HashMap<Period, Vec<f64>> = HashMap::new();
        // What the nation's sum adds up: every unit directly under it (provinces, ministries).
        let mut under_nation: HashMap<Period, f64> = HashMap::new();
        for o in &all {
            match o.unit.as_str() {
                "VN" => {
                    national.insert(o.period, o.value);
                }
                u if u.len() == 2 => provinces.entry(o.period).or_default().push(o.value),
                _ => {}
            }
            if o.unit != "VN" && (ministries.contains(o.unit.as_str()) || o.unit.len() == 2) {
                *under_nation.entry(o.period).or_default() += o.value;
            }
        }
        for (period, values) in &provinces {
            assert_eq!(
                values.len(),
                34,
                "{} {period}: every province reports",
                ind.code
            );
            let Some(n) = national.get(period) else {
                continue;
            };
            match ind.rollup {
                Rollup::Sum if ind.national_is_computed() => {
                    let sum = under_nation[period];
                    let tolerance = 0.5 * 10f64.powi(-(ind.decimals as i32)) + 1e-9 * sum.abs();
                    assert!(
                        (n - sum).abs() <= tolerance,
                        "{} {period}: nation {n} ≠ provinces {sum}",
                        ind.code
                    );
                }
                Rollup::WeightedMean => {
                    let (lo, hi) = values
                        .iter()
                        .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
                    assert!(
                        *n >= lo - 0.1 && *n <= hi + 0.1,
                        "{} {period}: {n} outside {lo}..{hi}",
                        ind.code
                    );
                }
                _ => {}
            }
        }
        if ind.rollup == Rollup::Sum && ind.is_reported_by(UnitKind::National) {
            assert!(!national.is_empty(), "{}: national values exist", ind.code);
        }
    }

    // The same value again stores nothing; a changed value is a new revision with a new seq.
    let before = store
        .observations(&ObservationQuery {
            indicator: Some("CPI_YOY".into()),
            unit: Some("VN".into()),
            from: Some(Period::parse("2026-10").unwrap()),
            to: Some(Period::parse("2026-10").unwrap()),
            ..Default::default()
        })
        .await
        .unwrap();
    // The units under a parent, for one period (what a ranking reads): Hà Nội's communes only.
    let communes = store
        .observations(&ObservationQuery {
            indicator: Some("ONLINE_DOSSIERS".into()),
            parent: Some("01".into()),
            from: Some(Period::parse("2026-10").unwrap()),
            to: Some(Period::parse("2026-10").unwrap()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(communes.len(), 126, "the 126 communes and wards of Hà Nội");
    // The same answer in pages of 50, each after the last value of the one before.
    let mut paged = Vec::new();
    loop {
        let page = store
            .observations(&ObservationQuery {
                indicator: Some("ONLINE_DOSSIERS".into()),
                parent: Some("01".into()),
                from: Some(Period::parse("2026-10").unwrap()),
                to: Some(Period::parse("2026-10").unwrap()),
                after: paged
                    .last()
                    .map(|o: &Observation| (o.indicator.clone(), o.unit.clone(), o.period)),
                limit: Some(50),
                ..Default::default()
            })
            .await
            .unwrap();
        let full = page.len() == 50;
        paged.extend(page);
        if !full {
            break;
        }
    }
    assert_eq!(paged, communes);
    assert!(
        communes
            .iter()
            .all(|o| o.unit.len() == 5 && o.period.to_string() == "2026-10")
    );
    assert_eq!(before.len(), 1);
    let same = NewObservation {
        indicator: "CPI_YOY".into(),
        unit: "VN".into(),
        period: before[0].period,
        value: before[0].value,
        note: None,
        source_ref: None,
        outlier: None,
    };
    let outcome = store
        .store_observations(
            std::slice::from_ref(&same),
            Source::Api,
            &AuditEntry::system("test", "x"),
        )
        .await
        .unwrap();
    assert_eq!(
        (outcome.stored, outcome.unchanged, outcome.last_seq),
        (0, 1, None)
    );
    let changed = NewObservation {
        value: before[0].value + 0.5,
        note: Some("Tổng cục Thống kê điều chỉnh".into()),
        source_ref: Some("TCTK-2026-10".into()),
        ..same
    };
    let outcome = store
        .store_observations(
            std::slice::from_ref(&changed),
            Source::Api,
            &AuditEntry::system("test", "x"),
        )
        .await
        .unwrap();
    assert_eq!((outcome.stored, outcome.unchanged), (1, 0));
    let after = national_cpi(&store).await;
    let cpi = after.iter().find(|o| o.period == changed.period).unwrap();
    assert_eq!(cpi.value, changed.value);
    assert_eq!(cpi.revision, 2);
    assert!(!cpi.simulated, "a value from the API is not simulated");
    assert_eq!(Some(cpi.seq), outcome.last_seq);
    assert_eq!(
        cpi.seq as u64,
        values + 1,
        "seq continues without gaps after the seed"
    );

    // The history keeps both revisions with their sources; the feed and the snapshot see the change.
    let history = store
        .revisions("CPI_YOY", "VN", &changed.period)
        .await
        .unwrap();
    let summary: Vec<_> = history
        .iter()
        .map(|r| (r.revision, r.value, r.source, r.note.as_deref()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, before[0].value, Source::Demo, None),
            (
                2,
                changed.value,
                Source::Api,
                Some("Tổng cục Thống kê điều chỉnh")
            ),
        ]
    );
    assert_eq!(history[1].source_ref.as_deref(), Some("TCTK-2026-10"));
    let feed = store.changes_since(values as i64, 100).await.unwrap();
    assert_eq!(feed.len(), 1);
    let app::store::Change::Observation(fed) = &feed[0] else {
        panic!("a value's revision is fed as an observation")
    };
    assert_eq!((fed.seq, fed.value), (cpi.seq, changed.value));
    assert_eq!(store.current_seq().await.unwrap(), cpi.seq);
    let snapshot = store
        .latest(&app::store::LatestScope::NationalAndProvinces)
        .await
        .unwrap();
    assert_eq!(snapshot.seq, cpi.seq);
    let in_snapshot = snapshot
        .observations
        .iter()
        .find(|o| o.indicator == "CPI_YOY" && o.unit == "VN")
        .unwrap();
    assert_eq!(in_snapshot.value, changed.value);
    assert!(
        snapshot
            .observations
            .iter()
            .all(|o| o.unit == "VN" || o.unit.len() == 2),
        "the overview holds the nation and the provinces only"
    );
    // One indicator's snapshot (an indicator page's live topic, a wall's map): each unit's
    // newest period, one row per unit.
    let of_cpi = store
        .latest(&app::store::LatestScope::Indicator("CPI_YOY".into()))
        .await
        .unwrap();
    assert_eq!(of_cpi.seq, cpi.seq);
    let newest: Vec<_> = of_cpi
        .observations
        .iter()
        .map(|o| (o.unit.as_str(), o.period, o.value))
        .collect();
    let last = after.iter().max_by_key(|o| o.period.start()).unwrap();
    assert_eq!(newest, vec![("VN", last.period, last.value)]);
    // And of one the provinces report: the nation's and each province's newest.
    let mut expected = std::collections::BTreeMap::new();
    for o in store
        .observations(&ObservationQuery {
            indicator: Some("EXPORT_VALUE".into()),
            ..Default::default()
        })
        .await
        .unwrap()
    {
        let e = expected
            .entry(o.unit.clone())
            .or_insert((o.period, o.value));
        if o.period.start() > e.0.start() {
            *e = (o.period, o.value);
        }
    }
    let got: std::collections::BTreeMap<_, _> = store
        .latest(&app::store::LatestScope::Indicator("EXPORT_VALUE".into()))
        .await
        .unwrap()
        .observations
        .into_iter()
        .map(|o| (o.unit, (o.period, o.value)))
        .collect();
    assert_eq!(got.len(), 35, "the nation and 34 provinces");
    assert_eq!(got, expected);
    // A wall's map: the provinces only.
    let map: Vec<String> = store
        .latest(&app::store::LatestScope::ProvincesOf("EXPORT_VALUE".into()))
        .await
        .unwrap()
        .observations
        .into_iter()
        .map(|o| o.unit)
        .collect();
    expected.remove("VN");
    assert_eq!(map, expected.into_keys().collect::<Vec<_>>());

    // A screen's layout change takes the next seq and is fed in order with the values.
    let token = app::store::NewToken {
        kind: app::model::auth::TokenKind::Display,
        name: "Phòng họp 1".into(),
        token_hash: "h".repeat(64),
        units: vec![],
        display_id: None,
        sets_targets: false,
        created_by: "test".into(),
        expires_at: None,
    };
    let display = store
        .create_display("Phòng họp 1", &token, &AuditEntry::system("test", "x"))
        .await
        .unwrap();
    let mut config = app::model::display::DisplayConfig::default();
    assert_eq!(
        store.display(display).await.unwrap().unwrap().config,
        config
    );
    config.rotate_seconds = 15;
    assert!(
        store
            .set_display_config(display, &config, &AuditEntry::system("test", "x"))
            .await
            .unwrap()
    );
    assert!(
        !store
            .set_display_config(display + 100, &config, &AuditEntry::system("test", "x"))
            .await
            .unwrap(),
        "no such screen"
    );
    assert_eq!(
        store.display(display).await.unwrap().unwrap().config,
        config
    );
    let feed = store.changes_since(values as i64, 100).await.unwrap();
    let seqs: Vec<i64> = feed.iter().map(app::store::Change::seq).collect();
    assert_eq!(seqs, vec![cpi.seq, cpi.seq + 1]);
    assert!(
        matches!(&feed[1], app::store::Change::Event { topic, .. } if *topic == format!("display:{display}"))
    );

    // The holidays every regime's deadlines skip, as the admin keeps them.
    use app::model::reporting::Holiday;
    let calendar = store.reporting_calendar().await.unwrap();
    assert!(calendar.holidays.is_empty());
    let by = AuditEntry::system("test", "reporting");
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    store
        .set_holiday(day("2026-09-02"), Some("Quốc khánh"), &by)
        .await
        .unwrap();
    store
        .set_holiday(day("2026-01-01"), Some("Tết Dương lịch"), &by)
        .await
        .unwrap();
    store
        .set_holiday(day("2026-09-02"), Some("Lễ Quốc khánh"), &by)
        .await
        .unwrap();
    let calendar = store.reporting_calendar().await.unwrap();
    assert_eq!(
        calendar.holidays,
        vec![
            Holiday {
                day: day("2026-01-01"),
                name: "Tết Dương lịch".into()
            },
            Holiday {
                day: day("2026-09-02"),
                name: "Lễ Quốc khánh".into()
            },
        ],
        "oldest first, renamed in place"
    );
    store
        .set_holiday(day("2026-01-01"), None, &by)
        .await
        .unwrap();
    assert_eq!(store.reporting_calendar().await.unwrap().holidays.len(), 1);

    // The built-in regimes, written by the migration and given their indicators at the first
    // start; then the admin's change and a regime of their own, under which a unit's report for
    // a period lives beside its report under another.
    let codes = |rs: &[app::model::regime::Regime]| -> Vec<String> {
        rs.iter().map(|r| r.code.clone()).collect()
    };
    let built_in = store.regimes().await.unwrap();
    assert_eq!(
        codes(&built_in),
        [
            "KTXH-THANG",
            "KTXH-QUY",
            "KTXH-6THANG",
            "KTXH-NAM",
            "GNDTC-TUAN"
        ]
    );
    assert!(built_in.iter().all(|r| r.indicators.is_empty()));
    assert_eq!(built_in[4].rules.deadline_working_days, 1);
    server::catalogue::ensure_seeded(store.as_ref())
        .await
        .unwrap();
    let mut regimes = store.regimes().await.unwrap();
    let monthly = &regimes[0].indicators;
    assert!(monthly.contains(&"EXPORT_VALUE".to_string()));
    assert!(
        monthly.contains(&"TRADE_BALANCE".to_string()) && !monthly.contains(&"CPI_YOY".to_string()),
        "the forms' indicators (a derived one shown computed), not the nation's own: {monthly:?}"
    );
    assert_eq!(regimes[4].indicators, ["PUBINV_DISBURSED", "PUBINV_PLAN"]);
    regimes[0].rules.cutoff_day = 20;
    let mut own = regimes[0].clone();
    own.code = "THU-NGHIEM".into();
    own.units = vec!["01".into()];
    own.indicators = vec!["RETAIL_SALES".into(), "EXPORT_VALUE".into()];
    store
        .save_regimes(&[regimes[0].clone(), own.clone()], &[], "{}")
        .await
        .unwrap();
    let stored = store.regimes().await.unwrap();
    assert_eq!(stored.len(), 6);
    assert_eq!(stored[0], regimes[0]);
    assert_eq!(stored[5], own, "a new regime goes last, as it was saved");
    let october = Period::parse("2026-10").unwrap();
    let now = chrono::Utc::now();
    for regime in ["KTXH-THANG", "THU-NGHIEM"] {
        let r = app::model::report::Report::new(regime, "01", october, "canbo.hanoi", now);
        store.save_report(&r, 0, &[], &by).await.unwrap();
    }
    let ours = store
        .report("THU-NGHIEM", "01", &october)
        .await
        .unwrap()
        .expect("stored under its regime");
    assert_eq!((ours.regime.as_str(), ours.version), ("THU-NGHIEM", 1));
    let mut states: Vec<String> = store
        .report_states(&october)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.regime)
        .collect();
    states.sort();
    assert_eq!(states, ["KTXH-THANG", "THU-NGHIEM"]);
    let with = store.regimes_with_reports().await.unwrap();
    assert!(with.contains("THU-NGHIEM") && with.contains("KTXH-THANG") && with.len() == 2);

    // A year of months sent again, every other one changed, with two months the seed never
    // had: the store finds every stored value inside the run of periods, not only its ends.
    let year = |from: &str, to: &str| ObservationQuery {
        indicator: Some("CPI_YOY".into()),
        unit: Some("VN".into()),
        from: Some(Period::parse(from).unwrap()),
        to: Some(Period::parse(to).unwrap()),
        ..Default::default()
    };
    let stored = store
        .observations(&year("2025-11", "2026-10"))
        .await
        .unwrap();
    assert_eq!(stored.len(), 12);
    let mut batch: Vec<NewObservation> = stored
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let v = if i % 2 == 1 { o.value + 1.0 } else { o.value };
            value("CPI_YOY", "VN", &o.period.to_string(), v)
        })
        .collect();
    batch.push(value("CPI_YOY", "VN", "2026-11", 3.1));
    batch.push(value("CPI_YOY", "VN", "2026-12", 3.2));
    let outcome = store
        .store_observations(&batch, Source::Api, &AuditEntry::system("test", "x"))
        .await
        .unwrap();
    assert_eq!((outcome.stored, outcome.unchanged), (8, 6));
    let now = store
        .observations(&year("2025-11", "2026-12"))
        .await
        .unwrap();
    let revisions: HashMap<String, i32> = now
        .iter()
        .map(|o| (o.period.to_string(), o.revision))
        .collect();
    for (i, o) in stored.iter().enumerate() {
        let expected = if i % 2 == 1 {
            o.revision + 1
        } else {
            o.revision
        };
        assert_eq!(revisions[&o.period.to_string()], expected, "{}", o.period);
    }
    assert_eq!((revisions["2026-11"], revisions["2026-12"]), (1, 1));

    store.close().await;
}

/// Writers racing each other still get one gap-free sequence.
async fn concurrent_writers_share_one_sequence(store: SharedStore) {
    let catalogue = Catalogue::load();
    store
        .seed_catalogue(&catalogue.units, &catalogue.indicators)
        .await
        .unwrap();
    let start = store.count_observations().await.unwrap();
    let mut tasks = Vec::new();
    for w in 0..6u32 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for b in 0..15u32 {
                let batch: Vec<NewObservation> = (1..=12u32)
                    .map(|m| {
                        value(
                            "BUDGET_REVENUE",
                            &format!("{:02}", [1, 4, 8, 11, 12, 14][w as usize]),
                            &format!("{}-{m:02}", 2000 + b),
                            (w * 1000 + b * 10 + m) as f64,
                        )
                    })
                    .collect();
                store
                    .store_observations(&batch, Source::Api, &AuditEntry::system("test", "x"))
                    .await
                    .unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let all = store
        .observations(&ObservationQuery {
            indicator: Some("BUDGET_REVENUE".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut seqs: Vec<i64> = all.iter().map(|o| o.seq).collect();
    seqs.sort_unstable();
    assert_eq!(seqs.len() as u64, 6 * 15 * 12 + start);
    assert_eq!(
        seqs,
        (1..=seqs.len() as i64).collect::<Vec<_>>(),
        "seqs are 1..N without gaps or repeats"
    );
    store.close().await;
}

/// The catalogue's codes are checked once per batch (migration 0011): a batch naming a code the
/// catalogue lacks is refused whole, even when it reaches the store without the validation in
/// front of it; and a unit or indicator that has values cannot be removed or renamed.
enum Raw {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Raw {
    /// SQL run beside the store, as a person with the database's own tools would.
    async fn execute(&self, sql: &str) -> Result<(), sqlx::Error> {
        match self {
            Raw::Sqlite(p) => sqlx::query(sql).execute(p).await.map(drop),
            Raw::Postgres(p) => sqlx::query(sql).execute(p).await.map(drop),
        }
    }
}

async fn codes_outside_the_catalogue_are_refused(store: SharedStore, raw: Raw) {
    let catalogue = Catalogue::load();
    store
        .seed_catalogue(&catalogue.units, &catalogue.indicators)
        .await
        .unwrap();
    let row = |indicator: &str, unit: &str| value(indicator, unit, "2025-03", 1.5);
    let by = AuditEntry::system("test", "x");
    let seq = store.current_seq().await.unwrap();
    for bad in [row("BUDGET_REVENUE", "99"), row("NO_SUCH_INDICATOR", "01")] {
        let err = store
            .store_observations(&[row("BUDGET_REVENUE", "01"), bad], Source::Api, &by)
            .await
            .expect_err("a code outside the catalogue");
        assert!(
            err.to_string().contains("không có trong danh mục"),
            "named in Vietnamese: {err}"
        );
    }
    assert_eq!(
        store.count_observations().await.unwrap(),
        0,
        "nothing written"
    );
    assert_eq!(store.current_seq().await.unwrap(), seq);

    store
        .store_observations(&[row("BUDGET_REVENUE", "01")], Source::Api, &by)
        .await
        .unwrap();
    for sql in [
        "DELETE FROM units WHERE code = '01'",
        "UPDATE units SET code = '01x' WHERE code = '01'",
        "DELETE FROM indicators WHERE code = 'BUDGET_REVENUE'",
        "UPDATE indicators SET code = 'BUDGET_X' WHERE code = 'BUDGET_REVENUE'",
    ] {
        let err = raw.execute(sql).await.expect_err("a catalogue row in use");
        assert!(err.to_string().contains("đã có số liệu"), "{sql}: {err}");
    }
    assert_eq!(store.count_observations().await.unwrap(), 1);
    store.close().await;
}

async fn codes_outside_the_catalogue_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("codes.db");
    let store = common::open(&DatabaseUrl::Sqlite(path.clone())).await;
    let raw = Raw::Sqlite(
        sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap(),
    );
    codes_outside_the_catalogue_are_refused(store, raw).await;
}

async fn codes_outside_the_catalogue_on_postgres() {
    let pg = TestPg::create("codes").await;
    let raw = Raw::Postgres(sqlx::PgPool::connect(&pg.url).await.unwrap());
    codes_outside_the_catalogue_are_refused(common::open(&pg.database_url()).await, raw).await;
}

/// SQLite's log is folded into the database file by the store's own checkpointer, beside the
/// single writer (which never does it itself): soon after a write, the file holds it.
async fn sqlite_writes_reach_the_database_file_beside_the_writer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fold.db");
    let store = common::open(&DatabaseUrl::Sqlite(path.clone())).await;
    let catalogue = Catalogue::load();
    store
        .seed_catalogue(&catalogue.units, &catalogue.indicators)
        .await
        .unwrap();
    // The seed itself is folded within a second or so; wait for the file to stop growing.
    let size = || std::fs::metadata(&path).unwrap().len();
    let mut before = size();
    for _ in 0..30 {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let now = size();
        if now == before && now > 0 {
            break;
        }
        before = now;
    }
    let provinces: Vec<&str> = catalogue
        .units
        .iter()
        .filter(|u| u.kind == UnitKind::Province)
        .map(|u| u.code.as_str())
        .collect();
    let batch: Vec<NewObservation> = (0..150)
        .flat_map(|m| {
            provinces.iter().map(move |u| {
                let period = format!("{}-{:02}", 2010 + m / 12, m % 12 + 1);
                value("EXPORT_VALUE", u, &period, m as f64)
            })
        })
        .collect();
    store
        .store_observations(&batch, Source::Api, &AuditEntry::system("test", "x"))
        .await
        .unwrap();
    let mut grown = 0;
    for _ in 0..50 {
        grown = size().saturating_sub(before);
        if grown > 256 * 1024 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        grown > 256 * 1024,
        "{} rows written, the database file grew by {grown} bytes in 5 s",
        batch.len()
    );
    store.close().await;
}

async fn storage_story_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::open(&DatabaseUrl::Sqlite(dir.path().join("story.db"))).await;
    story(store).await;
}

async fn storage_story_on_postgres() {
    let pg = TestPg::create("story").await;
    story(common::open(&pg.database_url()).await).await;
}

async fn concurrent_writers_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    concurrent_writers_share_one_sequence(
        common::open(&DatabaseUrl::Sqlite(dir.path().join("c.db"))).await,
    )
    .await;
}

async fn concurrent_writers_on_postgres() {
    let pg = TestPg::create("writers").await;
    concurrent_writers_share_one_sequence(common::open(&pg.database_url()).await).await;
}

/// The national scale's 164 placeholders go in through the catalogue's one path in (checked,
/// audited), once; their demo history reaches back ten years for the communes too, within each
/// indicator's valid range.
async fn the_national_scale_catalogue_goes_in_through_the_catalogue_path() {
    use server::demo_scale::{self, DemoScale};
    let dir = tempfile::tempdir().unwrap();
    let store = common::open(&DatabaseUrl::Sqlite(dir.path().join("n.db"))).await;
    server::catalogue::ensure_seeded(store.as_ref())
        .await
        .unwrap();
    let mut catalogue = Catalogue::load();
    demo_scale::ensure_catalogue(store.as_ref(), &mut catalogue)
        .await
        .unwrap();
    let stored = store.indicators().await.unwrap();
    assert_eq!(stored.len(), 200);
    assert_eq!(catalogue.indicators.len(), 200);
    let placeholder = stored.iter().find(|i| i.code == "GIUCHO_042").unwrap();
    assert!(placeholder.name_vi.starts_with("Chỉ tiêu giữ chỗ 042"));
    assert!(placeholder.is_reported_by(UnitKind::Commune));
    // Again (a restart): nothing new.
    let mut again = Catalogue::load();
    demo_scale::ensure_catalogue(store.as_ref(), &mut again)
        .await
        .unwrap();
    assert_eq!(store.indicators().await.unwrap().len(), 200);
    assert_eq!(again.indicators.len(), 200);

    // A demo already seeded at the standard scale is left as it is.
    let standard_db = common::open(&DatabaseUrl::Sqlite(dir.path().join("s.db"))).await;
    server::catalogue::ensure_seeded(standard_db.as_ref())
        .await
        .unwrap();
    standard_db
        .set_meta(demo::META_KEY, "seed=1 scale=standard")
        .await
        .unwrap();
    let mut kept = Catalogue::load();
    demo_scale::ensure_catalogue(standard_db.as_ref(), &mut kept)
        .await
        .unwrap();
    assert_eq!(standard_db.indicators().await.unwrap().len(), 36);
    assert_eq!(kept.indicators.len(), 36);

    let national = DemoSpec {
        scale: DemoScale::National,
        ..spec()
    };
    let values = demo::generate_indicator(&catalogue, placeholder, &national);
    let communes = catalogue.units_of(UnitKind::Commune).count();
    let early: Vec<_> = values
        .iter()
        .filter(|o| o.unit.len() == 5 && o.period.to_string().as_str() < "2025-07")
        .collect();
    assert!(early.len() > communes * 12, "{}", early.len());
    assert!(
        values
            .iter()
            .all(|o| placeholder.out_of_range(o.value).is_none())
    );
    let standard = demo::generate_indicator(&catalogue, placeholder, &spec());
    assert!(
        !standard
            .iter()
            .any(|o| o.unit.len() == 5 && o.period.to_string().as_str() < "2025-07"),
        "the standard demo's communes start in July 2025"
    );
}

crate::harness::tests![
    tokio the_national_scale_catalogue_goes_in_through_the_catalogue_path,
    tokio codes_outside_the_catalogue_on_sqlite,
    postgres codes_outside_the_catalogue_on_postgres,
    threads(2) sqlite_writes_reach_the_database_file_beside_the_writer,
    tokio storage_story_on_sqlite,
    postgres storage_story_on_postgres,
    threads(4) concurrent_writers_on_sqlite,
    postgres_threads(4) concurrent_writers_on_postgres,
];
