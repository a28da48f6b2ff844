//! Lũy kế: a figure counted over the year (exports, revenue, FDI, visitors) summed from the
//! year's first period to its latest, against the same periods of last year, as Vietnamese
//! reports say it ("lũy kế 10 tháng năm 2026, tăng 5,2% so với cùng kỳ"). One rule for the
//! cards, the wall, the scorecard, the standing judged on it and the open data.

use crate::model::i18n::Lang;
use crate::model::target::{periods_of_year, year_of};
use crate::model::view::{Change, Point};
use crate::model::{ChangeKind, Indicator, Period, Periodicity};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearToDate {
    /// The latest period summed.
    pub latest: Period,
    pub sum: f64,
    /// The same periods of last year, summed; None unless last year has every one of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_year: Option<f64>,
}

impl YearToDate {
    /// The year to date of `year` in `series` (any order). None until the year has a value, or
    /// while a period between the year's first and its latest is missing: a sum with a hole in
    /// it would read as a fall.
    pub fn of(series: &[Point], year: i32) -> Option<YearToDate> {
        let value_at = |p: Period| series.iter().find(|x| x.period == p).map(|x| x.value);
        let latest = series
            .iter()
            .filter(|p| year_of(&p.period) == year)
            .map(|p| p.period)
            .max()?;
        let upto: Vec<Period> = periods_of_year(latest.periodicity(), year)
            .into_iter()
            .take_while(|p| *p <= latest)
            .collect();
        let sum: f64 = upto.iter().map(|p| value_at(*p)).sum::<Option<f64>>()?;
        let last_year = upto.iter().map(|p| value_at(p.year_ago())).sum();
        Some(YearToDate {
            latest,
            sum,
            last_year,
        })
    }

    /// Whether `indicator` has a year to date: counted over the year and reported more often
    /// than yearly.
    pub fn counts(indicator: &Indicator) -> bool {
        indicator.year_total && indicator.periodicity != Periodicity::Yearly
    }

    /// The year to date a card shows: of the latest value's year.
    pub fn latest_of(indicator: &Indicator, series: &[Point]) -> Option<YearToDate> {
        if !YearToDate::counts(indicator) {
            return None;
        }
        let latest = series.iter().map(|p| p.period).max()?;
        YearToDate::of(series, year_of(&latest))
    }

    /// The change on the same periods of last year, in per cent (as such reports give it).
    pub fn change(&self) -> Option<Change> {
        Change::between(ChangeKind::Percent, self.sum, self.last_year?)
    }

    /// "+5,2%".
    pub fn change_text(&self, lang: Lang) -> Option<String> {
        Some(format!("{}%", lang.signed(self.change()?.amount, 1)))
    }

    /// "Lũy kế 10 tháng: 1.234,5 (+5,2%)": a wall tile's one line, under a value that names
    /// the measure and the year.
    pub fn short(&self, lang: Lang, decimals: u8) -> String {
        let count = self.count();
        let head = match (self.latest, lang) {
            (Period::Month(..), Lang::Vi) => format!("Lũy kế {count} tháng"),
            (Period::Quarter(..), Lang::Vi) => format!("Lũy kế {count} quý"),
            (p, Lang::Vi) => format!("Lũy kế đến {}", p.label_vi()),
            (_, Lang::En) => "Year to date".to_string(),
        };
        let change = self
            .change_text(lang)
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        format!("{head}: {}{change}", lang.number(self.sum, decimals))
    }

    /// How many periods of the year are summed.
    fn count(&self) -> usize {
        periods_of_year(self.latest.periodicity(), year_of(&self.latest))
            .iter()
            .take_while(|p| **p <= self.latest)
            .count()
    }

