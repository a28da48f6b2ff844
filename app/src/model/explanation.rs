//! Yêu cầu giải trình: a leader's or the secretariat's question to a unit about one figure (an
//! indicator, a unit, a period), due a number of working days later, and the unit's answer,
//! which the requester accepts or answers with a further question. The whole exchange stays on
//! the record: every turn is kept, nothing is edited.

use crate::model::Period;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Working days a unit has to answer when the requester does not say.
pub const DEFAULT_WORKING_DAYS: u32 = 3;
/// Most working days a requester may give.
pub const MAX_WORKING_DAYS: u32 = 30;
/// Longest question and answer, in characters.
pub const MAX_QUESTION: usize = 2_000;
pub const MAX_ANSWER: usize = 5_000;
/// Most documents sent with one answer.
pub const MAX_ANSWER_FILES: usize = 5;

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExplanationState {
    /// Waiting for the unit's answer.
    Open,
    /// Answered; waiting for the requester to accept it or ask again.
    Answered,
    /// The requester accepted the answer: closed.
    Accepted,
}

impl ExplanationState {
    pub fn as_str(self) -> &'static str {
        match self {
            ExplanationState::Open => "open",
            ExplanationState::Answered => "answered",
            ExplanationState::Accepted => "accepted",
        }
    }

    pub fn label(self, lang: crate::model::i18n::Lang) -> &'static str {
        match self {
            ExplanationState::Open => lang.pick("Chờ giải trình", "Awaiting the answer"),
            ExplanationState::Answered => {
                lang.pick("Đã giải trình, chờ xem xét", "Answered, under review")
            }
            ExplanationState::Accepted => lang.pick("Đã chấp nhận giải trình", "Answer accepted"),
        }
    }
}

/// How a request is counted per unit (open, answered on time, answered late, overdue), by
/// its latest question's due day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    Overdue,
    Open,
    AnsweredLate,
    AnsweredOnTime,
}

impl Timeliness {
    pub const ALL: [Timeliness; 4] = [
        Timeliness::Overdue,
        Timeliness::Open,
        Timeliness::AnsweredLate,
        Timeliness::AnsweredOnTime,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Timeliness::Overdue => "overdue",
            Timeliness::Open => "open",
            Timeliness::AnsweredLate => "answered_late",
            Timeliness::AnsweredOnTime => "answered_on_time",
        }
    }

    pub fn label(self, lang: crate::model::i18n::Lang) -> &'static str {
        match self {
            Timeliness::Overdue => lang.pick("Quá hạn", "Overdue"),
            Timeliness::Open => lang.pick("Đang chờ", "Open"),
            Timeliness::AnsweredLate => lang.pick("Trả lời muộn", "Answered late"),
            Timeliness::AnsweredOnTime => lang.pick("Trả lời đúng hạn", "Answered on time"),
        }
    }
}

/// One turn of the exchange.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Turn {
    /// The request, or a further question after an answer; the unit answers by `due`.
    Question {
        text: String,
        due: NaiveDate,
    },
    Answer {
        text: String,
        /// Documents sent with the answer (a report, a scanned letter).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<crate::model::attachment::Attachment>,
    },
    Accepted,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TurnRecord {
    pub at: DateTime<Utc>,
    /// Who: the username, and the display name as it was.
    pub by: String,
    pub by_name: String,
    #[serde(flatten)]
    pub turn: Turn,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplanationRequest {
    /// 0 until stored.
    pub id: i64,
    /// 0 until stored; each save adds one.
    pub version: i64,
    pub indicator: String,
    pub unit: String,
    pub period: Period,
    /// Oldest first; the first is the question that opened it.
    pub turns: Vec<TurnRecord>,
}

/// Who does what to a request: the server states it, the model checks the order of turns.
pub struct Actor<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub at: DateTime<Utc>,
}

impl ExplanationRequest {
    /// A new request, checked: the question required and plain text, the due day after
    /// `today` (its reason in Vietnamese and English).
    pub fn ask(
        indicator: &str,
        unit: &str,
        period: Period,
        question: &str,
        due: NaiveDate,
        today: NaiveDate,
        by: &Actor,
    ) -> Result<ExplanationRequest, String> {
        let mut r = ExplanationRequest {
            id: 0,
            version: 0,
            indicator: indicator.to_string(),
            unit: unit.to_string(),
            period,
            turns: Vec::new(),
        };
        r.push_question(question, due, today, by)?;
        Ok(r)
    }

