//! Kỳ báo cáo: `2026` year, `2026-H1` half, `2026-Q3` quarter, `2026-10` month, `2026-W45` ISO week,
//! `2026-10-05` day. Parsing is strict: every accepted text prints back identically.

use crate::model::i18n::{Lang, MONTHS_EN};
use crate::model::indicator::Periodicity;
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Period {
    Year(i32),
    Half(i32, u8),
    Quarter(i32, u8),
    Month(i32, u32),
    Week(i32, u32),
    Day(NaiveDate),
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "kỳ báo cáo “{0}” không hợp lệ: dùng 2026, 2026-H1, 2026-Q3, 2026-10, 2026-W45 hoặc 2026-10-05 \
     (invalid period)"
)]
pub struct PeriodError(pub String);

const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 2200;

fn num<T: std::str::FromStr>(s: &str, len: usize) -> Option<T> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

impl Period {
    pub fn parse(text: &str) -> Result<Self, PeriodError> {
        let err = || PeriodError(text.to_string());
        let year: i32 = num(text.get(..4).ok_or_else(err)?, 4).ok_or_else(err)?;
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(err());
        }
        let rest = &text[4..];
        let period = if rest.is_empty() {
            Period::Year(year)
        } else if let Some(h) = rest.strip_prefix("-H") {
            match h {
                "1" => Period::Half(year, 1),
                "2" => Period::Half(year, 2),
                _ => return Err(err()),
            }
        } else if let Some(q) = rest.strip_prefix("-Q") {
            match num::<u8>(q, 1) {
                Some(q @ 1..=4) => Period::Quarter(year, q),
                _ => return Err(err()),
            }
        } else if let Some(w) = rest.strip_prefix("-W") {
            let w: u32 = num(w, 2).ok_or_else(err)?;
            NaiveDate::from_isoywd_opt(year, w, Weekday::Mon).ok_or_else(err)?;
            Period::Week(year, w)
        } else if rest.len() == 3 {
            match rest.strip_prefix('-').and_then(|m| num::<u32>(m, 2)) {
                Some(m @ 1..=12) => Period::Month(year, m),
                _ => return Err(err()),
            }
        } else if rest.len() == 6 && rest.as_bytes()[0] == b'-' && rest.as_bytes()[3] == b'-' {
            let m: u32 = num(&rest[1..3], 2).ok_or_else(err)?;
            let d: u32 = num(&rest[4..6], 2).ok_or_else(err)?;
            Period::Day(NaiveDate::from_ymd_opt(year, m, d).ok_or_else(err)?)
        } else {
            return Err(err());
        };
        Ok(period)
    }

    /// Every text [`Period::parse`] accepts and nothing else, as one regular expression (the
    /// same in ECMA-262, Python and Rust): for the OpenAPI document, so that a client generated
    /// from it sends only periods the server takes. The calendar is in it: the leap years that
    /// have a 29 February and the ISO years that have a week 53 are listed by name.
    pub fn pattern() -> String {
        let years = |keep: &dyn Fn(i32) -> bool| {
            (MIN_YEAR..=MAX_YEAR)
                .filter(|y| keep(*y))
                .map(|y| y.to_string())
                .collect::<Vec<_>>()
                .join("|")
        };
        let leap = years(&|y| NaiveDate::from_ymd_opt(y, 2, 29).is_some());
        let long = years(&|y| NaiveDate::from_isoywd_opt(y, 53, Weekday::Mon).is_some());
        let any_year = "(?:19[0-9]{2}|2[01][0-9]{2}|2200)";
        let week = "W(?:0[1-9]|[1-4][0-9]|5[0-2])";
        let month = "(?:0[1-9]|1[0-2])";
        let day = "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])\
                   |(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))";
        format!(
            "^(?:{any_year}(?:-(?:H[12]|Q[1-4]|{week}|{month}|{day}))?\
             |(?:{long})-W53|(?:{leap})-02-29)$"
        )
    }

    /// [`Period::pattern`] without its anchors, to be part of a longer pattern.
    pub fn pattern_within() -> String {
        let whole = Self::pattern();
        whole[1..whole.len() - 1].to_string()
    }

    pub fn periodicity(&self) -> Periodicity {
        match self {
            Period::Year(_) => Periodicity::Yearly,
            Period::Half(..) => Periodicity::HalfYearly,
            Period::Quarter(..) => Periodicity::Quarterly,
            Period::Month(..) => Periodicity::Monthly,
            Period::Week(..) => Periodicity::Weekly,
            Period::Day(_) => Periodicity::Daily,
        }
    }

    /// First calendar day of the period (ISO weeks start on Monday).
    pub fn start(&self) -> NaiveDate {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("validated at parse");
        match *self {
            Period::Year(y) => ymd(y, 1, 1),
            Period::Half(y, h) => ymd(y, if h == 1 { 1 } else { 7 }, 1),
            Period::Quarter(y, q) => ymd(y, (q as u32 - 1) * 3 + 1, 1),
            Period::Month(y, m) => ymd(y, m, 1),
            Period::Week(y, w) => {
                NaiveDate::from_isoywd_opt(y, w, Weekday::Mon).expect("validated at parse")
            }
            Period::Day(d) => d,
        }
    }

    /// Last calendar day of the period.
    pub fn end(&self) -> NaiveDate {
        self.next().start() - Days::new(1)
    }

    /// The period of the same periodicity that contains `date`.
    pub fn containing(periodicity: Periodicity, date: NaiveDate) -> Period {
        let y = date.year();
        match periodicity {
            Periodicity::Yearly => Period::Year(y),
            Periodicity::HalfYearly => Period::Half(y, if date.month() <= 6 { 1 } else { 2 }),
            Periodicity::Quarterly => Period::Quarter(y, ((date.month() - 1) / 3 + 1) as u8),
            Periodicity::Monthly => Period::Month(y, date.month()),
            Periodicity::Weekly => {
                let w = date.iso_week();
                Period::Week(w.year(), w.week())
            }
            Periodicity::Daily => Period::Day(date),
        }
    }

    pub fn next(&self) -> Period {
        match *self {
            Period::Day(d) => Period::Day(d + Days::new(1)),
            Period::Week(..) => {
                Period::containing(Periodicity::Weekly, self.start() + Days::new(7))
            }
            Period::Month(..) => {
                Period::containing(Periodicity::Monthly, self.start() + Months::new(1))
            }
            Period::Quarter(..) => {
                Period::containing(Periodicity::Quarterly, self.start() + Months::new(3))
            }
            Period::Half(..) => {
                Period::containing(Periodicity::HalfYearly, self.start() + Months::new(6))
            }
            Period::Year(y) => Period::Year(y + 1),
        }
    }

    pub fn prev(&self) -> Period {
        Period::containing(self.periodicity(), self.start() - Days::new(1))
    }

    /// The same period one year earlier (for "same period last year" comparisons).
    pub fn year_ago(&self) -> Period {
        match *self {
            Period::Week(y, w) => Period::Week(y - 1, w.min(52)),
            Period::Day(d) => Period::Day(d - Months::new(12)),
            Period::Month(y, m) => Period::Month(y - 1, m),
            Period::Quarter(y, q) => Period::Quarter(y - 1, q),
            Period::Half(y, h) => Period::Half(y - 1, h),
            Period::Year(y) => Period::Year(y - 1),
        }
    }

    /// Vietnamese label as officials write it: "Tháng 10/2026", "Quý III/2026".
    pub fn label_vi(&self) -> String {
        match *self {
            Period::Year(y) => format!("Năm {y}"),
            Period::Half(y, 1) => format!("6 tháng đầu năm {y}"),
            Period::Half(y, _) => format!("6 tháng cuối năm {y}"),
            Period::Quarter(y, q) => {
                format!("Quý {}/{y}", ["I", "II", "III", "IV"][q as usize - 1])
            }
            Period::Month(y, m) => format!("Tháng {m}/{y}"),
            Period::Week(y, w) => format!("Tuần {w}/{y}"),
            Period::Day(d) => Lang::Vi.date(d),
        }
    }

    /// English label: "Oct 2026", "Q3 2026".
    pub fn label_en(&self) -> String {
        match *self {
            Period::Year(y) => format!("{y}"),
            Period::Half(y, h) => format!("H{h} {y}"),
            Period::Quarter(y, q) => format!("Q{q} {y}"),
            Period::Month(y, m) => format!("{} {y}", MONTHS_EN[(m as usize).clamp(1, 12) - 1]),
            Period::Week(y, w) => format!("Week {w}, {y}"),
            Period::Day(d) => Lang::En.date(d),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Half(y, h) => write!(f, "{y}-H{h}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
            Period::Week(y, w) => write!(f, "{y}-W{w:02}"),
            Period::Day(d) => write!(f, "{}-{:02}-{:02}", d.year(), d.month(), d.day()),
        }
    }
}