    /// "Lũy kế 10 tháng năm 2026: 1.234,5 tỷ USD (+5,2% so với cùng kỳ)", in `measure` (the
    /// indicator's, in `lang`).
    pub fn text(&self, lang: Lang, decimals: u8, measure: &str) -> String {
        let year = year_of(&self.latest);
        let count = self.count();
        let s = if count == 1 { "" } else { "s" };
        let head = match (self.latest, lang) {
            (Period::Month(..), Lang::Vi) => format!("Lũy kế {count} tháng năm {year}"),
            (Period::Month(..), Lang::En) => format!("Year to date, {count} month{s} of {year}"),
            (Period::Quarter(..), Lang::Vi) => format!("Lũy kế {count} quý năm {year}"),
            (Period::Quarter(..), Lang::En) => {
                format!("Year to date, {count} quarter{s} of {year}")
            }
            (p, Lang::Vi) => format!("Lũy kế đến {}", p.label_vi()),
            (p, Lang::En) => format!("Year to date to {}", p.label_en()),
        };
        let change = self
            .change_text(lang)
            .map(|c| {
                format!(
                    " ({c} {})",
                    lang.pick("so với cùng kỳ", "on the same period last year")
                )
            })
            .unwrap_or_default();
        format!(
            "{head}: {} {measure}{change}",
            lang.number(self.sum, decimals)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(p: &str, v: f64) -> Point {
        Point {
            period: Period::parse(p).unwrap(),
            value: v,
            simulated: false,
            outlier: false,
        }
    }

    fn exports() -> Indicator {
        Indicator {
            code: "EXPORT_VALUE".into(),
            name_vi: "Kim ngạch xuất khẩu".into(),
            name_en: "Exports".into(),
            measure_vi: "tỷ USD".into(),
            measure: "USD bn".into(),
            decimals: 1,
            year_total: true,
            ..Default::default()
        }
    }

    #[test]
    fn the_year_to_date_is_set_against_the_same_months_of_last_year() {
        let series = [
            point("2025-01", 5.0),
            point("2025-02", 6.0),
            point("2025-03", 100.0),
            point("2026-02", 8.0),
            point("2026-01", 7.0),
        ];
        let y = YearToDate::latest_of(&exports(), &series).unwrap();
        assert_eq!(y.latest, Period::parse("2026-02").unwrap());
        assert_eq!((y.sum, y.last_year), (15.0, Some(11.0)));
        assert_eq!(
            y.text(Lang::Vi, 1, "tỷ USD"),
            "Lũy kế 2 tháng năm 2026: 15,0 tỷ USD (+36,4% so với cùng kỳ)"
        );
        assert_eq!(
            y.text(Lang::En, 1, "USD bn"),
            "Year to date, 2 months of 2026: 15.0 USD bn (+36.4% on the same period last year)"
        );
        assert_eq!(y.short(Lang::Vi, 1), "Lũy kế 2 tháng: 15,0 (+36,4%)");
        // A month missing last year: no comparison rather than a wrong one.
        let y = YearToDate::of(&series[1..], 2026).unwrap();
        assert_eq!(y.last_year, None);
        assert!(!y.text(Lang::Vi, 1, "tỷ USD").contains("cùng kỳ"));
    }

    #[test]
    fn a_year_with_a_hole_has_no_year_to_date() {
        let series = [point("2026-01", 7.0), point("2026-03", 8.0)];
        assert_eq!(YearToDate::of(&series, 2026), None);
        assert_eq!(YearToDate::of(&series, 2025), None);
    }

    #[test]
    fn only_a_figure_counted_over_the_year_has_one() {
        let series = [point("2026-Q1", 7.0), point("2026-Q2", 8.0)];
        let y = YearToDate::latest_of(&exports(), &series).unwrap();
        assert_eq!(
            y.text(Lang::Vi, 1, "tỷ USD"),
            "Lũy kế 2 quý năm 2026: 15,0 tỷ USD"
        );
        let rate = Indicator {
            year_total: false,
            ..exports()
        };
        assert_eq!(YearToDate::latest_of(&rate, &series), None);
    }
}