    fn push_question(
        &mut self,
        question: &str,
        due: NaiveDate,
        today: NaiveDate,
        by: &Actor,
    ) -> Result<(), String> {
        let text = crate::model::text::check(
            ("Nội dung yêu cầu giải trình", "The question"),
            question,
            MAX_QUESTION,
            true,
        )?
        .unwrap_or_default();
        if due <= today {
            return Err(format!(
                "Hạn giải trình phải sau hôm nay ({}). (The deadline must be after today.)",
                crate::model::i18n::Lang::Vi.date(today)
            ));
        }
        self.turns.push(TurnRecord {
            at: by.at,
            by: by.username.to_string(),
            by_name: by.display_name.to_string(),
            turn: Turn::Question { text, due },
        });
        Ok(())
    }

    pub fn state(&self) -> ExplanationState {
        match self.turns.last().map(|t| &t.turn) {
            Some(Turn::Answer { .. }) => ExplanationState::Answered,
            Some(Turn::Accepted) => ExplanationState::Accepted,
            _ => ExplanationState::Open,
        }
    }

    /// Who asked first: the one who accepts the answer or asks again (with the secretariat).
    pub fn requester(&self) -> Option<&str> {
        self.turns.first().map(|t| t.by.as_str())
    }

    /// The latest question's due day.
    pub fn due(&self) -> Option<NaiveDate> {
        self.turns.iter().rev().find_map(|t| match &t.turn {
            Turn::Question { due, .. } => Some(*due),
            _ => None,
        })
    }

    /// The answer to the latest question, when it came (in Vietnam's time).
    pub fn answered_on(&self) -> Option<NaiveDate> {
        let last_question = self
            .turns
            .iter()
            .rposition(|t| matches!(t.turn, Turn::Question { .. }))?;
        self.turns[last_question..]
            .iter()
            .find(|t| matches!(t.turn, Turn::Answer { .. }))
            .map(|t| crate::model::vietnam_time(t.at).date())
    }

    /// How it counts on `today`, by its latest question.
    pub fn timeliness(&self, today: NaiveDate) -> Timeliness {
        let due = self.due().unwrap_or(today);
        match self.answered_on() {
            Some(day) if day <= due => Timeliness::AnsweredOnTime,
            Some(_) => Timeliness::AnsweredLate,
            None if today > due => Timeliness::Overdue,
            None => Timeliness::Open,
        }
    }

    /// The unit's answer to an open request, with the documents sent with it (stored already).
    pub fn answer(
        &mut self,
        text: &str,
        attachments: Vec<crate::model::attachment::Attachment>,
        by: &Actor,
    ) -> Result<(), String> {
        if self.state() != ExplanationState::Open {
            return Err(
                "Yêu cầu này không chờ giải trình. (This request is not waiting for an answer.)"
                    .into(),
            );
        }
        let text = crate::model::text::check(
            ("Nội dung giải trình", "The answer"),
            text,
            MAX_ANSWER,
            true,
        )?
        .unwrap_or_default();
        if attachments.len() > MAX_ANSWER_FILES {
            return Err(format!(
                "Một giải trình đính kèm tối đa {MAX_ANSWER_FILES} tệp. (At most {MAX_ANSWER_FILES} files with an answer.)"
            ));
        }
        self.turns.push(TurnRecord {
            at: by.at,
            by: by.username.to_string(),
            by_name: by.display_name.to_string(),
            turn: Turn::Answer { text, attachments },
        });
        Ok(())
    }

    /// The requester's decision on an answer: accept it (no question) or ask again.
    pub fn decide(
        &mut self,
        again: Option<(&str, NaiveDate)>,
        today: NaiveDate,
        by: &Actor,
    ) -> Result<(), String> {
        if self.state() != ExplanationState::Answered {
            return Err(
                "Yêu cầu này chưa có giải trình để xem xét. (This request has no answer to decide on.)"
                    .into(),
            );
        }
        match again {
            Some((question, due)) => self.push_question(question, due, today, by),
            None => {
                self.turns.push(TurnRecord {
                    at: by.at,
                    by: by.username.to_string(),
                    by_name: by.display_name.to_string(),
                    turn: Turn::Accepted,
                });
                Ok(())
            }
        }
    }

    /// The latest answer's text, for charts and exports.
    pub fn latest_answer(&self) -> Option<&str> {
        self.turns.iter().rev().find_map(|t| match &t.turn {
            Turn::Answer { text, .. } => Some(text.as_str()),
            _ => None,
        })
    }

