//! The fan-out: the one place that writes the hub's events to sockets.
//!
//! Each update used to wake one task per client, which framed the message into its own buffer,
//! armed a timer and flushed: with 10,000 clients, 10,000 wake-ups per update cost more than the
//! writes themselves. Here a dedicated thread takes each batch once, frames it once, and writes
//! the same bytes to every subscribed socket with one non-blocking `write()` each. A socket that
//! does not take everything keeps the rest in its backlog, and only then is its connection's task
//! woken to finish the write when the socket is writable (or to drop the client when it stays
//! full). A backlog over [`MAX_BACKLOG`] is dropped and the client conflated (newest value per
//! key), so a slow client costs memory up to a bound and never slows the others.

use app::model::live::Topic;
use axum::body::Bytes;
use axum::extract::ws::Utf8Bytes;
use std::collections::{HashMap, VecDeque};
use std::io::IoSlice;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::Notify;

/// One message for one topic, ready to send.
#[derive(Clone, Debug)]
pub struct Event {
    pub seq: i64,
    pub topic: Topic,
    /// Identifies what the message is about (indicator, unit, period, kind), for conflation.
    pub key: u64,
    pub text: Utf8Bytes,
}

/// What the hub hands the fan-out: the events of one feed round, or a heartbeat.
#[derive(Debug)]
pub enum Batch {
    Events { last_seq: i64, events: Vec<Event> },
    Heartbeat { text: Utf8Bytes },
}

/// Bytes a client may have waiting before it is conflated instead. Events are shared by every
/// client's backlog (slices of one buffer), so the bound is on the client's delay, not on memory.
pub const MAX_BACKLOG: usize = 4 * 1024 * 1024;
/// Bytes the kernel may still hold for a client whose own backlog has drained before it counts
/// as not reading: a client that stopped reading fills the kernel's buffers and stays there.
const STALLED_IN_KERNEL: usize = 64 * 1024;
/// Below this many sockets one thread writes them all; above, the work is split (see [`each`]).
const PARALLEL_FROM: usize = 2_000;

/// A server-to-client WebSocket text frame (servers do not mask).
pub fn text_frame(payload: &[u8]) -> Bytes {
    frame(0x81, payload)
}

/// A close frame with a status code and a short reason.
pub fn close_frame(code: u16, reason: &str) -> Bytes {
    let mut payload = code.to_be_bytes().to_vec();
    payload.extend_from_slice(&reason.as_bytes()[..reason.len().min(120)]);
    frame(0x88, &payload)
}

