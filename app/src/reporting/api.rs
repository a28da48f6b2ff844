//! Reporting officers' and approvers' side of the regime: what their units owe, and when.

use crate::error::AppError;
use crate::model::Unit;
use crate::model::reporting::Due;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The reports one unit owes within the next week.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitDue {
    pub unit: Unit,
    /// Viet Nam's date when this was computed.
    pub today: chrono::NaiveDate,
    pub due: Vec<Due>,
    /// The stored report of each due period, in the same order (`None`: not started).
    pub status: Vec<Option<crate::model::report::ReportStatus>>,
    /// Every report of the last year past its deadline and not approved: not sent (oldest
    /// first), returned, then waiting for approval.
    pub owed: Vec<Owed>,
    /// The unit's latest reports (newest first), to reopen one after its week.
    pub recent: Vec<(
        String,
        crate::model::Period,
        crate::model::report::ReportStatus,
    )>,
    /// What needs this person soon (see [`Reminder`]).
    pub reminders: Vec<Reminder>,
}

/// A report past its deadline that is not approved, as the officer's desk lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Owed {
    pub due: Due,
    /// None: not started.
    pub status: Option<crate::model::report::ReportStatus>,
}

#[cfg(feature = "ssr")]
impl Owed {
    /// Where it stands on the desk: not sent first, then returned, then waiting for approval.
    fn rank(&self) -> u8 {
        use crate::model::report::ReportStatus::*;
        match self.status {
            None | Some(Draft) => 0,
            Some(Returned) => 1,
            _ => 2,
        }
    }
}

/// Days ahead the list looks.
pub const DUE_DAYS: u64 = 7;

/// What one unit owes, read once: the desk's lists and the reminders and notifications made
/// from them.
#[cfg(feature = "ssr")]
pub struct UnitDesk {
    /// Due within [`DUE_DAYS`], soonest first, with the stored report's state of each.
    pub due: Vec<Due>,
    pub status: Vec<Option<crate::model::report::ReportStatus>>,
    /// Past the deadline within the last year and not approved, not sent first.
    pub owed: Vec<Owed>,
    /// A year of the unit's reports, newest first.
    pub reports: Vec<crate::model::report::Report>,
    /// The data sets the unit reports.
    pub own: Vec<crate::model::reporting::DataSet>,
}

/// The desk of `unit` on `today`.
#[cfg(feature = "ssr")]
pub async fn unit_desk(
    store: &dyn crate::store::Store,
    catalogue: &crate::catalogue::CatalogueIndex,
    unit: &Unit,
    days_off: &crate::model::reporting::Holidays,
    today: chrono::NaiveDate,
) -> Result<UnitDesk, crate::store::StoreError> {
    use crate::model::regime::data_sets_of;
    use crate::model::report::ReportStatus;
    use crate::model::reporting::{due_within, past_due};
    let own = data_sets_of(&catalogue.regimes, unit, |c| catalogue.indicators.get(c));
    // A year of every regime's reports (a weekly one makes 52) with room to spare: what is
    // due, owed and waiting is among them, read once.
    let reports = store.reports_of(&unit.code, 160).await?;
    let state_of = |regime: &str, period: &crate::model::Period| {
        reports
            .iter()
            .find(|r| r.regime == regime && r.period == *period)
            .map(|r| r.status)
    };
    // A unit owes only the periods it is in force on (a reorganisation hands the rest on).
    let due: Vec<_> = due_within(&own, days_off, today, DUE_DAYS)
        .into_iter()
        .filter(|d| unit.reports(&d.period))
        .collect();
    let status: Vec<_> = due.iter().map(|d| state_of(&d.regime, &d.period)).collect();
    let mut owed: Vec<Owed> = past_due(&own, days_off, today)
        .into_iter()
        .filter(|d| unit.reports(&d.period))
        .map(|due| Owed {
            status: state_of(&due.regime, &due.period),
            due,
        })
        .filter(|o| o.status != Some(ReportStatus::Approved))
        .collect();
    owed.sort_by_key(|o| (o.rank(), o.due.deadline));
    Ok(UnitDesk {
        due,
        status,
        owed,
        reports,
        own,
    })
}

