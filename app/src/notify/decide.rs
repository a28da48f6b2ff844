//! What the centre tells whom on a day: each rule reads what a page reads (a unit's reporting
//! desk) and names its people by role and unit. Deciding again the same day, or on another
//! instance, finds the same `about`s, which the store keeps once.

use crate::catalogue::CatalogueIndex;
use crate::model::Unit;
use crate::model::auth::Role;
use crate::model::notification::{NewNotification, NotifyKind};
use crate::model::report::ReportStatus;
use crate::model::reporting::Due;
use crate::reporting::api::{UnitDesk, unit_desk};
use crate::store::{Contact, Store, StoreError, UserRecord};
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap};

/// How the rules are tuned (`DIEUHANH_ESCALATE_AFTER_DAYS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    /// Working days after a missed deadline before the approvers are told, and as many again
    /// before the secretariat is.
    pub escalate_after: u32,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules { escalate_after: 2 }
    }
}

/// Working days before a deadline the officers are reminded.
pub const DUE_WITHIN: u32 = 2;
/// Working days before a task's deadline its lead unit is reminded.
pub const TASK_DUE_WITHIN: u32 = 3;
/// Days an event (a task given, an extension decided) stays news: a centre that starts, or
/// an account made later, is not told of every task of past years.
pub const NEWS_DAYS: i64 = 7;

/// Every notification due on `today`.
pub async fn decide(
    store: &dyn Store,
    catalogue: &CatalogueIndex,
    today: NaiveDate,
    rules: Rules,
) -> Result<Vec<NewNotification>, StoreError> {
    let users: Vec<UserRecord> = store
        .users()
        .await?
        .into_iter()
        .filter(|u| !u.disabled)
        .collect();
    let contacts: HashMap<i64, Contact> = store
        .contacts(None)
        .await?
        .into_iter()
        .map(|c| (c.user_id, c))
        .collect();
    let days_off = store.reporting_calendar().await?.days_off();
    let people = People {
        users: &users,
        contacts: &contacts,
    };
    let units: BTreeSet<&str> = users
        .iter()
        .flat_map(|u| &u.roles)
        .filter(|g| matches!(g.role, Role::Officer | Role::Approver))
        .filter_map(|g| g.unit.as_deref())
        .collect();
    let mut out = Vec::new();
    for code in units {
        let Some(unit) = catalogue.units.get(code) else {
            continue;
        };
        let desk = unit_desk(store, catalogue, unit, &days_off, today).await?;
        reports(&mut out, &people, unit, &desk, today, &days_off, rules);
    }
    for t in store.tasks(&Default::default()).await? {
        tasks(&mut out, &people, catalogue, &t, today, &days_off);
    }
    // Those not accepted yet: an accepted request has nothing more to tell.
    let open = crate::model::explanation::ExplanationQuery {
        waiting: true,
        ..Default::default()
    };
    for r in store.explanations(&open).await? {
        explanations(&mut out, &people, catalogue, &r, today);
    }
    for b in store.briefs().await? {
        briefs(&mut out, &people, &b, today);
    }
    followed(&mut out, &people, store, catalogue, today).await?;
    Ok(out)
}

