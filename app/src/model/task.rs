//! Nhiệm vụ: the status of a task the Government assigned, by the Government's own classification
//! (Decision 42/2014/QĐ-TTg, amended by 23/2018/QĐ-TTg). It is computed from dates, never typed
//! by hand: a task is *not yet due* (in progress, or done early) or *due* (done on time, done
//! late, or overdue). An extension granted by the secretariat moves the deadline.

use crate::model::meeting::{
    Document, DocumentForm, DocumentRef, FormErrors, MAX_SHORT, MAX_SUMMARY, Units, parse_date,
    read_document, unknown_unit,
};
use crate::model::text;
use chrono::{DateTime, NaiveDate, Utc};
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

/// How urgent the Government marked a task.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    #[default]
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Priority::Normal, Priority::High, Priority::Urgent];
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }
    pub fn parse(s: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.as_str() == s)
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            Priority::Normal => "Thường",
            Priority::High => "Quan trọng",
            Priority::Urgent => "Khẩn",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Priority::Normal => "Normal",
            Priority::High => "High",
            Priority::Urgent => "Urgent",
        }
    }
}

/// Where a task comes from: a meeting's conclusion, or a directive document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TaskSource {
    Conclusion {
        meeting: i64,
        conclusion: i64,
        document: DocumentRef,
    },
    Directive {
        document: DocumentRef,
    },
}

impl TaskSource {
    pub fn document(&self) -> &DocumentRef {
        match self {
            TaskSource::Conclusion { document, .. } | TaskSource::Directive { document } => {
                document
            }
        }
    }
    pub fn meeting(&self) -> Option<i64> {
        match self {
            TaskSource::Conclusion { meeting, .. } => Some(*meeting),
            TaskSource::Directive { .. } => None,
        }
    }
}

/// One entry of a task's history (the audit log holds the same, with addresses).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskEvent {
    pub at: DateTime<Utc>,
    /// The person's display name.
    pub by: String,
    pub what: TaskChange,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TaskChange {
    Assigned,
    Progress {
        percent: u8,
        note: Option<String>,
        evidence: Option<Document>,
    },
    Done {
        note: Option<String>,
        evidence: Option<Document>,
        /// The day the work was completed, as the lead unit reports it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on: Option<NaiveDate>,
        /// The number and date of the document that reports it done (when no file is attached).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        document: Option<String>,
    },
    /// The secretariat confirms the reported completion: the task counts as done from then.
    DoneConfirmed,
    /// The secretariat sends the reported completion back, with why.
    DoneReturned {
        reason: String,
    },
    ExtensionRequested {
        to: NaiveDate,
        reason: String,
    },
    ExtensionGranted {
        to: NaiveDate,
        reason: Option<String>,
    },
    ExtensionRefused {
        reason: String,
    },
}

impl TaskChange {
    pub fn label_vi(&self) -> String {
        match self {
            TaskChange::Assigned => "Giao nhiệm vụ".into(),
            TaskChange::Progress { percent, .. } => format!("Báo cáo tiến độ: {percent}%"),
            TaskChange::Done { on, document, .. } => {
                let mut text = "Báo cáo hoàn thành".to_string();
                if let Some(on) = on {
                    text += &format!(" ngày {}", crate::model::i18n::Lang::Vi.date(*on));
                }
                if let Some(d) = document {
                    text += &format!(" · văn bản {d}");
                }
                text
            }
            TaskChange::DoneConfirmed => "Văn phòng Chính phủ xác nhận hoàn thành".into(),
            TaskChange::DoneReturned { .. } => "Trả lại báo cáo hoàn thành".into(),
            TaskChange::ExtensionRequested { to, .. } => {
                format!(
                    "Đề nghị gia hạn đến {}",
                    crate::model::i18n::Lang::Vi.date(*to)
                )
            }
            TaskChange::ExtensionGranted { to, .. } => {
                format!(
                    "Đồng ý gia hạn đến {}",
                    crate::model::i18n::Lang::Vi.date(*to)
                )
            }
            TaskChange::ExtensionRefused { .. } => "Không đồng ý gia hạn".into(),
        }
    }
    pub fn label_en(&self) -> String {
        match self {
            TaskChange::Assigned => "Assigned".into(),
            TaskChange::Progress { percent, .. } => format!("Progress: {percent}%"),
            TaskChange::Done { on, document, .. } => {
                let mut text = "Reported done".to_string();
                if let Some(on) = on {
                    text += &format!(" on {on}");
                }
                if let Some(d) = document {
                    text += &format!(" · document {d}");
                }
                text
            }
            TaskChange::DoneConfirmed => "Completion confirmed by the Government Office".into(),
            TaskChange::DoneReturned { .. } => "Completion report returned".into(),
            TaskChange::ExtensionRequested { to, .. } => format!("Extension requested to {to}"),
            TaskChange::ExtensionGranted { to, .. } => format!("Extension granted to {to}"),
            TaskChange::ExtensionRefused { .. } => "Extension refused".into(),
        }
    }
    /// The note or reason that came with the change.
    pub fn note(&self) -> Option<&str> {
        match self {
            TaskChange::Progress { note, .. } | TaskChange::Done { note, .. } => note.as_deref(),
            TaskChange::ExtensionRequested { reason, .. }
            | TaskChange::ExtensionRefused { reason }
            | TaskChange::DoneReturned { reason } => Some(reason),
            TaskChange::ExtensionGranted { reason, .. } => reason.as_deref(),
            TaskChange::Assigned | TaskChange::DoneConfirmed => None,
        }
    }
    pub fn evidence_mut(&mut self) -> Option<&mut Document> {
        match self {
            TaskChange::Progress { evidence, .. } | TaskChange::Done { evidence, .. } => {
                evidence.as_mut()
            }
            _ => None,
        }
    }

