//! Chế độ báo cáo (Decree 09/2019/NĐ-CP): which days a period's report covers, when it is due,
//! and whether it came in on time. Pure functions of dates, so timeliness is computed the same
//! everywhere and tested with fixed dates.
//!
//! A month's report covers the 15th of the month before to the 14th of the month (the cut-off
//! day is configurable); quarters, halves and years run from the day after the cut-off in the
//! month before their first month to the cut-off day of their last month. The report is due a
//! number of working days after the cut-off (default 2): weekends and public holidays do not
//! count. Weeks and days have no cut-off: they are due the given working days after they end.

use crate::model::{Period, Periodicity, UnitKind};
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A regime's cut-off and deadline (each regime has its own, edited in the catalogue).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReportingRules {
    /// The last day of the month a report covers (14 by the Decree).
    pub cutoff_day: u32,
    /// Working days after the cut-off by which the report is due.
    pub deadline_working_days: u32,
}

impl Default for ReportingRules {
    fn default() -> Self {
        ReportingRules {
            cutoff_day: 14,
            deadline_working_days: 2,
        }
    }
}

/// Public holidays (days off besides weekends), as the admin keeps them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holidays(pub BTreeSet<NaiveDate>);

impl Holidays {
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.0.contains(&d)
    }

    /// The `n`th working day after `d` (`d` itself never counts).
    pub fn working_days_after(&self, d: NaiveDate, n: u32) -> NaiveDate {
        let mut day = d;
        let mut left = n;
        // Holidays are a finite set, so a working day always comes: the loop ends.
        while left > 0 {
            day = day + Days::new(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }
}

/// A public holiday as the admin keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub day: NaiveDate,
    pub name: String,
}

/// Longest holiday name.
pub const MAX_HOLIDAY_NAME: usize = 100;

/// Reads a day from a form, written `YYYY-MM-DD` (the reason in Vietnamese and English).
pub fn parse_day(day: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").map_err(|_| {
        "Ngày nghỉ phải có dạng 2026-09-02. (A day is written 2026-09-02.)".to_string()
    })
}

impl Holiday {
    /// Reads a holiday from a form: a `YYYY-MM-DD` day and a name (reasons in Vietnamese and
    /// English).
    pub fn parse(day: &str, name: &str) -> Result<Holiday, String> {
        let day = parse_day(day)?;
        if !(2000..=2100).contains(&day.year()) {
            return Err("Ngày nghỉ phải trong các năm 2000–2100. (Years 2000–2100 only.)".into());
        }
        let name = name.trim();
        if name.is_empty() {
            return Err("Cần tên ngày nghỉ. (The holiday needs a name.)".into());
        }
        if name.chars().count() > MAX_HOLIDAY_NAME || name.chars().any(char::is_control) {
            return Err(format!(
                "Tên ngày nghỉ tối đa {MAX_HOLIDAY_NAME} ký tự, không có ký tự điều khiển. (At most {MAX_HOLIDAY_NAME} characters, no control characters.)"
            ));
        }
        Ok(Holiday {
            day,
            name: name.to_string(),
        })
    }
}

/// The public holidays, as stored: every regime counts its working days by them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportingCalendar {
    /// Oldest first.
    pub holidays: Vec<Holiday>,
}

impl ReportingCalendar {
    pub fn days_off(&self) -> Holidays {
        Holidays(self.holidays.iter().map(|h| h.day).collect())
    }
}

/// A data set: what one kind of unit reports under one regime (see [`crate::model::regime`]),
/// with the regime's name and rules, so that a period's window and deadline come with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataSet {
    pub regime: String,
    pub name_vi: String,
    pub name_en: String,
    pub kind: UnitKind,
    pub periodicity: Periodicity,
    pub rules: ReportingRules,
    /// Reports are owed when due on or after this day (None: always).
    pub in_force_from: Option<NaiveDate>,
    /// Indicator codes, in the regime's order.
    pub indicators: Vec<String>,
}

impl DataSet {
    /// Whether the report of `period` is asked for at all: due once the regime is in force.
    pub fn asks_for(&self, period: &Period, holidays: &Holidays) -> bool {
        self.in_force_from
            .is_none_or(|from| self.rules.deadline(period, holidays) >= from)
    }

    /// The report of `period` under this data set: its window and deadline.
    pub fn due(&self, period: Period, holidays: &Holidays) -> Due {
        Due {
            regime: self.regime.clone(),
            name_vi: self.name_vi.clone(),
            name_en: self.name_en.clone(),
            periodicity: self.periodicity,
            period,
            window: self.rules.window(&period),
            deadline: self.rules.deadline(&period, holidays),
        }
    }
}