/// The figure rule: the newest value of a figure a person follows, recorded while it is news,
/// past an administrator's warning or critical threshold (the wall's alert, by the same
/// [`crate::store::Threshold::level`]) or far from its history. Once per person, period and
/// level: a worse level is told again, a revision at the same level is not.
async fn followed(
    out: &mut Vec<NewNotification>,
    people: &People<'_>,
    store: &dyn Store,
    catalogue: &CatalogueIndex,
    today: NaiveDate,
) -> Result<(), StoreError> {
    use crate::model::format::number_vi;
    use crate::model::i18n::Lang;
    use crate::model::live::AlertLevel;
    let follows = store.follows(None).await?;
    if follows.is_empty() {
        return Ok(());
    }
    let thresholds: HashMap<String, crate::store::Threshold> = store
        .thresholds()
        .await?
        .into_iter()
        .map(|t| (t.indicator.clone(), t))
        .collect();
    // One read per indicator followed: the newest value of each of its units.
    let mut newest = HashMap::new();
    for code in follows
        .iter()
        .map(|f| f.indicator.as_str())
        .collect::<BTreeSet<_>>()
    {
        let scope = crate::store::LatestScope::Indicator(code.to_string());
        for o in store.latest(&scope).await?.observations {
            newest.insert((o.indicator.clone(), o.unit.clone()), o);
        }
    }
    for f in &follows {
        let (Some(user), Some(o), Some(indicator), Some(unit)) = (
            people.users.iter().find(|u| u.id == f.user_id),
            newest.get(&(f.indicator.clone(), f.unit.clone())),
            catalogue.indicators.get(&f.indicator),
            catalogue.units.get(&f.unit),
        ) else {
            continue;
        };
        if (today - crate::model::vietnam_time(o.updated_at).date()).num_days() > NEWS_DAYS {
            continue;
        }
        let number = |v: f64| number_vi(v, indicator.decimals);
        // A threshold as the administrator set it, not rounded to the indicator's places.
        let exact = |v: f64| {
            number_vi(
                v,
                crate::model::format::decimals_needed(v).max(indicator.decimals),
            )
        };
        // The period as the screens say it ("Tháng 10/2026", "Oct 2026").
        let (period_vi, period_en) = (Lang::Vi.period(&o.period), Lang::En.period(&o.period));
        let figure = format!(
            "{} của {}, {period_vi}: {} {}",
            indicator.name_vi,
            unit.name_vi,
            number(o.value),
            indicator.measure_vi
        );
        let mut alerts = Vec::new();
        match thresholds
            .get(&f.indicator)
            .and_then(|t| t.level(indicator.good_direction, o.value))
        {
            Some((AlertLevel::Critical, Some(t))) => alerts.push((
                "critical",
                "Nguy cấp",
                format!(
                    "vượt ngưỡng nguy cấp {} (past the critical threshold)",
                    exact(t)
                ),
            )),
            Some((AlertLevel::Warning, Some(t))) => alerts.push((
                "warning",
                "Cảnh báo",
                format!(
                    "vượt ngưỡng cảnh báo {} (past the warning threshold)",
                    exact(t)
                ),
            )),
            _ => {}
        }
        if let Some(usual) = o.outlier {
            alerts.push((
                "outlier",
                "Số liệu bất thường",
                format!(
                    "ngoài khoảng thường gặp {} – {} theo các kỳ trước (unusual against its history)",
                    number(usual.low),
                    number(usual.high)
                ),
            ));
        }
        for (step, heading, why) in alerts {
            people.tell(
                out,
                std::iter::once(user),
                &Message {
                    kind: NotifyKind::FigureAlert,
                    about: format!("follow/{}/{}/{}/{step}", f.indicator, f.unit, o.period),
                    subject: format!(
                        "{heading}: {} của {}, {period_vi}",
                        indicator.name_vi, unit.name_vi
                    ),
                    body: format!(
                        "{figure}, {why}.\n\nA figure you follow: {} of {}, {period_en}: {} {}.",
                        indicator.name_en,
                        unit_names(catalogue, &f.unit).1,
                        number(o.value),
                        indicator.measure
                    ),
                    link: format!("/indicators/{}?unit={}", f.indicator, f.unit),
                },
            );
        }
    }
    Ok(())
}

