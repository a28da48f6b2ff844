//! The hub: the one path out. The bus hands it committed changes in seq order; it turns each into
//! one serialised message per topic (serialised once, shared by every client), keeps the recent
//! ones for clients that resume, and broadcasts them. Clients never wait on each other: each
//! reads the shared broadcast ring at its own pace, and one that falls behind the ring is
//! conflated (newest value per key) or given a fresh snapshot.

use crate::live::fanout::{Batch, Event, Fanout};
use app::catalogue::{CatalogueIndex, LiveCatalogue};
use app::model::display::DisplayConfig;
use app::model::live::{Alert, AlertKind, AlertLevel, LiveItem, ServerMessage, Topic};
use app::model::notification::InboxNotice;
use app::model::report::ReportState;
use app::model::{Observation, UnitKind};
use app::store::{Change, LatestScope, SharedStore, Snapshot, StoreError, Threshold};
use axum::extract::ws::Utf8Bytes;
use std::collections::{HashMap, VecDeque};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex, RwLock};

struct Replay {
    /// Highest seq published.
    seq: i64,
    /// Recent events in seq order, at most `capacity`.
    events: VecDeque<Event>,
    /// Every event with a seq above this is in `events` (or was never for any topic).
    covered_after: i64,
    capacity: usize,
}

pub struct Hub {
    replay: Mutex<Replay>,
    /// To the fan-out's thread, in publication order; taken when the hub closes.
    tx: Mutex<Option<std::sync::mpsc::Sender<Batch>>>,
    pub fanout: Arc<Fanout>,
    store: SharedStore,
    catalogue: LiveCatalogue,
    thresholds: RwLock<HashMap<String, Threshold>>,
    /// Alerts in force by indicator and unit, so that "back to normal" is said once, after an
    /// alert, not at every ordinary value.
    active: Mutex<HashMap<(String, String, AlertKind), AlertLevel>>,
    /// The last snapshot read per topic, reused while the replay can bring it up to date.
    snapshots: Mutex<HashMap<Topic, Arc<(i64, Utf8Bytes)>>>,
    build: Option<String>,
}

/// What a client is sent when it subscribes: messages in order, and the seq after which the
/// topic's broadcast events are new to it.
pub struct Resync {
    pub messages: Vec<Utf8Bytes>,
    pub deliver_after: i64,
}

