//! Phiên họp: a Government meeting with its agenda, participants and the conclusions (kết luận)
//! that assign tasks. The forms the secretariat fills in are read here, once, for the browser
//! and the server alike; the server decides with the same rules.

use crate::model::text;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

pub const MAX_TITLE: usize = 300;
pub const MAX_SHORT: usize = 200;
pub const MAX_SUMMARY: usize = 4000;
pub const MAX_AGENDA: usize = 40;
pub const MAX_PARTICIPANTS: usize = 200;
pub const MAX_DOCUMENTS: usize = 20;
pub const MAX_LINK: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    /// Phiên họp Chính phủ thường kỳ (monthly).
    Regular,
    /// Phiên họp chuyên đề (for example on law-making).
    Thematic,
    /// Hội nghị trực tuyến với địa phương.
    Online,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 3] = [
        MeetingKind::Regular,
        MeetingKind::Thematic,
        MeetingKind::Online,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MeetingKind::Regular => "regular",
            MeetingKind::Thematic => "thematic",
            MeetingKind::Online => "online",
        }
    }

    pub fn parse(s: &str) -> Option<MeetingKind> {
        MeetingKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            MeetingKind::Regular => "Phiên họp thường kỳ",
            MeetingKind::Thematic => "Phiên họp chuyên đề",
            MeetingKind::Online => "Hội nghị trực tuyến với địa phương",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            MeetingKind::Regular => "Regular monthly meeting",
            MeetingKind::Thematic => "Thematic meeting",
            MeetingKind::Online => "Online conference with localities",
        }
    }
}

/// A document: an attachment stored by the server, or a link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub name: String,
    pub link: Option<String>,
    /// The stored attachment's id (see `model::attachment`).
    pub attachment: Option<i64>,
}

impl Document {
    /// Where the document opens: the stored attachment, else its link.
    pub fn href(&self) -> String {
        match (self.attachment, &self.link) {
            (Some(id), _) => format!("/attachments/{id}"),
            (None, Some(link)) => link.clone(),
            (None, None) => String::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub title: String,
    /// The presenting unit's code.
    pub presenter: Option<String>,
    pub documents: Vec<Document>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Attendance {
    Present,
    Absent {
        reason: String,
    },
    /// Represented by a stand-in (người dự thay).
    Represented {
        by: String,
    },
}

impl Attendance {
    pub fn label_vi(&self) -> String {
        match self {
            Attendance::Present => "Có mặt".into(),
            Attendance::Absent { reason } => format!("Vắng mặt: {reason}"),
            Attendance::Represented { by } => format!("Cử người dự thay: {by}"),
        }
    }
    pub fn label_en(&self) -> String {
        match self {
            Attendance::Present => "Present".into(),
            Attendance::Absent { reason } => format!("Absent: {reason}"),
            Attendance::Represented { by } => format!("Represented by {by}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    pub name: String,
    pub unit: Option<String>,
    pub attendance: Attendance,
}

/// A document's number and date, as Vietnamese official documents are cited
/// ("Thông báo 123/TB-VPCP ngày 25/11/2026").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRef {
    pub number: String,
    pub date: NaiveDate,
}

impl DocumentRef {
    /// A number as the Government's documents write it: digits, then "/" and the kind and
    /// issuer ("123/TB-VPCP", "42/2014/QĐ-TTg").
    pub fn parse_number(input: &str) -> Result<String, String> {
        let t = input.trim();
        let ok = !t.is_empty()
            && t.chars().count() <= 40
            && t.starts_with(|c: char| c.is_ascii_digit())
            && t.contains('/')
            && !t.ends_with('/')
            && t.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '/' | '-' | '.'));
        if ok {
            Ok(t.to_string())
        } else {
            Err(format!(
                "Số văn bản “{}” không đúng dạng, ví dụ 123/TB-VPCP. (A document number looks like 123/TB-VPCP.)",
                t.chars().take(40).collect::<String>()
            ))
        }
    }
}

impl std::fmt::Display for DocumentRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ngày {}",
            self.number,
            crate::model::i18n::Lang::Vi.date(self.date)
        )
    }
}

/// Kết luận: what a meeting decided, in a numbered document; tasks cite it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conclusion {
    /// 1, 2, … within the meeting.
    pub id: i64,
    pub document: DocumentRef,
    pub summary: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    /// 0 until stored.
    pub id: i64,
    /// 0 until stored; each save adds one.
    pub version: i64,
    pub kind: MeetingKind,
    pub title: String,
    /// Viet Nam's time.
    pub starts_at: NaiveDateTime,
    /// A room, or the link of an online conference.
    pub place: String,
    pub chair: String,
    pub agenda: Vec<AgendaItem>,
    pub participants: Vec<Participant>,
    pub conclusions: Vec<Conclusion>,
    pub created_by: String,
}