    /// The documents sent with the latest answer.
    pub fn latest_answer_files(&self) -> &[crate::model::attachment::Attachment] {
        self.turns
            .iter()
            .rev()
            .find_map(|t| match &t.turn {
                Turn::Answer { attachments, .. } => Some(attachments.as_slice()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The first question's text.
    pub fn question(&self) -> &str {
        self.turns
            .iter()
            .find_map(|t| match &t.turn {
                Turn::Question { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .unwrap_or_default()
    }
}

/// A request as the form sends it: `working_days` empty for the default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskForm {
    pub indicator: String,
    pub unit: String,
    pub period: String,
    pub question: String,
    pub working_days: String,
}

/// The unit's answer, to the request at `version`, with the ids of the documents uploaded for
/// it (`POST /api/v1/attachments`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerForm {
    pub id: i64,
    pub version: i64,
    pub answer: String,
    #[serde(default)]
    pub attachments: Vec<i64>,
}

/// The requester's decision: accept, or ask again with `question` due in `working_days`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecideForm {
    pub id: i64,
    pub version: i64,
    pub accept: bool,
    pub question: String,
    pub working_days: String,
}

/// Reads the working days a unit is given (empty: the default); the reason in both languages.
pub fn working_days(text: &str) -> Result<u32, String> {
    match text.trim() {
        "" => Ok(DEFAULT_WORKING_DAYS),
        t => t
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_WORKING_DAYS).contains(n))
            .ok_or_else(|| {
                format!(
                    "Thời hạn giải trình là từ 1 đến {MAX_WORKING_DAYS} ngày làm việc. (The deadline is 1 to {MAX_WORKING_DAYS} working days.)"
                )
            }),
    }
}

/// Which requests a list wants: every filter optional; `waiting` keeps those not accepted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplanationQuery {
    pub indicator: Option<String>,
    pub units: Option<Vec<String>>,
    pub waiting: bool,
}

/// Which requests a list shows: every part optional (empty: all).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    pub indicator: String,
    pub unit: String,
    /// `waiting` (not accepted yet) or empty for all.
    pub state: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplanationList {
    pub rows: Vec<ExplanationRow>,
    /// Per unit with any request: code, Vietnamese name, counts; the most overdue first.
    pub counts: Vec<(String, String, ExplanationCounts)>,
    pub may_ask: bool,
    pub today: NaiveDate,
    /// The stream's seq the list is current at (the page listens from there).
    pub seq: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplanationRow {
    pub request: ExplanationRequest,
    pub indicator_vi: String,
    pub indicator_en: String,
    pub unit_name: String,
    pub timeliness: Timeliness,
    /// What the signed-in person may do with it now.
    pub may_answer: bool,
    pub may_decide: bool,
}

/// What the live stream says of a request that changed (topic `explanations`): enough for a
/// page to know whether it shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplanationNotice {
    /// The request's id (named so that the stream's untagged items cannot mistake it).
    pub explanation: i64,
    pub indicator: String,
    pub unit: String,
    pub period: Period,
    pub state: ExplanationState,
}

impl From<&ExplanationRequest> for ExplanationNotice {
    fn from(r: &ExplanationRequest) -> Self {
        ExplanationNotice {
            explanation: r.id,
            indicator: r.indicator.clone(),
            unit: r.unit.clone(),
            period: r.period,
            state: r.state(),
        }
    }
}

/// A unit's requests counted by timeliness, as unit pages and the wall show them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplanationCounts {
    pub overdue: u32,
    pub open: u32,
    pub answered_late: u32,
    pub answered_on_time: u32,
}