fn key_of(parts: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

fn text(msg: &ServerMessage) -> Utf8Bytes {
    // Serialising our own types cannot fail (no maps with non-string keys, no foreign types).
    Utf8Bytes::from(serde_json::to_string(msg).unwrap_or_default())
}

impl Hub {
    pub fn new(
        store: SharedStore,
        catalogue: LiveCatalogue,
        seq: i64,
        settings: &crate::config::LiveSettings,
        thresholds: Vec<Threshold>,
    ) -> Hub {
        let fanout = Arc::new(Fanout::new(settings.write_timeout, settings.heartbeat));
        let (tx, rx) = std::sync::mpsc::channel::<Batch>();
        let writer = fanout.clone();
        // The fan-out writes to sockets with plain system calls, off the async runtime, so that
        // a burst of 10,000 writes never holds up request handling. It ends when the hub closes.
        let spawned = std::thread::Builder::new()
            .name("dieuhanh-fanout".into())
            .spawn(move || {
                while let Ok(batch) = rx.recv() {
                    writer.deliver(&batch);
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start the fan-out thread");
        }
        Hub {
            replay: Mutex::new(Replay {
                seq,
                events: VecDeque::new(),
                covered_after: seq,
                capacity: settings.replay_events.max(1),
            }),
            tx: Mutex::new(Some(tx)),
            fanout,
            store,
            catalogue,
            thresholds: RwLock::new(
                thresholds
                    .into_iter()
                    .map(|t| (t.indicator.clone(), t))
                    .collect(),
            ),
            snapshots: Mutex::new(HashMap::new()),
            build: settings.build.clone(),
            active: Mutex::new(HashMap::new()),
        }
    }

    /// Tells every client to close (the server is shutting down).
    pub fn close(&self) {
        self.fanout.close();
        if let Ok(mut tx) = self.tx.lock() {
            tx.take();
        }
    }

    fn send(&self, batch: Batch) {
        if let Ok(tx) = self.tx.lock()
            && let Some(tx) = tx.as_ref()
        {
            let _ = tx.send(batch);
        }
    }

    /// The highest seq the hub has published.
    pub fn seq(&self) -> i64 {
        self.replay.lock().map(|r| r.seq).unwrap_or_default()
    }

    pub fn clients(&self) -> usize {
        self.fanout.connections()
    }

    /// The events of `topic` published after `after`, and the seq they reach; None when the
    /// replay no longer holds them all.
    pub fn missed(&self, topic: &Topic, after: i64) -> Option<(Vec<Event>, i64)> {
        let replay = self.replay.lock().ok()?;
        if after >= replay.seq {
            return Some((Vec::new(), after));
        }
        Self::replayed(&replay, topic, after, replay.seq).map(|events| (events, replay.seq))
    }

    /// Takes the thresholds in force (read again from the database every few seconds, so an
    /// admin's change on any instance reaches every hub).
    pub fn replace_thresholds(&self, list: Vec<Threshold>) {
        let new: HashMap<String, Threshold> =
            list.into_iter().map(|t| (t.indicator.clone(), t)).collect();
        let Ok(mut map) = self.thresholds.write() else {
            return;
        };
        if *map != new {
            *map = new;
            if let Ok(mut m) = self.snapshots.lock() {
                m.remove(&Topic::Alerts);
            }
        }
    }

    /// Whether an alert is worth publishing: a warning or critical level that is not already in
    /// force, or the end of one that was. Records the change.
    fn is_news(&self, a: &Alert) -> bool {
        let Ok(mut active) = self.active.lock() else {
            return true;
        };
        let key = (a.indicator.clone(), a.unit.clone(), a.kind);
        match a.alert {
            AlertLevel::Cleared => active.remove(&key).is_some(),
            level => active.insert(key, level) != Some(level),
        }
    }

    fn alert_for(&self, catalogue: &CatalogueIndex, o: &Observation) -> Option<Alert> {
        let map = self.thresholds.read().ok()?;
        let t = map.get(&o.indicator)?;
        let indicator = catalogue.indicators.get(&o.indicator)?;
        let unit = catalogue.units.get(&o.unit)?;
        let (level, threshold) = t.level(indicator.good_direction, o.value)?;
        let value = app::model::format::number_vi(o.value, indicator.decimals);
        let message = match level {
            AlertLevel::Critical => format!(
                "Nguy cấp: {} của {} kỳ {} là {value} {} (critical)",
                indicator.name_vi, unit.name_vi, o.period, indicator.measure_vi
            ),
            AlertLevel::Warning => format!(
                "Cảnh báo: {} của {} kỳ {} là {value} {} (warning)",
                indicator.name_vi, unit.name_vi, o.period, indicator.measure_vi
            ),
            AlertLevel::Cleared => format!(
                "Đã trở lại bình thường: {} của {} kỳ {} (cleared)",
                indicator.name_vi, unit.name_vi, o.period
            ),
        };
        Some(Alert {
            alert: level,
            kind: AlertKind::Threshold,
            indicator: o.indicator.clone(),
            unit: o.unit.clone(),
            period: o.period,
            value: o.value,
            threshold,
            message,
        })
    }

    /// Whether an alert of `kind` is in force for `o`'s indicator and unit.
    fn in_force(&self, o: &Observation, kind: AlertKind) -> bool {
        self.active.lock().is_ok_and(|active| {
            !active.is_empty() && active.contains_key(&(o.indicator.clone(), o.unit.clone(), kind))
        })
    }

    /// The alert of a value far from its history, or the end of one when the series' new
    /// value is usual again (published only after an alert: [`Hub::is_news`]).
    fn outlier_alert(catalogue: &CatalogueIndex, o: &Observation) -> Option<Alert> {
        let indicator = catalogue.indicators.get(&o.indicator)?;
        let unit = catalogue.units.get(&o.unit)?;
        let (alert, message) = match o.outlier {
            Some(usual) => (
                AlertLevel::Warning,
                format!(
                    "Số liệu bất thường: {} của {} kỳ {} là {} {}, ngoài khoảng thường gặp {} – {} (unusual against its history)",
                    indicator.name_vi,
                    unit.name_vi,
                    o.period,
                    app::model::format::number_vi(o.value, indicator.decimals),
                    indicator.measure_vi,
                    app::model::format::number_vi(usual.low, indicator.decimals),
                    app::model::format::number_vi(usual.high, indicator.decimals),
                ),
            ),
            None => (
                AlertLevel::Cleared,
                format!(
                    "Số liệu đã trở lại khoảng thường gặp: {} của {} kỳ {} (usual again)",
                    indicator.name_vi, unit.name_vi, o.period
                ),
            ),
        };
        Some(Alert {
            alert,
            kind: AlertKind::Outlier,
            indicator: o.indicator.clone(),
            unit: o.unit.clone(),
            period: o.period,
            value: o.value,
            threshold: None,
            message,
        })
    }

    /// The topics one observation belongs to.
    fn topics_of(catalogue: &CatalogueIndex, o: &Observation) -> Vec<Topic> {
        let mut topics = vec![
            Topic::Unit(o.unit.clone()),
            Topic::Indicator(o.indicator.clone()),
        ];
        let kind = catalogue.units.get(&o.unit).map(|u| u.kind);
        if matches!(kind, Some(UnitKind::National | UnitKind::Province)) {
            topics.push(Topic::Overview);
        }
        topics
    }

    /// Publishes committed changes, which must follow the last published seq in order (the bus
    /// guarantees it). Each message is serialised once here, whatever the number of clients.
    pub fn publish(&self, changes: Vec<Change>) {
        let Some(last_seq) = changes.last().map(Change::seq) else {
            return;
        };
        // One reading of the catalogue for the whole batch (a batch is up to 10,000 values).
        let catalogue = self.catalogue.now();
        let mut events = Vec::with_capacity(changes.len() * 3);
        for change in changes {
            let o = match change {
                Change::Observation(o) => o,
                Change::Event {
                    seq,
                    topic,
                    payload,
                } => {
                    if let Some(e) = event_of(seq, &topic, &payload) {
                        events.push(e);
                    }
                    continue;
                }
            };
            let key = key_of((&o.indicator, &o.unit, &o.period.to_string()));
            let seq = o.seq;
            // The end of an outlier alert is written only where one is in force: most values
            // are usual, and a batch holds up to 10,000.
            let outlier = match o.outlier {
                Some(_) => Self::outlier_alert(&catalogue, &o),
                None if self.in_force(&o, AlertKind::Outlier) => {
                    Self::outlier_alert(&catalogue, &o)
                }
                None => None,
            };
            let alerts = [self.alert_for(&catalogue, &o), outlier];
            for alert in alerts.into_iter().flatten().filter(|a| self.is_news(a)) {
                events.push(Event {
                    seq,
                    topic: Topic::Alerts,
                    // A value may raise both kinds: conflation keeps the last of each.
                    key: key_of((&o.indicator, &o.unit, &o.period.to_string(), alert.kind)),
                    text: text(&ServerMessage::Update {
                        topic: Topic::Alerts,
                        seq: o.seq,
                        data: LiveItem::Alert(alert),
                    }),
                });
            }
            let topics = Self::topics_of(&catalogue, &o);
            let item = LiveItem::Observation(o);
            for topic in topics {
                let msg = ServerMessage::Update {
                    topic: topic.clone(),
                    seq,
                    data: item.clone(),
                };
                events.push(Event {
                    seq,
                    topic,
                    key,
                    text: text(&msg),
                });
            }
        }
        let Ok(mut replay) = self.replay.lock() else {
            return;
        };
        for e in &events {
            replay.events.push_back(e.clone());
        }
        while replay.events.len() > replay.capacity {
            if let Some(old) = replay.events.pop_front() {
                replay.covered_after = old.seq;
            }
        }
        // Drop whole seqs only: a seq partly evicted would be replayed incompletely.
        while replay
            .events
            .front()
            .is_some_and(|e| e.seq <= replay.covered_after)
        {
            replay.events.pop_front();
        }
        replay.seq = last_seq;
        // Handed on under the lock, so that batches reach the fan-out in seq order and a client
        // starting a topic (which reads the replay under this lock) sees each batch either in
        // the replay or later from the fan-out.
        self.send(Batch::Events { last_seq, events });
    }

    /// Sends a heartbeat to every client.
    pub fn heartbeat(&self) {
        let Ok(replay) = self.replay.lock() else {
            return;
        };
        let msg = ServerMessage::Heartbeat {
            seq: replay.seq,
            ts: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            build: self.build.clone(),
        };
        self.send(Batch::Heartbeat { text: text(&msg) });
    }

    /// The events of `topic` with a seq in (after, upto], or None when the replay no longer
    /// holds all of them.
    fn replayed(replay: &Replay, topic: &Topic, after: i64, upto: i64) -> Option<Vec<Event>> {
        if after < replay.covered_after {
            return None;
        }
        Some(
            replay
                .events
                .iter()
                .filter(|e| e.seq > after && e.seq <= upto && &e.topic == topic)
                .cloned()
                .collect(),
        )
    }

    /// Brings a client up to date on `topic`. With `since`, it is sent exactly the updates after
    /// it (conflated to the newest per key when `conflate`), when the hub still holds them;
    /// otherwise a fresh snapshot. The client then takes broadcast events above `deliver_after`.
    pub async fn resync(
        &self,
        topic: &Topic,
        since: Option<i64>,
        conflate: bool,
    ) -> Result<Resync, StoreError> {
        if let Some(since) = since {
            let Ok(replay) = self.replay.lock() else {
                return Err(StoreError::other("hub poisoned"));
            };
            let upto = replay.seq;
            if since >= upto {
                // Nothing missed (or the client saw a seq this instance has not published yet).
                return Ok(Resync {
                    messages: Vec::new(),
                    deliver_after: since,
                });
            }
            if let Some(events) = Self::replayed(&replay, topic, since, upto) {
                return Ok(Resync {
                    messages: if conflate {
                        conflated(events)
                    } else {
                        events.into_iter().map(|e| e.text).collect()
                    },
                    deliver_after: upto,
                });
            }
        }
        self.snapshot(topic).await
    }

    /// The topic's latest state, then whatever the hub published after the state was read.
    async fn snapshot(&self, topic: &Topic) -> Result<Resync, StoreError> {
        for _ in 0..3 {
            let cached = self
                .snapshots
                .lock()
                .ok()
                .and_then(|m| m.get(topic).cloned());
            let (seq, snapshot_text) = match cached {
                Some(c) => (c.0, c.1.clone()),
                None => {
                    let fresh = self.read_snapshot(topic).await?;
                    if let Ok(mut m) = self.snapshots.lock() {
                        m.insert(topic.clone(), Arc::new(fresh.clone()));
                    }
                    fresh
                }
            };
            let Ok(replay) = self.replay.lock() else {
                return Err(StoreError::other("hub poisoned"));
            };
            if seq >= replay.seq {
                return Ok(Resync {
                    messages: vec![snapshot_text],
                    deliver_after: seq,
                });
            }
            if let Some(events) = Self::replayed(&replay, topic, seq, replay.seq) {
                // Not too far behind: the snapshot is patched with what came after it.
                if events.len() <= 256 {
                    let mut messages = vec![snapshot_text];
                    messages.extend(conflated(events));
                    return Ok(Resync {
                        messages,
                        deliver_after: replay.seq,
                    });
                }
            }
            drop(replay);
            if let Ok(mut m) = self.snapshots.lock() {
                m.remove(topic);
            }
        }
        Err(StoreError::unavailable(
            "không đọc được trạng thái mới nhất (could not read a current snapshot)",
        ))
    }

    async fn read_snapshot(&self, topic: &Topic) -> Result<(i64, Utf8Bytes), StoreError> {
        let scope = match topic {
            Topic::Overview => Some(LatestScope::NationalAndProvinces),
            Topic::Unit(u) => Some(LatestScope::Unit(u.clone())),
            Topic::Indicator(i) => Some(LatestScope::Indicator(i.clone())),
            Topic::Alerts
            | Topic::Tasks
            | Topic::Explanations
            | Topic::Reports
            | Topic::Catalogue => None,
            // The seq first, for these two: a change committed after it is also sent as an
            // update.
            Topic::Display(id) => {
                let seq = self.store.current_seq().await?;
                let data = self.store.display(*id).await?;
                return Ok(snapshot_of(
                    topic,
                    seq,
                    data.map(|d| LiveItem::Display(d.config))
                        .into_iter()
                        .collect(),
                ));
            }
            Topic::Inbox(user) => {
                let seq = self.store.current_seq().await?;
                let unread = self.store.unread(*user).await?;
                return Ok(snapshot_of(
                    topic,
                    seq,
                    vec![LiveItem::Inbox(InboxNotice { unread })],
                ));
            }
        };
        let snapshot = match scope {
            Some(scope) => self.store.latest(&scope).await?,
            None => Snapshot {
                seq: self.store.current_seq().await?,
                observations: Vec::new(),
            },
        };
        let mut data: Vec<LiveItem> = Vec::new();
        if *topic == Topic::Alerts {
            // The alerts in force: the latest value of each thresholded indicator per unit, and
            // each series whose latest value arrived far from its history.
            let indicators: Vec<String> = self
                .thresholds
                .read()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            let mut seq = snapshot.seq;
            let catalogue = self.catalogue.now();
            for code in indicators {
                let latest = self.store.latest(&LatestScope::Indicator(code)).await?;
                seq = seq.min(latest.seq);
                data.extend(
                    latest
                        .observations
                        .iter()
                        .filter_map(|o| self.alert_for(&catalogue, o))
                        .filter(|a| a.alert != AlertLevel::Cleared)
                        .map(LiveItem::Alert),
                );
            }
            let flagged = self.store.latest(&LatestScope::Outliers).await?;
            seq = seq.min(flagged.seq);
            data.extend(
                flagged
                    .observations
                    .iter()
                    .filter_map(|o| Self::outlier_alert(&catalogue, o))
                    .map(LiveItem::Alert),
            );
            return Ok(snapshot_of(topic, seq, data));
        }
        data.extend(snapshot.observations.into_iter().map(LiveItem::Observation));
        Ok(snapshot_of(topic, snapshot.seq, data))
    }
}

/// A topic's snapshot as of `seq`, with its text.
fn snapshot_of(topic: &Topic, seq: i64, data: Vec<LiveItem>) -> (i64, Utf8Bytes) {
    (
        seq,
        text(&ServerMessage::Snapshot {
            topic: topic.clone(),
            seq,
            data,
        }),
    )
}

/// The message of a change other than a value; None (logged) for one this version cannot read.
fn event_of(seq: i64, topic: &str, payload: &str) -> Option<Event> {
    let parsed = Topic::parse(topic).ok().and_then(|topic| {
        let data = match topic {
            Topic::Display(_) => serde_json::from_str::<DisplayConfig>(payload)
                .ok()
                .map(LiveItem::Display)?,
            Topic::Reports => serde_json::from_str::<ReportState>(payload)
                .ok()
                .map(LiveItem::Report)?,
            Topic::Tasks => serde_json::from_str::<app::model::task::TaskNotice>(payload)
                .ok()
                .map(LiveItem::Task)?,
            Topic::Explanations => {
                serde_json::from_str::<app::model::explanation::ExplanationNotice>(payload)
                    .ok()
                    .map(LiveItem::Explanation)?
            }
            Topic::Catalogue => serde_json::from_str::<app::model::live::CatalogueNotice>(payload)
                .ok()
                .map(LiveItem::Catalogue)?,
            Topic::Inbox(_) => serde_json::from_str::<InboxNotice>(payload)
                .ok()
                .map(LiveItem::Inbox)?,
            _ => return None,
        };
        Some((topic, data))
    });
    let Some((topic, data)) = parsed else {
        tracing::warn!(seq, topic, "live feed: unreadable change skipped");
        return None;
    };
    Some(Event {
        seq,
        key: key_of(topic.to_string()),
        text: text(&ServerMessage::Update {
            topic: topic.clone(),
            seq,
            data,
        }),
        topic,
    })
}

/// Keeps only the newest event of each key, in seq order.
pub fn conflated(events: Vec<Event>) -> Vec<Utf8Bytes> {
    let mut newest: HashMap<u64, usize> = HashMap::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        newest.insert(e.key, i);
    }
    events
        .into_iter()
        .enumerate()
        .filter(|(i, e)| newest.get(&e.key) == Some(i))
        .map(|(_, e)| e.text)
        .collect()
}
