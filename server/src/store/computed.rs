//! Figures the store computes, never typed twice: a national figure that is the sum of the
//! units reporting to the nation (provinces, ministries), and a derived indicator's formula over
//! its inputs. They are recomputed in the transaction that changes one of their inputs, get
//! their own revision and seq, and are published with it; the catalogue read in that same
//! transaction says which (issue 24).

use super::batch::{Key, Planned};
use super::queries::InTransaction;
use app::model::formula::Formula;
use app::model::indicator::{NationalFigure, Rollup};
use app::model::{NewObservation, Period, Source, UnitCode, UnitKind};
use app::store::{AuditEntry, StoreError, StoreOutcome};
use async_trait::async_trait;
use std::collections::{BTreeSet, HashMap};

/// Rounds of consequences a batch may have (a sum feeding a formula feeding another formula):
/// the catalogue refuses circular formulas, so this only bounds a long chain.
const MAX_ROUNDS: usize = 8;

/// What one engine does to store values (`sqlite.rs`, `postgres.rs`); the rest of a batch,
/// the figures computed from it and its end, is written once, here.
#[async_trait]
pub(crate) trait ValueWriter: Sync {
    type Conn: InTransaction + Send;

    /// Stores the values of `batch` that are new or changed, numbering them after `after`;
    /// with None it first checks the codes and reads the seq counter (on PostgreSQL taking
    /// its lock, which serialises writers).
    async fn put_values(
        &self,
        tx: &mut Self::Conn,
        batch: &[NewObservation],
        source: Source,
        after: Option<i64>,
    ) -> Result<Put, StoreError>;
}

/// What [`ValueWriter::put_values`] did.
pub(crate) struct Put {
    pub stored: u64,
    pub unchanged: u64,
    /// The seq counter after the values stored (the last one given, or where it was).
    pub seq: i64,
    /// The values that were new or changed.
    pub changed: Vec<Key>,
}

impl Put {
    /// What storing `planned` did, the counter having been at `last_seq`.
    pub(crate) fn of(planned: &[Planned], unchanged: u64, last_seq: i64) -> Put {
        Put {
            stored: planned.len() as u64,
            unchanged,
            seq: planned.last().map_or(last_seq, |p| p.seq),
            changed: planned
                .iter()
                .map(|p| {
                    (
                        p.obs.indicator.clone(),
                        p.obs.unit.clone(),
                        p.period.clone(),
                    )
                })
                .collect(),
        }
    }
}

/// The one storage of values, for the API's batches, uploads, the simulator, the demo and
/// approved reports: the batch, then what is computed from it, then the seq counter, the
/// announcement and the audit row, all in the caller's transaction.
pub(crate) async fn write_observations<W: ValueWriter>(
    writer: &W,
    tx: &mut W::Conn,
    batch: &[NewObservation],
    source: Source,
    audit: &AuditEntry,
) -> Result<StoreOutcome, StoreError> {
    let first = writer.put_values(tx, batch, source, None).await?;
    let before = first.seq - first.stored as i64;
    let mut seq = first.seq;
    let mut computed = 0;
    let mut changed = first.changed;
    if !changed.is_empty() {
        let rules = Rules::new(tx.computing_rules().await?);
        for _ in 0..MAX_ROUNDS {
            if changed.is_empty() || rules.is_empty() {
                break;
            }
            let sums = rules.sums_fed_by(&changed);
            if !sums.is_empty() {
                let values = rules.national_values(tx.national_sums(&sums).await?);
                let put = writer.put_values(tx, &values, source, Some(seq)).await?;
                (seq, computed) = (put.seq, computed + put.stored);
                changed.extend(put.changed);
            }
            let (targets, inputs) = rules.derived_fed_by(&changed);
            changed = Vec::new();
            if !targets.is_empty() {
                let read = tx.values_at(&inputs).await?;
                let values = rules.derived_values(&targets, &read);
                let put = writer.put_values(tx, &values, source, Some(seq)).await?;
                (seq, computed) = (put.seq, computed + put.stored);
                changed = put.changed;
            }
        }
    }
    tx.finish_batch(
        StoreOutcome {
            stored: first.stored,
            unchanged: first.unchanged,
            computed,
            last_seq: (seq > before).then_some(seq),
        },
        source,
        audit,
    )
    .await
}