    pub fn evidence(&self) -> Option<&Document> {
        match self {
            TaskChange::Progress { evidence, .. } | TaskChange::Done { evidence, .. } => {
                evidence.as_ref()
            }
            _ => None,
        }
    }
}

/// Nhiệm vụ: work assigned to a lead unit, followed to done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// 0 until stored.
    pub id: i64,
    /// 0 until stored; each save adds one.
    pub version: i64,
    pub source: TaskSource,
    pub content: String,
    /// The lead unit's code (đơn vị chủ trì).
    pub lead: String,
    /// Coordinating units (đơn vị phối hợp).
    pub coordinating: Vec<String>,
    pub priority: Priority,
    /// The day it was assigned (the source document's date).
    pub assigned_on: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub extended_to: Option<NaiveDate>,
    /// The extension asked for and not yet decided.
    pub pending_extension: Option<NaiveDate>,
    pub percent: u8,
    /// The day it was done, once the secretariat confirmed the lead unit's report.
    pub done_on: Option<NaiveDate>,
    /// Reported done on this day, waiting for the secretariat to confirm it (it counts as done
    /// only then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awaiting: Option<NaiveDate>,
    pub history: Vec<TaskEvent>,
}

impl Task {
    pub fn dates(&self) -> TaskDates {
        TaskDates {
            deadline: self.deadline,
            extended_to: self.extended_to,
            done_on: self.done_on,
        }
    }
    pub fn class_on(&self, today: NaiveDate) -> TaskClass {
        self.dates().class_on(today)
    }
    /// Days until the deadline in force (negative: days overdue); None without one.
    pub fn days_left(&self, today: NaiveDate) -> Option<i64> {
        self.dates()
            .deadline_in_force()
            .map(|d| (d - today).num_days())
    }
}

/// What changed on the live `tasks` topic: which task, of which unit. Screens count again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskNotice {
    pub id: i64,
    pub lead: String,
    pub version: i64,
}

/// Counts of one unit's tasks in each class.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassCounts {
    pub in_progress: u32,
    pub done_early: u32,
    pub done_on_time: u32,
    pub done_late: u32,
    pub overdue: u32,
}

impl ClassCounts {
    pub fn add(&mut self, class: TaskClass) {
        *self.get_mut(class) += 1;
    }
    fn get_mut(&mut self, class: TaskClass) -> &mut u32 {
        match class {
            TaskClass::InProgress => &mut self.in_progress,
            TaskClass::DoneEarly => &mut self.done_early,
            TaskClass::DoneOnTime => &mut self.done_on_time,
            TaskClass::DoneLate => &mut self.done_late,
            TaskClass::Overdue => &mut self.overdue,
        }
    }
    pub fn get(&self, class: TaskClass) -> u32 {
        match class {
            TaskClass::InProgress => self.in_progress,
            TaskClass::DoneEarly => self.done_early,
            TaskClass::DoneOnTime => self.done_on_time,
            TaskClass::DoneLate => self.done_late,
            TaskClass::Overdue => self.overdue,
        }
    }
    pub fn total(&self) -> u32 {
        TaskClass::ALL.iter().map(|c| self.get(*c)).sum()
    }
    pub fn due(&self) -> u32 {
        self.done_on_time + self.done_late + self.overdue
    }
}

/// Counts per lead unit and in total, the way the Government Office reports them: the tasks
/// assigned between `from` and `to` (inclusive; open ends take all), each classed as of `on`.
pub fn count_by_unit(
    tasks: &[Task],
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    on: NaiveDate,
) -> (ClassCounts, Vec<(String, ClassCounts)>) {
    let mut total = ClassCounts::default();
    let mut per: std::collections::BTreeMap<String, ClassCounts> = Default::default();
    for t in tasks.iter().filter(|t| {
        from.is_none_or(|f| t.assigned_on >= f) && to.is_none_or(|e| t.assigned_on <= e)
    }) {
        let class = t.class_on(on);
        total.add(class);
        per.entry(t.lead.clone()).or_default().add(class);
    }
    (total, per.into_iter().collect())
}

