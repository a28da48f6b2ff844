//! What a monthly brief says. Every figure carries its period, its source and whether it is
//! simulated; the whole is read at one seq, so composing it again from that seq gives the
//! same figures whatever was revised since.

use crate::model::contribution::Contributions;
use crate::model::report::Completeness;
use crate::model::target::{Goal, Standing};
use crate::model::task::TaskClass;
use crate::model::year_to_date::YearToDate;
use crate::model::{Period, Source};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The brief of one month, for the regular meeting that reviews it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Brief {
    /// The month reviewed (a monthly period).
    pub month: Period,
    /// The values are those committed up to this seq.
    pub seq: i64,
    pub composed_at: DateTime<Utc>,
    /// The day reports, requests and tasks are judged on (Viet Nam's calendar): the meeting's
    /// day when it is still ahead, else the day the brief was composed.
    pub judged_on: NaiveDate,
    pub meeting: Option<BriefMeeting>,
    /// Some value in it is simulated (the demo country).
    pub simulated: bool,
    /// The nation's figures of the month, in catalogue order.
    pub figures: Vec<Figure>,
    /// Units off track or at risk against their targets, worst first.
    pub off_track: Vec<OffTrack>,
    /// What moved the main national figures: the provinces' parts of the change.
    pub movers: Vec<Contributions>,
    /// The provinces' and ministries' reports of the latest period due, per regime.
    pub reporting: Vec<Completeness>,
    pub explanations: Vec<ExplanationLine>,
    pub tasks: TaskPart,
}

/// The meeting a brief is for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BriefMeeting {
    pub id: i64,
    pub title: String,
    pub starts_at: chrono::NaiveDateTime,
    pub place: String,
    pub chair: String,
}

/// One national figure of the month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub indicator: String,
    pub name_vi: String,
    pub name_en: String,
    pub measure_vi: String,
    pub measure_en: String,
    pub decimals: u8,
    /// How its changes are said (per cent, points, difference), as the screens say them.
    pub change: crate::model::indicator::ChangeKind,
    pub field: crate::model::indicator::Field,
    /// The latest period ending within the month reviewed (a quarter's figure in November is
    /// the third quarter's).
    pub period: Period,
    pub value: f64,
    pub source: Source,
    pub simulated: bool,
    /// The period before, for the change.
    pub previous: Option<(Period, f64)>,
    /// The same period a year earlier.
    pub year_ago: Option<f64>,
    pub year_to_date: Option<YearToDate>,
    pub target: Option<Goal>,
    pub standing: Option<Standing>,
    /// What the standing rests on, Vietnamese then English.
    pub basis: Option<(String, String)>,
    /// The last values up to `period`, oldest first: the small chart.
    pub points: Vec<(Period, f64)>,
}

/// A unit off track or at risk on one figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OffTrack {
    pub indicator: String,
    pub indicator_vi: String,
    pub indicator_en: String,
    pub unit: String,
    pub unit_vi: String,
    pub unit_en: Option<String>,
    pub kind: crate::model::UnitKind,
    pub standing: Standing,
    pub decimals: u8,
    pub value: Option<f64>,
    pub period: Option<Period>,
    pub basis: (String, String),
}

/// An explanation request on the record at the brief's seq.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplanationLine {
    pub id: i64,
    pub indicator: String,
    pub indicator_vi: String,
    pub indicator_en: String,
    pub unit_vi: String,
    pub period: Period,
    pub question: String,
    /// The latest answer, if any.
    pub answer: Option<String>,
    pub state: crate::model::explanation::ExplanationState,
    pub timeliness: crate::model::explanation::Timeliness,
    pub due: Option<NaiveDate>,
}

/// The tasks the Government and the Prime Minister assigned, by the Government's own
/// classification on the brief's day.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskPart {
    /// Every task's class counted.
    pub counts: Vec<(TaskClass, u32)>,
    /// Overdue tasks, by lead unit (most first).
    pub overdue: Vec<UnitTasks>,
    /// Not done and due before the next regular meeting.
    pub due_soon: Vec<TaskLine>,
    /// Done after their deadline, within the month reviewed.
    pub done_late: Vec<TaskLine>,
    /// Extensions granted within the month reviewed.
    pub extended: Vec<TaskLine>,
    /// The day the next cycle ends (the due-soon list runs to it).
    pub next_cycle_ends: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitTasks {
    pub unit_vi: String,
    pub tasks: Vec<TaskLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskLine {
    pub id: i64,
    pub content: String,
    pub lead_vi: String,
    /// The document that assigned it ("Nghị quyết 01/NQ-CP").
    pub document: String,
    pub deadline: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
    /// The extension's new deadline, for an extended task.
    pub extended_to: Option<NaiveDate>,
    pub percent: u8,
}
