//! The demo country's reporting history: the reports its ministries, provinces and communes
//! sent under the regimes for the periods that have values, so that timeliness on unit pages
//! and the wall tells a believable story and agrees with the figures shown. Older periods are
//! approved, most on time and some late; in the latest period that has fallen due a few
//! reports wait for approval, were returned or were never sent, and their values are held
//! back from the demo's history (`demo::seed`), as an unapproved report publishes nothing.

use crate::catalogue::Catalogue;
use crate::demo::{DemoSpec, generate, stable_hash};
use app::model::regime::all_data_sets;
use app::model::report::{Report, ReportStatus, ReportValue};
use app::model::reporting::{Holidays, ReportingRules};
use app::model::{Period, Periodicity, UnitKind};
use app::store::{AuditEntry, Store, StoreError};
use chrono::{Days, NaiveDate, TimeZone, Utc};
use std::collections::{HashMap, HashSet};

/// Set once the reporting history is written.
pub const META_KEY: &str = "demo_reports";

/// The units of the demo accounts (Hà Nội, the Ministry of Finance): their reports are in
/// order, but the latest one due is left for the demo's officers to send (its figures came in
/// over the reporting system's API, as a province's statistics office sends them).
const IN_ORDER: [&str; 2] = ["01", "BTC"];

/// How far back reports are written: a year of periods for ministries and provinces; the
/// 3,321 communes only for the last two periods, which is what the province pages judge.
fn depth(kind: UnitKind, periodicity: Periodicity) -> usize {
    let per_year = match periodicity {
        Periodicity::Weekly => 52,
        Periodicity::Monthly => 12,
        Periodicity::Quarterly => 4,
        Periodicity::HalfYearly => 2,
        _ => 1,
    };
    if kind == UnitKind::Commune {
        per_year.min(2)
    } else {
        per_year
    }
}

/// How a unit's report for a period went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    OnTime,
    Late,
    /// Sent, waiting for its approver.
    Submitted,
    Returned,
    Missing,
}

impl Fate {
    /// Whether the report's values are published (approved).
    pub fn published(self) -> bool {
        matches!(self, Fate::OnTime | Fate::Late)
    }
}

/// The rules of the built-in regimes (the migration that made regimes data writes them): the
/// Decree's cut-off on the 14th and two working days, one for the weekly report.
fn built_in_rules(periodicity: Periodicity) -> ReportingRules {
    ReportingRules {
        deadline_working_days: if periodicity == Periodicity::Weekly {
            1
        } else {
            2
        },
        ..ReportingRules::default()
    }
}

/// The latest period of `periodicity` whose report is due by `as_of` under the built-in
/// regimes; None for days, which no regime reports.
pub fn latest_due(periodicity: Periodicity, as_of: NaiveDate) -> Option<Period> {
    if periodicity == Periodicity::Daily {
        return None;
    }
    let (rules, holidays) = (built_in_rules(periodicity), Holidays::default());
    let mut p = rules.period_on(periodicity, as_of);
    while rules.deadline(&p, &holidays) > as_of {
        p = p.prev();
    }
    Some(p)
}

/// What became of `unit`'s report for `period` (the nation's figures come over the API).
pub fn fate(spec: &DemoSpec, unit: &str, period: &Period) -> Fate {
    let Some(latest) = latest_due(period.periodicity(), spec.as_of) else {
        return Fate::OnTime;
    };
    if unit == "VN" {
        return Fate::OnTime;
    }
    let roll = stable_hash(&format!("{}/{unit}/{period}", spec.seed)) % 1000;
    if *period != latest || IN_ORDER.contains(&unit) {
        return if roll < 920 { Fate::OnTime } else { Fate::Late };
    }
    match roll {
        0..720 => Fate::OnTime,
        720..800 => Fate::Late,
        800..880 => Fate::Submitted,
        880..930 => Fate::Returned,
        _ => Fate::Missing,
    }
}

/// 09:00 in Viet Nam on `day`.
fn morning(day: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(2, 0, 0).unwrap_or_default())
}

const RETURNED: &str = "Số liệu chưa khớp với báo cáo của sở, ngành; đề nghị rà soát và gửi lại. (Figures do not match the departments' reports; please check and send again.)";