pub const MAX_CONTENT: usize = 2000;
pub const MAX_NOTE: usize = 2000;
pub const MAX_COORDINATING: usize = 40;

/// One task row of a conclusion or directive form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskForm {
    pub content: String,
    pub lead: String,
    /// Codes separated by commas or spaces.
    pub coordinating: String,
    /// `YYYY-MM-DD`, or empty for a task without a deadline.
    pub deadline: String,
    pub priority: String,
}

/// A conclusion of a meeting with the tasks it assigns, or (with `meeting` 0) a directive
/// document with its tasks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AssignForm {
    /// The meeting whose conclusion this is (0: a directive outside a meeting).
    pub meeting: i64,
    /// The meeting's version the form was read at.
    pub version: i64,
    pub number: String,
    pub date: String,
    pub summary: String,
    pub tasks: Vec<TaskForm>,
}

/// A conclusion (when `meeting` is given) and its tasks, read from an [`AssignForm`].
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    pub document: DocumentRef,
    pub summary: String,
    pub tasks: Vec<Task>,
}

impl AssignForm {
    /// Reads the form. `meeting_date` is the meeting's day (a conclusion is not dated before
    /// it and no deadline falls before it); `conclusion` the id the new conclusion will have.
    pub fn read(
        &self,
        units: &dyn Units,
        meeting_date: Option<NaiveDate>,
        conclusion: i64,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Assignment, FormErrors> {
        let mut e = FormErrors::default();
        let number = e.take("number", DocumentRef::parse_number(&self.number).map(Some));
        let date = e.take(
            "date",
            parse_date(&self.date, ("Ngày văn bản", "Document date")).map(Some),
        );
        if let (Some(d), Some(m)) = (date, meeting_date)
            && d < m
        {
            e.add(
                "date",
                format!(
                    "Ngày văn bản {} trước ngày họp {}. (The document is dated before the meeting.)",
                    crate::model::i18n::Lang::Vi.date(d),
                    crate::model::i18n::Lang::Vi.date(m)
                ),
            );
        }
        let summary = e.take(
            "summary",
            text::check(
                ("Nội dung kết luận", "Summary"),
                &self.summary,
                MAX_SUMMARY,
                meeting_date.is_some(),
            ),
        );
        let rows: Vec<(usize, &TaskForm)> = self
            .tasks
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                !(t.content.trim().is_empty()
                    && t.lead.trim().is_empty()
                    && t.coordinating.trim().is_empty()
                    && t.deadline.trim().is_empty())
            })
            .collect();
        if rows.is_empty() && meeting_date.is_none() {
            e.add(
                "tasks",
                "Văn bản chỉ đạo cần ít nhất một nhiệm vụ. (A directive needs at least one task.)",
            );
        }
        if rows.len() > 100 {
            e.add(
                "tasks",
                "Tối đa 100 nhiệm vụ mỗi văn bản. (At most 100 tasks per document.)",
            );
        }
        let not_before = match (meeting_date, date) {
            (Some(m), Some(d)) => Some(m.max(d)),
            (m, d) => m.or(d),
        };
        let document = match (&number, date) {
            (Some(number), Some(date)) => Some(DocumentRef {
                number: number.clone(),
                date,
            }),
            _ => None,
        };
        let mut tasks = Vec::new();
        for (i, t) in rows.into_iter().take(100) {
            let n = i + 1;
            let content = e.take(
                &format!("tasks.{i}.content"),
                text::check(
                    (&format!("Nhiệm vụ {n}"), &format!("Task {n}")),
                    &t.content,
                    MAX_CONTENT,
                    true,
                ),
            );
            let lead = match t.lead.trim() {
                "" => {
                    e.add(
                        format!("tasks.{i}.lead"),
                        format!("Nhiệm vụ {n}: chọn đơn vị chủ trì. (Task {n} needs a lead unit.)"),
                    );
                    None
                }
                code if units.assignable(code).is_some() => Some(code.to_string()),
                code => {
                    e.add(format!("tasks.{i}.lead"), unknown_unit(code));
                    None
                }
            };
            let mut coordinating: Vec<String> = Vec::new();
            for code in t
                .coordinating
                .split([',', ';', ' '])
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                if units.assignable(code).is_none() {
                    e.add(format!("tasks.{i}.coordinating"), unknown_unit(code));
                } else if Some(code) != lead.as_deref() && !coordinating.iter().any(|c| c == code) {
                    coordinating.push(code.to_string());
                }
            }
            if coordinating.len() > MAX_COORDINATING {
                e.add(
                    format!("tasks.{i}.coordinating"),
                    format!("Tối đa {MAX_COORDINATING} đơn vị phối hợp. (At most {MAX_COORDINATING} coordinating units.)"),
                );
            }
            let deadline = match t.deadline.trim() {
                "" => None,
                d => match parse_date(d, ("Hạn xử lý", "Deadline")) {
                    Ok(d) => {
                        if let Some(nb) = not_before
                            && d < nb
                        {
                            e.add(
                                format!("tasks.{i}.deadline"),
                                format!(
                                    "Nhiệm vụ {n}: hạn {} trước ngày họp hoặc ngày văn bản {}. (Task {n}: the deadline is before the meeting or the document.)",
                                    crate::model::i18n::Lang::Vi.date(d),
                                    crate::model::i18n::Lang::Vi.date(nb)
                                ),
                            );
                        }
                        Some(d)
                    }
                    Err(m) => {
                        e.add(format!("tasks.{i}.deadline"), m);
                        None
                    }
                },
            };
            let priority = match t.priority.trim() {
                "" => Priority::Normal,
                p => Priority::parse(p).unwrap_or_else(|| {
                    e.add(
                        format!("tasks.{i}.priority"),
                        "Mức độ ưu tiên không hợp lệ. (Unknown priority.)",
                    );
                    Priority::Normal
                }),
            };
            if let (Some(content), Some(lead), Some(document)) = (content, lead, &document) {
                tasks.push(Task {
                    id: 0,
                    version: 0,
                    source: match meeting_date {
                        Some(_) => TaskSource::Conclusion {
                            meeting: self.meeting,
                            conclusion,
                            document: document.clone(),
                        },
                        None => TaskSource::Directive {
                            document: document.clone(),
                        },
                    },
                    content,
                    lead,
                    coordinating,
                    priority,
                    assigned_on: document.date,
                    deadline,
                    extended_to: None,
                    pending_extension: None,
                    awaiting: None,
                    percent: 0,
                    done_on: None,
                    history: vec![TaskEvent {
                        at: now,
                        by: by.to_string(),
                        what: TaskChange::Assigned,
                    }],
                });
            }
        }
        match document {
            Some(document) if e.is_empty() => Ok(Assignment {
                document,
                summary: summary.unwrap_or_default(),
                tasks,
            }),
            _ => Err(e),
        }
    }
}

