//! [ssr] The one path in for catalogue changes: read (a file) or take (a form's indicator),
//! check against the rules and the catalogue in force, store with one audit row per indicator
//! (before and after) and the live stream's notice in one transaction, then read the catalogue
//! again. Nothing changes when anything is wrong.

use crate::catalogue::check::{self, Context, IndicatorChange};
use crate::catalogue::file::{self, Line};
use crate::catalogue::regime_check::{self, RegimeContext};
use crate::catalogue::regime_file::{self, RegimeLine};
use crate::catalogue::{LiveCatalogue, Problem};
use crate::model::live::CatalogueNotice;
use crate::model::regime::Regime;
use crate::model::{Indicator, UnitKind};
use crate::store::{AuditEntry, Store, StoreError};
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

/// Applies a catalogue file: indicators, or regimes when its header says so.
pub async fn import(
    store: &dyn Store,
    live: &LiveCatalogue,
    bytes: &[u8],
    by: &AuditEntry,
) -> Result<Outcome, StoreError> {
    let current = live.now();
    if regime_file::is_regimes_file(bytes) {
        let regimes: HashMap<String, Regime> = current
            .regimes
            .iter()
            .map(|r| (r.code.clone(), r.clone()))
            .collect();
        let (lines, problems) = regime_file::read(bytes, &regimes);
        return apply_regimes(store, live, lines, problems, by).await;
    }
    let (lines, problems) = file::read(bytes, &current.indicators);
    apply(store, live, lines, problems, by).await
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
    let mut problems = Vec::new();
    if new && exists {
        problems.push(Problem {
            line: 0,
            column: "code".into(),
            message: format!(
                "Đã có chế độ báo cáo mã {} (the code is taken)",
                regime.code
            ),
        });
    } else if !new && !exists {
        problems.push(Problem {
            line: 0,
            column: "code".into(),
            message: "Không có chế độ báo cáo này (no such regime)".into(),
        });
    }
    let lines = vec![RegimeLine {
        line: 0,
        regime,
        new,
    }];
    apply_regimes(store, live, lines, problems, by).await
}

async fn apply_regimes(
    store: &dyn Store,
    live: &LiveCatalogue,
    lines: Vec<RegimeLine>,
    mut problems: Vec<Problem>,
    by: &AuditEntry,
) -> Result<Outcome, StoreError> {
    let current = live.now();
    let regimes: HashMap<String, Regime> = current
        .regimes
        .iter()
        .map(|r| (r.code.clone(), r.clone()))
        .collect();
    let with_reports = store.regimes_with_reports().await?;
    let ctx = RegimeContext {
        current: &regimes,
        indicators: &current.indicators,
        units: &current.units,
        with_reports: &with_reports,
    };
    let changes = match regime_check::plan(&lines, &ctx) {
        Ok(c) if problems.is_empty() => c,
        Ok(_) => return Ok(Outcome::Refused(problems)),
        Err(more) => {
            problems.extend(more);
            problems.sort_by_key(|p| p.line);
            return Ok(Outcome::Refused(problems));
        }
    };
    let unchanged = lines.len() - changes.len();
    if changes.is_empty() {
        return Ok(Outcome::Applied {
            created: vec![],
            changed: vec![],
            unchanged,
        });
    }
    let as_json = |r: &Regime| {
        let map: serde_json::Map<String, serde_json::Value> = regime_file::COLUMNS
            .iter()
            .zip(regime_file::cells(r))
            .map(|(c, v)| (c.to_string(), serde_json::Value::String(v)))
            .collect();
        serde_json::Value::Object(map).to_string()
    };
    let audits: Vec<AuditEntry> = changes
        .iter()
        .map(|c| AuditEntry {
            action: c.action().into(),
            target: Some(c.after.code.clone()),
            before: c.before.as_ref().map(as_json),
            after: Some(as_json(&c.after)),
            ..by.clone()
        })
        .collect();
    let saved: Vec<Regime> = changes.iter().map(|c| c.after.clone()).collect();
    let notice = CatalogueNotice {
        changed_regimes: saved.iter().map(|r| r.code.clone()).collect(),
        ..Default::default()
    };
    store
        .save_regimes(
            &saved,
            &audits,
            &serde_json::to_string(&notice).unwrap_or_default(),
        )
        .await?;
    live.reload(store).await?;
    let (created, changed): (Vec<_>, Vec<_>) = changes.iter().partition(|c| c.before.is_none());
    Ok(Outcome::Applied {
        created: created.iter().map(|c| c.after.code.clone()).collect(),
        changed: changed.iter().map(|c| c.after.code.clone()).collect(),
        unchanged,
    })
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
    let mut problems = Vec::new();
    if new && exists {
        problems.push(Problem {
            line: 0,
            column: "code".into(),
            message: format!("Đã có chỉ tiêu mã {} (the code is taken)", indicator.code),
        });
    } else if !new && !exists {
        problems.push(Problem {
            line: 0,
            column: "code".into(),
            message: "Không có chỉ tiêu này (no such indicator)".into(),
        });
    }
    let lines = vec![Line {
        line: 0,
        indicator,
        new,
    }];
    apply(store, live, lines, problems, by).await
}

async fn apply(
    store: &dyn Store,
    live: &LiveCatalogue,
    lines: Vec<Line>,
    mut problems: Vec<Problem>,
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
    let ctx = Context {
        current: &current.indicators,
        ministries: &ministries,
        with_values: &with_values,
    };
    let changes = match check::plan(&lines, &ctx) {
        Ok(c) if problems.is_empty() => c,
        Ok(_) => return Ok(Outcome::Refused(problems)),
        Err(more) => {
            problems.extend(more);
            problems.sort_by_key(|p| p.line);
            return Ok(Outcome::Refused(problems));
        }
    };
    let unchanged = lines.len() - changes.len();
    if changes.is_empty() {
        return Ok(Outcome::Applied {
            created: vec![],
            changed: vec![],
            unchanged,
        });
    }
    let audits: Vec<AuditEntry> = changes.iter().map(|c| audit_of(c, by)).collect();
    let indicators: Vec<Indicator> = changes.iter().map(|c| c.after.clone()).collect();
    let notice = CatalogueNotice {
        changed_indicators: indicators.iter().map(|i| i.code.clone()).collect(),
        ..Default::default()
    };
    store
        .save_indicators(
            &indicators,
            &audits,
            &serde_json::to_string(&notice).unwrap_or_default(),
        )
        .await?;
    // This instance's next page reads the new catalogue at once; the live stream brings it to
    // the others (and to this one again, harmlessly).
    live.reload(store).await?;
    let (created, changed): (Vec<_>, Vec<_>) = changes.iter().partition(|c| c.before.is_none());
    Ok(Outcome::Applied {
        created: created.iter().map(|c| c.after.code.clone()).collect(),
        changed: changed.iter().map(|c| c.after.code.clone()).collect(),
        unchanged,
    })
}

/// The audit row of one change: the indicator before and after, as the catalogue file writes
/// them (column: value), so the log reads as the file does.
fn audit_of(change: &IndicatorChange, by: &AuditEntry) -> AuditEntry {
    let as_json = |i: &Indicator| {
        let map: serde_json::Map<String, serde_json::Value> = file::COLUMNS
            .iter()
            .zip(file::cells(i))
            .map(|(c, v)| (c.to_string(), serde_json::Value::String(v)))
            .collect();
        serde_json::Value::Object(map).to_string()
    };
    AuditEntry {
        action: change.action().into(),
        target: Some(change.after.code.clone()),
        before: change.before.as_ref().map(as_json),
        after: Some(as_json(&change.after)),
        ..by.clone()
    }
}
