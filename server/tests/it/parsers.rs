//! Property tests of the ingest parsers and rules: any body, CSV or JSON, is answered without a
//! panic; a well-formed batch reads back field for field; the rules accept a row only with
//! known codes, a valid period and a finite value.

use app::model::ingest::{RawRow, validate};
use app::model::{Indicator, Unit};
use proptest::prelude::*;
use server::catalogue::Catalogue;
use server::ingest::{parse_csv, parse_json};
use std::collections::HashMap;

type Codes<T> = HashMap<String, T>;

static CATALOGUE: std::sync::LazyLock<(Codes<Indicator>, Codes<Unit>)> =
    std::sync::LazyLock::new(|| {
        let c = Catalogue::load();
        (
            c.indicators
                .iter()
                .map(|i| (i.code.clone(), i.clone()))
                .collect(),
            c.units
                .iter()
                .map(|u| (u.code.clone(), u.clone()))
                .collect(),
        )
    });

/// A cell as people and spreadsheets write them: commas, quotes, line breaks, Vietnamese.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Z_0-9]{0,12}",
        "[0-9]{4}-[0-9]{2}",
        "[ -~]{0,20}",
        "[ạảấầẩẫậăắằẳẵặđêếềểễệôốồổỗộơớờởỡợưứừửữự,\"\n ]{0,12}",
    ]
}

fn row() -> impl Strategy<Value = (String, String, String, f64, String)> {
    (cell(), cell(), cell(), -1e12f64..1e12, cell())
}

fn fields(r: &Result<RawRow, String>) -> (String, String, String, f64, Option<String>) {
    let r = r.as_ref().expect("a well-formed row");
    (
        r.indicator.clone().unwrap(),
        r.unit.clone().unwrap(),
        r.period.clone().unwrap(),
        r.value.clone().unwrap(),
        r.note.clone().unwrap(),
    )
}

/// What the CSV reader makes of a cell: trimmed, and an empty required cell is missing.
fn csv_cell(text: &str, name: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        Err(format!("thiếu “{name}” (missing)"))
    } else {
        Ok(t.to_string())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    fn any_body_is_answered_without_panicking(body in prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..400),
        "[a-z_,\"\n0-9.\\-]{0,200}".prop_map(String::into_bytes),
        "\\{\"observations\":\\[(\\{\"[a-z_]{1,10}\":(\"[^\"]{0,8}\"|[0-9e.\\-]{1,30}|null|\\[\\]|\\{\\}),?\\},?){0,4}\\]\\}".prop_map(String::into_bytes),
    ]) {
        let _ = parse_csv(&body);
        let _ = parse_json(&body);
    }

    fn a_well_formed_csv_batch_reads_back_field_for_field(rows in proptest::collection::vec(row(), 1..20)) {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["indicator", "unit", "period", "value", "note"]).unwrap();
        for (i, u, p, v, n) in &rows {
            w.write_record([i.as_str(), u.as_str(), p.as_str(), &v.to_string(), n.as_str()]).unwrap();
        }
        let body = w.into_inner().unwrap();
        let parsed = parse_csv(&body).unwrap();
        prop_assert_eq!(parsed.len(), rows.len());
        for (got, (i, u, p, v, n)) in parsed.iter().zip(&rows) {
            let got = got.as_ref().expect("a readable line");
            prop_assert_eq!(&got.indicator, &csv_cell(i, "indicator"));
            prop_assert_eq!(&got.unit, &csv_cell(u, "unit"));
            prop_assert_eq!(&got.period, &csv_cell(p, "period"));
            prop_assert_eq!(&got.value, &Ok(*v));
            prop_assert_eq!(&got.note, &Ok(Some(n.trim().to_string()).filter(|n| !n.is_empty())));
        }
    }

    fn a_well_formed_json_batch_reads_back_field_for_field(rows in proptest::collection::vec(row(), 1..20)) {
        let doc = serde_json::json!({"observations": rows.iter().map(|(i, u, p, v, n)| serde_json::json!({
            "indicator": i, "unit": u, "period": p, "value": v, "note": n
        })).collect::<Vec<_>>()});
        let parsed = parse_json(doc.to_string().as_bytes()).unwrap();
        for (got, (i, u, p, v, n)) in parsed.iter().zip(&rows) {
            // Codes and periods are trimmed; a note is kept as sent (the rules trim it later).
            let t = |s: &String| s.trim().to_string();
            prop_assert_eq!(fields(got), (t(i), t(u), t(p), *v, Some(n.clone())));
        }
    }

    fn the_rules_accept_only_known_codes_valid_periods_and_finite_values(
        rows in proptest::collection::vec((
            prop_oneof![Just("EXPORT_VALUE".to_string()), Just("CPI_YOY".to_string()), cell()],
            prop_oneof![Just("01".to_string()), Just("79".to_string()), Just("BTC".to_string()), cell()],
            prop_oneof!["20[0-2][0-9]-(0[1-9]|1[0-2])", cell()],
            prop_oneof![-1e9f64..1e9, Just(f64::NAN), Just(f64::INFINITY)],
        ), 1..8)
    ) {
        let (indicators, units) = &*CATALOGUE;
        let raw: Vec<Result<RawRow, String>> = rows.iter().map(|(i, u, p, v)| Ok(RawRow {
            indicator: Ok(i.clone()), unit: Ok(u.clone()), period: Ok(p.clone()), value: Ok(*v),
            note: Ok(None), source_ref: Ok(None),
        })).collect();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        if let Ok(batch) = validate(&raw, indicators, units, today, |_| true) {
            prop_assert_eq!(batch.len(), rows.len(), "all or nothing");
            for o in &batch {
                prop_assert!(indicators.contains_key(&o.indicator));
                prop_assert!(units.contains_key(&o.unit));
                prop_assert!(o.value.is_finite());
                prop_assert!(o.period.start() <= today, "no value for a period that has not begun");
            }
        }
    }
}

crate::harness::tests![
    plain any_body_is_answered_without_panicking,
    plain a_well_formed_csv_batch_reads_back_field_for_field,
    plain a_well_formed_json_batch_reads_back_field_for_field,
    plain the_rules_accept_only_known_codes_valid_periods_and_finite_values,
];
