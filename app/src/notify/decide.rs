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
        .contacts()
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
    Ok(out)
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
    let day = |d: NaiveDate| d.format("%d/%m/%Y").to_string();

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