/// The brief rules: a draft the schedule composed (the secretariat, to review it); a brief
/// marked final (the leaders and the secretariat), each while it is news.
fn briefs(
    out: &mut Vec<NewNotification>,
    people: &People,
    b: &crate::brief::model::BriefRecord,
    today: NaiveDate,
) {
    use crate::brief::model::BriefState;
    let news = |at: chrono::DateTime<chrono::Utc>| {
        (today - crate::model::vietnam_time(at).date()).num_days() <= NEWS_DAYS
    };
    let month_vi = b.month.label_vi().to_lowercase();
    let month_en = b.month.label_en();
    let meeting = b
        .meeting
        .as_ref()
        .map(|m| format!(" ({}, {})", m.title, day(m.starts_at.date())))
        .unwrap_or_default();
    match (&b.state, &b.finalised) {
        (BriefState::Draft, _) if b.scheduled && news(b.composed_at) => people.tell(
            out,
            people.with(Role::Secretariat, None),
            &Message {
                kind: NotifyKind::BriefReady,
                about: format!("brief/{}/draft", b.id),
                subject: format!("Dự thảo báo cáo {month_vi} đã sẵn sàng{meeting}"),
                body: format!(
                    "Dự thảo báo cáo {month_vi} phục vụ phiên họp thường kỳ đã được lập tự động với số liệu đến lượt cập nhật {}. Hãy xem, thêm nhận xét và chốt bản chính thức.\n\nThe draft brief for {month_en} was composed with the figures as of update {}: review it, comment and mark it final.",
                    b.seq, b.seq
                ),
                link: "/briefs".into(),
            },
        ),
        (BriefState::Final, Some((at, by))) if news(*at) => people.tell(
            out,
            people
                .with(Role::Leader, None)
                .chain(people.with(Role::Secretariat, None)),
            &Message {
                kind: NotifyKind::BriefReady,
                about: format!("brief/{}/final", b.id),
                subject: format!("Báo cáo {month_vi} (bản chính thức){meeting}"),
                body: format!(
                    "{by} đã chốt bản chính thức báo cáo {month_vi}, phiên bản {}.\n\n{by} marked the brief for {month_en}, version {}, final.",
                    b.version, b.version
                ),
                // The page, where the PDF is one tap away: a link straight to the file would
                // be taken for a page by the inbox's router.
                link: "/briefs".into(),
            },
        ),
        _ => {}
    }
}

/// A unit's name in both languages.
fn unit_names(catalogue: &CatalogueIndex, code: &str) -> (String, String) {
    match catalogue.units.get(code) {
        Some(u) => (
            u.name_vi.clone(),
            u.name_en.clone().unwrap_or_else(|| u.name_vi.clone()),
        ),
        None => (code.to_string(), code.to_string()),
    }
}

fn day(d: NaiveDate) -> String {
    crate::model::i18n::Lang::Vi.date(d)
}

