//! A unit's recent points (what its cards draw), kept between page views. At 200 indicators the
//! database's answer was most of the overview's time, and the same answer is given to every
//! screen until a value of that unit changes. The live bus notes each change before it
//! publishes it, so an answer is reused only while no value of its unit has changed since it
//! was read; a page built from it resumes its live stream from the seq the answer is true at.

use crate::model::view::{Point, SPARKLINE_POINTS};
use crate::store::{Change, Store, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Units kept (the nation, provinces, ministries and the communes opened lately): at 200
/// indicators the nation's answer is about 200 KB, a commune's a tenth of that.
pub const CAPACITY: usize = 256;

/// Points by indicator, oldest first.
pub type Points = Arc<HashMap<String, Vec<Point>>>;

#[derive(Clone, Default)]
pub struct RecentCache(Arc<Mutex<Inner>>);

#[derive(Default)]
struct Inner {
    /// Changes up to this seq have been noted.
    noted: i64,
    /// The seq of each unit's last noted change.
    changed: HashMap<String, i64>,
    entries: HashMap<String, Entry>,
    /// Counts uses, to drop the least recently used entry when full.
    clock: u64,
}

struct Entry {
    /// The answer is true at this seq (read after it was current).
    read_at: i64,
    points: Points,
    used: u64,
}

impl RecentCache {
    pub fn new() -> RecentCache {
        RecentCache::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Nothing panics while holding the lock; a poisoned one still holds whole entries.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Called by the live bus with each batch of committed changes, in seq order, before it
    /// publishes them.
    pub fn note(&self, changes: &[Change]) {
        let mut inner = self.lock();
        for c in changes {
            if let Change::Observation(o) = c {
                inner.changed.insert(o.unit.clone(), o.seq);
                inner.entries.remove(&o.unit);
            }
            inner.noted = inner.noted.max(c.seq());
        }
    }

    /// The cached answer for `unit` and the seq it is true at. An entry is only there while no
    /// change of the unit has been noted since it was read: `note` drops it, `put` refuses it.
    fn get(&self, unit: &str) -> Option<(i64, Points)> {
        let mut inner = self.lock();
        inner.clock += 1;
        let (clock, noted) = (inner.clock, inner.noted);
        let entry = inner.entries.get_mut(unit)?;
        entry.used = clock;
        // No change of the unit between its reading and the last noted seq: true at both.
        Some((entry.read_at.max(noted), entry.points.clone()))
    }

    /// Keeps an answer read when `read_at` was the current seq, unless a change of the unit
    /// after that has already been noted.
    fn put(&self, unit: &str, read_at: i64, points: Points) {
        let mut inner = self.lock();
        if inner.changed.get(unit).is_some_and(|c| *c > read_at) {
            return;
        }
        if inner.entries.len() >= CAPACITY
            && !inner.entries.contains_key(unit)
            && let Some(oldest) = inner
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone())
        {
            inner.entries.remove(&oldest);
        }
        inner.clock += 1;
        let used = inner.clock;
        inner.entries.insert(
            unit.to_string(),
            Entry {
                read_at,
                points,
                used,
            },
        );
    }

    /// The latest [`SPARKLINE_POINTS`] of each indicator of `unit`, and the seq they are true
    /// at (at most `seq`, the current one read before). Without a cache (no live bus to keep it
    /// true), straight from the store.
    pub async fn recent(
        cache: Option<&RecentCache>,
        store: &dyn Store,
        unit: &str,
        seq: i64,
    ) -> Result<(i64, Points), StoreError> {
        if let Some((at, points)) = cache.and_then(|c| c.get(unit)) {
            return Ok((at.min(seq), points));
        }
        let points: Points = Arc::new(
            store
                .recent_points(unit, SPARKLINE_POINTS)
                .await?
                .into_iter()
                .collect(),
        );
        if let Some(c) = cache {
            c.put(unit, seq, points.clone());
        }
        Ok((seq, points))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Observation;

    fn change(unit: &str, seq: i64) -> Change {
        Change::Observation(Observation {
            indicator: "CPI_YOY".into(),
            unit: unit.into(),
            period: crate::model::Period::parse("2026-11").unwrap(),
            value: 3.1,
            revision: 1,
            source: crate::model::observation::Source::Api,
            status: Default::default(),
            simulated: false,
            seq,
            updated_at: chrono::Utc::now(),
            outlier: None,
        })
    }

    fn points(v: f64) -> Points {
        Arc::new(HashMap::from([(
            "CPI_YOY".to_string(),
            vec![Point {
                period: crate::model::Period::parse("2026-10").unwrap(),
                value: v,
                simulated: false,
                outlier: false,
            }],
        )]))
    }

    #[test]
    fn an_answer_is_reused_until_a_value_of_its_unit_changes() {
        let cache = RecentCache::new();
        cache.put("VN", 10, points(1.0));
        assert_eq!(cache.get("VN").map(|(at, _)| at), Some(10));
        // Another unit's change leaves it, and it is then true at the later seq.
        cache.note(&[change("01", 11)]);
        assert_eq!(cache.get("VN").map(|(at, _)| at), Some(11));
        cache.note(&[change("VN", 12)]);
        assert!(cache.get("VN").is_none());
    }

    #[test]
    fn an_answer_read_before_a_change_already_noted_is_not_kept() {
        let cache = RecentCache::new();
        cache.note(&[change("VN", 12)]);
        // Read when 11 was current, arriving after 12 was noted: stale, dropped.
        cache.put("VN", 11, points(1.0));
        assert!(cache.get("VN").is_none());
        // Read after 12 committed: kept.
        cache.put("VN", 12, points(2.0));
        assert_eq!(
            cache.get("VN").map(|(at, p)| (at, p["CPI_YOY"][0].value)),
            Some((12, 2.0))
        );
    }

    #[test]
    fn the_least_recently_used_unit_leaves_when_full() {
        let cache = RecentCache::new();
        for i in 0..CAPACITY {
            cache.put(&format!("{i:05}"), 1, points(1.0));
        }
        // The first is used again; the second is then the oldest.
        assert!(cache.get("00000").is_some());
        cache.put("VN", 1, points(1.0));
        assert!(cache.get("00000").is_some());
        assert!(cache.get("00001").is_none());
        assert!(cache.get("VN").is_some());
    }
}