/// For each unit the signed-in person reports for or approves: the reports due within a week,
/// soonest first, by each regime's rules and the holidays.
#[server(prefix = "/fn", endpoint = "entry_due")]
pub async fn due_reports() -> Result<Vec<UnitDue>, AppError> {
    use crate::model::auth::Action;
    use crate::model::report::ReportStatus;
    let auth = crate::request::request_auth();
    let Some(viewer) = auth.viewer else {
        return Err(AppError::sign_in());
    };
    let units = viewer.reporting_units();
    if units.is_empty() {
        return Err(AppError::forbidden(
            "Trang này dành cho cán bộ báo cáo và người phê duyệt của một đơn vị. (For a unit's reporting officers and approvers.)",
        ));
    }
    let store = expect_context::<crate::store::SharedStore>();
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    let days_off = store
        .reporting_calendar()
        .await
        .map_err(AppError::unavailable)?
        .days_off();
    let today = crate::request::clock().today();
    let mut out = Vec::new();
    for code in units {
        let Some(unit) = catalogue.units.get(&code).cloned() else {
            continue;
        };
        let UnitDesk {
            due,
            status,
            owed,
            reports,
            own,
        } = unit_desk(store.as_ref(), &catalogue, &unit, &days_off, today)
            .await
            .map_err(AppError::unavailable)?;
        let enters = viewer.can(&Action::EnterData {
            unit: unit.code.clone(),
        });
        let approves = viewer.can(&Action::ApproveData {
            unit: unit.code.clone(),
        });
        let mut reminders = Vec::new();
        if enters {
            for (d, s) in due.iter().zip(&status) {
                let open = matches!(
                    s,
                    None | Some(ReportStatus::Draft) | Some(ReportStatus::Returned)
                );
                if open && (d.deadline - today).num_days() <= REMIND_DAYS {
                    reminders.push(Reminder {
                        regime: d.regime.clone(),
                        unit: unit.code.clone(),
                        period: d.period,
                        deadline: d.deadline,
                        to_approve: false,
                    });
                }
            }
        }
        // Every submitted report waits for its approver, whatever its period.
        if approves {
            reminders.extend(
                reports
                    .iter()
                    .filter(|r| r.status == ReportStatus::Submitted)
                    .map(|r| Reminder {
                        regime: r.regime.clone(),
                        unit: unit.code.clone(),
                        period: r.period,
                        deadline: own
                            .iter()
                            .find(|s| s.regime == r.regime)
                            .map_or(r.period.end(), |s| s.rules.deadline(&r.period, &days_off)),
                        to_approve: true,
                    }),
            );
        }
        let recent = reports
            .iter()
            .take(12)
            .map(|r| (r.regime.clone(), r.period, r.status))
            .collect();
        out.push(UnitDue {
            unit,
            today,
            due,
            status,
            owed,
            recent,
            reminders,
        });
    }
    Ok(out)
}

#[cfg(feature = "ssr")]
mod desk {
    use crate::error::AppError;
    use crate::model::auth::Viewer;
    use crate::reporting::desk::{Desk, Request};
    use leptos::prelude::*;

    /// Runs `f` with the reports desk of this request.
    pub async fn with<T, F>(f: F) -> Result<T, AppError>
    where
        F: AsyncFnOnce(&Desk<'_>) -> Result<T, AppError>,
    {
        let store = expect_context::<crate::store::SharedStore>();
        let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
        let desk = Desk {
            store: store.as_ref(),
            catalogue: catalogue.as_ref(),
            now: crate::request::clock().now(),
        };
        f(&desk).await
    }

    pub fn request<'a>(
        viewer: &'a Viewer,
        auth: &crate::account::auth::RequestAuth,
        version: i64,
    ) -> Request<'a> {
        Request {
            viewer,
            audit: crate::request::audit_by(viewer, auth, "", ""),
            version,
        }
    }
}