/// An indicator computed somewhere, as the catalogue row says: (code, decimals, formula,
/// national figure, rollup).
pub(crate) type RuleRow = (String, i16, Option<String>, String, String);

struct Rule {
    decimals: u8,
    formula: Option<Formula>,
    /// Its national figure is the sum of the units reporting to the nation.
    national_sum: bool,
}

/// The computed indicators of the catalogue in force in the transaction.
pub(crate) struct Rules {
    rules: HashMap<String, Rule>,
    /// Input code → the derived indicators whose formula names it.
    used_by: HashMap<String, Vec<String>>,
}

impl Rules {
    pub(crate) fn new(rows: Vec<RuleRow>) -> Rules {
        let mut rules = HashMap::new();
        let mut used_by: HashMap<String, Vec<String>> = HashMap::new();
        for (code, decimals, formula, national, rollup) in rows {
            // A formula the catalogue accepted always parses; one that does not computes nothing
            // rather than failing every write.
            let formula = formula.as_deref().and_then(|f| Formula::parse(f).ok());
            if let Some(f) = &formula {
                for input in f.inputs() {
                    used_by
                        .entry(input.to_string())
                        .or_default()
                        .push(code.clone());
                }
            }
            // The same rule as `Indicator::national_is_computed`, on the row's stored words.
            let national_sum = formula.is_none()
                && NationalFigure::parse(&national) == Some(NationalFigure::Computed)
                && Rollup::parse(&rollup) == Some(Rollup::Sum);
            rules.insert(
                code,
                Rule {
                    decimals: u8::try_from(decimals).unwrap_or(0).min(6),
                    formula,
                    national_sum,
                },
            );
        }
        Rules { rules, used_by }
    }

    fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The national sums (indicator, period) that changed values of provinces or ministries feed.
    pub(crate) fn sums_fed_by(&self, changed: &[Key]) -> Vec<(String, String)> {
        let to_nation = |unit: &str| {
            UnitCode::parse(unit)
                .is_ok_and(|c| matches!(c.kind(), UnitKind::Province | UnitKind::Ministry))
        };
        changed
            .iter()
            .filter(|(i, u, _)| self.rules.get(i).is_some_and(|r| r.national_sum) && to_nation(u))
            .map(|(i, _, p)| (i.clone(), p.clone()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    /// The nation's values from (indicator, period, sum, units summed).
    pub(crate) fn national_values(
        &self,
        sums: Vec<(String, String, f64, i64)>,
    ) -> Vec<NewObservation> {
        sums.into_iter()
            .filter(|(_, _, _, n)| *n > 0)
            .filter_map(|(i, p, sum, n)| {
                let rule = self.rules.get(&i)?;
                Some(NewObservation {
                    value: round(sum, rule.decimals),
                    indicator: i,
                    unit: UnitCode::NATIONAL.into(),
                    period: Period::parse(&p).ok()?,
                    note: Some(format!(
                        "Tính tự động: tổng của {n} đơn vị đã báo cáo (computed: the sum of {n} reporting units)"
                    )),
                    source_ref: None,
                    outlier: None,
                })
            })
            .collect()
    }

    /// The derived values (indicator, unit, period) that `changed` values feed, and every input
    /// value to read for them.
    pub(crate) fn derived_fed_by(&self, changed: &[Key]) -> (Vec<Key>, Vec<Key>) {
        let mut targets = BTreeSet::new();
        for (i, u, p) in changed {
            for d in self.used_by.get(i).into_iter().flatten() {
                targets.insert((d.clone(), u.clone(), p.clone()));
            }
        }
        let mut inputs = BTreeSet::new();
        for (d, u, p) in &targets {
            if let Some(f) = self.rules.get(d).and_then(|r| r.formula.as_ref()) {
                for input in f.inputs() {
                    inputs.insert((input.to_string(), u.clone(), p.clone()));
                }
            }
        }
        (targets.into_iter().collect(), inputs.into_iter().collect())
    }

    /// The values of `targets` by their formulas over `read`; a target missing an input (or
    /// dividing by zero) gets no value.
    pub(crate) fn derived_values(
        &self,
        targets: &[Key],
        read: &HashMap<Key, f64>,
    ) -> Vec<NewObservation> {
        targets
            .iter()
            .filter_map(|(d, u, p)| {
                let rule = self.rules.get(d)?;
                let f = rule.formula.as_ref()?;
                let v = f.evaluate(|code| {
                    read.get(&(code.to_string(), u.clone(), p.clone())).copied()
                })?;
                Some(NewObservation {
                    indicator: d.clone(),
                    unit: u.clone(),
                    period: Period::parse(p).ok()?,
                    value: round(v, rule.decimals),
                    note: Some(format!(
                        "Tính tự động theo công thức {} (computed by its formula)",
                        f.as_str()
                    )),
                    source_ref: None,
                    outlier: None,
                })
            })
            .collect()
    }
}

fn round(v: f64, decimals: u8) -> f64 {
    let f = 10f64.powi(i32::from(decimals));
    let r = (v * f).round() / f;
    // No "-0" on a screen.
    if r == 0.0 { 0.0 } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(i: &str, u: &str, p: &str) -> Key {
        (i.into(), u.into(), p.into())
    }

    fn rules() -> Rules {
        Rules::new(vec![
            (
                "EXPORT_VALUE".into(),
                1,
                None,
                "computed".into(),
                "sum".into(),
            ),
            (
                "IMPORT_VALUE".into(),
                1,
                None,
                "computed".into(),
                "sum".into(),
            ),
            (
                "BUDGET_REVENUE".into(),
                1,
                None,
                "reported".into(),
                "sum".into(),
            ),
            (
                "TRADE_BALANCE".into(),
                1,
                Some("EXPORT_VALUE - IMPORT_VALUE".into()),
                "reported".into(),
                "sum".into(),
            ),
        ])
    }

    #[test]
    fn a_province_or_ministry_feeds_the_national_sum_but_a_commune_or_a_reported_figure_does_not() {
        let r = rules();
        let sums = r.sums_fed_by(&[
            key("EXPORT_VALUE", "01", "2026-10"),
            key("EXPORT_VALUE", "79", "2026-10"),
            key("EXPORT_VALUE", "BTC", "2026-09"),
            key("IMPORT_VALUE", "00070", "2026-10"),
            key("BUDGET_REVENUE", "01", "2026-10"),
            key("TRADE_BALANCE", "01", "2026-10"),
        ]);
        assert_eq!(
            sums,
            vec![
                ("EXPORT_VALUE".to_string(), "2026-09".to_string()),
                ("EXPORT_VALUE".to_string(), "2026-10".to_string())
            ]
        );
    }

    #[test]
    fn a_formula_is_computed_where_its_inputs_changed_and_only_when_all_are_there() {
        let r = rules();
        let (targets, inputs) = r.derived_fed_by(&[
            key("EXPORT_VALUE", "01", "2026-10"),
            key("EXPORT_VALUE", "VN", "2026-10"),
        ]);
        assert_eq!(
            targets,
            vec![
                key("TRADE_BALANCE", "01", "2026-10"),
                key("TRADE_BALANCE", "VN", "2026-10")
            ]
        );
        assert_eq!(inputs.len(), 4);
        let read: HashMap<Key, f64> = [
            (key("EXPORT_VALUE", "01", "2026-10"), 1500.25),
            (key("IMPORT_VALUE", "01", "2026-10"), 1000.1),
            (key("EXPORT_VALUE", "VN", "2026-10"), 40000.0),
        ]
        .into_iter()
        .collect();
        let values = r.derived_values(&targets, &read);
        assert_eq!(values.len(), 1, "the nation has no imports yet: no balance");
        assert_eq!(values[0].unit, "01");
        assert_eq!(values[0].value, 500.2);
    }

    #[test]
    fn a_national_sum_is_rounded_to_the_indicators_decimals_and_says_how_many_units() {
        let values = rules().national_values(vec![
            (
                "EXPORT_VALUE".into(),
                "2026-10".into(),
                0.1 + 0.2 + 39_000.0,
                3,
            ),
            ("IMPORT_VALUE".into(), "2026-10".into(), 0.0, 0),
        ]);
        assert_eq!(values.len(), 1);
        assert_eq!(values[0].value, 39_000.3);
        assert_eq!(values[0].unit, "VN");
        assert!(
            values[0]
                .note
                .as_deref()
                .unwrap()
                .contains("tổng của 3 đơn vị")
        );
    }
}