impl Meeting {
    pub fn date(&self) -> NaiveDate {
        self.starts_at.date()
    }
}

/// Which meetings a list shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MeetingQuery {
    pub kind: Option<MeetingKind>,
    /// The first and last day (inclusive) of the meetings' dates.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// One document line of the form: "name | link", or a link alone, or a name alone with an
/// attachment uploaded for it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentForm {
    pub name: String,
    pub link: String,
    pub attachment: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AgendaForm {
    pub title: String,
    pub presenter: String,
    pub documents: Vec<DocumentForm>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ParticipantForm {
    pub name: String,
    pub unit: String,
    /// `present`, `absent` or `represented`.
    pub attendance: String,
    /// The reason of an absence, or the stand-in's name.
    pub note: String,
}

/// The meeting form as the browser sends it: text, read by [`MeetingForm::read`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MeetingForm {
    /// 0: a new meeting.
    pub id: i64,
    /// The version the form was read at (0: new).
    pub version: i64,
    pub kind: String,
    pub title: String,
    /// `YYYY-MM-DDTHH:MM` (the browser's datetime-local), Viet Nam's time.
    pub starts_at: String,
    pub place: String,
    pub chair: String,
    pub agenda: Vec<AgendaForm>,
    pub participants: Vec<ParticipantForm>,
}

/// What was wrong with a form: each problem with the field it concerns, nothing stored.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormErrors(pub Vec<(String, String)>);