/// What the lead unit's officer sends about a task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProgressForm {
    pub task: i64,
    pub version: i64,
    /// `progress`, `done` or `extension`.
    pub kind: String,
    pub percent: String,
    pub note: String,
    /// For an extension: the new deadline asked for.
    pub extend_to: String,
    /// Evidence: an uploaded attachment or a link.
    #[serde(default)]
    pub evidence: DocumentForm,
    /// For done: the day the work was completed (empty: today).
    #[serde(default)]
    pub done_on: String,
    /// For done: the number and date of the document that reports it, when no file is attached.
    #[serde(default)]
    pub document: String,
}

/// The secretariat's answer to a completion report: confirmed, or returned with why.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DoneDecision {
    pub task: i64,
    pub version: i64,
    pub confirm: bool,
    pub reason: String,
}

/// The secretariat's answer to an extension request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExtensionDecision {
    pub task: i64,
    pub version: i64,
    pub grant: bool,
    pub reason: String,
}

impl Task {
    /// The task after the lead unit's report, or why it cannot be taken. `today` is Viet Nam's.
    pub fn with_progress(
        &self,
        form: &ProgressForm,
        by: &str,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<Task, FormErrors> {
        let mut e = FormErrors::default();
        let mut t = self.clone();
        if self.done_on.is_some() {
            e.add(
                "kind",
                "Nhiệm vụ đã được báo cáo hoàn thành. (This task is already done.)",
            );
            return Err(e);
        }
        if self.awaiting.is_some() {
            e.add(
                "kind",
                "Nhiệm vụ đã được báo cáo hoàn thành, đang chờ Văn phòng Chính phủ xác nhận. (Reported done; waiting for the Government Office to confirm.)",
            );
            return Err(e);
        }
        let note = e.take(
            "note",
            text::check(("Ghi chú", "Note"), &form.note, MAX_NOTE, false),
        );
        let evidence = e.take("evidence", read_document(&form.evidence));
        let what = match form.kind.as_str() {
            "progress" => {
                let percent = match form
                    .percent
                    .trim()
                    .trim_end_matches('%')
                    .trim()
                    .parse::<u8>()
                {
                    Ok(p) if p <= 99 => p,
                    Ok(100) => {
                        e.add(
                            "percent",
                            "Đã xong 100%: chọn “Báo cáo hoàn thành”. (At 100%, report it done.)",
                        );
                        return Err(e);
                    }
                    _ => {
                        e.add("percent", "Tiến độ là một số từ 0 đến 99 (%). (Progress is a number from 0 to 99.)");
                        return Err(e);
                    }
                };
                t.percent = percent;
                TaskChange::Progress {
                    percent,
                    note,
                    evidence,
                }
            }
            "done" => {
                let on = if form.done_on.trim().is_empty() {
                    today
                } else {
                    match parse_date(&form.done_on, ("Ngày hoàn thành", "Done on")) {
                        Ok(d) => d,
                        Err(m) => {
                            e.add("done_on", m);
                            return Err(e);
                        }
                    }
                };
                let vi = crate::model::i18n::Lang::Vi;
                if on > today {
                    e.add("done_on", format!("Ngày hoàn thành không thể sau hôm nay ({}). (The day it was done cannot be in the future.)", vi.date(today)));
                } else if on < self.assigned_on {
                    e.add("done_on", format!("Ngày hoàn thành không thể trước ngày giao nhiệm vụ ({}). (It cannot be done before it was assigned.)", vi.date(self.assigned_on)));
                }
                let document = e.take(
                    "document",
                    text::check(
                        ("Văn bản báo cáo", "Document"),
                        &form.document,
                        MAX_SHORT,
                        false,
                    ),
                );
                if evidence.is_none() && document.is_none() && e.of("document").is_none() {
                    e.add("document", "Cần minh chứng hoàn thành: số và ngày văn bản báo cáo, hoặc tệp đính kèm. (Give evidence: the reporting document's number and date, or an attached file.)");
                }
                t.percent = 100;
                t.awaiting = Some(on);
                t.pending_extension = None;
                TaskChange::Done {
                    note,
                    evidence,
                    on: Some(on),
                    document,
                }
            }
            "extension" => {
                let to = match parse_date(&form.extend_to, ("Gia hạn đến", "Extend to")) {
                    Ok(d) => d,
                    Err(m) => {
                        e.add("extend_to", m);
                        return Err(e);
                    }
                };
                let Some(current) = self.dates().deadline_in_force() else {
                    e.add("extend_to", "Nhiệm vụ không có thời hạn nên không cần gia hạn. (This task has no deadline.)");
                    return Err(e);
                };
                if to <= current || to < today {
                    e.add(
                        "extend_to",
                        format!(
                            "Hạn mới phải sau hạn hiện tại {}. (The new deadline must be after the current one.)",
                            crate::model::i18n::Lang::Vi.date(current)
                        ),
                    );
                }
                if self.pending_extension.is_some() {
                    e.add("extend_to", "Đã có đề nghị gia hạn đang chờ xem xét. (An extension request is already waiting.)");
                }
                let reason = e.take(
                    "note",
                    text::check(("Lý do gia hạn", "Reason"), &form.note, MAX_NOTE, true),
                );
                t.pending_extension = Some(to);
                TaskChange::ExtensionRequested {
                    to,
                    reason: reason.unwrap_or_default(),
                }
            }
            _ => {
                e.add("kind", "Chọn báo cáo tiến độ, hoàn thành hoặc đề nghị gia hạn. (Choose progress, done or extension.)");
                return Err(e);
            }
        };
        if !e.is_empty() {
            return Err(e);
        }
        t.history.push(TaskEvent {
            at: now,
            by: by.to_string(),
            what,
        });
        Ok(t)
    }

    /// The task after the secretariat grants or refuses the pending extension.
    pub fn with_decision(
        &self,
        d: &ExtensionDecision,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Task, FormErrors> {
        let Some(to) = self.pending_extension else {
            return Err(FormErrors::one(
                "grant",
                "Không có đề nghị gia hạn nào đang chờ. (No extension request is waiting.)",
            ));
        };
        self.decided(&d.reason, !d.grant, by, now, |t, reason| {
            t.pending_extension = None;
            if d.grant {
                t.extended_to = Some(to);
                TaskChange::ExtensionGranted { to, reason }
            } else {
                TaskChange::ExtensionRefused {
                    reason: reason.unwrap_or_default(),
                }
            }
        })
    }

    /// The task after the secretariat confirms its reported completion (done from the day
    /// reported) or returns it with a reason (back in progress, at its last reported percent).
    pub fn with_confirmation(
        &self,
        d: &DoneDecision,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Task, FormErrors> {
        let Some(on) = self.awaiting else {
            return Err(FormErrors::one(
                "confirm",
                "Nhiệm vụ không có báo cáo hoàn thành nào đang chờ xác nhận. (No completion report is waiting.)",
            ));
        };
        let before = self
            .history
            .iter()
            .rev()
            .find_map(|h| match h.what {
                TaskChange::Progress { percent, .. } => Some(percent),
                _ => None,
            })
            .unwrap_or(0);
        self.decided(&d.reason, !d.confirm, by, now, |t, reason| {
            t.awaiting = None;
            if d.confirm {
                t.done_on = Some(on);
                TaskChange::DoneConfirmed
            } else {
                t.percent = before;
                TaskChange::DoneReturned {
                    reason: reason.unwrap_or_default(),
                }
            }
        })
    }

    /// A secretariat's decision: its reason read (required to say no), the change `apply`
    /// makes, recorded in the history.
    fn decided(
        &self,
        reason: &str,
        required: bool,
        by: &str,
        now: DateTime<Utc>,
        apply: impl FnOnce(&mut Task, Option<String>) -> TaskChange,
    ) -> Result<Task, FormErrors> {
        let reason = text::check(("Lý do", "Reason"), reason, MAX_NOTE, required)
            .map_err(|m| FormErrors::one("reason", m))?;
        let mut t = self.clone();
        let what = apply(&mut t, reason);
        t.history.push(TaskEvent {
            at: now,
            by: by.to_string(),
            what,
        });
        Ok(t)
    }
}

/// Which tasks a list shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskQuery {
    /// Only this lead unit's.
    pub lead: Option<String>,
    /// Only this meeting's.
    pub meeting: Option<i64>,
}

/// The answer to a change the secretariat or a lead unit asked for: stored (with the id of the
/// meeting or task), or refused with the problems, nothing stored. A refusal is an answer, not
/// an error, so the page can show each problem beside its field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum DeskAnswer {
    Saved { id: i64 },
    Refused { message: String, errors: FormErrors },
}

/// A task as lists show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskRow {
    pub id: i64,
    pub content: String,
    pub lead: String,
    pub lead_name: String,
    pub source: String,
    pub priority: Priority,
    pub deadline: Option<NaiveDate>,
    pub class: TaskClass,
    /// Days to the deadline in force (negative: overdue by that many).
    pub days_left: Option<i64>,
    pub percent: u8,
    pub done_on: Option<NaiveDate>,
    pub pending_extension: Option<NaiveDate>,
    /// Reported done on this day, waiting for the secretariat's confirmation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awaiting: Option<NaiveDate>,
}