/// One report a unit owes: its regime, its period, the days it covers and its deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub regime: String,
    pub name_vi: String,
    pub name_en: String,
    pub periodicity: Periodicity,
    pub period: Period,
    pub window: (NaiveDate, NaiveDate),
    pub deadline: NaiveDate,
}

/// The reports of `sets` due from `today` to `days` days later, soonest first: for each data
/// set, the period just closed (while its deadline has not passed) and the one being collected.
pub fn due_within(sets: &[DataSet], holidays: &Holidays, today: NaiveDate, days: u64) -> Vec<Due> {
    let last = today + Days::new(days);
    let mut due: Vec<Due> = Vec::new();
    for set in sets {
        let current = set.rules.period_on(set.periodicity, today);
        for period in [current.prev(), current] {
            let d = set.due(period, holidays);
            if d.deadline >= today
                && d.deadline <= last
                && set.asks_for(&period, holidays)
                && !due
                    .iter()
                    .any(|o| o.regime == d.regime && o.period == period)
            {
                due.push(d);
            }
        }
    }
    due.sort_by_key(|d| (d.deadline, d.period.start()));
    due
}

/// The reports of `sets` whose deadline passed within the last year (before `today`), oldest
/// first: what a unit may still owe. A year, because the reports are kept that long on the
/// officer's desk; older gaps are for the unit pages' history.
pub fn past_due(sets: &[DataSet], holidays: &Holidays, today: NaiveDate) -> Vec<Due> {
    let since = today - Months::new(12);
    let mut due: Vec<Due> = Vec::new();
    for set in sets {
        let mut period = set.rules.period_on(set.periodicity, today);
        loop {
            let d = set.due(period, holidays);
            if d.deadline < since || !set.asks_for(&period, holidays) {
                break;
            }
            if d.deadline < today
                && !due
                    .iter()
                    .any(|o| o.regime == d.regime && o.period == period)
            {
                due.push(d);
            }
            period = period.prev();
        }
    }
    due.sort_by_key(|d| (d.deadline, d.period.start()));
    due
}

/// Whether a unit's report for a period came in on time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Not submitted and the deadline has not passed.
    NotDue,
    OnTime,
    Late,
    /// Not submitted and the deadline has passed.
    Missing,
}

