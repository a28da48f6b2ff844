//! `/wall/<display>`: a wall screen, unattended for days. Rendered whole on the server (so a
//! refresh is never blank), then kept current by the live stream: values, alerts and its own
//! layout arrive over `GET /ws`; when the stream goes quiet the whole screen says its data is
//! stale and since when, and it reconnects and resumes by itself, without reloading.

use crate::indicators::sparkline::Sparkline;
use crate::model::ChangeKind;
use crate::model::display::WallPageKind;
use crate::model::format::{number_vi, signed_vi};
use crate::model::live::{Alert, AlertLevel, LiveItem, ServerMessage, Topic};
use crate::model::tilemap::{self, TILES};
use crate::model::view::{IndicatorCard, MapValue, Point, Tone, WallView};
use crate::model::{Indicator, Observation};
use crate::wall::api::{get_wall, get_wall_steering, get_wall_tasks};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use leptos_router::{LazyRoute, lazy_route};
use std::collections::{HashMap, VecDeque};

/// Wall screens load their own wasm chunk: other pages never carry this code.
pub struct WallRoute;

#[lazy_route]
impl LazyRoute for WallRoute {
    fn data() -> Self {
        WallRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <WallPage/> }.into_any()
    }
}

/// How long a changed value stays marked.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const FRESH_MS: f64 = 6_000.0;
/// Items in the ticker.
const TICKER_ITEMS: usize = 8;
/// Shortest time between two reads of the steering panel after provincial values change.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const STEERING_GAP_MS: f64 = 30_000.0;

