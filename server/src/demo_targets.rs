//! The demo's targets: every province's GRDP growth target for the demo's year and the year
//! before (one value, or a range for some) with a quarterly plan rising to it, as a Government
//! resolution sets them each year. The year before too, because early in a year the latest
//! quarter is still last year's. Illustrative, like every demo figure; written once, through the catalogue's one
//! path in (checked, audited, announced) as a file an administrator would import.

use app::catalogue::LiveCatalogue;
use app::catalogue::write::{Outcome, import};
use app::model::UnitKind;
use app::store::{AuditEntry, Store, StoreError};
use chrono::{Datelike, NaiveDate};

/// The indicator the demo sets targets for.
pub const INDICATOR: &str = "GRDP_GROWTH";

/// Writes the demo's targets unless targets exist already.
pub async fn seed(store: &dyn Store, as_of: NaiveDate) -> Result<(), StoreError> {
    if !store.targets().await?.is_empty() {
        return Ok(());
    }
    let live = LiveCatalogue::load(store).await?;
    let file = file(&live, as_of);
    let by = AuditEntry::system("demo_seed", "targets");
    match import(store, &live, file.as_bytes(), &by, as_of).await? {
        Outcome::Applied { .. } => Ok(()),
        // Made from the catalogue it is checked against: a refusal is a defect here.
        Outcome::Refused(problems) => Err(StoreError::other(format!(
            "the demo's targets were refused: {problems:?}"
        ))),
    }
}

/// The targets file: for each province in force, a target of 7 to 9 % (every fourth a half
/// point range) and the plan of each quarter rising to it, for the year of `as_of` and the one
/// before.
pub fn file(live: &LiveCatalogue, as_of: NaiveDate) -> String {
    let catalogue = live.now();
    let mut provinces: Vec<&str> = catalogue
        .units
        .values()
        .filter(|u| u.kind == UnitKind::Province && u.in_force(as_of))
        .map(|u| u.code.as_str())
        .collect();
    provinces.sort();
    let mut out = String::from("indicator,unit,period,target,target_max\n");
    for (year, code) in [as_of.year() - 1, as_of.year()]
        .into_iter()
        .flat_map(|y| provinces.iter().map(move |c| (y, *c)))
    {
        let n: u32 = code.parse().unwrap_or(0);
        let target = 7.0 + f64::from((n * 7) % 5) * 0.5;
        let high = if n.is_multiple_of(4) {
            format!("{}", target + 0.5)
        } else {
            String::new()
        };
        out.push_str(&format!("{INDICATOR},{code},{year},{target},{high}\n"));
        for (q, behind) in [(1, 0.6), (2, 0.4), (3, 0.2), (4, 0.0)] {
            let plan = ((target - behind) * 10.0).round() / 10.0;
            out.push_str(&format!("{INDICATOR},{code},{year}-Q{q},{plan},\n"));
        }
    }
    out
}
