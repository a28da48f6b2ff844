//! The demo's meetings and tasks: last month's regular meeting, a thematic meeting on
//! law-making and an upcoming online conference with the provinces, with conclusions whose
//! tasks are in every class (done early, on time, late, overdue, in progress). Written through
//! the store's one path for meetings and tasks, with the model's own form rules, once.

use crate::catalogue::Catalogue;
use app::model::meeting::{AgendaForm, DocumentForm, MeetingForm, ParticipantForm, Units};
use app::model::task::{AssignForm, TaskChange, TaskEvent, TaskForm};
use app::store::{AuditEntry, Store, StoreError};
use chrono::{Duration, NaiveDate, TimeZone, Utc};

impl Units for Catalogue {
    fn assignable(&self, code: &str) -> Option<String> {
        use app::model::UnitKind;
        self.units
            .iter()
            .find(|u| u.code == code && matches!(u.kind, UnitKind::Ministry | UnitKind::Province))
            .map(|u| u.name_vi.clone())
    }
}

const BY: &str = "Văn phòng Chính phủ (demo)";

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn item(title: &str, presenter: &str, doc: &str) -> AgendaForm {
    AgendaForm {
        title: title.into(),
        presenter: presenter.into(),
        documents: vec![DocumentForm {
            name: doc.into(),
            link: "https://chinhphu.vn".into(),
            attachment: None,
        }],
    }
}

fn who(name: &str, unit: &str, attendance: &str, note: &str) -> ParticipantForm {
    ParticipantForm {
        name: name.into(),
        unit: unit.into(),
        attendance: attendance.into(),
        note: note.into(),
    }
}

fn task(content: &str, lead: &str, coordinating: &str, deadline: NaiveDate) -> TaskForm {
    TaskForm {
        content: content.into(),
        lead: lead.into(),
        coordinating: coordinating.into(),
        deadline: day(deadline),
        priority: "normal".into(),
    }
}