/// The task rules: given (the lead unit's officers, while it is news); due within 3 working
/// days and not done (officers); overdue (officers and approvers); an extension granted or
/// refused (the lead unit's officers and the secretariat, while it is news). A new deadline
/// (an extension) is a new reminder.
fn tasks(
    out: &mut Vec<NewNotification>,
    people: &People,
    catalogue: &CatalogueIndex,
    t: &crate::model::task::Task,
    today: NaiveDate,
    days_off: &crate::model::reporting::Holidays,
) {
    use crate::model::task::{TaskChange, TaskClass};
    let lead = t.lead.as_str();
    let officers = || people.with(Role::Officer, Some(lead));
    let (unit_vi, unit_en) = unit_names(catalogue, lead);
    let what: String = {
        let mut s: String = t.content.chars().take(120).collect();
        if t.content.chars().count() > 120 {
            s.push('…');
        }
        s
    };
    let link = format!("/tasks/{}", t.id);
    let recent = |at: chrono::DateTime<chrono::Utc>| {
        (today - crate::model::vietnam_time(at).date()).num_days() <= NEWS_DAYS
    };
    let done = t.done_on.is_some() || t.awaiting.is_some();
    let deadline = t.dates().deadline_in_force();
    let by = deadline
        .map(|d| (format!(", hạn {}", day(d)), format!(", due {}", day(d))))
        .unwrap_or_default();

    for e in &t.history {
        match &e.what {
            TaskChange::Assigned if !done && recent(e.at) => people.tell(
                out,
                officers(),
                &Message {
                    kind: NotifyKind::TaskAssigned,
                    about: format!("task/{}/assigned", t.id),
                    subject: format!("Nhiệm vụ mới giao cho {unit_vi}: {what}"),
                    body: format!(
                        "{unit_vi} được giao chủ trì nhiệm vụ{}: {}\n\n{unit_en} leads a new task{}.",
                        by.0, t.content, by.1
                    ),
                    link: link.clone(),
                },
            ),
            TaskChange::ExtensionGranted { .. } | TaskChange::ExtensionRefused { .. }
                if recent(e.at) =>
            {
                let (subject, body) = match &e.what {
                    TaskChange::ExtensionGranted { to, reason } => (
                        format!("Đồng ý gia hạn đến {}: {what}", day(*to)),
                        format!(
                            "Nhiệm vụ do {unit_vi} chủ trì được gia hạn đến ngày {}: {}\n\nThe task led by {unit_en} is extended to {}.{}",
                            day(*to),
                            t.content,
                            day(*to),
                            reason
                                .as_deref()
                                .map(|r| format!("\n\nLý do (reason): {r}"))
                                .unwrap_or_default()
                        ),
                    ),
                    TaskChange::ExtensionRefused { reason } => (
                        format!("Không đồng ý gia hạn: {what}"),
                        format!(
                            "Đề nghị gia hạn nhiệm vụ do {unit_vi} chủ trì không được chấp thuận: {}\n\nThe extension asked for the task led by {unit_en} was refused.\n\nLý do (reason): {reason}",
                            t.content
                        ),
                    ),
                    _ => continue,
                };
                people.tell(
                    out,
                    officers().chain(people.with(Role::Secretariat, None)),
                    &Message {
                        kind: NotifyKind::ExtensionDecided,
                        about: format!("task/{}/extension/{}", t.id, e.at.timestamp()),
                        subject,
                        body,
                        link: link.clone(),
                    },
                )
            }
            _ => {}
        }
    }

    let Some(deadline) = deadline else {
        return;
    };
    if done {
        return;
    }
    match t.class_on(today) {
        TaskClass::Overdue => {
            people.tell(
                out,
                officers().chain(people.with(Role::Approver, Some(lead))),
                &Message {
                    kind: NotifyKind::TaskOverdue,
                    about: format!("task/{}/overdue/{deadline}", t.id),
                    subject: format!("Nhiệm vụ quá hạn: {what}, hạn {}", day(deadline)),
                    body: format!(
                        "Nhiệm vụ do {unit_vi} chủ trì đã quá hạn ngày {} và chưa hoàn thành: {}\n\nThe task led by {unit_en} was due on {} and is not done.",
                        day(deadline),
                        t.content,
                        day(deadline)
                    ),
                    link,
                },
            );
        }
        TaskClass::InProgress
            if deadline <= days_off.working_days_after(today, TASK_DUE_WITHIN) =>
        {
            people.tell(
                out,
                officers(),
                &Message {
                    kind: NotifyKind::TaskDue,
                    about: format!("task/{}/due/{deadline}", t.id),
                    subject: format!("Nhiệm vụ sắp đến hạn {}: {what}", day(deadline)),
                    body: format!(
                        "Nhiệm vụ do {unit_vi} chủ trì đến hạn ngày {}: {}\n\nThe task led by {unit_en} is due on {}.",
                        day(deadline),
                        t.content,
                        day(deadline)
                    ),
                    link,
                },
            );
        }
        _ => {}
    }
}

