//! [ssr] The one path in for catalogue changes, indicators and regimes alike: read (a file) or
//! take (a form's entry), check against the rules and the catalogue in force, store with one
//! audit row per entry (before and after) and the live stream's notice in one transaction, then
//! read the catalogue again. Nothing changes when anything is wrong.

use crate::catalogue::check::{self, Context};
use crate::catalogue::entry::{Change, Entry, Line};
use crate::catalogue::file;
use crate::catalogue::regime_check::{self, RegimeContext};
use crate::catalogue::regime_file;
use crate::catalogue::target_check::{self, TargetContext};
use crate::catalogue::target_file;
use crate::catalogue::unit_check::{self, UnitContext};
use crate::catalogue::unit_file::{self, UnitRecord};
use crate::catalogue::{CatalogueIndex, LiveCatalogue, Problem};
use crate::model::auth::Action;
use crate::model::regime::Regime;
use crate::model::{Indicator, UnitKind};
use crate::store::{AuditEntry, Store, StoreError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// What a catalogue change did, or why it did nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    Applied {
        created: Vec<String>,
        changed: Vec<String>,
        unchanged: usize,
    },
    Refused(Vec<Problem>),
}

impl Outcome {
    /// One line for the command line and the page: counts, or the first problems.
    pub fn summary(&self) -> String {
        match self {
            Outcome::Applied {
                created,
                changed,
                unchanged,
            } => format!(
                "ok: {} mới, {} thay đổi, {} giữ nguyên ({} created, {} changed, {} unchanged)",
                created.len(),
                changed.len(),
                unchanged,
                created.len(),
                changed.len(),
                unchanged
            ),
            Outcome::Refused(p) => format!(
                "refused: {} vấn đề, không thay đổi gì ({} problems, nothing changed)",
                p.len(),
                p.len()
            ),
        }
    }
}

/// Applies a catalogue file: indicators, or regimes or units when its header says so, on the
/// day `today` (a day passed is history to the units' rules).
pub async fn import(
    store: &dyn Store,
    live: &LiveCatalogue,
    bytes: &[u8],
    by: &AuditEntry,
    today: NaiveDate,
) -> Result<Outcome, StoreError> {
    let current = live.now();
    if target_file::is_targets_file(bytes) {
        let (lines, problems) = target_file::read(bytes, &current.targets);
        return set_targets(store, live, lines, problems, by).await;
    }
    if unit_file::is_units_file(bytes) {
        let (lines, problems) = unit_file::read(bytes, &unit_records(&current));
        return apply_units(store, live, lines, problems, by, today).await;
    }
    if regime_file::is_regimes_file(bytes) {
        let (lines, problems) = regime_file::read(bytes, &regimes_by_code(&current.regimes));
        return apply_regimes(store, live, lines, problems, by).await;
    }
    let (lines, problems) = file::read(bytes, &current.indicators);
    apply_indicators(store, live, lines, problems, by).await
}

/// Applies one indicator as a form sent it (`new`: it must not exist yet).
pub async fn save_one(
    store: &dyn Store,
    live: &LiveCatalogue,
    indicator: Indicator,
    new: bool,
    by: &AuditEntry,
) -> Result<Outcome, StoreError> {
    let exists = live.now().indicators.contains_key(&indicator.code);
    let (lines, problems) = one(indicator, new, exists);
    apply_indicators(store, live, lines, problems, by).await
}

/// Applies one regime as the regimes page sent it (`new`: it must not exist yet).
pub async fn save_regime(
    store: &dyn Store,
    live: &LiveCatalogue,
    regime: Regime,
    new: bool,
    by: &AuditEntry,
) -> Result<Outcome, StoreError> {
    let exists = live.now().regimes.iter().any(|r| r.code == regime.code);
    let (lines, problems) = one(regime, new, exists);
    apply_regimes(store, live, lines, problems, by).await
}