impl TaskRow {
    pub fn of(t: &Task, lead_name: String, today: NaiveDate) -> TaskRow {
        TaskRow {
            id: t.id,
            content: t.content.clone(),
            lead: t.lead.clone(),
            lead_name,
            source: t.source.document().to_string(),
            priority: t.priority,
            deadline: t.dates().deadline_in_force(),
            class: t.class_on(today),
            days_left: t.days_left(today),
            percent: t.percent,
            done_on: t.done_on,
            pending_extension: t.pending_extension,
            awaiting: t.awaiting,
        }
    }
}

/// Which tasks a task list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskView {
    #[default]
    All,
    /// Due and not done.
    Overdue,
    /// Not done, due within the next 7 days.
    Week,
}

impl TaskView {
    pub fn parse(s: &str) -> TaskView {
        match s {
            "overdue" => TaskView::Overdue,
            "week" => TaskView::Week,
            _ => TaskView::All,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            TaskView::All => "all",
            TaskView::Overdue => "overdue",
            TaskView::Week => "week",
        }
    }
    pub fn shows(self, t: &Task, today: NaiveDate) -> bool {
        match self {
            TaskView::All => true,
            TaskView::Overdue => t.class_on(today) == TaskClass::Overdue,
            TaskView::Week => {
                t.done_on.is_none() && t.days_left(today).is_some_and(|d| (0..=7).contains(&d))
            }
        }
    }
}