impl ReportingRules {
    /// Reads the settings from a form (reasons in Vietnamese and English).
    pub fn parse(cutoff_day: &str, deadline_working_days: &str) -> Result<ReportingRules, String> {
        let cutoff_day = cutoff_day.trim().parse::<u32>().ok().filter(|d| (1..=31).contains(d)).ok_or(
            "Ngày chốt số liệu là một số từ 1 đến 31. (The cut-off day is a number from 1 to 31.)",
        )?;
        let deadline_working_days = deadline_working_days
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|d| *d <= 30)
            .ok_or("Hạn gửi là từ 0 đến 30 ngày làm việc sau ngày chốt. (The deadline is 0 to 30 working days after the cut-off.)")?;
        Ok(ReportingRules {
            cutoff_day,
            deadline_working_days,
        })
    }

    /// The cut-off day in a month (the 14th, or the month's last day when it is shorter).
    fn cutoff_in(&self, year: i32, month: u32) -> NaiveDate {
        let first = NaiveDate::from_ymd_opt(year, month, 1).expect("a valid month");
        let last = (first + Months::new(1)) - Days::new(1);
        NaiveDate::from_ymd_opt(year, month, self.cutoff_day.clamp(1, 31))
            .unwrap_or(last)
            .min(last)
    }

    /// The first and last day a period's report covers.
    pub fn window(&self, p: &Period) -> (NaiveDate, NaiveDate) {
        match p {
            Period::Week(..) | Period::Day(..) => (p.start(), p.end()),
            _ => {
                let last_month = p.end();
                let end = self.cutoff_in(last_month.year(), last_month.month());
                let before = p.start() - Months::new(1);
                let start = self.cutoff_in(before.year(), before.month()) + Days::new(1);
                (start, end)
            }
        }
    }

    /// The reporting period of `periodicity` whose window holds `day` (the one being collected).
    pub fn period_on(&self, periodicity: Periodicity, day: NaiveDate) -> Period {
        match periodicity {
            Periodicity::Daily | Periodicity::Weekly => Period::containing(periodicity, day),
            _ => {
                // Past this month's cut-off, the day belongs to next month's report.
                let month = if day > self.cutoff_in(day.year(), day.month()) {
                    day.with_day(1).expect("the first") + Months::new(1)
                } else {
                    day
                };
                Period::containing(periodicity, month)
            }
        }
    }

    /// The last day the report may be submitted on time.
    pub fn deadline(&self, p: &Period, holidays: &Holidays) -> NaiveDate {
        holidays.working_days_after(self.window(p).1, self.deadline_working_days)
    }

    /// On time, late, missing or not yet due, on `today` (all in Viet Nam's calendar).
    pub fn timeliness(
        &self,
        p: &Period,
        holidays: &Holidays,
        submitted: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Timeliness {
        let deadline = self.deadline(p, holidays);
        match submitted {
            Some(d) if d <= deadline => Timeliness::OnTime,
            Some(_) => Timeliness::Late,
            None if today > deadline => Timeliness::Missing,
            None => Timeliness::NotDue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn p(s: &str) -> Period {
        Period::parse(s).unwrap()
    }
    fn set(regime: &str, periodicity: Periodicity, indicator: &str) -> DataSet {
        DataSet {
            regime: regime.into(),
            name_vi: regime.into(),
            name_en: regime.into(),
            kind: UnitKind::Province,
            periodicity,
            rules: ReportingRules::default(),
            in_force_from: None,
            indicators: vec![indicator.into()],
        }
    }

    #[test]
    fn a_month_runs_from_the_15th_before_to_the_14th() {
        let r = ReportingRules::default();
        assert_eq!(r.window(&p("2026-10")), (d("2026-09-15"), d("2026-10-14")));
        assert_eq!(r.window(&p("2026-01")), (d("2025-12-15"), d("2026-01-14")));
        assert_eq!(r.window(&p("2026-Q3")), (d("2026-06-15"), d("2026-09-14")));
        assert_eq!(r.window(&p("2026-H1")), (d("2025-12-15"), d("2026-06-14")));
        assert_eq!(r.window(&p("2026")), (d("2025-12-15"), d("2026-12-14")));
        // A cut-off past the month's end falls on its last day.
        let late = ReportingRules {
            cutoff_day: 31,
            ..r
        };
        assert_eq!(
            late.window(&p("2026-02")),
            (d("2026-02-01"), d("2026-02-28"))
        );
    }

    #[test]
    fn a_year_of_past_deadlines_oldest_first() {
        let sets = [
            set("THANG", Periodicity::Monthly, "A"),
            set("QUY", Periodicity::Quarterly, "B"),
        ];
        let past = past_due(&sets, &Holidays::default(), d("2026-12-03"));
        let periods: Vec<String> = past.iter().map(|d| d.period.to_string()).collect();
        // November was due on 17 November; December is not due yet; a year back are December
        // 2025's and the fourth quarter's reports (both due 16 December 2025), inside the year.
        assert_eq!(periods[..2], ["2025-Q4", "2025-12"]);
        assert_eq!(periods.last().map(String::as_str), Some("2026-11"));
        assert!(!periods.contains(&"2026-12".to_string()));
        assert!(periods.contains(&"2026-Q3".to_string()));
        assert_eq!(
            past.iter()
                .filter(|d| d.periodicity == Periodicity::Monthly)
                .count(),
            12
        );
        assert!(past.windows(2).all(|w| w[0].deadline <= w[1].deadline));
        // A regime put in force on 1 October asks for nothing due before it.
        let mut new = sets[0].clone();
        new.in_force_from = Some(d("2026-10-01"));
        let past = past_due(&[new], &Holidays::default(), d("2026-12-03"));
        let periods: Vec<String> = past.iter().map(|d| d.period.to_string()).collect();
        assert_eq!(periods, ["2026-10", "2026-11"]);
    }

    #[test]
    fn deadlines_skip_weekends_and_holidays() {
        let r = ReportingRules::default();
        let none = Holidays::default();
        // Cut-off Wednesday 14 October 2026: due Friday the 16th.
        assert_eq!(r.deadline(&p("2026-10"), &none), d("2026-10-16"));
        // Cut-off Friday 14 August 2026: due Tuesday the 18th.
        assert_eq!(r.deadline(&p("2026-08"), &none), d("2026-08-18"));
        // A holiday the day after the cut-off pushes it past the weekend.
        let h = Holidays([d("2026-10-15")].into_iter().collect());
        assert_eq!(r.deadline(&p("2026-10"), &h), d("2026-10-19"));
        // Cut-off Saturday 14 November 2026: Monday and Tuesday count.
        assert_eq!(r.deadline(&p("2026-11"), &none), d("2026-11-17"));
    }

    #[test]
    fn a_day_belongs_to_the_report_whose_window_holds_it() {
        let r = ReportingRules::default();
        assert_eq!(
            r.period_on(Periodicity::Monthly, d("2026-10-14")),
            p("2026-10")
        );
        assert_eq!(
            r.period_on(Periodicity::Monthly, d("2026-10-15")),
            p("2026-11")
        );
        assert_eq!(
            r.period_on(Periodicity::Monthly, d("2026-12-20")),
            p("2027-01")
        );
        assert_eq!(
            r.period_on(Periodicity::Quarterly, d("2026-09-14")),
            p("2026-Q3")
        );
        assert_eq!(
            r.period_on(Periodicity::Quarterly, d("2026-09-15")),
            p("2026-Q4")
        );
        assert_eq!(r.period_on(Periodicity::Yearly, d("2026-12-15")), p("2027"));
    }

    #[test]
    fn what_is_due_this_week() {
        let sets = vec![
            set("THANG", Periodicity::Monthly, "EXPORT_VALUE"),
            set("QUY", Periodicity::Quarterly, "UNEMPLOYMENT"),
        ];
        let none = Holidays::default();
        // Monday 14 September 2026: September's report and the third quarter's close today and
        // are due on Wednesday the 16th; nothing else falls within the week.
        let due = due_within(&sets, &none, d("2026-09-14"), 7);
        let got: Vec<(String, NaiveDate)> = due
            .iter()
            .map(|d| (d.period.to_string(), d.deadline))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2026-Q3".into(), d("2026-09-16")),
                ("2026-09".into(), d("2026-09-16"))
            ]
        );
        // The day after the deadline they are no longer due; a holiday moves the deadline.
        assert!(due_within(&sets, &none, d("2026-09-17"), 7).is_empty());
        let h = Holidays([d("2026-09-15")].into_iter().collect());
        let due = due_within(&sets, &h, d("2026-09-17"), 0);
        assert_eq!(due.len(), 2);
        assert!(
            due.iter()
                .all(|d| d.deadline == NaiveDate::from_ymd_opt(2026, 9, 17).unwrap())
        );
    }

    #[test]
    fn forms_are_read_strictly() {
        assert_eq!(
            ReportingRules::parse(" 14 ", "2"),
            Ok(ReportingRules::default())
        );
        for (c, n) in [
            ("0", "2"),
            ("32", "2"),
            ("x", "2"),
            ("14", "31"),
            ("14", "-1"),
            ("", ""),
        ] {
            assert!(ReportingRules::parse(c, n).is_err(), "{c} {n}");
        }
        let h = Holiday::parse("2026-09-02", " Quốc khánh ").unwrap();
        assert_eq!((h.day, h.name.as_str()), (d("2026-09-02"), "Quốc khánh"));
        assert!(Holiday::parse("02/09/2026", "Quốc khánh").is_err());
        assert!(Holiday::parse("2026-02-30", "x").is_err());
        assert!(Holiday::parse("1900-01-01", "x").is_err());
        assert!(Holiday::parse("2026-09-02", "  ").is_err());
        assert!(Holiday::parse("2026-09-02", &"x".repeat(101)).is_err());
        assert!(Holiday::parse("2026-09-02", "a\u{0}b").is_err());
    }

    #[test]
    fn on_the_deadline_is_on_time_the_day_after_is_late() {
        let r = ReportingRules::default();
        let none = Holidays::default();
        let oct = p("2026-10");
        assert_eq!(
            r.timeliness(&oct, &none, Some(d("2026-10-16")), d("2026-11-01")),
            Timeliness::OnTime
        );
        assert_eq!(
            r.timeliness(&oct, &none, Some(d("2026-10-10")), d("2026-11-01")),
            Timeliness::OnTime
        );
        assert_eq!(
            r.timeliness(&oct, &none, Some(d("2026-10-17")), d("2026-11-01")),
            Timeliness::Late
        );
        assert_eq!(
            r.timeliness(&oct, &none, None, d("2026-10-16")),
            Timeliness::NotDue
        );
        assert_eq!(
            r.timeliness(&oct, &none, None, d("2026-10-17")),
            Timeliness::Missing
        );
    }
}
