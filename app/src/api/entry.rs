//! Reporting officers' and approvers' side of the regime: what their units owe, and when.

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
}

/// Days ahead the list looks.
pub const DUE_DAYS: u64 = 7;

/// For each unit the signed-in person reports for or approves: the reports due within a week,
/// soonest first, by the regime's stored rules and holidays.
#[server(prefix = "/fn", endpoint = "entry_due")]
pub async fn due_reports() -> Result<Vec<UnitDue>, ServerFnError> {
    use crate::model::reporting::data_sets;
    let auth = super::request_auth();
    let Some(viewer) = auth.viewer else {
        super::set_status(401);
        return Err(ServerFnError::new("Vui lòng đăng nhập. (Please sign in.)"));
    };
    let units = viewer.reporting_units();
    if units.is_empty() {
        super::set_status(403);
        return Err(ServerFnError::new(
            "Trang này dành cho cán bộ báo cáo và người phê duyệt của một đơn vị. (For a unit's reporting officers and approvers.)",
        ));
    }
    let store = expect_context::<crate::store::SharedStore>();
    let calendar = store
        .reporting_calendar()
        .await
        .map_err(super::unavailable)?;
    let sets = data_sets(&store.indicators().await.map_err(super::unavailable)?);
    let today = crate::model::today_in_vietnam();
    let mut out = Vec::new();
    for code in units {
        let Some(unit) = store.unit(&code).await.map_err(super::unavailable)? else {
            continue;
        };
        let own: Vec<_> = sets
            .iter()
            .filter(|s| s.kind == unit.kind)
            .cloned()
            .collect();
        let due = calendar
            .rules
            .due_within(&own, &calendar.days_off(), today, DUE_DAYS);
        out.push(UnitDue { unit, today, due });
    }
    Ok(out)
}
