//! Property tests of the parsers that read text from outside (a period in a URL, a CSV cell or
//! an API row; a topic or message from a WebSocket client): whatever arrives, they answer
//! without panicking, and what they accept means one thing only.

use app::model::Period;
use app::model::indicator::Periodicity;
use app::model::live::{ClientMessage, Topic};
use proptest::prelude::*;

/// Texts near the period grammar, so that most cases get past the first character.
fn period_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9]{1,5}",
        "[0-9]{4}-[HQWhqw]?[0-9]{1,3}",
        "[0-9]{4}-[0-9]{1,2}-[0-9]{1,3}",
        "[0-9]{4}-[0-9]{2}[ \\-/+0-9a-z\u{0300}]{0,3}",
    ]
}

fn any_period() -> impl Strategy<Value = Period> {
    let year = 1900i32..=2199;
    prop_oneof![
        year.clone().prop_map(Period::Year),
        (year.clone(), 1u8..=2).prop_map(|(y, h)| Period::Half(y, h)),
        (year.clone(), 1u8..=4).prop_map(|(y, q)| Period::Quarter(y, q)),
        (year.clone(), 1u32..=12).prop_map(|(y, m)| Period::Month(y, m)),
        (year.clone(), 0u32..(300 * 366)).prop_map(|(_, d)| {
            let day =
                chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Days::new(d as u64);
            Period::containing(Periodicity::Weekly, day)
        }),
        (0u32..(300 * 366)).prop_map(|d| Period::Day(
            chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Days::new(d as u64)
        )),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn a_period_is_read_back_exactly_as_written_or_refused_by_name(text in period_like()) {
        match Period::parse(&text) {
            Ok(p) => {
                prop_assert_eq!(p.to_string(), text.clone());
                prop_assert!(p.start() <= p.end());
                prop_assert_eq!(Period::containing(p.periodicity(), p.start()), p);
                prop_assert_eq!(Period::containing(p.periodicity(), p.end()), p);
            }
            Err(e) => prop_assert!(e.to_string().contains("không hợp lệ")),
        }
    }

    #[test]
    fn every_period_prints_to_text_that_parses_to_it_and_periods_tile_time(p in any_period()) {
        prop_assert_eq!(Period::parse(&p.to_string()), Ok(p));
        prop_assert_eq!(p.next().prev(), p);
        prop_assert_eq!(p.next().start(), p.end() + chrono::Days::new(1));
    }

    #[test]
    fn a_topic_is_accepted_only_in_its_one_spelling(text in prop_oneof![
        any::<String>(),
        "(unit|indicator|display|overview|tasks|alerts|reports)(:[A-Za-z0-9_\\-]{0,70})?",
    ]) {
        match Topic::parse(&text) {
            Ok(t) => prop_assert_eq!(t.to_string(), text),
            Err(e) => {
                prop_assert!(e.chars().count() < 400, "a bounded message, whatever came in");
            }
        }
    }

    #[test]
    fn any_client_message_is_read_or_refused_without_panicking(text in prop_oneof![
        any::<String>(),
        r#"\{"type":"(subscribe|unsubscribe|x)","topics":\[("[a-z:0-9]{0,12}",?){0,3}\](,"since":-?[0-9]{0,20})?\}"#,
    ]) {
        if let Ok(m) = serde_json::from_str::<ClientMessage>(&text) {
            // What was accepted means the same after a round trip.
            let again: ClientMessage = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
            prop_assert_eq!(again, m);
        }
    }
}
