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
    /// The day reports, requests and tasks are judged on: the day the brief was composed (Viet
    /// Nam's calendar). They are not versioned by seq: a brief composed again at an earlier
    /// seq has that seq's figures and today's reports, requests and tasks.
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
    /// A one-page annex per field chosen: the nation and the provinces side by side.
    #[serde(default)]
    pub annexes: Vec<Annex>,
}

/// Indicators an annex shows at most: what fits across one page.
pub const ANNEX_COLUMNS: usize = 5;

/// One field's annex: the nation and every province on the field's first indicators that the
/// provinces report, each at its latest period ending within the month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Annex {
    pub field: crate::model::indicator::Field,
    pub columns: Vec<AnnexColumn>,
    /// The nation first, then the provinces in their official order.
    pub rows: Vec<AnnexRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnnexColumn {
    pub indicator: String,
    pub name_vi: String,
    pub name_en: String,
    pub measure_vi: String,
    pub measure_en: String,
    pub decimals: u8,
    pub period: Period,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnnexRow {
    pub unit: String,
    pub unit_vi: String,
    pub unit_en: Option<String>,
    /// One per column: the value at the column's period (None: not reported).
    pub cells: Vec<Option<AnnexCell>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnnexCell {
    pub value: f64,
    /// Against the unit's target of the year, where it has one.
    pub standing: Option<Standing>,
    pub source: Source,
    pub simulated: bool,
}

/// Reads the fields chosen for the annex: codes separated by commas (`macro,finance`), `all`
/// for every field, empty for none. An unknown code is named, with the codes there are.
pub fn parse_annex(text: &str) -> Result<Vec<crate::model::indicator::Field>, String> {
    use crate::model::indicator::Field;
    let text = text.trim();
    if text == "all" {
        return Ok(Field::ALL.to_vec());
    }
    let mut out = Vec::new();
    let mut unknown = Vec::new();
    for code in text.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        match Field::parse(code) {
            Some(f) if !out.contains(&f) => out.push(f),
            Some(_) => {}
            None => unknown.push(format!("“{}”", code.chars().take(30).collect::<String>())),
        }
    }
    if !unknown.is_empty() {
        let known: Vec<&str> = Field::ALL.iter().map(|f| f.as_str()).collect();
        return Err(format!(
            "không có lĩnh vực {} (no such field): chọn trong {}, hoặc all",
            unknown.join(", "),
            known.join(", ")
        ));
    }
    // In the catalogue's order of fields, whatever the order written.
    out.sort_by_key(|f| Field::ALL.iter().position(|g| g == f));
    Ok(out)
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

/// The sections of a brief, each with room for the secretariat's commentary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Figures,
    OffTrack,
    Movers,
    Reporting,
    Explanations,
    Tasks,
}

impl Section {
    pub const ALL: [Section; 6] = [
        Section::Figures,
        Section::OffTrack,
        Section::Movers,
        Section::Reporting,
        Section::Explanations,
        Section::Tasks,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Section::Figures => "figures",
            Section::OffTrack => "off_track",
            Section::Movers => "movers",
            Section::Reporting => "reporting",
            Section::Explanations => "explanations",
            Section::Tasks => "tasks",
        }
    }

    pub fn label(self, lang: crate::model::i18n::Lang) -> &'static str {
        match self {
            Section::Figures => lang.pick("I. Các chỉ tiêu chủ yếu", "I. Key indicators"),
            Section::OffTrack => {
                lang.pick("II. Chỉ tiêu chậm, có nguy cơ", "II. Off track, at risk")
            }
            Section::Movers => lang.pick("III. Đơn vị tác động", "III. What moved the figures"),
            Section::Reporting => lang.pick("IV. Tình hình gửi báo cáo", "IV. Reporting"),
            Section::Explanations => lang.pick("V. Yêu cầu giải trình", "V. Explanation requests"),
            Section::Tasks => lang.pick("VI. Nhiệm vụ", "VI. Tasks"),
        }
    }
}

/// The longest commentary of one section, in characters.
pub const MAX_COMMENTARY: usize = 2_000;

/// The secretariat's commentary, by section: plain text, shown as written (markup included)
/// on the page and in the PDF.
pub type Commentary = std::collections::BTreeMap<Section, String>;

/// Reads the commentary of each section from a form, trimmed; an empty one is left out.
/// Every problem is named, in Vietnamese and English.
pub fn read_commentary(fields: &[(String, String)]) -> Result<Commentary, String> {
    let mut out = Commentary::new();
    let mut problems = Vec::new();
    for (key, text) in fields {
        let Some(section) = Section::ALL.into_iter().find(|s| s.as_str() == key) else {
            problems.push(format!("không có mục “{key}” (no such section)"));
            continue;
        };
        // Markup is allowed here, unlike other fields: the issue asks for it to be shown as
        // the secretariat wrote it, as text (the page escapes it, the PDF draws its letters).
        let text = text.trim().replace("\r\n", "\n");
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            problems.push(format!(
                "{}: có ký tự điều khiển không hợp lệ (holds control characters)",
                section.label(crate::model::i18n::Lang::Vi)
            ));
        } else if text.chars().count() > MAX_COMMENTARY {
            problems.push(format!(
                "{}: nhận xét dài quá {MAX_COMMENTARY} ký tự (longer than {MAX_COMMENTARY} characters)",
                section.label(crate::model::i18n::Lang::Vi)
            ));
        } else if !text.is_empty() {
            out.insert(section, text);
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems.join("; "))
    }
}

/// Where a stored brief stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BriefState {
    /// Being prepared: composed again, commented.
    Draft,
    /// Marked final: attached to its meeting and never changed.
    Final,
}

impl BriefState {
    pub fn label(self, lang: crate::model::i18n::Lang) -> &'static str {
        match self {
            BriefState::Draft => lang.pick("Dự thảo", "Draft"),
            BriefState::Final => lang.pick("Bản chính thức", "Final"),
        }
    }
}

/// One stored version of a month's brief, without its figures (the list shows these).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BriefRecord {
    /// 0 until stored.
    #[serde(default)]
    pub id: i64,
    pub month: Period,
    /// The month's version: 1, then 2 for a correction of a final one (0 until stored).
    #[serde(default)]
    pub version: i64,
    /// 0 until stored; each save adds one.
    #[serde(default)]
    pub revision: i64,
    pub state: BriefState,
    pub meeting: Option<BriefMeeting>,
    pub seq: i64,
    pub composed_at: DateTime<Utc>,
    /// Who composed it (a display name; the scheduled drafts' is the centre's).
    pub composed_by: String,
    /// Composed by the schedule, before its meeting (announced to the secretariat).
    #[serde(default)]
    pub scheduled: bool,
    pub finalised: Option<(DateTime<Utc>, String)>,
    #[serde(default)]
    pub commentary: Commentary,
    /// The fields with an annex (kept when the draft is composed again).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annex: Vec<crate::model::indicator::Field>,
}

#[cfg(test)]
mod tests {
    use super::parse_annex;
    use crate::model::indicator::Field;

    #[test]
    fn annex_fields_are_read_in_the_catalogues_order_and_a_wrong_one_is_named() {
        assert_eq!(
            parse_annex(" trade, macro ,trade"),
            Ok(vec![Field::Macro, Field::Trade])
        );
        assert_eq!(parse_annex(""), Ok(vec![]));
        assert_eq!(parse_annex("all").unwrap().len(), Field::ALL.len());
        let e = parse_annex("macro,weather,<b>").unwrap_err();
        assert!(
            e.contains("“weather”") && e.contains("“<b>”") && e.contains("finance"),
            "{e}"
        );
    }
}