impl std::str::FromStr for Period {
    type Err = PeriodError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::parse(s)
    }
}

impl TryFrom<String> for Period {
    type Error = PeriodError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Period::parse(&s)
    }
}

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pattern of the OpenAPI document and the parser agree on every candidate text of
    /// every year around the accepted range: a period the document allows is one the server
    /// takes, and one it refuses is outside the document.
    #[test]
    fn the_documented_pattern_is_exactly_what_parses() {
        let re = regex::Regex::new(&Period::pattern()).unwrap();
        let mut checked = 0;
        for y in (MIN_YEAR - 5)..=(MAX_YEAR + 5) {
            let mut texts = vec![format!("{y}"), format!("{y}-"), format!("{y}-W5")];
            texts.extend((0..=3).map(|h| format!("{y}-H{h}")));
            texts.extend((0..=5).map(|q| format!("{y}-Q{q}")));
            texts.extend((0..=54).map(|w| format!("{y}-W{w:02}")));
            for m in 0..=13 {
                texts.push(format!("{y}-{m:02}"));
                texts.extend((0..=32).map(|d| format!("{y}-{m:02}-{d:02}")));
            }
            for text in texts {
                assert_eq!(
                    re.is_match(&text),
                    Period::parse(&text).is_ok(),
                    "pattern and parser disagree on {text}"
                );
                checked += 1;
            }
        }
        assert!(checked > 150_000);
        for odd in [
            "",
            "0000",
            "2026-1",
            "2026-010",
            " 2026",
            "2026 ",
            "2026-10-5",
            "２０２６",
        ] {
            assert!(!re.is_match(odd), "{odd:?}");
            assert!(Period::parse(odd).is_err(), "{odd:?}");
        }
    }

    #[test]
    fn every_form_parses_and_prints_back() {
        for text in [
            "2026",
            "2026-H1",
            "2026-H2",
            "2026-Q3",
            "2026-10",
            "2026-W45",
            "2026-10-05",
            "2020-W53",
        ] {
            assert_eq!(Period::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn malformed_periods_are_refused() {
        for bad in [
            "",
            "26",
            "2026-",
            "2026-13",
            "2026-00",
            "2026-Q5",
            "2026-Q0",
            "2026-H3",
            "2026-W54",
            "2026-W00",
            "2025-W53",
            "2026-02-30",
            "2026-1",
            "2026-W5",
            "2026-10-5",
            "20261005",
            "２０２６",
            "2026-10-05T00:00",
            " 2026",
            "2026-q3",
            "1800",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn next_and_prev_walk_across_year_ends() {
        assert_eq!(
            Period::parse("2026-12").unwrap().next().to_string(),
            "2027-01"
        );
        assert_eq!(
            Period::parse("2026-01").unwrap().prev().to_string(),
            "2025-12"
        );
        assert_eq!(
            Period::parse("2026-Q1").unwrap().prev().to_string(),
            "2025-Q4"
        );
        assert_eq!(
            Period::parse("2020-W53").unwrap().next().to_string(),
            "2021-W01"
        );
        assert_eq!(
            Period::parse("2021-W01").unwrap().prev().to_string(),
            "2020-W53"
        );
        assert_eq!(
            Period::parse("2024-03-01").unwrap().prev().to_string(),
            "2024-02-29"
        );
        assert_eq!(
            Period::parse("2026-H2").unwrap().next().to_string(),
            "2027-H1"
        );
    }

    #[test]
    fn bounds_are_calendar_days() {
        let q = Period::parse("2026-Q3").unwrap();
        assert_eq!(q.start().to_string(), "2026-07-01");
        assert_eq!(q.end().to_string(), "2026-09-30");
        let w = Period::parse("2026-W01").unwrap();
        assert_eq!(w.start().to_string(), "2025-12-29");
    }

    #[test]
    fn labels_read_as_officials_write_them() {
        assert_eq!(Period::parse("2026-Q3").unwrap().label_vi(), "Quý III/2026");
        assert_eq!(
            Period::parse("2026-10").unwrap().label_vi(),
            "Tháng 10/2026"
        );
        assert_eq!(
            Period::parse("2026-10-05").unwrap().label_vi(),
            "05/10/2026"
        );
    }
}