fn frame(first: u8, payload: &[u8]) -> Bytes {
    let len = payload.len();
    let mut out = Vec::with_capacity(len + 10);
    out.push(first);
    match len {
        0..=125 => out.push(len as u8),
        126..=65535 => {
            out.push(126);
            out.extend_from_slice(&(len as u16).to_be_bytes());
        }
        _ => {
            out.push(127);
            out.extend_from_slice(&(len as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(payload);
    Bytes::from(out)
}

/// One non-blocking send on a socket, straight to the kernel: the runtime's own write path
/// checks and clears readiness around each call, a cost paid 10,000 times per update here. The
/// runtime is not told when this finds the socket full; the connection's task learns it when it
/// flushes the backlog through the runtime.
fn send(fd: RawFd, slices: &[IoSlice]) -> std::io::Result<usize> {
    let n = match slices {
        // SAFETY: the pointer and length come from one live slice.
        [one] => unsafe {
            libc::send(
                fd,
                one.as_ptr().cast(),
                one.len(),
                libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL,
            )
        },
        _ => {
            // SAFETY: an all-zero msghdr is valid (no name, no control data); IoSlice has the
            // layout of iovec on Unix, and the slices outlive the call.
            let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
            msg.msg_iov = slices.as_ptr() as *mut libc::iovec;
            msg.msg_iovlen = slices.len() as _;
            unsafe { libc::sendmsg(fd, &msg, libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL) }
        }
    };
    if n < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

/// One client's socket and what the fan-out knows of it.
pub struct Conn {
    id: u64,
    /// The stream's descriptor, written to directly (see [`send`]).
    fd: RawFd,
    pub stream: TcpStream,
    state: Mutex<ConnState>,
    /// Woken when the connection's task has work: a backlog, a lag, a broken socket.
    pub wake: Notify,
    /// The last batch offered, so that a batch reaching it through several topics is written once.
    offered: AtomicU64,
    /// A client whose writes wait longer is dropped (by its task, see [`Conn::stalled`]).
    patience: Duration,
}

/// A topic as the fan-out numbers it.
pub type TopicId = u32;

/// A list of connections, shared with the writer without a copy.
type ConnList = Arc<Vec<Arc<Conn>>>;

struct Sub {
    id: TopicId,
    topic: Topic,
    after: i64,
}

#[derive(Default)]
struct ConnState {
    /// Each topic with the seq of the last event written for it (or the resync's point). A
    /// connection holds a few topics: a list searched by number beats a map searched by name.
    topics: Vec<Sub>,
    /// Frames the socket has not taken yet, each with its seq (0 for replies), oldest first.
    backlog: VecDeque<(i64, Bytes)>,
    /// Bytes of the first backlog frame already written.
    written: usize,
    backlog_bytes: usize,
    /// When the backlog started waiting (the client is dropped if it waits too long).
    waiting_since: Option<Instant>,
    /// When the client was last sent an event, in milliseconds of the fan-out's clock.
    event_at_ms: Option<u64>,
    /// The backlog overflowed: the client is brought up to date from after this seq.
    lagged_after: Option<i64>,
    broken: bool,
}

/// What the connection's task has to do.
pub struct Status {
    /// Since when the client has not taken what it was sent.
    pub waiting_since: Option<Instant>,
    /// Bytes wait in the backlog (the task writes them when the socket is writable).
    pub backlog: bool,
    pub lagged_after: Option<i64>,
    pub broken: bool,
}

impl Conn {
    /// Writes `pieces` after whatever is waiting, as much as the socket takes now.
    fn write(&self, st: &mut ConnState, pieces: &[(i64, Bytes)]) {
        if st.broken || pieces.is_empty() {
            return;
        }
        let mut first = 0;
        let mut partial = 0;
        if st.backlog.is_empty() {
            // The usual delivery is one piece: no list is allocated for it.
            let result = match pieces {
                [(_, one)] => send(self.fd, &[IoSlice::new(one)]),
                _ => {
                    let slices: Vec<IoSlice> = pieces
                        .iter()
                        .take(64)
                        .map(|(_, b)| IoSlice::new(b))
                        .collect();
                    send(self.fd, &slices)
                }
            };
            match result {
                Ok(mut n) => {
                    while first < pieces.len() && n >= pieces[first].1.len() {
                        n -= pieces[first].1.len();
                        first += 1;
                    }
                    partial = n;
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(_) => {
                    st.broken = true;
                    self.wake.notify_one();
                    return;
                }
            }
        }
        if first == pieces.len() {
            return;
        }
        if st.backlog.is_empty() {
            st.written = partial;
            st.waiting_since.get_or_insert_with(Instant::now);
        }
        for (seq, bytes) in &pieces[first..] {
            st.backlog_bytes += bytes.len();
            st.backlog.push_back((*seq, bytes.clone()));
        }
        if st.backlog_bytes > MAX_BACKLOG {
            // Keep only a frame already begun (the stream must stay well-formed); the rest is
            // replaced by a catch-up from the oldest seq dropped.
            let keep = usize::from(st.written > 0);
            let dropped: Vec<(i64, Bytes)> = st.backlog.drain(keep..).collect();
            let oldest = dropped.iter().map(|(s, _)| *s).min().unwrap_or(0);
            st.backlog_bytes = st.backlog.iter().map(|(_, b)| b.len()).sum();
            let after = oldest.saturating_sub(1);
            st.lagged_after = Some(st.lagged_after.map_or(after, |a| a.min(after)));
            // Nothing more is written for its topics until the catch-up restarts them, so that
            // nothing newer reaches the client before the older values it lost.
            st.topics.iter_mut().for_each(|s| s.after = i64::MAX);
            // `waiting_since` stays: a client that takes nothing is dropped in time even while
            // its backlog is being replaced.
        }
        self.wake.notify_one();
    }

    /// Sends messages of the connection's own (answers, snapshots), in order after what waits.
    pub fn send(&self, frames: &[Bytes]) {
        let pieces: Vec<(i64, Bytes)> = frames.iter().map(|f| (0, f.clone())).collect();
        if let Ok(mut st) = self.state.lock() {
            self.write(&mut st, &pieces);
        }
    }

    /// Writes what waits, as far as the socket takes it. Called when the socket is writable.
    pub fn flush(&self) {
        let Ok(mut st) = self.state.lock() else {
            return;
        };
        while !st.backlog.is_empty() && !st.broken {
            let written = st.written;
            let slices: Vec<IoSlice> = st
                .backlog
                .iter()
                .take(64)
                .enumerate()
                .map(|(i, (_, b))| IoSlice::new(if i == 0 { &b[written..] } else { b }))
                .collect();
            match self.stream.try_write_vectored(&slices) {
                Ok(mut n) => {
                    n += written;
                    st.written = 0;
                    while let Some((_, b)) = st.backlog.front() {
                        if n < b.len() {
                            st.written = n;
                            break;
                        }
                        n -= b.len();
                        st.backlog_bytes -= b.len();
                        st.backlog.pop_front();
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return,
                Err(_) => st.broken = true,
            }
        }
        if st.backlog.is_empty() && !self.kernel_holds_much() {
            st.waiting_since = None;
        }
    }

    /// Whether the kernel still holds more than [`STALLED_IN_KERNEL`] bytes for the client.
    fn kernel_holds_much(&self) -> bool {
        let mut unsent: libc::c_int = 0;
        // SAFETY: TIOCOUTQ (SIOCOUTQ for TCP) writes one int: the bytes not yet acknowledged.
        let ok = unsafe { libc::ioctl(self.fd, libc::TIOCOUTQ, &mut unsent) } == 0;
        ok && unsent as usize > STALLED_IN_KERNEL
    }

    /// Asked when the client's writes have waited [`Conn::patience`]: true when they still wait
    /// (in its backlog or in the kernel), and the client is to be dropped; otherwise the wait is
    /// over.
    pub fn stalled(&self) -> bool {
        let Ok(mut st) = self.state.lock() else {
            return true;
        };
        if !st.backlog.is_empty() || self.kernel_holds_much() {
            return true;
        }
        st.waiting_since = None;
        false
    }

    /// Ends the server's side of the stream (a FIN after what the socket holds).
    pub fn shutdown_write(&self) {
        // SAFETY: shutdown on the descriptor this connection owns.
        unsafe { libc::shutdown(self.fd, libc::SHUT_WR) };
    }

    pub fn patience(&self) -> Duration {
        self.patience
    }

    pub fn status(&self) -> Status {
        match self.state.lock() {
            Ok(st) => Status {
                waiting_since: st.waiting_since,
                backlog: !st.backlog.is_empty(),
                lagged_after: st.lagged_after,
                broken: st.broken,
            },
            Err(_) => Status {
                waiting_since: None,
                backlog: false,
                lagged_after: None,
                broken: true,
            },
        }
    }

    /// Takes the lag mark: the caller brings every topic up to date from the seq returned.
    pub fn take_lag(&self) -> Option<(i64, Vec<Topic>)> {
        let mut st = self.state.lock().ok()?;
        let after = st.lagged_after.take()?;
        Some((after, st.topics.iter().map(|s| s.topic.clone()).collect()))
    }

    pub fn topic_count(&self) -> usize {
        self.state.lock().map(|s| s.topics.len()).unwrap_or(0)
    }

    pub fn has_topic(&self, topic: &Topic) -> bool {
        self.state
            .lock()
            .map(|s| s.topics.iter().any(|t| &t.topic == topic))
            .unwrap_or(false)
    }

    /// Starts (or restarts) a topic: `messages` (a snapshot or what the client missed) are
    /// written, then `missed()` (what the hub published after `after`, read under this
    /// connection's lock, so that no event falls between them and the fan-out), and the fan-out
    /// writes events after that. `missed` answers the events and the seq they reach, or None
    /// when the hub no longer holds them all (the client is then conflated from a snapshot).
    pub fn start_topic(
        &self,
        id: TopicId,
        topic: Topic,
        messages: &[Bytes],
        after: i64,
        missed: impl FnOnce(i64) -> Option<(Vec<Event>, i64)>,
    ) {
        let Ok(mut st) = self.state.lock() else {
            return;
        };
        let mut pieces: Vec<(i64, Bytes)> = messages.iter().map(|m| (0, m.clone())).collect();
        let reached = match missed(after) {
            Some((events, upto)) => {
                pieces.extend(
                    events
                        .iter()
                        .map(|e| (e.seq, text_frame(e.text.as_str().as_bytes()))),
                );
                upto.max(after)
            }
            None => {
                st.lagged_after = Some(after);
                i64::MAX
            }
        };
        match st.topics.iter_mut().find(|s| s.id == id) {
            Some(sub) => sub.after = reached,
            None => st.topics.push(Sub {
                id,
                topic,
                after: reached,
            }),
        }
        self.write(&mut st, &pieces);
    }

    pub fn stop_topic(&self, topic: &Topic) {
        if let Ok(mut st) = self.state.lock() {
            st.topics.retain(|s| &s.topic != topic);
        }
    }

    /// Offers a batch's events: those of its topics after what it has, in seq order.
    /// `now_ms`: the fan-out's clock, read once per batch, kept when an event is sent (see
    /// [`Conn::heartbeat`]).
    fn offer(&self, runs: &[Run], now_ms: u64) {
        let Ok(mut st) = self.state.lock() else {
            return;
        };
        // Where each run starts for this connection, advancing its point past the run.
        let from = |st: &mut ConnState, run: &Run| -> Option<usize> {
            let sub = st.topics.iter_mut().find(|s| s.id == run.id)?;
            let from = run.seqs.partition_point(|s| *s <= sub.after);
            let last = run.seqs.get(from..)?.last()?;
            sub.after = *last;
            Some(from)
        };
        if let [run] = runs {
            // One topic (the usual case): its frames are contiguous, one slice, no allocation.
            if let Some(i) = from(&mut st, run) {
                let piece = [(run.seqs[i], run.bytes.slice(run.offsets[i]..))];
                st.event_at_ms = Some(now_ms);
                self.write(&mut st, &piece);
            }
            return;
        }
        let mut pieces: Vec<(i64, Bytes)> = Vec::new();
        for run in runs {
            if let Some(i) = from(&mut st, run) {
                pieces.extend(run.frames_from(i));
            }
        }
        if pieces.is_empty() {
            return;
        }
        // Stable: events of one seq keep the batch's topic order.
        pieces.sort_by_key(|(seq, _)| *seq);
        st.event_at_ms = Some(now_ms);
        self.write(&mut st, &pieces);
    }

    /// Skipped for a client sent an event less than `quiet_ms` ago: any message tells a screen
    /// that the stream is alive, and a pass over every socket in the middle of a stream of
    /// updates holds the next update back by as long as the pass takes (p99 up by 40 ms with
    /// 10,000 clients and a heartbeat a second, docs/performance.md).
    fn heartbeat(&self, frame: &Bytes, now_ms: u64, quiet_ms: u64) {
        // A heartbeat's seq tells the client it has everything up to it: not while it lags.
        if let Ok(mut st) = self.state.lock()
            && st.lagged_after.is_none()
            && st
                .event_at_ms
                .is_none_or(|at| now_ms.saturating_sub(at) >= quiet_ms)
        {
            self.write(&mut st, &[(0, frame.clone())]);
        }
    }
}

/// A batch's events of one topic, framed into one buffer.
struct Run {
    id: TopicId,
    seqs: Vec<i64>,
    /// Where each frame starts in `bytes`.
    offsets: Vec<usize>,
    bytes: Bytes,
}

impl Run {
    fn frames_from(&self, from: usize) -> Vec<(i64, Bytes)> {
        (from..self.seqs.len())
            .map(|i| {
                let end = self.offsets.get(i + 1).copied().unwrap_or(self.bytes.len());
                (self.seqs[i], self.bytes.slice(self.offsets[i]..end))
            })
            .collect()
    }
}

/// The batch's events of the topics someone listens to, framed once, a run per topic in the
/// order the batch first names them; with each run's listeners.
fn runs_of(events: &[Event], listeners: &HashMap<Topic, Listeners>) -> Vec<(Run, ConnList)> {
    struct Building<'a> {
        topic: &'a Topic,
        id: TopicId,
        seqs: Vec<i64>,
        offsets: Vec<usize>,
        bytes: Vec<u8>,
        conns: Arc<Vec<Arc<Conn>>>,
    }
    let mut runs: Vec<Building> = Vec::new();
    for e in events {
        let i = match runs.iter().position(|r| r.topic == &e.topic) {
            Some(i) => i,
            None => {
                let Some(l) = listeners.get(&e.topic).filter(|l| !l.conns.is_empty()) else {
                    continue;
                };
                runs.push(Building {
                    topic: &e.topic,
                    id: l.id,
                    seqs: Vec::new(),
                    offsets: Vec::new(),
                    bytes: Vec::new(),
                    conns: l.conns.clone(),
                });
                runs.len() - 1
            }
        };
        let run = &mut runs[i];
        run.offsets.push(run.bytes.len());
        run.seqs.push(e.seq);
        run.bytes
            .extend_from_slice(&text_frame(e.text.as_str().as_bytes()));
    }
    runs.into_iter()
        .map(|r| {
            (
                Run {
                    id: r.id,
                    seqs: r.seqs,
                    offsets: r.offsets,
                    bytes: Bytes::from(r.bytes),
                },
                r.conns,
            )
        })
        .collect()
}

/// A topic's number and its listeners (copied on change, so that a write round reads them
/// without holding a lock).
struct Listeners {
    id: TopicId,
    conns: Arc<Vec<Arc<Conn>>>,
}

/// Every open connection and who listens to what.
pub struct Fanout {
    all: RwLock<Arc<Vec<Arc<Conn>>>>,
    /// Topics ever listened to keep their number (a few thousand at most: units, indicators).
    by_topic: RwLock<HashMap<Topic, Listeners>>,
    next_id: AtomicU64,
    batches: AtomicU64,
    patience: Duration,
    /// Set by [`Fanout::close`]; each connection's task reads it (see [`Fanout::closing`]).
    closing: AtomicBool,
    /// A client sent an event this recently is not sent the heartbeat (see [`Conn::heartbeat`]).
    quiet: Duration,
    started: Instant,
}

impl Fanout {
    /// `patience`: how long a client's writes may wait (see [`Conn`]). `heartbeat`: how often
    /// the hub sends one; a client sent an event within half of that is not sent it, so no
    /// client goes more than one and a half periods without a message.
    pub fn new(patience: Duration, heartbeat: Duration) -> Fanout {
        Fanout {
            all: RwLock::default(),
            by_topic: RwLock::default(),
            next_id: AtomicU64::new(0),
            batches: AtomicU64::new(0),
            patience,
            closing: AtomicBool::new(false),
            quiet: heartbeat / 2,
            started: Instant::now(),
        }
    }

    fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    pub fn add(&self, stream: TcpStream) -> Arc<Conn> {
        let conn = Arc::new(Conn {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            fd: stream.as_raw_fd(),
            stream,
            state: Mutex::new(ConnState::default()),
            wake: Notify::new(),
            offered: AtomicU64::new(0),
            patience: self.patience,
        });
        if let Ok(mut all) = self.all.write() {
            let mut list = Vec::with_capacity(all.len() + 1);
            list.extend(all.iter().cloned());
            list.push(conn.clone());
            *all = Arc::new(list);
        }
        conn
    }

    /// The server is shutting down: every connection's task is woken, through its own `wake` (so
    /// that an idle task waits on nothing more), to tell its client so and close. A connection
    /// added after the list is read sees [`Fanout::closing`] before its task first waits.
    pub fn close(&self) {
        self.closing.store(true, Ordering::Release);
        let all = self.all.read().map(|a| a.clone()).unwrap_or_default();
        for conn in all.iter() {
            conn.wake.notify_one();
        }
    }

    pub fn closing(&self) -> bool {
        self.closing.load(Ordering::Acquire)
    }

    /// Forgets a connection (closed): it is written to no more.
    pub fn remove(&self, conn: &Conn) {
        let topics: Vec<Topic> = conn
            .state
            .lock()
            .map(|s| s.topics.iter().map(|t| t.topic.clone()).collect())
            .unwrap_or_default();
        for t in &topics {
            self.unlisten(conn, t);
        }
        if let Ok(mut all) = self.all.write() {
            *all = Arc::new(all.iter().filter(|c| c.id != conn.id).cloned().collect());
        }
    }

    /// Adds the connection to a topic's listeners (before its `start_topic`); the topic's number.
    pub fn listen(&self, conn: &Arc<Conn>, topic: &Topic) -> TopicId {
        let Ok(mut map) = self.by_topic.write() else {
            return TopicId::MAX;
        };
        let next = map.len() as TopicId;
        let entry = map.entry(topic.clone()).or_insert_with(|| Listeners {
            id: next,
            conns: Arc::default(),
        });
        if !entry.conns.iter().any(|c| c.id == conn.id) {
            let mut list = Vec::with_capacity(entry.conns.len() + 1);
            list.extend(entry.conns.iter().cloned());
            list.push(conn.clone());
            entry.conns = Arc::new(list);
        }
        entry.id
    }

    pub fn unlisten(&self, conn: &Conn, topic: &Topic) {
        conn.stop_topic(topic);
        if let Ok(mut map) = self.by_topic.write()
            && let Some(entry) = map.get_mut(topic)
        {
            entry.conns = Arc::new(
                entry
                    .conns
                    .iter()
                    .filter(|c| c.id != conn.id)
                    .cloned()
                    .collect(),
            );
        }
    }

    pub fn connections(&self) -> usize {
        self.all.read().map(|a| a.len()).unwrap_or(0)
    }

    /// Writes one batch to every connection that listens to any of its topics.
    pub fn deliver(&self, batch: &Batch) {
        match batch {
            Batch::Heartbeat { text } => {
                let frame = text_frame(text.as_str().as_bytes());
                let all = self.all.read().map(|a| a.clone()).unwrap_or_default();
                let (now, quiet) = (self.now_ms(), self.quiet.as_millis() as u64);
                each(&all, |c| c.heartbeat(&frame, now, quiet));
            }
            Batch::Events { events, .. } => {
                let now = self.now_ms();
                let (runs, lists): (Vec<Run>, Vec<ConnList>) = match self.by_topic.read() {
                    Ok(map) => runs_of(events, &map).into_iter().unzip(),
                    Err(_) => return,
                };
                if let [one] = lists.as_slice() {
                    each(one, |c| c.offer(&runs, now));
                    return;
                }
                // Several topics: a connection listening to more than one is offered once.
                let no = self.batches.fetch_add(1, Ordering::Relaxed) + 1;
                let mut targets = Vec::new();
                for list in &lists {
                    for c in list.iter() {
                        if c.offered.swap(no, Ordering::Relaxed) != no {
                            targets.push(c.clone());
                        }
                    }
                }
                each(&targets, |c| c.offer(&runs, now));
            }
        }
    }
}

/// Runs `f` on every connection, split across threads when there are many: half the machine's
/// cores, so that ingest, pages and the connections' own tasks keep the other half during a
/// burst of writes (on 2 cores, one thread: 10,000 writes take about 50 ms of the 100 ms between
/// updates at 10 a second, and a second writing thread only took the core the rest needed).
fn each(conns: &[Arc<Conn>], f: impl Fn(&Conn) + Sync) {
    // Read once: the call reads the cgroup's CPU quota from files each time.
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let threads = *THREADS
        .get_or_init(|| (std::thread::available_parallelism().map_or(1, |n| n.get()) / 2).max(1));
    if conns.len() < PARALLEL_FROM || threads == 1 {
        conns.iter().for_each(|c| f(c));
        return;
    }
    let chunk = conns.len().div_ceil(threads);
    std::thread::scope(|s| {
        let mut parts = conns.chunks(chunk);
        let mine = parts.next();
        for part in parts {
            let f = &f;
            s.spawn(move || part.iter().for_each(|c| f(c)));
        }
        if let Some(part) = mine {
            part.iter().for_each(|c| f(c));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::extract::ws::Utf8Bytes;
    use std::io::Cursor;
    use tokio::io::AsyncReadExt;
    use tungstenite::protocol::frame::FrameHeader;
    use tungstenite::protocol::frame::coding::{Control, Data, OpCode};

    #[test]
    fn frames_carry_their_length_in_the_smallest_header() {
        for (len, header) in [(0, 2), (125, 2), (126, 4), (65_535, 4), (65_536, 10)] {
            let f = text_frame(&vec![b'a'; len]);
            assert_eq!(f.len(), len + header, "{len} bytes");
            let (h, n) = FrameHeader::parse(&mut Cursor::new(&f[..]))
                .unwrap()
                .unwrap();
            assert_eq!(n as usize, len);
            assert!(h.is_final && h.mask.is_none());
            assert_eq!(h.opcode, OpCode::Data(Data::Text));
        }
        let close = close_frame(4401, "signed out");
        let (h, n) = FrameHeader::parse(&mut Cursor::new(&close[..]))
            .unwrap()
            .unwrap();
        assert_eq!(h.opcode, OpCode::Control(Control::Close));
        assert_eq!(&close[2..4], &4401u16.to_be_bytes());
        assert_eq!(&close[4..], b"signed out");
        assert_eq!(n, 12);
    }

    /// A connection of the fan-out and the client's end of its socket.
    async fn pair(fanout: &Fanout) -> (Arc<Conn>, TcpStream) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        (fanout.add(server), client)
    }

    fn event(seq: i64, topic: Topic, text: &str) -> Event {
        Event {
            seq,
            topic,
            key: seq as u64,
            text: Utf8Bytes::from(text.to_string()),
        }
    }

    /// Reads `n` text frames.
    async fn frames(client: &mut TcpStream, n: usize) -> Vec<String> {
        let mut buf = Vec::new();
        let mut out = Vec::new();
        while out.len() < n {
            let mut chunk = [0u8; 4096];
            let got = tokio::time::timeout(Duration::from_secs(5), client.read(&mut chunk))
                .await
                .expect("frames within 5 s")
                .unwrap();
            assert!(got > 0, "closed");
            buf.extend_from_slice(&chunk[..got]);
            loop {
                let mut cursor = Cursor::new(&buf[..]);
                let Some((_, len)) = FrameHeader::parse(&mut cursor).unwrap() else {
                    break;
                };
                let start = cursor.position() as usize;
                if buf.len() < start + len as usize {
                    break;
                }
                out.push(String::from_utf8(buf[start..start + len as usize].to_vec()).unwrap());
                buf.drain(..start + len as usize);
            }
        }
        out
    }

    /// Nothing reaches the client within 200 ms.
    async fn silent(client: &mut TcpStream) -> bool {
        let mut chunk = [0u8; 64];
        tokio::time::timeout(Duration::from_millis(200), client.read(&mut chunk))
            .await
            .is_err()
    }

    #[tokio::test]
    async fn a_connection_gets_its_topics_events_after_its_point_in_seq_order_once() {
        // Every heartbeat goes out, even right after an event.
        let fanout = Fanout::new(Duration::from_secs(10), Duration::ZERO);
        let (conn, mut client) = pair(&fanout).await;
        let unit = Topic::Unit("01".into());
        for (topic, after) in [(Topic::Overview, 10), (unit.clone(), 11)] {
            let id = fanout.listen(&conn, &topic);
            conn.start_topic(id, topic, &[text_frame(b"snapshot")], after, |a| {
                Some((Vec::new(), a))
            });
        }
        fanout.deliver(&Batch::Events {
            last_seq: 13,
            events: vec![
                event(9, Topic::Overview, "overview 9"),
                event(11, unit.clone(), "unit 11"),
                event(12, Topic::Overview, "overview 12"),
                event(12, unit.clone(), "unit 12"),
                event(13, Topic::Indicator("CPI_YOY".into()), "indicator 13"),
                event(13, Topic::Overview, "overview 13"),
            ],
        });
        fanout.deliver(&Batch::Heartbeat {
            text: Utf8Bytes::from_static("beat"),
        });
        assert_eq!(
            frames(&mut client, 6).await,
            [
                "snapshot",
                "snapshot",
                "overview 12",
                "unit 12",
                "overview 13",
                "beat"
            ]
        );
        // A topic left is written no more; the connection removed gets nothing.
        fanout.unlisten(&conn, &Topic::Overview);
        fanout.deliver(&Batch::Events {
            last_seq: 14,
            events: vec![
                event(14, Topic::Overview, "overview 14"),
                event(14, unit.clone(), "unit 14"),
            ],
        });
        assert_eq!(frames(&mut client, 1).await, ["unit 14"]);
        fanout.remove(&conn);
        assert_eq!(fanout.connections(), 0);
        fanout.deliver(&Batch::Events {
            last_seq: 15,
            events: vec![event(15, unit, "unit 15")],
        });
        assert!(silent(&mut client).await, "nothing more arrives");
    }

    #[tokio::test]
    async fn a_heartbeat_goes_only_to_clients_sent_nothing_for_half_its_period() {
        let fanout = Fanout::new(Duration::from_secs(10), Duration::from_secs(10));
        let (busy, mut busy_client) = pair(&fanout).await;
        let (quiet, mut quiet_client) = pair(&fanout).await;
        for (conn, topic) in [(&busy, Topic::Overview), (&quiet, Topic::Unit("01".into()))] {
            let id = fanout.listen(conn, &topic);
            conn.start_topic(id, topic, &[], 0, |a| Some((Vec::new(), a)));
        }
        fanout.deliver(&Batch::Events {
            last_seq: 1,
            events: vec![event(1, Topic::Overview, "overview 1")],
        });
        fanout.deliver(&Batch::Heartbeat {
            text: Utf8Bytes::from_static("beat"),
        });
        assert_eq!(frames(&mut quiet_client, 1).await, ["beat"]);
        assert_eq!(frames(&mut busy_client, 1).await, ["overview 1"]);
        assert!(
            silent(&mut busy_client).await,
            "the client just sent an update is not sent the heartbeat"
        );
    }

    #[tokio::test]
    async fn a_client_that_reads_nothing_is_conflated_within_a_bounded_backlog() {
        let fanout = Fanout::new(Duration::from_secs(10), Duration::from_secs(10));
        let (conn, _client) = pair(&fanout).await;
        let id = fanout.listen(&conn, &Topic::Overview);
        conn.start_topic(id, Topic::Overview, &[], 0, |a| Some((Vec::new(), a)));
        let big = "x".repeat(60_000);
        let mut seq = 0;
        while conn.status().lagged_after.is_none() {
            seq += 1;
            assert!(seq < 10_000, "never conflated");
            fanout.deliver(&Batch::Events {
                last_seq: seq,
                events: vec![event(seq, Topic::Overview, &big)],
            });
        }
        let status = conn.status();
        assert!(status.waiting_since.is_some(), "its writes are waiting");
        let backlog = || conn.state.lock().unwrap().backlog_bytes;
        assert!(backlog() <= 60_010, "only a frame already begun is kept");
        // Paused until it catches up: later events and heartbeats are not queued behind.
        let before = backlog();
        fanout.deliver(&Batch::Events {
            last_seq: seq + 1,
            events: vec![event(seq + 1, Topic::Overview, &big)],
        });
        fanout.deliver(&Batch::Heartbeat {
            text: Utf8Bytes::from_static("beat"),
        });
        assert_eq!(backlog(), before);
        // The catch-up starts from the oldest value it lost.
        let (after, topics) = conn.take_lag().unwrap();
        assert_eq!(topics, [Topic::Overview]);
        assert!(after >= 0 && after < seq, "{after}");
        // Restarted and behind again: its wait still counts from the first time it fell
        // behind, and at the end of its patience it is found stalled (to be dropped).
        let first = status.waiting_since;
        conn.start_topic(id, Topic::Overview, &[], seq + 1, |a| Some((Vec::new(), a)));
        for next in seq + 2..seq + 100 {
            fanout.deliver(&Batch::Events {
                last_seq: next,
                events: vec![event(next, Topic::Overview, &big)],
            });
        }
        conn.flush();
        assert_eq!(conn.status().waiting_since, first);
        assert!(conn.stalled());
    }

    #[tokio::test]
    async fn a_client_that_reads_is_not_found_stalled() {
        let fanout = Fanout::new(Duration::from_secs(10), Duration::from_secs(10));
        let (conn, mut client) = pair(&fanout).await;
        let id = fanout.listen(&conn, &Topic::Overview);
        conn.start_topic(id, Topic::Overview, &[], 0, |a| Some((Vec::new(), a)));
        // Megabytes until the kernel's buffers are full and the rest waits in the backlog.
        let big = "y".repeat(1_000_000);
        let mut sent = 0;
        while !conn.status().backlog {
            sent += 1;
            assert!(sent < 100, "the kernel never filled");
            fanout.deliver(&Batch::Events {
                last_seq: sent,
                events: vec![event(sent, Topic::Overview, &big)],
            });
        }
        assert!(conn.status().waiting_since.is_some());
        assert!(conn.status().lagged_after.is_none());
        let reader = tokio::spawn(async move { frames(&mut client, sent as usize).await });
        while conn.status().backlog {
            conn.stream.writable().await.unwrap();
            conn.flush();
        }
        let got = reader.await.unwrap();
        assert!(got.iter().all(|f| f.len() == big.len()));
        assert!(!conn.stalled());
        assert!(conn.status().waiting_since.is_none());
    }
}