/// Seeds the demo meetings and tasks around `today` unless a meeting exists already.
pub async fn seed(
    store: &dyn Store,
    catalogue: &Catalogue,
    today: NaiveDate,
) -> Result<(), StoreError> {
    if !store.meetings(&Default::default()).await?.is_empty() {
        return Ok(());
    }
    let bad = |what: &str, e: app::model::meeting::FormErrors| {
        StoreError::other(format!("demo {what}: {:?}", e.0))
    };
    let at = |d: NaiveDate, h: u32| day(d) + &format!("T{h:02}:00");
    let audit = AuditEntry::system("demo_seed", "meetings");
    let meetings = [
        (
            MeetingForm {
                kind: "regular".into(),
                title: "Phiên họp Chính phủ thường kỳ (mô phỏng)".into(),
                starts_at: at(today - Duration::days(30), 8),
                place: "Trụ sở Chính phủ, 1 Hoàng Hoa Thám, Hà Nội".into(),
                chair: "Thủ tướng Chính phủ".into(),
                agenda: vec![
                    item(
                        "Tình hình kinh tế - xã hội tháng trước",
                        "BTC",
                        "Báo cáo tình hình kinh tế - xã hội",
                    ),
                    item("Giải ngân vốn đầu tư công", "BTC", "Báo cáo giải ngân"),
                ],
                participants: vec![
                    who("Bộ trưởng Bộ Tài chính", "BTC", "present", ""),
                    who(
                        "Bộ trưởng Bộ Công Thương",
                        "BCT",
                        "represented",
                        "Thứ trưởng Bộ Công Thương",
                    ),
                    who(
                        "Chủ tịch UBND Thành phố Hà Nội",
                        "01",
                        "absent",
                        "Tiếp đoàn công tác nước ngoài",
                    ),
                ],
                ..Default::default()
            },
            Some((
                "1001/TB-VPCP",
                today - Duration::days(28),
                "Kết luận của Thủ tướng Chính phủ tại phiên họp thường kỳ (mô phỏng).",
                vec![
                    task(
                        "Hoàn thiện báo cáo đánh giá thu ngân sách nhà nước",
                        "BTC",
                        "BCT",
                        today - Duration::days(10),
                    ),
                    task(
                        "Đẩy nhanh giải ngân vốn đầu tư công các dự án trọng điểm",
                        "01",
                        "BTC",
                        today - Duration::days(5),
                    ),
                    task(
                        "Rà soát, tháo gỡ vướng mắc cho xuất khẩu nông sản",
                        "BCT",
                        "BNNMT",
                        today - Duration::days(3),
                    ),
                    task(
                        "Báo cáo tình hình thị trường bất động sản",
                        "BXD",
                        "BTC",
                        today + Duration::days(4),
                    ),
                    task(
                        "Xây dựng kịch bản tăng trưởng quý tới",
                        "BTC",
                        "",
                        today + Duration::days(20),
                    ),
                ],
            )),
        ),
        (
            MeetingForm {
                kind: "thematic".into(),
                title: "Phiên họp chuyên đề về xây dựng pháp luật (mô phỏng)".into(),
                starts_at: at(today - Duration::days(12), 14),
                place: "Trụ sở Chính phủ".into(),
                chair: "Thủ tướng Chính phủ".into(),
                agenda: vec![
                    item(
                        "Dự án Luật sửa đổi, bổ sung một số điều",
                        "BTP",
                        "Tờ trình dự án luật",
                    ),
                    item("Đề nghị xây dựng Nghị định", "BKHCN", "Tờ trình"),
                ],
                participants: vec![who("Bộ trưởng Bộ Tư pháp", "BTP", "present", "")],
                ..Default::default()
            },
            Some((
                "1050/TB-VPCP",
                today - Duration::days(11),
                "Kết luận phiên họp chuyên đề về xây dựng pháp luật (mô phỏng).",
                vec![
                    task(
                        "Tiếp thu, hoàn thiện hồ sơ dự án luật",
                        "BTP",
                        "BKHCN",
                        today + Duration::days(2),
                    ),
                    task(
                        "Trình Chính phủ dự thảo Nghị định",
                        "BKHCN",
                        "BTP",
                        today + Duration::days(15),
                    ),
                ],
            )),
        ),
        (
            MeetingForm {
                kind: "online".into(),
                title: "Hội nghị trực tuyến Chính phủ với địa phương (mô phỏng)".into(),
                starts_at: at(today + Duration::days(5), 8),
                place: "https://hop.chinhphu.vn/truc-tuyen".into(),
                chair: "Thủ tướng Chính phủ".into(),
                agenda: vec![item(
                    "Triển khai nhiệm vụ cuối năm",
                    "",
                    "Dự thảo Nghị quyết",
                )],
                ..Default::default()
            },
            None,
        ),
    ];
    for (form, conclusion) in meetings {
        let meeting = form.read(catalogue, BY).map_err(|e| bad("meeting", e))?;
        let (id, _) = store.save_meeting(&meeting, &[], &audit).await?;
        let Some((number, date, summary, tasks)) = conclusion else {
            continue;
        };
        let Some(mut meeting) = store.meeting(id).await? else {
            continue;
        };
        let form = AssignForm {
            meeting: id,
            version: meeting.version,
            number: number.into(),
            date: day(date),
            summary: summary.into(),
            tasks,
        };
        let assigned_at = Utc.from_utc_datetime(&date.and_hms_opt(3, 0, 0).unwrap_or_default());
        let mut a = form
            .read(catalogue, Some(meeting.date()), 1, BY, assigned_at)
            .map_err(|e| bad("conclusion", e))?;
        // Some are done (reported with their document, confirmed by the secretariat): early,
        // on the day, late; one waits for the confirmation; the rest stay open. Never done
        // before it was assigned.
        for (i, t) in a.tasks.iter_mut().enumerate() {
            let Some(deadline) = t.deadline else { continue };
            let done = match i {
                0 => Some(deadline - Duration::days(2)),
                1 if id % 2 == 0 => Some(today - Duration::days(1)),
                2 => Some(deadline + Duration::days(1)).filter(|d| *d <= today),
                3 if id % 2 == 1 => Some(today - Duration::days(1)),
                _ => None,
            }
            .map(|d| d.max(t.assigned_on))
            .filter(|d| *d <= today);
            let Some(d) = done else {
                if deadline > today {
                    t.percent = 40;
                }
                continue;
            };
            t.percent = 100;
            let at = |d: chrono::NaiveDate, hour: u32| {
                Utc.from_utc_datetime(&d.and_hms_opt(hour, 0, 0).unwrap_or_default())
            };
            t.history.push(TaskEvent {
                at: at(d, 9),
                by: format!("Cán bộ {} (demo)", t.lead),
                what: TaskChange::Done {
                    note: Some("Đã hoàn thành và gửi báo cáo (mô phỏng).".into()),
                    evidence: None,
                    on: Some(d),
                    document: Some(format!(
                        "{}/{}-VP ngày {}",
                        100 + i,
                        t.lead,
                        d.format("%d/%m/%Y")
                    )),
                },
            });
            if i == 1 {
                t.awaiting = Some(d);
                continue;
            }
            t.done_on = Some(d);
            t.history.push(TaskEvent {
                at: at(d, 15),
                by: BY.into(),
                what: TaskChange::DoneConfirmed,
            });
        }
        meeting.conclusions.push(app::model::meeting::Conclusion {
            id: 1,
            document: a.document,
            summary: a.summary,
        });
        store.save_meeting(&meeting, &a.tasks, &audit).await?;
    }
    Ok(())
}