/// Applies the units the units page sent (a reorganisation: former units, successors and the
/// units it makes), as one file would.
pub async fn save_units(
    store: &dyn Store,
    live: &LiveCatalogue,
    records: Vec<UnitRecord>,
    by: &AuditEntry,
    today: NaiveDate,
) -> Result<Outcome, StoreError> {
    let current = live.now();
    let lines = records
        .into_iter()
        .map(|item| Line {
            line: 0,
            new: !current.units.contains_key(&item.unit.code),
            item,
        })
        .collect();
    apply_units(store, live, lines, Vec::new(), by, today).await
}

/// Every unit of `catalogue` with its successors, by code.
pub fn unit_records(catalogue: &CatalogueIndex) -> HashMap<String, UnitRecord> {
    UnitRecord::all(catalogue.units.values(), &catalogue.successions)
        .into_iter()
        .map(|r| (r.unit.code.clone(), r))
        .collect()
}

/// A form's entry as a one-line file, with the problem when it is new but taken, or changed
/// but unknown.
fn one<T: Entry>(item: T, new: bool, exists: bool) -> (Vec<Line<T>>, Vec<Problem>) {
    let (name_vi, name_en) = T::NAME;
    let problem = match (new, exists) {
        (true, true) => Some(format!(
            "Đã có {} mã {} (the code is taken)",
            name_vi.to_lowercase(),
            item.code()
        )),
        (false, false) => Some(format!(
            "Không có {} này (no such {name_en})",
            name_vi.to_lowercase()
        )),
        _ => None,
    };
    let problems = problem
        .map(|message| Problem {
            line: 0,
            column: "code".into(),
            message,
        })
        .into_iter()
        .collect();
    (vec![Line { line: 0, item, new }], problems)
}

fn regimes_by_code(regimes: &[Regime]) -> HashMap<String, Regime> {
    regimes
        .iter()
        .map(|r| (r.code.clone(), r.clone()))
        .collect()
}

async fn apply_indicators(
    store: &dyn Store,
    live: &LiveCatalogue,
    lines: Vec<file::Line>,
    problems: Vec<Problem>,
    by: &AuditEntry,
) -> Result<Outcome, StoreError> {
    let current = live.now();
    let ministries: HashSet<String> = current
        .units
        .values()
        .filter(|u| u.kind == UnitKind::Ministry)
        .map(|u| u.code.clone())
        .collect();
    let with_values = store.indicators_with_values().await?;
    let planned = check::plan(
        &lines,
        &Context {
            current: &current.indicators,
            ministries: &ministries,
            with_values: &with_values,
        },
    );
    apply(
        store,
        live,
        lines.len(),
        problems,
        planned,
        by,
        async |items, audits, notice| store.save_indicators(items, audits, notice).await,
    )
    .await
}

async fn apply_regimes(
    store: &dyn Store,
    live: &LiveCatalogue,
    lines: Vec<regime_file::RegimeLine>,
    problems: Vec<Problem>,
    by: &AuditEntry,
) -> Result<Outcome, StoreError> {
    let current = live.now();
    let with_reports = store.regimes_with_reports().await?;
    let planned = regime_check::plan(
        &lines,
        &RegimeContext {
            current: &regimes_by_code(&current.regimes),
            indicators: &current.indicators,
            units: &current.units,
            with_reports: &with_reports,
        },
    );
    apply(
        store,
        live,
        lines.len(),
        problems,
        planned,
        by,
        async |items, audits, notice| store.save_regimes(items, audits, notice).await,
    )
    .await
}

async fn apply_units(
    store: &dyn Store,
    live: &LiveCatalogue,
    lines: Vec<unit_file::UnitLine>,
    problems: Vec<Problem>,
    by: &AuditEntry,
    today: NaiveDate,
) -> Result<Outcome, StoreError> {
    let current = unit_records(&live.now());
    // Only a unit whose days change can leave values outside them (a new one has none): a
    // file of every unit that changes names reads no values at all.
    let moved: Vec<String> = lines
        .iter()
        .filter(|l| {
            current.get(&l.item.unit.code).is_some_and(|c| {
                (c.unit.started, c.unit.ended) != (l.item.unit.started, l.item.unit.ended)
            })
        })
        .map(|l| l.item.unit.code.clone())
        .collect();
    let spans = store.value_spans(&moved).await?;
    let planned = unit_check::plan(
        &lines,
        &UnitContext {
            current: &current,
            spans: &spans,
            today,
        },
    );
    apply(
        store,
        live,
        lines.len(),
        problems,
        planned,
        by,
        async |items, audits, notice| store.save_units(items, audits, notice, today).await,
    )
    .await
}