/// The national picture of tasks for the wall and the task pages' head.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskBoard {
    pub today: Option<NaiveDate>,
    pub counts: ClassCounts,
    /// Not done and due within 7 days.
    pub due_this_week: u32,
    /// The most overdue first (at most [`BOARD_OVERDUE`]).
    pub overdue: Vec<TaskRow>,
    /// Units with overdue tasks, most first: code, name, overdue count.
    pub units_overdue: Vec<(String, String, u32)>,
}

pub const BOARD_OVERDUE: usize = 10;

impl TaskBoard {
    pub fn of(tasks: &[Task], name: impl Fn(&str) -> String, today: NaiveDate) -> TaskBoard {
        let (counts, per) = count_by_unit(tasks, None, None, today);
        let mut overdue: Vec<TaskRow> = tasks
            .iter()
            .filter(|t| TaskView::Overdue.shows(t, today))
            .map(|t| TaskRow::of(t, name(&t.lead), today))
            .collect();
        overdue.sort_by_key(|r| (r.days_left, r.id));
        overdue.truncate(BOARD_OVERDUE);
        let mut units_overdue: Vec<(String, String, u32)> = per
            .into_iter()
            .filter(|(_, c)| c.overdue > 0)
            .map(|(code, c)| (name(&code), code, c.overdue))
            .map(|(n, code, o)| (code, n, o))
            .collect();
        units_overdue.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        TaskBoard {
            today: Some(today),
            counts,
            due_this_week: tasks
                .iter()
                .filter(|t| TaskView::Week.shows(t, today))
                .count() as u32,
            overdue,
            units_overdue,
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

    use crate::model::meeting::tests::TestUnits;

    fn now() -> DateTime<Utc> {
        "2026-11-25T03:00:00Z".parse().unwrap()
    }

    fn conclusion(deadline: &str, lead: &str) -> AssignForm {
        AssignForm {
            meeting: 7,
            version: 1,
            number: "123/TB-VPCP".into(),
            date: "2026-11-26".into(),
            summary: "Kết luận của Thủ tướng tại phiên họp".into(),
            tasks: vec![
                TaskForm {
                    content: "Trình Nghị định sửa đổi".into(),
                    lead: lead.into(),
                    coordinating: "01, BKHCN, BTC".into(),
                    deadline: deadline.into(),
                    priority: "high".into(),
                },
                TaskForm::default(),
            ],
        }
    }

    #[test]
    fn a_conclusion_assigns_its_tasks_from_its_date_and_skips_blank_rows() {
        let a = conclusion("2026-11-28", "BTC")
            .read(&TestUnits, Some(d("2026-11-25")), 1, "Văn phòng", now())
            .unwrap();
        assert_eq!(a.tasks.len(), 1);
        let t = &a.tasks[0];
        assert_eq!(t.assigned_on, d("2026-11-26"));
        assert_eq!(t.deadline, Some(d("2026-11-28")));
        // The lead is not its own coordinator.
        assert_eq!(t.coordinating, vec!["01".to_string(), "BKHCN".to_string()]);
        assert_eq!(t.source.meeting(), Some(7));
        assert_eq!(t.priority, Priority::High);
    }

    #[test]
    fn a_deadline_before_the_meeting_and_a_task_without_a_lead_are_refused() {
        let e = conclusion("2026-11-20", "")
            .read(&TestUnits, Some(d("2026-11-25")), 1, "x", now())
            .unwrap_err();
        assert!(
            e.of("tasks.0.deadline").unwrap().contains("trước ngày họp"),
            "{e:?}"
        );
        assert!(e.of("tasks.0.lead").unwrap().contains("chủ trì"), "{e:?}");
        let mut f = conclusion("2026-11-28", "BTC");
        f.tasks[0].content = "<script>x</script>".into();
        f.date = "2026-11-01".into();
        let e = f
            .read(&TestUnits, Some(d("2026-11-25")), 1, "x", now())
            .unwrap_err();
        assert!(
            e.of("tasks.0.content").is_some() && e.of("date").is_some(),
            "{e:?}"
        );
    }

    #[test]
    fn progress_done_and_an_extension_follow_the_rules() {
        let task = conclusion("2026-11-28", "BTC")
            .read(&TestUnits, Some(d("2026-11-25")), 1, "Văn phòng", now())
            .unwrap()
            .tasks
            .remove(0);
        let report = |kind: &str, percent: &str, note: &str, to: &str| ProgressForm {
            task: 1,
            version: 1,
            kind: kind.into(),
            percent: percent.into(),
            note: note.into(),
            extend_to: to.into(),
            ..Default::default()
        };
        let today = d("2026-11-27");
        let p = task
            .with_progress(&report("progress", "60", "", ""), "BTC", now(), today)
            .unwrap();
        assert_eq!(p.percent, 60);
        assert!(
            task.with_progress(&report("progress", "140", "", ""), "BTC", now(), today)
                .is_err()
        );
        // An extension needs a reason and a later date; granting it moves the deadline.
        assert!(
            p.with_progress(
                &report("extension", "", "", "2026-12-10"),
                "BTC",
                now(),
                today
            )
            .unwrap_err()
            .of("note")
            .is_some()
        );
        assert!(
            p.with_progress(
                &report("extension", "", "cần thêm ý kiến", "2026-11-20"),
                "BTC",
                now(),
                today
            )
            .is_err()
        );
        let asked = p
            .with_progress(
                &report("extension", "", "cần thêm ý kiến", "2026-12-10"),
                "BTC",
                now(),
                today,
            )
            .unwrap();
        assert_eq!(asked.pending_extension, Some(d("2026-12-10")));
        let refuse = ExtensionDecision {
            task: 1,
            version: 2,
            grant: false,
            reason: String::new(),
        };
        assert!(
            asked
                .with_decision(&refuse, "VP", now())
                .unwrap_err()
                .of("reason")
                .is_some()
        );
        let granted = asked
            .with_decision(
                &ExtensionDecision {
                    grant: true,
                    ..refuse
                },
                "VP",
                now(),
            )
            .unwrap();
        assert_eq!(granted.dates().deadline_in_force(), Some(d("2026-12-10")));
        assert_eq!(granted.class_on(d("2026-12-01")), TaskClass::InProgress);
        // Done needs evidence, and a day between the assignment and today.
        let on = |done_on: &str, document: &str| ProgressForm {
            done_on: done_on.into(),
            document: document.into(),
            ..report("done", "", "Đã trình", "")
        };
        let refused = |form: ProgressForm, field: &str| {
            let e = granted
                .with_progress(&form, "BTC", now(), d("2026-12-09"))
                .unwrap_err();
            assert!(e.of(field).is_some(), "{field}: {e:?}");
        };
        refused(on("", ""), "document");
        refused(on("2026-11-23", "12/BTC-KH ngày 23/11/2026"), "done_on");
        refused(on("2026-12-10", "12/BTC-KH"), "done_on");
        refused(on("2026-13-01", "12/BTC-KH"), "done_on");
        refused(on("", "<b>12</b>"), "document");
        let reported = granted
            .with_progress(
                &on("2026-12-08", "12/BTC-KH ngày 08/12/2026"),
                "BTC",
                now(),
                d("2026-12-09"),
            )
            .unwrap();
        // Reported is not done: it counts only once the secretariat confirms it.
        assert_eq!(reported.awaiting, Some(d("2026-12-08")));
        assert_eq!(reported.done_on, None);
        assert_eq!(reported.class_on(d("2026-12-11")), TaskClass::Overdue);
        assert!(
            reported
                .with_progress(&report("progress", "10", "", ""), "BTC", now(), today)
                .is_err()
        );
        let decision = |confirm: bool, reason: &str| DoneDecision {
            task: 1,
            version: 3,
            confirm,
            reason: reason.into(),
        };
        // Returned: back to its last reported progress, with the reason on the record.
        assert!(
            reported
                .with_confirmation(&decision(false, ""), "VP", now())
                .unwrap_err()
                .of("reason")
                .is_some()
        );
        let returned = reported
            .with_confirmation(&decision(false, "Chưa có văn bản trình"), "VP", now())
            .unwrap();
        assert_eq!(
            (returned.awaiting, returned.done_on, returned.percent),
            (None, None, 60)
        );
        assert_eq!(
            returned.history.last().unwrap().what.note(),
            Some("Chưa có văn bản trình")
        );
        assert!(
            returned
                .with_confirmation(&decision(true, ""), "VP", now())
                .is_err()
        );
        // Confirmed: done on the day reported, on time.
        let done = reported
            .with_confirmation(&decision(true, ""), "VP", now())
            .unwrap();
        assert_eq!(done.done_on, Some(d("2026-12-08")));
        assert_eq!(done.class_on(d("2026-12-11")), TaskClass::DoneOnTime);
        assert!(
            done.with_progress(&report("progress", "10", "", ""), "BTC", now(), today)
                .is_err()
        );
    }

    #[test]
    fn counts_take_the_tasks_assigned_in_the_range_classed_on_the_day() {
        let mk = |assigned: &str, deadline: &str, done: Option<&str>, lead: &str| Task {
            id: 1,
            version: 1,
            source: TaskSource::Directive {
                document: DocumentRef {
                    number: "1/CT-TTg".into(),
                    date: d(assigned),
                },
            },
            content: "x".into(),
            lead: lead.into(),
            coordinating: vec![],
            priority: Priority::Normal,
            assigned_on: d(assigned),
            deadline: Some(d(deadline)),
            extended_to: None,
            pending_extension: None,
            awaiting: None,
            percent: 0,
            done_on: done.map(d),
            history: vec![],
        };
        let tasks = vec![
            mk("2026-10-01", "2026-10-20", None, "BTC"),
            mk("2026-10-05", "2026-10-20", Some("2026-10-19"), "BTC"),
            mk("2026-10-05", "2026-12-20", None, "01"),
            mk("2026-09-01", "2026-09-20", None, "01"),
        ];
        let (total, per) = count_by_unit(
            &tasks,
            Some(d("2026-10-01")),
            Some(d("2026-10-31")),
            d("2026-11-01"),
        );
        assert_eq!(total.total(), 3);
        assert_eq!(
            (total.overdue, total.done_on_time, total.in_progress),
            (1, 1, 1)
        );
        assert_eq!(per[0].0, "01");
        assert_eq!(per[1].1.due(), 2);
    }
}