/// Writes the demo's reports once, after its values; answers how many.
pub async fn seed(
    store: &dyn Store,
    catalogue: &Catalogue,
    spec: &DemoSpec,
) -> Result<u64, StoreError> {
    if store.meta(META_KEY).await?.is_some() {
        return Ok(0);
    }
    let holidays = store.reporting_calendar().await?.days_off();
    let regimes = store.regimes().await?;
    let sets = all_data_sets(&regimes, |c| {
        catalogue.indicators.iter().find(|i| i.code == c)
    });
    // The periods reported, and every value of them, held back ones included.
    let mut wanted: HashSet<Period> = HashSet::new();
    for set in &sets {
        if let Some(mut p) = latest_due(set.periodicity, spec.as_of) {
            for _ in 0..depth(set.kind, set.periodicity) {
                wanted.insert(p);
                p = p.prev();
            }
        }
    }
    let mut values: HashMap<(&str, Period, &str), f64> = HashMap::new();
    let data = generate(catalogue, spec);
    for (code, obs) in &data {
        for o in obs.iter().filter(|o| wanted.contains(&o.period)) {
            values.insert((o.unit.as_str(), o.period, code.as_str()), o.value);
        }
    }
    let derived: HashSet<&str> = catalogue
        .indicators
        .iter()
        .filter(|i| i.is_derived())
        .map(|i| i.code.as_str())
        .collect();

    let mut reports = Vec::new();
    for set in &sets {
        let Some(mut period) = latest_due(set.periodicity, spec.as_of) else {
            continue;
        };
        let Some(regime) = regimes.iter().find(|r| r.code == set.regime) else {
            continue;
        };
        for _ in 0..depth(set.kind, set.periodicity) {
            let deadline = set.rules.deadline(&period, &holidays);
            for unit in catalogue.units_of(set.kind).filter(|u| regime.covers(u)) {
                let typed: Vec<ReportValue> = set
                    .indicators
                    .iter()
                    .filter(|c| !derived.contains(c.as_str()))
                    .filter_map(|c| {
                        values
                            .get(&(unit.code.as_str(), period, c.as_str()))
                            .map(|v| ReportValue {
                                indicator: c.clone(),
                                value: Some(*v),
                                note: None,
                                typed: None,
                            })
                    })
                    .collect();
                // Nothing to report for a period before the unit's figures begin.
                if typed.is_empty() {
                    continue;
                }
                let fate = fate(spec, &unit.code, &period);
                if IN_ORDER.contains(&unit.code.as_str())
                    && Some(period) == latest_due(set.periodicity, spec.as_of)
                {
                    continue;
                }
                let days = stable_hash(&format!("{}:{}:{period}", spec.seed, unit.code)) % 5;
                let sent = match fate {
                    Fate::Missing => continue,
                    Fate::Late => holidays
                        .working_days_after(deadline, 1 + days as u32)
                        .min(spec.as_of),
                    _ => deadline - Days::new(days),
                };
                let decided = (sent + Days::new(1)).min(spec.as_of);
                let by = format!("canbo.{}", unit.code);
                let mut r = Report::new(&set.regime, &unit.code, period, &by, morning(sent));
                r.values = typed;
                r.submitted_at = Some(morning(sent));
                r.submitted_by = Some(by);
                r.status = match fate {
                    Fate::Submitted => ReportStatus::Submitted,
                    Fate::Returned => ReportStatus::Returned,
                    _ => ReportStatus::Approved,
                };
                if r.status != ReportStatus::Submitted {
                    r.decided_at = Some(morning(decided) + chrono::Duration::hours(6));
                    r.decided_by = Some(format!("pheduyet.{}", unit.code));
                    r.comment = (fate == Fate::Returned).then(|| RETURNED.to_string());
                    r.updated_at = r.decided_at.unwrap_or(r.updated_at);
                    r.updated_by = r.decided_by.clone().unwrap_or_default();
                }
                reports.push(r);
            }
            period = period.prev();
        }
    }
    let written = store
        .import_reports(&reports, &AuditEntry::system("demo_seed", "reports"))
        .await?;
    store
        .set_meta(META_KEY, &format!("reports={written}"))
        .await?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(as_of: &str) -> DemoSpec {
        DemoSpec {
            seed: 7,
            as_of: as_of.parse().unwrap(),
            years: 1,
            reports: true,
            scale: Default::default(),
        }
    }

    #[test]
    fn the_latest_period_due_follows_the_deadline() {
        let m =
            |d: &str| latest_due(Periodicity::Monthly, d.parse().unwrap()).map(|p| p.to_string());
        // November's report (15 October – Saturday 14 November) is due two working days
        // after, on Tuesday 17 November.
        assert_eq!(m("2026-11-16").as_deref(), Some("2026-10"));
        assert_eq!(m("2026-11-17").as_deref(), Some("2026-11"));
        assert_eq!(m("2026-12-03").as_deref(), Some("2026-11"));
        // The week of 23–29 November was due on Monday 30 November.
        assert_eq!(
            latest_due(Periodicity::Weekly, "2026-12-03".parse().unwrap())
                .map(|p| p.to_string())
                .as_deref(),
            Some("2026-W48")
        );
        assert_eq!(
            latest_due(Periodicity::Daily, "2026-12-03".parse().unwrap()),
            None
        );
    }

    #[test]
    fn most_reports_are_in_and_the_latest_period_has_stragglers() {
        let s = spec("2026-12-03");
        let catalogue = Catalogue::load();
        let provinces: Vec<&str> = catalogue
            .units_of(UnitKind::Province)
            .map(|u| u.code.as_str())
            .collect();
        let latest = Period::parse("2026-11").unwrap();
        let fates: Vec<Fate> = provinces.iter().map(|u| fate(&s, u, &latest)).collect();
        let published = fates.iter().filter(|f| f.published()).count();
        assert!((20..34).contains(&published), "{fates:?}");
        assert!(
            fates.contains(&Fate::Missing) || fates.contains(&Fate::Returned),
            "{fates:?}"
        );
        // Earlier periods are all approved, and the demo accounts' units are in order.
        let earlier = Period::parse("2026-10").unwrap();
        assert!(provinces.iter().all(|u| fate(&s, u, &earlier).published()));
        assert!(IN_ORDER.iter().all(|u| fate(&s, u, &latest).published()));
        // The nation's own figures are never held back.
        assert!(fate(&s, "VN", &latest).published());
    }
}
