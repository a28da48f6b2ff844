//! The server's clock: the day in Viet Nam on which every date rule is judged (which report is
//! due, which task is overdue, which periods have begun). One clock per server, given to the
//! pages as context and to the ingest path, so that a test can run the whole server on the day
//! its demo was seeded for instead of on whatever day the real calendar says.

use chrono::{DateTime, Duration, NaiveDate, Utc};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    /// Whole days added to the system clock (0 in production).
    offset_days: i64,
}

impl Clock {
    /// The real time.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock on which today in Viet Nam is `day`, at the real time of day, running on from
    /// there (so sessions still expire and a day still turns at midnight).
    pub fn on(day: NaiveDate) -> Clock {
        let real = crate::model::vietnam_time(Utc::now()).date();
        Clock {
            offset_days: (day - real).num_days(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::days(self.offset_days)
    }

    /// Today in Viet Nam (the browser's clock is not the record's).
    pub fn today(&self) -> NaiveDate {
        crate::model::vietnam_time(self.now()).date()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_set_on_a_day_reads_that_day_and_keeps_running() {
        let day = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
        let clock = Clock::on(day);
        assert_eq!(clock.today(), day);
        let a = clock.now();
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(clock.now() > a);
        assert_eq!(
            Clock::system().today(),
            crate::model::vietnam_time(Utc::now()).date()
        );
    }
}
