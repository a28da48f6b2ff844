//! The live simulator of the demo: nudges current values of the demo country at a steady rate,
//! through the one path in (validation, store, audit, bus), so the screens move out of the box.
//! Everything it writes has the source `simulator` and is labelled as simulated on screen.

use crate::demo::round;
use crate::ingest::{Ingest, Writer};
use app::catalogue::LiveCatalogue;
use app::model::ingest::RawRow;
use app::model::{Observation, Rollup, Source, UnitKind};
use app::store::{AuditEntry, LatestScope, SharedStore};
use rand::Rng;
use std::collections::HashMap;
use std::time::Duration;

fn row(o: &Observation, value: f64) -> Result<RawRow, String> {
    Ok(RawRow {
        indicator: Ok(o.indicator.clone()),
        unit: Ok(o.unit.clone()),
        period: Ok(o.period.to_string()),
        value: Ok(value),
        note: Ok(None),
        source_ref: Ok(None),
    })
}

/// Runs until the task is aborted: every `interval`, one province's newest value of one
/// indicator moves a little, and the national figure moves with it (by the indicator's rollup).
pub async fn run(
    store: SharedStore,
    catalogue_in_force: LiveCatalogue,
    ingest: Ingest,
    interval: Duration,
) {
    let mut tick = tokio::time::interval(interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    let provinces = catalogue_in_force
        .now()
        .units
        .values()
        .filter(|u| u.kind == UnitKind::Province)
        .count()
        .max(1) as f64;
    loop {
        tick.tick().await;
        // Re-read each time: values written by people or the API in between are respected.
        let catalogue = catalogue_in_force.now();
        let latest = match store.latest(&LatestScope::NationalAndProvinces).await {
            Ok(s) => s.observations,
            Err(e) => {
                tracing::warn!(error = %e, "simulator: cannot read current values");
                continue;
            }
        };
        let national: HashMap<&str, &Observation> = latest
            .iter()
            .filter(|o| o.unit == "VN")
            .map(|o| (o.indicator.as_str(), o))
            .collect();
        let candidates: Vec<&Observation> = latest
            .iter()
            .filter(|o| o.unit != "VN" && national.contains_key(o.indicator.as_str()))
            // A derived indicator moves with its inputs, never by itself.
            .filter(|o| {
                catalogue
                    .indicators
                    .get(&o.indicator)
                    .is_some_and(|i| i.is_active() && !i.is_derived())
            })
            .collect();
        // A value an approved report carries is locked: the simulator leaves it, as the API
        // would refuse it.
        let periods: Vec<_> = candidates.iter().map(|o| o.period).collect();
        let locked = match ingest.locked(&periods).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "simulator: cannot read the reports' locks");
                continue;
            }
        };
        let candidates: Vec<&Observation> = candidates
            .into_iter()
            .filter(|o| !locked.contains(&(o.unit.clone(), o.period, o.indicator.clone())))
            .collect();
        if candidates.is_empty() {
            continue;
        }
        let rows = {
            let mut rng = rand::rng();
            let pick = candidates[rng.random_range(0..candidates.len())];
            let Some(indicator) = catalogue.indicators.get(&pick.indicator) else {
                continue;
            };
            let step = (pick.value.abs() * 0.01).max(10f64.powi(-(indicator.decimals as i32)));
            let new = round(
                (pick.value + step * rng.random_range(-1.0..=1.0)).clamp(
                    indicator.valid_min.unwrap_or(f64::MIN),
                    indicator.valid_max.unwrap_or(f64::MAX),
                ),
                indicator.decimals,
            );
            let delta = new - pick.value;
            let mut moves = vec![(pick, new)];
            // An owner's national figure moves with its units, as the demo history has it; a
            // computed one (and the derived indicators) the store recomputes itself.
            if let Some(vn) = national.get(pick.indicator.as_str())
                && !indicator.national_is_computed()
            {
                // A mean moves by the unit's share of its weight (the weight's national
                // figure is all the units' sum); without a weight, by an equal share.
                let share = indicator.mean_weight().and_then(|w| {
                    let unit = latest.iter().find(|o| {
                        o.indicator == w && o.unit == pick.unit && o.period == pick.period
                    })?;
                    let total = national.get(w).filter(|n| n.period == pick.period)?;
                    (total.value > 0.0).then(|| unit.value / total.value)
                });
                let moved = match indicator.rollup {
                    Rollup::Sum => Some(vn.value + delta),
                    Rollup::WeightedMean => {
                        Some(vn.value + delta * share.unwrap_or(1.0 / provinces))
                    }
                    _ => None,
                };
                if let Some(v) = moved.filter(|_| vn.period == pick.period) {
                    moves.push((vn, round(v, indicator.decimals)));
                }
            }
            moves
                .into_iter()
                .map(|(o, v)| row(o, v))
                .collect::<Vec<_>>()
        };
        let writer = Writer {
            may_write: Box::new(|_| true),
            audit: AuditEntry {
                actor: "simulator".into(),
                actor_kind: "system".into(),
                action: "observations_simulate".into(),
                ..Default::default()
            },
        };
        if let Err(e) = ingest.submit(rows, Source::Simulator, writer).await {
            tracing::warn!(error = ?e, "simulator: batch refused");
        }
    }
}
