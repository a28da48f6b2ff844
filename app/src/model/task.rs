//! Nhiệm vụ: the status of a task the Government assigned, by the Government's own classification
//! (Decision 42/2014/QĐ-TTg, amended by 23/2018/QĐ-TTg). It is computed from dates, never typed
//! by hand: a task is *not yet due* (in progress, or done early) or *due* (done on time, done
//! late, or overdue). An extension granted by the secretariat moves the deadline.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The class of a task on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskClass {
    /// Not yet due, not done.
    InProgress,
    /// Not yet due, done.
    DoneEarly,
    /// Due, done on or before the deadline.
    DoneOnTime,
    /// Due, done after the deadline.
    DoneLate,
    /// Due, not done.
    Overdue,
}

impl TaskClass {
    pub const ALL: [TaskClass; 5] = [
        TaskClass::InProgress,
        TaskClass::DoneEarly,
        TaskClass::DoneOnTime,
        TaskClass::DoneLate,
        TaskClass::Overdue,
    ];

    pub fn label_vi(self) -> &'static str {
        match self {
            TaskClass::InProgress => "Chưa đến hạn, đang thực hiện",
            TaskClass::DoneEarly => "Chưa đến hạn, đã hoàn thành",
            TaskClass::DoneOnTime => "Đến hạn, hoàn thành đúng hạn",
            TaskClass::DoneLate => "Đến hạn, hoàn thành quá hạn",
            TaskClass::Overdue => "Quá hạn, chưa hoàn thành",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            TaskClass::InProgress => "Not yet due, in progress",
            TaskClass::DoneEarly => "Not yet due, done early",
            TaskClass::DoneOnTime => "Due, done on time",
            TaskClass::DoneLate => "Due, done late",
            TaskClass::Overdue => "Overdue, not done",
        }
    }

    /// Whether the task counts as due on that day (its deadline has come).
    pub fn is_due(self) -> bool {
        !matches!(self, TaskClass::InProgress | TaskClass::DoneEarly)
    }
}

/// The dates that decide a task's class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskDates {
    /// The deadline as assigned; `None` for a task without one (never due).
    pub deadline: Option<NaiveDate>,
    /// The deadline of the last extension granted, if any (it replaces the assigned one).
    pub extended_to: Option<NaiveDate>,
    /// The day the lead unit reported it done (Viet Nam's calendar).
    pub done_on: Option<NaiveDate>,
}

impl TaskDates {
    /// The deadline in force: the granted extension's, else the assigned one.
    pub fn deadline_in_force(&self) -> Option<NaiveDate> {
        self.extended_to.or(self.deadline)
    }

    /// The class on `today`. The deadline day belongs to the task: done that day is on time,
    /// and a task not done becomes overdue only the day after.
    pub fn class_on(&self, today: NaiveDate) -> TaskClass {
        let deadline = self.deadline_in_force();
        // Done after `today` is not known on `today`: judge by what was known then.
        match self.done_on.filter(|d| *d <= today) {
            Some(done) => match deadline {
                Some(dl) if today >= dl && done <= dl => TaskClass::DoneOnTime,
                Some(dl) if today >= dl => TaskClass::DoneLate,
                _ => TaskClass::DoneEarly,
            },
            None => match deadline {
                Some(dl) if today > dl => TaskClass::Overdue,
                _ => TaskClass::InProgress,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn task(deadline: Option<&str>, extended: Option<&str>, done: Option<&str>) -> TaskDates {
        TaskDates {
            deadline: deadline.map(d),
            extended_to: extended.map(d),
            done_on: done.map(d),
        }
    }

    #[test]
    fn done_on_the_deadline_day_is_on_time_and_the_day_after_is_late() {
        let on_the_day = task(Some("2026-11-20"), None, Some("2026-11-20"));
        assert_eq!(on_the_day.class_on(d("2026-11-20")), TaskClass::DoneOnTime);
        assert_eq!(on_the_day.class_on(d("2026-11-21")), TaskClass::DoneOnTime);
        // Done before the deadline, looked at before it: early; after it: on time.
        let early = task(Some("2026-11-20"), None, Some("2026-11-10"));
        assert_eq!(early.class_on(d("2026-11-15")), TaskClass::DoneEarly);
        assert_eq!(early.class_on(d("2026-11-30")), TaskClass::DoneOnTime);
        let day_after = task(Some("2026-11-20"), None, Some("2026-11-21"));
        assert_eq!(day_after.class_on(d("2026-11-21")), TaskClass::DoneLate);
        assert_eq!(day_after.class_on(d("2027-01-01")), TaskClass::DoneLate);
    }

    #[test]
    fn not_done_is_in_progress_until_the_deadline_then_overdue() {
        let t = task(Some("2026-11-20"), None, None);
        assert_eq!(t.class_on(d("2026-11-20")), TaskClass::InProgress);
        assert_eq!(t.class_on(d("2026-11-21")), TaskClass::Overdue);
        assert!(TaskClass::Overdue.is_due() && !TaskClass::InProgress.is_due());
        // A task without a deadline is never due.
        let open = task(None, None, None);
        assert_eq!(open.class_on(d("2030-01-01")), TaskClass::InProgress);
        assert_eq!(
            task(None, None, Some("2026-11-01")).class_on(d("2030-01-01")),
            TaskClass::DoneEarly
        );
    }

    #[test]
    fn a_granted_extension_moves_the_deadline() {
        let t = task(Some("2026-11-20"), Some("2026-12-05"), None);
        assert_eq!(t.class_on(d("2026-11-25")), TaskClass::InProgress);
        assert_eq!(t.class_on(d("2026-12-06")), TaskClass::Overdue);
        let done = task(Some("2026-11-20"), Some("2026-12-05"), Some("2026-12-01"));
        assert_eq!(done.class_on(d("2026-12-10")), TaskClass::DoneOnTime);
    }

    #[test]
    fn a_day_in_the_past_is_judged_by_what_was_known_then() {
        let t = task(Some("2026-11-20"), None, Some("2026-11-25"));
        assert_eq!(t.class_on(d("2026-11-22")), TaskClass::Overdue);
        assert_eq!(t.class_on(d("2026-11-25")), TaskClass::DoneLate);
    }
}