/// The explanation rules: asked, or asked again (the unit's officers); answered (the person
/// who asked); overdue (the officers and the person who asked).
fn explanations(
    out: &mut Vec<NewNotification>,
    people: &People,
    catalogue: &CatalogueIndex,
    r: &crate::model::explanation::ExplanationRequest,
    today: NaiveDate,
) {
    use crate::model::explanation::{ExplanationState, Turn};
    let unit = r.unit.as_str();
    let officers = || people.with(Role::Officer, Some(unit));
    let requester = || {
        let by = r.requester().unwrap_or_default().to_string();
        people.users.iter().filter(move |u| u.username == by)
    };
    let (unit_vi, unit_en) = unit_names(catalogue, unit);
    let (ind_vi, ind_en) = match catalogue.indicators.get(&r.indicator) {
        Some(i) => (i.name_vi.clone(), i.name_en.clone()),
        None => (r.indicator.clone(), r.indicator.clone()),
    };
    let figure_vi = format!("{ind_vi} {} của {unit_vi}", r.period.label_vi());
    let figure_en = format!("{ind_en}, {}, {unit_en}", r.period.label_en());
    let link = format!("/indicators/{}?unit={unit}", r.indicator);
    let turn = r.turns.len();
    let Some(last) = r.turns.last() else {
        return;
    };
    match (&last.turn, r.state()) {
        (Turn::Question { text, due }, ExplanationState::Open) => {
            people.tell(
                out,
                officers(),
                &Message {
                    kind: NotifyKind::ExplanationAsked,
                    about: format!("explanation/{}/asked/{turn}", r.id),
                    subject: format!("Yêu cầu giải trình: {figure_vi}, hạn {}", day(*due)),
                    body: format!(
                        "{} yêu cầu {unit_vi} giải trình về {figure_vi} trước ngày {}:\n{text}\n\n{} asks {unit_en} to explain {figure_en} by {}.",
                        last.by_name,
                        day(*due),
                        last.by_name,
                        day(*due)
                    ),
                    link: link.clone(),
                },
            );
            if today > *due {
                people.tell(
                    out,
                    officers().chain(requester()),
                    &Message {
                        kind: NotifyKind::ExplanationOverdue,
                        about: format!("explanation/{}/overdue/{turn}", r.id),
                        subject: format!("Giải trình quá hạn: {figure_vi}, hạn {}", day(*due)),
                        body: format!(
                            "{unit_vi} chưa giải trình về {figure_vi}; hạn là ngày {}.\n\n{unit_en} has not explained {figure_en}; it was due on {}.",
                            day(*due),
                            day(*due)
                        ),
                        link,
                    },
                );
            }
        }
        (Turn::Answer { text, .. }, ExplanationState::Answered) => people.tell(
            out,
            requester(),
            &Message {
                kind: NotifyKind::ExplanationAnswered,
                about: format!("explanation/{}/answered/{turn}", r.id),
                subject: format!("Đã giải trình: {figure_vi}"),
                body: format!(
                    "{} ({unit_vi}) đã trả lời yêu cầu giải trình về {figure_vi}:\n{text}\n\n{unit_en} answered the request to explain {figure_en}.",
                    last.by_name
                ),
                link,
            },
        ),
        _ => {}
    }
}

/// The accounts in force with their addresses.
struct People<'a> {
    users: &'a [UserRecord],
    contacts: &'a HashMap<i64, Contact>,
}

impl People<'_> {
    /// Everyone holding `role` (for `unit`, where the role is a unit's).
    fn with(&self, role: Role, unit: Option<&str>) -> impl Iterator<Item = &UserRecord> {
        self.users.iter().filter(move |u| {
            u.roles
                .iter()
                .any(|g| g.role == role && (unit.is_none() || g.unit.as_deref() == unit))
        })
    }

    /// One notification of `what` for each of `to`.
    fn tell<'u>(
        &self,
        out: &mut Vec<NewNotification>,
        to: impl Iterator<Item = &'u UserRecord>,
        what: &Message,
    ) {
        for u in to {
            let contact = self.contacts.get(&u.id);
            out.push(NewNotification {
                user_id: u.id,
                kind: what.kind,
                about: what.about.clone(),
                subject: what.subject.clone(),
                body: what.body.clone(),
                link: what.link.clone(),
                mail_to: contact
                    .and_then(|c| c.email.clone())
                    .filter(|e| !e.is_empty()),
                delivery: contact.map(|c| c.prefs.of(what.kind)).unwrap_or_default(),
            });
        }
    }
}

/// What is said, before it is addressed.
struct Message {
    kind: NotifyKind,
    about: String,
    subject: String,
    body: String,
    link: String,
}