#[component]
pub fn WallPage() -> impl IntoView {
    let params = use_params_map();
    let display = move || {
        params
            .read()
            .get("display")
            .and_then(|d| d.parse::<i64>().ok())
            .unwrap_or(-1)
    };
    let wall = Resource::new(display, get_wall);
    view! {
        <div class="wall" data-testid="wall">
            <Suspense fallback=|| view! { <p class="wall-message">"Đang tải… (loading)"</p> }>
                {move || Suspend::new(async move {
                    match wall.await {
                        Ok(w) => view! { <WallScreen initial=w/> }.into_any(),
                        Err(e) => view! {
                            <div class="wall-message" role="alert" data-testid="wall-refused">
                                <p>{e.shown()}</p>
                            </div>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The screen's link to the server, as shown in its corner.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Link {
    Connecting,
    Open,
    Retrying(u32),
    /// Signed out or display token revoked: the figures stay as they were, no longer live.
    Refused,
}

#[derive(Clone, Debug, PartialEq)]
struct TickerItem {
    id: u64,
    text: String,
    tone: &'static str,
}

/// Milliseconds since the epoch (0 on the server, where nothing ticks).
fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

/// Vietnam time (UTC+7 all year: no daylight saving since 1975) as "HH:MM:SS" and the date.
fn vietnam_clock(ms: f64) -> (String, String) {
    if ms <= 0.0 {
        return (String::new(), String::new());
    }
    let secs = (ms / 1000.0) as i64 + 7 * 3600;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let date = chrono::NaiveDate::from_num_days_from_ce_opt(719_163 + days as i32);
    let weekday = [
        "Thứ Hai",
        "Thứ Ba",
        "Thứ Tư",
        "Thứ Năm",
        "Thứ Sáu",
        "Thứ Bảy",
        "Chủ Nhật",
    ];
    let day_text = date
        .map(|d| {
            use chrono::Datelike;
            format!(
                "{}, {:02}/{:02}/{}",
                weekday[d.weekday().num_days_from_monday() as usize],
                d.day(),
                d.month(),
                d.year()
            )
        })
        .unwrap_or_default();
    (
        format!("{:02}:{:02}:{:02}", rem / 3600, (rem % 3600) / 60, rem % 60),
        day_text,
    )
}

#[component]
fn WallScreen(initial: WallView) -> impl IntoView {
    let id = initial.display.id;
    let name = initial.display.name.clone();
    let stale_after_ms = f64::from(initial.heartbeat_secs.max(1)) * 3_000.0;
    let config = RwSignal::new(initial.config.clone());
    let cards = RwSignal::new(initial.cards.clone());
    let map_indicator = RwSignal::new(initial.map_indicator.clone());
    let map = RwSignal::new(
        initial
            .map
            .iter()
            .map(|m| (m.unit.clone(), m.clone()))
            .collect::<HashMap<String, MapValue>>(),
    );
    let simulated = RwSignal::new(initial.simulated);
    let reporting = RwSignal::new(initial.reporting.clone());
    let tasks = RwSignal::new(initial.tasks.clone());
    let steering = RwSignal::new(initial.steering.clone());
    // A value may change a standing: read the steering panel again, at most every
    // STEERING_GAP_MS (the simulator sends values every few seconds).
    let steering_stale = StoredValue::new(false);
    let steering_read_at = StoredValue::new(0.0f64);
    let fresh = RwSignal::new(HashMap::<String, f64>::new());
    let ticker = RwSignal::new(VecDeque::<TickerItem>::new());
    let now = RwSignal::new(0.0f64);
    let last_heard = RwSignal::new(0.0f64);
    let link = RwSignal::new(Link::Connecting);
    let page = RwSignal::new(0usize);
    let page_started = RwSignal::new(0.0f64);
    let ticker_ids = StoredValue::new(0u64);
    // The site build the server says it serves (in each heartbeat).
    let server_build = RwSignal::new(None::<String>);

    let stale_since = Memo::new(move |_| {
        let (n, heard) = (now.get(), last_heard.get());
        (n > 0.0 && heard > 0.0 && n - heard > stale_after_ms).then_some(heard)
    });

    // A value from the stream: update what shows it, mark it, and tell the ticker.
    let take_observation = move |o: Observation, live: bool| {
        let point = Point::from(&o);
        let mut shown = false;
        if o.unit == "VN" {
            cards.update(|cs| {
                if let Some(c) = cs.iter_mut().find(|c| c.indicator.code == o.indicator) {
                    shown = c.apply(point.clone());
                }
            });
            if shown && live {
                fresh.update(|f| {
                    f.insert(o.indicator.clone(), now_ms());
                });
            }
        } else if map_indicator.with_untracked(|m| m.code == o.indicator) {
            let newer = map.with_untracked(|m| {
                m.get(&o.unit)
                    .is_none_or(|old| old.period <= o.period && old.value != o.value)
            });
            let tile = TILES.iter().find(|t| t.code == o.unit);
            if newer && let Some(tile) = tile {
                map.update(|m| {
                    let entry = m.entry(o.unit.clone()).or_insert_with(|| MapValue {
                        unit: o.unit.clone(),
                        name_vi: tile.short.to_string(),
                        period: o.period,
                        value: o.value,
                        simulated: o.simulated,
                        outlier: o.outlier.is_some(),
                    });
                    entry.period = o.period;
                    entry.value = o.value;
                    entry.simulated = o.simulated;
                    entry.outlier = o.outlier.is_some();
                });
                shown = true;
                if live {
                    fresh.update(|f| {
                        f.insert(format!("map:{}", o.unit), now_ms());
                    });
                }
            }
        }
        if o.simulated && shown {
            simulated.set(true);
        }
        if live && shown {
            let text = cards.with_untracked(|cs| {
                let ind = cs
                    .iter()
                    .map(|c| &c.indicator)
                    .find(|i| i.code == o.indicator)
                    .cloned()
                    .or_else(|| {
                        map_indicator.with_untracked(|m| (m.code == o.indicator).then(|| m.clone()))
                    });
                let unit = if o.unit == "VN" {
                    "Toàn quốc".to_string()
                } else {
                    map.with_untracked(|m| m.get(&o.unit).map(|v| v.name_vi.clone()))
                        .unwrap_or_else(|| o.unit.clone())
                };
                ind.map(|i| {
                    format!(
                        "{unit} · {} · {}: {} {}",
                        i.name_vi,
                        o.period.label_vi(),
                        number_vi(o.value, i.decimals),
                        i.measure_vi
                    )
                })
            });
            // A value far from its history is never shown as ordinary news.
            if let Some(text) = text {
                match o.outlier {
                    Some(_) => push_ticker(
                        ticker,
                        ticker_ids,
                        format!("{text} ⚑ bất thường so với lịch sử"),
                        "warning",
                    ),
                    None => push_ticker(ticker, ticker_ids, text, "value"),
                }
            }
        }
    };

    let take_alert = move |a: Alert| {
        let tone = match a.alert {
            AlertLevel::Critical => "critical",
            AlertLevel::Warning => "warning",
            AlertLevel::Cleared => "cleared",
        };
        push_ticker(ticker, ticker_ids, a.message, tone);
    };

    // The layout changed: read the screen again (new tiles need their history), keep the stream.
    let reload = move || {
        leptos::task::spawn_local(async move {
            if let Ok(w) = get_wall(id).await {
                config.set(w.config);
                cards.set(w.cards);
                map_indicator.set(w.map_indicator);
                map.set(w.map.into_iter().map(|m| (m.unit.clone(), m)).collect());
                page.set(0);
                reporting.set(w.reporting);
                tasks.set(w.tasks);
            }
        });
    };

    // A task was assigned or changed: count again (tasks change a few times a day).
    let reload_tasks = move || {
        leptos::task::spawn_local(async move {
            if let Ok(b) = get_wall_tasks(id).await {
                tasks.set(b);
            }
        });
    };

    let reload_steering = move || {
        steering_read_at.set_value(now_ms());
        steering_stale.set_value(false);
        leptos::task::spawn_local(async move {
            if let Ok(s) = get_wall_steering(id).await {
                steering.set(s);
            }
        });
    };

    let reload_reporting = move || {
        leptos::task::spawn_local(async move {
            if let Ok(w) = get_wall(id).await {
                reporting.set(w.reporting);
            }
        });
    };

    let on_message = move |msg: ServerMessage| {
        last_heard.set(now_ms());
        match msg {
            ServerMessage::Snapshot { topic, data, .. } => {
                for item in data {
                    match (&topic, item) {
                        (Topic::Overview, LiveItem::Observation(o)) => take_observation(o, false),
                        (Topic::Display(_), LiveItem::Display(c))
                            if config.with_untracked(|now| *now != c) =>
                        {
                            reload()
                        }
                        _ => {}
                    }
                }
            }
            ServerMessage::Update { topic, data, .. } => match (topic, data) {
                // A value may change a standing: the nation's on its tile, a province's in the
                // "at risk" list.
                (Topic::Overview, LiveItem::Observation(o)) => {
                    steering_stale.set_value(true);
                    take_observation(o, true)
                }
                (Topic::Explanations, LiveItem::Explanation(_)) => reload_steering(),
                (Topic::Alerts, LiveItem::Alert(a)) => take_alert(a),
                (Topic::Display(_), LiveItem::Display(c))
                    if config.with_untracked(|now| *now != c) =>
                {
                    reload()
                }
                // A report changed state: count again (reports change a few hundred times a
                // month, so reading the screen again is cheap).
                (Topic::Reports, LiveItem::Report(_)) => reload_reporting(),
                (Topic::Tasks, LiveItem::Task(_)) => reload_tasks(),
                // An indicator renamed, added or retired: the screen is read again.
                (Topic::Catalogue, LiveItem::Catalogue(_)) => reload(),
                _ => {}
            },
            ServerMessage::Heartbeat { build, .. } => {
                if build.is_some() {
                    server_build.set(build);
                }
            }
            ServerMessage::Error { .. } => {}
        }
    };

    // In the browser only: the clock, page rotation, marks that expire, and the stream.
    let since = initial.seq;
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            use crate::shell::live_client::{ConnState, LiveConnection};
            now.set(now_ms());
            last_heard.set(now_ms());
            let own_build = crate::shell::live_client::page_build();
            let last_reload_try = StoredValue::new(0.0f64);
            let tick = set_interval_with_handle(
                move || {
                    let n = now_ms();
                    now.set(n);
                    fresh.update(|f| f.retain(|_, at| n - *at < FRESH_MS));
                    if steering_stale.get_value()
                        && n - steering_read_at.get_value() > STEERING_GAP_MS
                    {
                        reload_steering();
                    }
                    // A new release: load it at a quiet moment, when no change is being shown,
                    // and at most every 30 s while the server does not answer.
                    let outdated = server_build
                        .with_untracked(|b| b.is_some() && own_build.is_some() && *b != own_build);
                    if outdated
                        && fresh.with_untracked(|f| f.is_empty())
                        && n - last_reload_try.get_value() > 30_000.0
                    {
                        last_reload_try.set_value(n);
                        leptos::task::spawn_local(async {
                            crate::shell::live_client::reload_when_served().await;
                        });
                    }
                    let (pages, every) =
                        config.with_untracked(|c| (c.pages.len(), f64::from(c.rotate_seconds)));
                    if page_started.get_untracked() == 0.0 {
                        page_started.set(n);
                    } else if pages > 1
                        && every > 0.0
                        && n - page_started.get_untracked() >= every * 1000.0
                    {
                        page.update(|p| *p = (*p + 1) % pages);
                        page_started.set(n);
                    }
                },
                std::time::Duration::from_millis(500),
            )
            .ok();
            let topics = vec![
                "overview".to_string(),
                "alerts".to_string(),
                "reports".to_string(),
                "tasks".to_string(),
                "explanations".to_string(),
                "catalogue".to_string(),
                format!("display:{id}"),
            ];
            let conn = LiveConnection::open(topics, Some(since), on_message, move |s| {
                link.set(match s {
                    ConnState::Connecting => Link::Connecting,
                    ConnState::Open => Link::Open,
                    ConnState::Retrying(n) => Link::Retrying(n),
                    ConnState::Refused => Link::Refused,
                })
            });
            let conn = StoredValue::new_local(Some(conn));
            on_cleanup(move || {
                if let Some(t) = tick {
                    t.clear();
                }
                conn.update_value(|c| {
                    if let Some(c) = c.take() {
                        c.close();
                    }
                });
            });
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (since, &on_message, link, page_started);
        }
    });

    let clock = Memo::new(move |_| vietnam_clock(now.get()));
    let current_page = Memo::new(move |_| {
        config.with(|c| {
            c.pages
                .get(page.get() % c.pages.len().max(1))
                .copied()
                .unwrap_or(WallPageKind::Headlines)
        })
    });

    view! {
        <Title text=name.clone()/>
        <div class="wall-screen" data-testid="wall-screen" data-page=move || current_page.get().as_str()>
            <header class="wall-head">
                <h1 data-testid="display-name">{name.clone()}</h1>
                <p class="scope">"Toàn quốc"</p>
                {move || reporting.get().map(|c| view! {
                    <p class="wall-reporting" data-testid="wall-reporting" data-period=c.period.to_string()>
                        {format!("Báo cáo {}: ", c.period.label_vi().to_lowercase())}
                        <b class="good" data-testid="wall-on-time">{c.on_time}</b>" đúng hạn · "
                        <b class="warn" data-testid="wall-late">{c.late}</b>" muộn · "
                        <b class="bad" data-testid="wall-missing">{c.missing.len()}</b>{format!(" chưa gửi / {} tỉnh, thành", c.expected)}
                    </p>
                })}
                {move || tasks.with(|b| {
                    let c = &b.counts;
                    view! {
                        <p class="wall-reporting" data-testid="wall-task-counts">
                            "Nhiệm vụ: "
                            <b class="bad" data-testid="wall-tasks-overdue">{c.overdue}</b>" quá hạn · "
                            <b class="good" data-testid="wall-tasks-on-time">{c.done_on_time + c.done_early}</b>" hoàn thành đúng hạn · "
                            <b class="warn" data-testid="wall-tasks-late">{c.done_late}</b>" hoàn thành muộn · "
                            <b data-testid="wall-tasks-in-progress">{c.in_progress}</b>" đang thực hiện"
                        </p>
                    }
                })}
                {move || steering.with(|s| {
                    let c = &s.explanations;
                    view! {
                        <p class="wall-reporting" data-testid="wall-explanations">
                            "Giải trình: "
                            <b class="bad" data-testid="wall-explanations-overdue">{c.overdue}</b>" quá hạn · "
                            <b data-testid="wall-explanations-open">{c.open}</b>" đang chờ · "
                            <b class="good" data-testid="wall-explanations-on-time">{c.answered_on_time}</b>" đúng hạn · "
                            <b class="warn" data-testid="wall-explanations-late">{c.answered_late}</b>" muộn"
                        </p>
                    }
                })}
                {move || simulated.get().then(|| view! { <p class="wall-sim" data-testid="simulated">"DỮ LIỆU MÔ PHỎNG · SIMULATED"</p> })}
                <p class="link" data-testid="link" data-state=move || match link.get() {
                    Link::Open => "open",
                    Link::Connecting => "connecting",
                    Link::Retrying(_) => "retrying",
                    Link::Refused => "refused",
                }>
                    {move || match link.get() {
                        Link::Open => "● Trực tuyến".to_string(),
                        Link::Connecting => "○ Đang kết nối…".to_string(),
                        Link::Retrying(n) => format!("○ Mất kết nối · thử lại sau {n} giây"),
                        Link::Refused => "○ Không còn quyền nhận số liệu trực tiếp".to_string(),
                    }}
                </p>
                <p class="clock">
                    <span class="time" data-testid="clock">{move || clock.get().0}</span>
                    <span class="date">{move || clock.get().1}</span>
                </p>
            </header>
            <section class="wall-body">
                {move || match current_page.get() {
                    WallPageKind::Headlines => view! { <Headlines cards steering fresh/> }.into_any(),
                    WallPageKind::Map => view! { <ProvinceMap indicator=map_indicator map fresh/> }.into_any(),
                    WallPageKind::Tasks => view! { <WallTasks tasks/> }.into_any(),
                    WallPageKind::AtRisk => view! { <WallAtRisk steering/> }.into_any(),
                }}
            </section>
            <footer class="ticker" data-testid="ticker" aria-live="polite">
                <For each=move || ticker.get() key=|t| t.id let:item>
                    <span class=format!("tick {}", item.tone)>{item.text}</span>
                </For>
            </footer>
            {move || stale_since.get().map(|since| {
                let (time, _) = vietnam_clock(since);
                view! {
                    <div class="stale" role="alert" data-testid="stale">
                        <p class="big">"DỮ LIỆU CŨ"</p>
                        <p>"Không nhận được dữ liệu từ " {time} " (giờ Việt Nam). Màn hình đang tự kết nối lại."</p>
                        <p class="en" lang="en">"Stale data: nothing received since " {vietnam_clock(since).0} ". Reconnecting by itself."</p>
                    </div>
                }
            })}
        </div>
    }
}

fn push_ticker(
    ticker: RwSignal<VecDeque<TickerItem>>,
    ids: StoredValue<u64>,
    text: String,
    tone: &'static str,
) {
    let id = ids.get_value() + 1;
    ids.set_value(id);
    ticker.update(|t| {
        t.push_front(TickerItem { id, text, tone });
        t.truncate(TICKER_ITEMS);
    });
}

#[component]
fn Headlines(
    cards: RwSignal<Vec<IndicatorCard>>,
    steering: RwSignal<crate::steering::scorecard::WallSteering>,
    fresh: RwSignal<HashMap<String, f64>>,
) -> impl IntoView {
    let codes = Memo::new(move |_| {
        cards.with(|cs| {
            cs.iter()
                .map(|c| c.indicator.code.clone())
                .collect::<Vec<_>>()
        })
    });
    view! {
        <div class="tiles" data-count=move || codes.with(Vec::len)>
            <For each=move || codes.get() key=|code| code.clone() let:code>
                <Tile cards steering code fresh/>
            </For>
        </div>
    }
}

#[component]
fn Tile(
    cards: RwSignal<Vec<IndicatorCard>>,
    steering: RwSignal<crate::steering::scorecard::WallSteering>,
    code: String,
    fresh: RwSignal<HashMap<String, f64>>,
) -> impl IntoView {
    let key = code.clone();
    let card =
        Memo::new(move |_| cards.with(|cs| cs.iter().find(|c| c.indicator.code == key).cloned()));
    let key = code.clone();
    let standing = Memo::new(move |_| {
        steering.with(|s| {
            s.national
                .iter()
                .find(|(c, _)| *c == key)
                .map(|(_, n)| n.clone())
        })
    });
    let marked = {
        let code = code.clone();
        move || fresh.with(|f| f.contains_key(&code))
    };
    view! {
        <article class="tile" class:fresh=marked data-testid="tile" data-indicator=code.clone()>
            {move || card.get().map(|c| tile_body(&c, standing.get()))}
        </article>
    }
}

fn tile_body(
    c: &IndicatorCard,
    standing: Option<crate::model::target::StandingNote>,
) -> impl IntoView + use<> {
    let ind: &Indicator = &c.indicator;
    let decimals = ind.decimals;
    let latest = c.latest().cloned();
    let change = c.change().map(|ch| {
        let tone = Tone::of(ind.good_direction, ch.amount);
        let arrow = if ch.amount > 0.0 { "▲" } else if ch.amount < 0.0 { "▼" } else { "■" };
        let text = ch.text(crate::model::i18n::Lang::Vi, ind);
        // The wall shows the nation: a change that splits into the provinces is one tap from
        // what made it.
        let text = if ind.member_kinds(crate::model::UnitKind::National).is_empty() {
            text.into_any()
        } else {
            view! { <a class="parts" href=format!("/indicators/{}?unit=VN#contributions", ind.code) data-testid="change-parts">{text}</a> }.into_any()
        };
        view! { <p class=format!("change {}", tone.class()) data-testid="change">{arrow}" "{text}<span class="vs">" so với kỳ trước"</span></p> }
    });
    let target = c.against_target().map(|d| {
        let tone = Tone::of(ind.good_direction, d);
        let text = if ind.change == ChangeKind::Points {
            format!("{} điểm %", signed_vi(d, decimals.max(1)))
        } else {
            format!("{} {}", signed_vi(d, decimals), ind.measure_vi)
        };
        view! { <p class=format!("target {}", tone.class())>{text}<span class="vs">" so với mục tiêu"</span></p> }
    });
    let year_to_date = crate::indicators::indicator_card::year_to_date_line(
        crate::model::i18n::Lang::Vi,
        ind,
        &c.recent,
        true,
    );
    // The standing rides on the period line as a badge (a tile has no room for another line),
    // what it rests on in its title.
    let standing = standing.map(|n| {
        let s = n.standing;
        view! {
            <span class=format!("standing {}", s.as_str()) data-testid="tile-standing" data-standing=s.as_str() title=n.basis.0>
                <span class="standing-badge">{s.label_vi()}</span>
            </span>
        }
    });
    let values: Vec<f64> = c.recent.iter().map(|p| p.value).collect();
    view! {
        <h3>{ind.name_vi.clone()}</h3>
        {match latest {
            Some(p) => view! {
                <p class="value"><span class="number" data-testid="value">{number_vi(p.value, decimals)}</span>" "<span class="measure">{ind.measure_vi.clone()}</span></p>
                <p class="period">{p.period.label_vi()}{p.simulated.then(|| view! { <span class="sim-tag">"mô phỏng"</span> })}{p.outlier.then(|| crate::shell::layout::outlier_tag(crate::model::i18n::Lang::Vi))}{standing}</p>
            }.into_any(),
            None => view! { <p class="value empty">"Chưa có số liệu"</p> }.into_any(),
        }}
        {change}
        {target}
        {year_to_date}
        <Sparkline values label=format!("Diễn biến {}", ind.name_vi)/>
    }
}

#[component]
fn ProvinceMap(
    indicator: RwSignal<Indicator>,
    map: RwSignal<HashMap<String, MapValue>>,
    fresh: RwSignal<HashMap<String, f64>>,
) -> impl IntoView {
    let bounds = Memo::new(move |_| {
        map.with(|m| tilemap::class_bounds(&m.values().map(|v| v.value).collect::<Vec<_>>()))
    });
    let ranked = Memo::new(move |_| {
        let direction = indicator.with(|i| i.good_direction);
        map.with(|m| {
            let values: Vec<(String, f64)> =
                m.values().map(|v| (v.unit.clone(), v.value)).collect();
            tilemap::ranking(&values, direction)
                .into_iter()
                .map(|(code, value)| {
                    let name = m.get(code).map(|v| v.name_vi.clone()).unwrap_or_default();
                    (name, *value)
                })
                .collect::<Vec<_>>()
        })
    });
    let decimals = move || indicator.with(|i| i.decimals);
    view! {
        <div class="map-page" data-testid="map">
            <div class="tilemap" style=format!("grid-template-rows: repeat({}, 1fr); grid-template-columns: repeat({}, 1fr);", tilemap::ROWS, tilemap::COLS)>
                {TILES.iter().map(|t| {
                    let code = t.code;
                    let value = Memo::new(move |_| map.with(|m| m.get(code).map(|v| v.value)));
                    let flagged = Memo::new(move |_| map.with(|m| m.get(code).is_some_and(|v| v.outlier)));
                    let class = move || {
                        let b = bounds.get();
                        let tone = value.get().map(|v| {
                            tilemap::tone_class(tilemap::class_of(v, &b), b.len(), indicator.with(|i| i.good_direction))
                        }).unwrap_or_else(|| "none".into());
                        let marked = fresh.with(|f| f.contains_key(&format!("map:{code}")));
                        format!("province {tone}{}", if marked { " fresh" } else { "" })
                    };
                    view! {
                        <div class=class style=format!("grid-row: {}; grid-column: {};", t.row + 1, t.col + 1) data-unit=code data-testid="province">
                            <span class="short">{t.short}</span>
                            <span class="v">{move || value.get().map(|v| number_vi(v, decimals())).unwrap_or_else(|| "–".into())}
                                {move || flagged.get().then(|| view! { <span class="flag" data-testid="outlier" title="Bất thường so với lịch sử">"⚑"</span> })}</span>
                        </div>
                    }
                }).collect_view()}
            </div>
            <div class="map-side">
                <h2>{move || indicator.with(|i| i.name_vi.clone())}</h2>
                <p class="measure">
                    {move || indicator.with(|i| i.measure_vi.clone())}
                    {move || map.with(|m| m.values().map(|v| v.period).max()).map(|p| format!(" · {}", p.label_vi()))}
                </p>
                <ul class="legend">
                    {move || {
                        let b = bounds.get();
                        let n = b.len();
                        let direction = indicator.with(|i| i.good_direction);
                        b.into_iter().enumerate().map(|(i, (lo, hi))| view! {
                            <li><span class=format!("swatch {}", tilemap::tone_class(i, n, direction))></span>
                            {format!("{} – {}", number_vi(lo, decimals()), number_vi(hi, decimals()))}</li>
                        }).collect_view()
                    }}
                </ul>
                <div class="ranks">
                    <div>
                        <h3>"Dẫn đầu"</h3>
                        <ol data-testid="top5">{move || ranked.get().into_iter().take(5).map(|(n, v)| view! { <li>{n}" "<b>{number_vi(v, decimals())}</b></li> }).collect_view()}</ol>
                    </div>
                    <div>
                        <h3>"Cuối bảng"</h3>
                        {move || {
                            let r = ranked.get();
                            let skip = r.len().saturating_sub(5);
                            view! {
                                <ol data-testid="bottom5" start=(skip + 1).to_string()>
                                    {r.into_iter().skip(skip).map(|(n, v)| view! { <li>{n}" "<b>{number_vi(v, decimals())}</b></li> }).collect_view()}
                                </ol>
                            }
                        }}
                    </div>
                </div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::vietnam_clock;

    #[test]
    fn the_clock_is_vietnam_time() {
        // 2026-11-22T10:00:05Z is 17:00:05 on Sunday in Hà Nội.
        let ms = 1_795_341_605_000.0;
        assert_eq!(
            vietnam_clock(ms),
            ("17:00:05".to_string(), "Chủ Nhật, 22/11/2026".to_string())
        );
        // 23:30 UTC is already the next day in Vietnam.
        let (time, day) = vietnam_clock(1_795_390_200_000.0);
        assert_eq!(time, "06:30:00");
        assert!(day.ends_with("23/11/2026"), "{day}");
        assert_eq!(vietnam_clock(0.0), (String::new(), String::new()));
    }
}

/// The tasks page of a wall: counts by class (Decision 42/2014/QĐ-TTg), the units with the
/// most overdue tasks and the most overdue tasks themselves, large enough to read from 5 m.
#[component]
fn WallTasks(tasks: RwSignal<crate::model::task::TaskBoard>) -> impl IntoView {
    use crate::model::task::TaskClass;
    let lang = crate::model::i18n::Lang::Vi;
    view! {
        <div class="wall-tasks" data-testid="wall-tasks">
            <h2>"Nhiệm vụ Chính phủ, Thủ tướng giao"</h2>
            {move || tasks.with(|b| {
                let counts = TaskClass::ALL.iter().map(|k| view! {
                    <div class=format!("wall-count {}", crate::meetings::tasks_page::class_tone(*k)) data-class=format!("{k:?}")>
                        <b>{b.counts.get(*k)}</b>
                        <span>{k.label_vi()}</span>
                    </div>
                }).collect_view();
                let units = b.units_overdue.iter().take(6).map(|(_, name, n)| view! {
                    <li>{format!("{name}: {n}")}</li>
                }).collect_view();
                let overdue = b.overdue.iter().map(|r| view! {
                    <li data-testid="wall-overdue-task">
                        <b>{format!("Quá {} ngày", -r.days_left.unwrap_or(0))}</b>
                        {format!(" · {} · {}", r.lead_name, r.content)}
                    </li>
                }).collect_view();
                let empty = b.overdue.is_empty().then(|| view! { <li>"Không có nhiệm vụ quá hạn."</li> });
                view! {
                    <div class="wall-counts">{counts}</div>
                    <p class="muted">{format!("{} nhiệm vụ đến hạn trong 7 ngày tới · tính đến {}", b.due_this_week, b.today.map(|d| lang.date(d)).unwrap_or_default())}</p>
                    <div class="wall-task-lists">
                        <section><h3>"Đơn vị có nhiệm vụ quá hạn"</h3><ul>{units}</ul></section>
                        <section><h3>"Nhiệm vụ quá hạn lâu nhất"</h3><ul data-testid="wall-overdue">{overdue}{empty}</ul></section>
                    </div>
                }
            })}
        </div>
    }
}

#[component]
fn WallAtRisk(steering: RwSignal<crate::steering::scorecard::WallSteering>) -> impl IntoView {
    use crate::model::explanation::ExplanationState;
    let lang = crate::model::i18n::Lang::Vi;
    view! {
        <div class="wall-at-risk" data-testid="wall-at-risk">
            <h2>"Chỉ tiêu chậm tiến độ so với mục tiêu năm"</h2>
            {move || steering.with(|s| {
                let rows = s.at_risk.iter().map(|r| {
                    let st = r.cell.standing;
                    let numbers = match (r.cell.compared, r.cell.goal) {
                        (Some(v), Some(g)) => format!("{} / {}", lang.number(v, r.decimals), g.text(lang, r.decimals)),
                        _ => String::new(),
                    };
                    let asked = r.asked.map(|a| match a {
                        ExplanationState::Open => "Đã yêu cầu giải trình",
                        ExplanationState::Answered => "Đã giải trình",
                        ExplanationState::Accepted => "Giải trình đã được chấp nhận",
                    });
                    view! {
                        <li class=format!("standing {}", st.as_str()) data-unit=r.unit.clone() data-standing=st.as_str() data-testid="wall-at-risk-row">
                            <span class="standing-badge">{st.label_vi()}</span>
                            " "<b>{r.unit_name.clone()}</b>{format!(" · {} · {numbers}", r.indicator_name)}
                            {asked.map(|a| view! { <small>{format!(" · {a}")}</small> })}
                        </li>
                    }
                }).collect_view();
                let empty = s.at_risk.is_empty().then(|| view! { <li>"Không có chỉ tiêu nào chậm tiến độ."</li> });
                view! { <ul class="wall-at-risk-list">{rows}{empty}</ul> }
            })}
        </div>
    }
}