/// The entry form of one unit for one period, for its officers and approvers.
#[server(prefix = "/fn", endpoint = "entry_form")]
pub async fn entry_form(
    #[server(default)] regime: String,
    unit: String,
    period: String,
) -> Result<crate::model::report::EntryForm, AppError> {
    let (viewer, _) = crate::request::signed_in()?;
    desk::with(async |d| d.form(&viewer, (&regime, &unit, &period)).await).await
}

/// Saves the officer's values as a draft, or submits them (`submit`); `version` is the one the
/// form was read at. Problems with values come back (`Refused`) to show beside their fields,
/// with nothing stored.
#[server(prefix = "/fn", endpoint = "entry_save", input = server_fn::codec::Json)]
pub async fn entry_save(
    #[server(default)] regime: String,
    unit: String,
    period: String,
    version: i64,
    inputs: Vec<crate::model::report::EntryInput>,
    submit: bool,
) -> Result<crate::model::report::EntryAnswer, AppError> {
    let (viewer, auth) = crate::request::signed_in()?;
    // A refusal is an answer (200 with the problems), not an error: the page shows it beside
    // the fields. (A server function's client reads any other status as an error.)
    desk::with(async |d| {
        d.save(
            desk::request(&viewer, &auth, version),
            (&regime, &unit, &period),
            &inputs,
            submit,
        )
        .await
    })
    .await
}

/// The approver approves (publishes and locks) or returns (with a comment) a submitted report.
#[server(prefix = "/fn", endpoint = "entry_decide")]
pub async fn entry_decide(
    #[server(default)] regime: String,
    unit: String,
    period: String,
    version: i64,
    decision: crate::model::report::Decision,
    comment: String,
) -> Result<crate::model::report::EntryAnswer, AppError> {
    let (viewer, auth) = crate::request::signed_in()?;
    desk::with(async |d| {
        d.decide(
            desk::request(&viewer, &auth, version),
            (&regime, &unit, &period),
            decision,
            &comment,
        )
        .await
    })
    .await
}

/// Reopens an approved report for a correction, with its reason.
#[server(prefix = "/fn", endpoint = "entry_reopen")]
pub async fn entry_reopen(
    #[server(default)] regime: String,
    unit: String,
    period: String,
    version: i64,
    reason: String,
) -> Result<crate::model::report::EntryAnswer, AppError> {
    let (viewer, auth) = crate::request::signed_in()?;
    desk::with(async |d| {
        d.reopen(
            desk::request(&viewer, &auth, version),
            (&regime, &unit, &period),
            &reason,
        )
        .await
    })
    .await
}

/// A report that needs the signed-in person soon: theirs to submit within
/// [`REMIND_DAYS`] days, or waiting for their approval (shown at the top of `/entry`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reminder {
    pub regime: String,
    pub unit: String,
    pub period: crate::model::Period,
    pub deadline: chrono::NaiveDate,
    /// Waiting for this person's approval (rather than their submission).
    pub to_approve: bool,
}

/// Days before a deadline `/entry` starts reminding.
pub const REMIND_DAYS: i64 = 2;

/// Checks a CSV file of the report's values (`indicator,value[,note]`, UTF-8) and answers every
/// line with its problem; nothing is stored.
#[server(prefix = "/fn", endpoint = "entry_csv", input = server_fn::codec::Json)]
pub async fn entry_csv(
    #[server(default)] regime: String,
    unit: String,
    period: String,
    text: String,
) -> Result<crate::model::report::CsvPreview, AppError> {
    let (viewer, _) = crate::request::signed_in()?;
    desk::with(async |d| {
        d.csv_preview(&viewer, (&regime, &unit, &period), &text)
            .await
    })
    .await
}