impl ExplanationCounts {
    /// `requests` counted by how each stands on `today`.
    pub fn of<'a>(
        requests: impl IntoIterator<Item = &'a ExplanationRequest>,
        today: NaiveDate,
    ) -> ExplanationCounts {
        let mut counts = ExplanationCounts::default();
        for r in requests {
            counts.add(r.timeliness(today));
        }
        counts
    }

    /// The line a unit page shows, Vietnamese then English ("Yêu cầu giải trình: 1 quá hạn ·
    /// 2 đang chờ · …"), made on the server: every page's wasm carries two strings, not the
    /// counting (nor a type of its own to read). None when the unit was never asked.
    pub fn line(&self) -> Option<(String, String)> {
        use crate::model::i18n::Lang;
        if Timeliness::ALL.iter().all(|t| self.get(*t) == 0) {
            return None;
        }
        let text = |lang: Lang| {
            let parts: Vec<String> = Timeliness::ALL
                .iter()
                .map(|t| format!("{} {}", self.get(*t), t.label(lang).to_lowercase()))
                .collect();
            format!(
                "{}: {}",
                lang.pick("Yêu cầu giải trình", "Explanation requests"),
                parts.join(" · ")
            )
        };
        Some((text(Lang::Vi), text(Lang::En)))
    }

    pub fn add(&mut self, t: Timeliness) {
        match t {
            Timeliness::Overdue => self.overdue += 1,
            Timeliness::Open => self.open += 1,
            Timeliness::AnsweredLate => self.answered_late += 1,
            Timeliness::AnsweredOnTime => self.answered_on_time += 1,
        }
    }

    pub fn get(&self, t: Timeliness) -> u32 {
        match t {
            Timeliness::Overdue => self.overdue,
            Timeliness::Open => self.open,
            Timeliness::AnsweredLate => self.answered_late,
            Timeliness::AnsweredOnTime => self.answered_on_time,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Noon in Hà Nội on `d`.
    fn at(d: &str) -> Actor<'static> {
        let d = day(d);
        Actor {
            username: "someone",
            display_name: "Someone",
            at: Utc.from_utc_datetime(&d.and_hms_opt(5, 0, 0).unwrap()),
        }
    }

    fn asked() -> ExplanationRequest {
        ExplanationRequest::ask(
            "GRDP_GROWTH",
            "04",
            Period::parse("2026-Q3").unwrap(),
            "Vì sao tăng trưởng quý III thấp hơn kế hoạch?",
            day("2026-11-25"),
            day("2026-11-20"),
            &at("2026-11-20"),
        )
        .unwrap()
    }

    #[test]
    fn a_request_goes_from_question_to_answer_to_acceptance() {
        let mut r = asked();
        assert_eq!(r.state(), ExplanationState::Open);
        assert_eq!(r.timeliness(day("2026-11-25")), Timeliness::Open);
        assert_eq!(r.timeliness(day("2026-11-26")), Timeliness::Overdue);
        // Only an answer can follow a question.
        assert!(
            r.decide(None, day("2026-11-21"), &at("2026-11-21"))
                .is_err()
        );
        r.answer(
            "Do bão số 3 làm ngừng sản xuất.",
            Vec::new(),
            &at("2026-11-25"),
        )
        .unwrap();
        assert_eq!(r.state(), ExplanationState::Answered);
        assert_eq!(r.timeliness(day("2026-12-30")), Timeliness::AnsweredOnTime);
        assert!(r.answer("lần nữa", Vec::new(), &at("2026-11-25")).is_err());
        r.decide(None, day("2026-11-26"), &at("2026-11-26"))
            .unwrap();
        assert_eq!(r.state(), ExplanationState::Accepted);
        assert_eq!(r.latest_answer(), Some("Do bão số 3 làm ngừng sản xuất."));
    }

    #[test]
    fn asking_again_opens_a_new_round_judged_by_its_own_deadline() {
        let mut r = asked();
        r.answer("Chưa rõ.", Vec::new(), &at("2026-11-27")).unwrap();
        assert_eq!(r.timeliness(day("2026-11-27")), Timeliness::AnsweredLate);
        r.decide(
            Some(("Đề nghị nêu số liệu cụ thể.", day("2026-12-02"))),
            day("2026-11-27"),
            &at("2026-11-27"),
        )
        .unwrap();
        assert_eq!(r.state(), ExplanationState::Open);
        assert_eq!(r.due(), Some(day("2026-12-02")));
        assert_eq!(r.timeliness(day("2026-12-01")), Timeliness::Open);
        r.answer("Sản lượng giảm 12%.", Vec::new(), &at("2026-12-01"))
            .unwrap();
        assert_eq!(r.timeliness(day("2026-12-05")), Timeliness::AnsweredOnTime);
        assert_eq!(
            r.question(),
            "Vì sao tăng trưởng quý III thấp hơn kế hoạch?"
        );
    }

    #[test]
    fn an_empty_question_a_past_deadline_or_markup_is_refused() {
        let q = |text: &str, due: &str| {
            ExplanationRequest::ask(
                "GRDP_GROWTH",
                "04",
                Period::parse("2026-Q3").unwrap(),
                text,
                day(due),
                day("2026-11-20"),
                &at("2026-11-20"),
            )
        };
        assert!(q("   ", "2026-11-25").unwrap_err().contains("cần nhập"));
        assert!(
            q("Vì sao?", "2026-11-20")
                .unwrap_err()
                .contains("sau hôm nay")
        );
        assert!(
            q("Vì sao?", "2026-11-01")
                .unwrap_err()
                .contains("sau hôm nay")
        );
        assert!(q("<script>x</script>", "2026-11-25").is_err());
        let mut r = asked();
        assert!(
            r.answer("", Vec::new(), &at("2026-11-21"))
                .unwrap_err()
                .contains("cần nhập")
        );
    }
}