/// The report rules: due soon and not sent (officers); overdue (officers, then approvers, then
/// the secretariat); sent and waiting (approvers); returned (officers).
fn reports(
    out: &mut Vec<NewNotification>,
    people: &People,
    unit: &Unit,
    desk: &UnitDesk,
    today: NaiveDate,
    days_off: &crate::model::reporting::Holidays,
    rules: Rules,
) {
    let code = unit.code.as_str();
    let officers = || people.with(Role::Officer, Some(code));
    let approvers = || people.with(Role::Approver, Some(code));
    let not_sent = |s: &Option<ReportStatus>| {
        matches!(
            s,
            None | Some(ReportStatus::Draft) | Some(ReportStatus::Returned)
        )
    };
    let about = |d: &Due, step: &str| format!("report/{}/{code}/{}/{step}", d.regime, d.period);
    let link = |d: &Due| crate::reporting::due::form_href(&d.regime, code, &d.period);
    let name = |d: &Due| {
        (
            format!("{} {} của {}", d.name_vi, d.period.label_vi(), unit.name_vi),
            format!(
                "{} {} of {}",
                d.name_en,
                d.period.label_en(),
                unit.name_en.as_deref().unwrap_or(&unit.name_vi)
            ),
        )
    };

    let soon = days_off.working_days_after(today, DUE_WITHIN);
    for (d, status) in desk.due.iter().zip(&desk.status) {
        if !not_sent(status) || d.deadline > soon {
            continue;
        }
        let (vi, en) = name(d);
        let m = Message {
            kind: NotifyKind::ReportDue,
            about: about(d, "due"),
            subject: format!("Sắp đến hạn: {vi}, hạn {}", day(d.deadline)),
            body: format!(
                "{vi} đến hạn gửi ngày {}, chưa được gửi.\n\n{en} is due on {} and has not been sent.",
                day(d.deadline),
                day(d.deadline)
            ),
            link: link(d),
        };
        people.tell(out, officers(), &m);
    }

    for o in desk.owed.iter().filter(|o| not_sent(&o.status)) {
        let d = &o.due;
        let (vi, en) = name(d);
        let late = format!(
            "{vi} quá hạn từ ngày {}, chưa được gửi.\n\n{en} was due on {} and has not been sent.",
            day(d.deadline),
            day(d.deadline)
        );
        let subject = format!("Quá hạn: {vi}, hạn {}", day(d.deadline));
        people.tell(
            out,
            officers(),
            &Message {
                kind: NotifyKind::ReportOverdue,
                about: about(d, "overdue"),
                subject: subject.clone(),
                body: late.clone(),
                link: link(d),
            },
        );
        // Still not sent some working days on: the approvers, then the secretariat.
        let steps = [
            (Role::Approver, "overdue/approver", rules.escalate_after),
            (
                Role::Secretariat,
                "overdue/secretariat",
                rules.escalate_after * 2,
            ),
        ];
        for (role, step, after) in steps {
            if today < days_off.working_days_after(d.deadline, after) {
                continue;
            }
            let to: Vec<&UserRecord> = match role {
                Role::Approver => approvers().collect(),
                _ => people.with(role, None).collect(),
            };
            people.tell(
                out,
                to.into_iter(),
                &Message {
                    kind: NotifyKind::ReportOverdue,
                    about: about(d, step),
                    subject: subject.clone(),
                    body: format!(
                        "{late}\n\nĐã quá hạn {after} ngày làm việc; cán bộ báo cáo của đơn vị đã được nhắc. \
                         ({after} working days late; the unit's officers were reminded.)"
                    ),
                    link: link(d),
                },
            );
        }
    }

    for r in &desk.reports {
        let Some(set) = desk.own.iter().find(|s| s.regime == r.regime) else {
            continue;
        };
        let d = set.due(r.period, days_off);
        let (vi, en) = name(&d);
        // Keyed by the submission or the decision: sent again after a return is news again,
        // an officer's edits of a returned report are not.
        let step = |what: &str, at: Option<chrono::DateTime<chrono::Utc>>| {
            about(&d, &format!("{what}/{}", at.map_or(0, |t| t.timestamp())))
        };
        match r.status {
            ReportStatus::Submitted => people.tell(
                out,
                approvers(),
                &Message {
                    kind: NotifyKind::ReportWaiting,
                    about: step("waiting", Some(r.updated_at)),
                    subject: format!("Chờ phê duyệt: {vi}"),
                    body: format!(
                        "{vi} đã được gửi và đang chờ phê duyệt.\n\n{en} was sent and is waiting for approval."
                    ),
                    link: link(&d),
                },
            ),
            ReportStatus::Returned => {
                let why = r
                    .comment
                    .as_deref()
                    .map(|c| format!("\n\nLý do (reason): {c}"))
                    .unwrap_or_default();
                people.tell(
                    out,
                    officers(),
                    &Message {
                        kind: NotifyKind::ReportReturned,
                        about: step("returned", r.decided_at),
                        subject: format!("Bị trả lại: {vi}"),
                        body: format!(
                            "{vi} đã bị người phê duyệt trả lại.\n\n{en} was returned by its approver.{why}"
                        ),
                        link: link(&d),
                    },
                )
            }
            _ => {}
        }
    }
}