impl FormErrors {
    /// One field's refusal.
    pub fn one(field: impl Into<String>, message: impl Into<String>) -> FormErrors {
        let mut e = FormErrors::default();
        e.add(field, message);
        e
    }
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push((field.into(), message.into()));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn of(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
    /// Takes a field's value, or records its error and gives the default.
    pub fn take<T: Default>(&mut self, field: &str, r: Result<T, String>) -> T {
        r.unwrap_or_else(|e| {
            self.add(field, e);
            T::default()
        })
    }
}

/// Reads a date typed as `YYYY-MM-DD` (the browser's date input) or `DD/MM/YYYY`.
pub fn parse_date(input: &str, field: (&str, &str)) -> Result<NaiveDate, String> {
    let t = input.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .map_err(|_| {
            format!(
                "{}: ngày “{}” không hợp lệ, nhập dạng 25/11/2026. ({}: not a date.)",
                field.0,
                t.chars().take(20).collect::<String>(),
                field.1
            )
        })
}

/// A link to a document: http(s) only (never `javascript:` or a file path).
pub fn parse_link(input: &str) -> Result<Option<String>, String> {
    let t = input.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let lower = t.to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && t.len() <= MAX_LINK
        && !t.chars().any(|c| c.is_whitespace() || c.is_control())
        && !t.contains(['<', '>', '"', '\'']);
    if ok {
        Ok(Some(t.to_string()))
    } else {
        Err("Liên kết phải bắt đầu bằng https:// và không có khoảng trắng. (A link must be an http(s) address.)".into())
    }
}

/// Which unit codes exist and may be named on a meeting or task (ministries and provinces).
pub trait Units {
    /// The unit's Vietnamese name when it is a ministry or a province.
    fn assignable(&self, code: &str) -> Option<String>;
}

impl MeetingForm {
    /// The meeting this form describes, or every problem in it. `created_by` is the signed-in
    /// person's name (kept from the stored meeting on an edit).
    pub fn read(&self, units: &dyn Units, created_by: &str) -> Result<Meeting, FormErrors> {
        let mut e = FormErrors::default();
        let kind = e.take(
            "kind",
            MeetingKind::parse(self.kind.trim())
                .map(Some)
                .ok_or_else(|| "Chọn loại phiên họp. (Choose the kind of meeting.)".to_string()),
        );
        let title = e.take(
            "title",
            text::check(("Tên phiên họp", "Title"), &self.title, MAX_TITLE, true),
        );
        let starts_at = e.take(
            "starts_at",
            NaiveDateTime::parse_from_str(self.starts_at.trim(), "%Y-%m-%dT%H:%M")
                .map(Some)
                .map_err(|_| {
                    "Thời gian họp: nhập ngày và giờ bắt đầu. (Enter the meeting's date and time.)"
                        .to_string()
                }),
        );
        let place = e.take(
            "place",
            text::check(
                ("Địa điểm hoặc đường dẫn", "Place or link"),
                &self.place,
                MAX_LINK,
                true,
            ),
        );
        let chair = e.take(
            "chair",
            text::check(("Chủ trì", "Chair"), &self.chair, MAX_SHORT, true),
        );
        if self.agenda.len() > MAX_AGENDA {
            e.add(
                "agenda",
                format!("Tối đa {MAX_AGENDA} nội dung. (At most {MAX_AGENDA} agenda items.)"),
            );
        }
        let mut agenda = Vec::new();
        for (i, a) in self.agenda.iter().enumerate().take(MAX_AGENDA) {
            let n = i + 1;
            // A row left entirely empty is ignored (forms start with a blank row).
            if a.title.trim().is_empty() && a.presenter.trim().is_empty() && a.documents.is_empty()
            {
                continue;
            }
            let title = e.take(
                &format!("agenda.{i}.title"),
                text::check(
                    (&format!("Nội dung {n}"), &format!("Agenda item {n}")),
                    &a.title,
                    MAX_TITLE,
                    true,
                ),
            );
            let presenter = match a.presenter.trim() {
                "" => None,
                code => match units.assignable(code) {
                    Some(_) => Some(code.to_string()),
                    None => {
                        e.add(format!("agenda.{i}.presenter"), unknown_unit(code));
                        None
                    }
                },
            };
            if a.documents.len() > MAX_DOCUMENTS {
                e.add(
                    format!("agenda.{i}.documents"),
                    format!("Tối đa {MAX_DOCUMENTS} tài liệu mỗi nội dung. (At most {MAX_DOCUMENTS} documents.)"),
                );
            }
            let mut documents = Vec::new();
            for (j, d) in a.documents.iter().enumerate().take(MAX_DOCUMENTS) {
                let field = format!("agenda.{i}.documents.{j}");
                match read_document(d) {
                    Ok(Some(doc)) => documents.push(doc),
                    Ok(None) => {}
                    Err(m) => e.add(field, m),
                }
            }
            agenda.push(AgendaItem {
                title: title.unwrap_or_default(),
                presenter,
                documents,
            });
        }
        if self.participants.len() > MAX_PARTICIPANTS {
            e.add(
                "participants",
                format!(
                    "Tối đa {MAX_PARTICIPANTS} người dự. (At most {MAX_PARTICIPANTS} participants.)"
                ),
            );
        }
        let mut participants = Vec::new();
        for (i, p) in self.participants.iter().enumerate().take(MAX_PARTICIPANTS) {
            if p.name.trim().is_empty() && p.unit.trim().is_empty() && p.note.trim().is_empty() {
                continue;
            }
            let n = i + 1;
            let name = e.take(
                &format!("participants.{i}.name"),
                text::check(
                    (&format!("Người dự {n}"), &format!("Participant {n}")),
                    &p.name,
                    MAX_SHORT,
                    true,
                ),
            );
            let unit = match p.unit.trim() {
                "" => None,
                code if units.assignable(code).is_some() => Some(code.to_string()),
                code => {
                    e.add(format!("participants.{i}.unit"), unknown_unit(code));
                    None
                }
            };
            let field = format!("participants.{i}.note");
            let attendance = match p.attendance.trim() {
                "" | "present" => Attendance::Present,
                "absent" => Attendance::Absent {
                    reason: e
                        .take(
                            &field,
                            text::check(
                                ("Lý do vắng", "Reason for absence"),
                                &p.note,
                                MAX_SHORT,
                                true,
                            ),
                        )
                        .unwrap_or_default(),
                },
                "represented" => Attendance::Represented {
                    by: e
                        .take(
                            &field,
                            text::check(("Người dự thay", "Stand-in"), &p.note, MAX_SHORT, true),
                        )
                        .unwrap_or_default(),
                },
                _ => {
                    e.add(field, "Chọn có mặt, vắng mặt hoặc cử người dự thay. (Choose present, absent or represented.)");
                    Attendance::Present
                }
            };
            participants.push(Participant {
                name: name.unwrap_or_default(),
                unit,
                attendance,
            });
        }
        match (kind, title, starts_at, place, chair) {
            (Some(kind), Some(title), Some(starts_at), Some(place), Some(chair))
                if e.is_empty() =>
            {
                Ok(Meeting {
                    id: self.id,
                    version: self.version,
                    kind,
                    title,
                    starts_at,
                    place,
                    chair,
                    agenda,
                    participants,
                    conclusions: Vec::new(),
                    created_by: created_by.to_string(),
                })
            }
            _ => Err(e),
        }
    }
}

/// A document row as typed: nothing (all empty), a document, or why not.
pub fn read_document(d: &DocumentForm) -> Result<Option<Document>, String> {
    let link = parse_link(&d.link)?;
    if d.name.trim().is_empty() && link.is_none() && d.attachment.is_none() {
        return Ok(None);
    }
    let name = text::check(("Tên tài liệu", "Document name"), &d.name, MAX_SHORT, false)?;
    let name = name
        .or_else(|| link.clone())
        .unwrap_or_else(|| "Tài liệu".into());
    if link.is_none() && d.attachment.is_none() {
        return Err(format!(
            "Tài liệu “{name}”: đính kèm tệp hoặc nhập liên kết. (Attach a file or give a link.)"
        ));
    }
    Ok(Some(Document {
        name,
        link,
        attachment: d.attachment,
    }))
}

pub fn unknown_unit(code: &str) -> String {
    format!(
        "Không có bộ, ngành hay tỉnh, thành phố mã “{}”. (No ministry or province with this code.)",
        code.chars().take(20).collect::<String>()
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub struct TestUnits;
    impl Units for TestUnits {
        fn assignable(&self, code: &str) -> Option<String> {
            match code {
                "BTC" => Some("Bộ Tài chính".into()),
                "BKHCN" => Some("Bộ Khoa học và Công nghệ".into()),
                "01" => Some("Thành phố Hà Nội".into()),
                _ => None,
            }
        }
    }

    pub fn form() -> MeetingForm {
        MeetingForm {
            kind: "regular".into(),
            title: "Phiên họp Chính phủ thường kỳ tháng 11 năm 2026".into(),
            starts_at: "2026-11-25T08:30".into(),
            place: "Trụ sở Chính phủ, 1 Hoàng Hoa Thám".into(),
            chair: "Thủ tướng Chính phủ".into(),
            agenda: vec![
                AgendaForm {
                    title: "Tình hình kinh tế - xã hội tháng 11".into(),
                    presenter: "BTC".into(),
                    documents: vec![DocumentForm {
                        name: "Báo cáo".into(),
                        link: "https://vpcp.gov.vn/bc-11".into(),
                        attachment: None,
                    }],
                },
                AgendaForm::default(),
            ],
            participants: vec![ParticipantForm {
                name: "Bộ trưởng Bộ Tài chính".into(),
                unit: "BTC".into(),
                attendance: "represented".into(),
                note: "Thứ trưởng".into(),
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_filled_form_reads_as_a_meeting_and_blank_rows_are_ignored() {
        let m = form().read(&TestUnits, "Văn phòng").unwrap();
        assert_eq!(m.kind, MeetingKind::Regular);
        assert_eq!(m.agenda.len(), 1);
        assert_eq!(m.agenda[0].presenter.as_deref(), Some("BTC"));
        assert_eq!(
            m.participants[0].attendance,
            Attendance::Represented {
                by: "Thứ trưởng".into()
            }
        );
    }

    #[test]
    fn every_bad_field_is_named_and_nothing_is_read() {
        let mut f = form();
        f.title = "<b>Họp</b>".into();
        f.kind = "party".into();
        f.starts_at = "mai".into();
        f.agenda[0].presenter = "XYZ".into();
        f.agenda[0].documents[0].link = "javascript:alert(1)".into();
        f.participants[0].attendance = "absent".into();
        f.participants[0].note = "".into();
        let e = f.read(&TestUnits, "x").unwrap_err();
        for field in [
            "title",
            "kind",
            "starts_at",
            "agenda.0.presenter",
            "agenda.0.documents.0",
            "participants.0.note",
        ] {
            assert!(e.of(field).is_some(), "{field}: {e:?}");
        }
        assert!(e.of("title").unwrap().contains("HTML"));
    }

    #[test]
    fn document_numbers_look_like_the_governments() {
        assert!(DocumentRef::parse_number("123/TB-VPCP").is_ok());
        assert!(DocumentRef::parse_number("42/2014/QĐ-TTg").is_ok());
        for bad in ["", "TB-VPCP", "123", "123/", "12 3/TB", "1/<b>"] {
            assert!(DocumentRef::parse_number(bad).is_err(), "{bad}");
        }
    }
}