/// The lines whose unit `may` not set targets for, one problem each (nothing is stored when
/// there is one): the same rule for a person's file and a machine's batch.
pub fn unauthorised(
    lines: &[target_file::TargetLine],
    may: impl Fn(&Action) -> bool,
) -> Vec<Problem> {
    lines
        .iter()
        .filter(|l| {
            !may(&Action::SetTargets {
                unit: l.item.unit.clone(),
            })
        })
        .map(|l| Problem {
            line: l.line,
            column: "unit".into(),
            message: format!(
                "Không được đặt mục tiêu cho đơn vị {} (not allowed to set this unit's targets)",
                crate::catalogue::file::shown(&l.item.unit)
            ),
        })
        .collect()
}

/// Applies targets and plans read already (the targets page's cells, the API's batch): checked
/// against the catalogue in force, stored with their audit rows, announced.
pub async fn set_targets(
    store: &dyn Store,
    live: &LiveCatalogue,
    lines: Vec<target_file::TargetLine>,
    problems: Vec<Problem>,
    by: &AuditEntry,
) -> Result<Outcome, StoreError> {
    let current = live.now();
    let planned = target_check::plan(
        &lines,
        &TargetContext {
            indicators: &current.indicators,
            units: &current.units,
            book: &current.targets,
        },
    );
    apply(
        store,
        live,
        lines.len(),
        problems,
        planned,
        by,
        async |items, audits, notice| store.save_targets(items, audits, notice).await,
    )
    .await
}

/// The one way a catalogue change is made: refused whole with every problem (the reading's and
/// the rules'), or stored by `save` with one audit row per entry (before and after) and its
/// notice in one transaction, after which this instance reads the catalogue again at once (the
/// live stream brings it to the others, and to this one again, harmlessly).
async fn apply<T: Entry>(
    store: &dyn Store,
    live: &LiveCatalogue,
    lines: usize,
    mut problems: Vec<Problem>,
    planned: Result<Vec<Change<T>>, Vec<Problem>>,
    by: &AuditEntry,
    save: impl AsyncFnOnce(&[T], &[AuditEntry], &str) -> Result<i64, StoreError>,
) -> Result<Outcome, StoreError> {
    let changes = match planned {
        Ok(c) if problems.is_empty() => c,
        Ok(_) => return Ok(Outcome::Refused(problems)),
        Err(more) => {
            problems.extend(more);
            problems.sort_by_key(|p| p.line);
            return Ok(Outcome::Refused(problems));
        }
    };
    let unchanged = lines - changes.len();
    if changes.is_empty() {
        return Ok(Outcome::Applied {
            created: vec![],
            changed: vec![],
            unchanged,
        });
    }
    let audits: Vec<AuditEntry> = changes.iter().map(|c| c.audit(by)).collect();
    let items: Vec<T> = changes.iter().map(|c| c.after.clone()).collect();
    let notice = T::notice(items.iter().map(|i| i.code().to_string()).collect());
    save(
        &items,
        &audits,
        &serde_json::to_string(&notice).unwrap_or_default(),
    )
    .await?;
    live.reload(store).await?;
    let (created, changed): (Vec<_>, Vec<_>) = changes.iter().partition(|c| c.before.is_none());
    Ok(Outcome::Applied {
        created: created.iter().map(|c| c.after.code().to_string()).collect(),
        changed: changed.iter().map(|c| c.after.code().to_string()).collect(),
        unchanged,
    })
}
