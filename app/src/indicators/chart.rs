//! A time series chart as plain SVG, drawn the same on the server, in the browser and in the
//! exported image: the series, the same period a year earlier (dashed), up to three compared
//! units, the target (a horizontal line), the plan (dashed) and the projection to the year's
//! end (dotted), and a mark at each period a unit was asked to explain, with the first, middle
//! and last periods and the value range labelled. Each point links to the ranking of its period (the drill down).
//!
//! Hand-written rather than a charting crate: plotters and charming either need a font backend
//! on the server or add hundreds of KB to the wasm, and one line chart is a hundred lines.

use crate::model::i18n::use_lang;
use crate::model::view::Point;
use leptos::prelude::*;

const W: f64 = 800.0;
const H: f64 = 280.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 34.0;

/// The chart's look, for the exported image (the page has the same rules in its stylesheet).
pub const STANDALONE_STYLE: &str = "svg{font-family:'Be Vietnam Pro',Arial,sans-serif}\
.frame{stroke:#d0d7de}.axis{font-size:12px;fill:#57606a}.title{font-size:15px;font-weight:600;fill:#1d1f23}\
.series{stroke:#1f6feb;stroke-width:2.5}.dot{fill:#1f6feb}\
.year-ago{stroke:#8b949e;stroke-width:2;stroke-dasharray:6 4}\
.target{stroke:#bf8700;stroke-width:1.5;stroke-dasharray:3 3}.target-label{font-size:12px;fill:#9a6700}\
.cmp-1{stroke:#cf222e;stroke-width:2}.cmp-2{stroke:#8250df;stroke-width:2}.cmp-3{stroke:#1a7f37;stroke-width:2}\
.plan{stroke:#bf8700;stroke-width:2;stroke-dasharray:8 4}.projection{stroke:#1f6feb;stroke-width:2;stroke-dasharray:2 4}\
.mark{fill:#fff;stroke:#9a6700;stroke-width:2}.mark.answered,.mark.accepted{stroke:#1b7f3b}.mark-text{font-size:12px;font-weight:700;fill:#1d1f23}\
.note-band{fill:#8250df;fill-opacity:.12}";

/// Scales values into the plot area.
struct Scale {
    lo: f64,
    hi: f64,
    n: usize,
}

impl Scale {
    fn x(&self, i: usize) -> f64 {
        if self.n <= 1 {
            LEFT + (W - LEFT - RIGHT) / 2.0
        } else {
            LEFT + i as f64 * (W - LEFT - RIGHT) / (self.n - 1) as f64
        }
    }
    fn y(&self, v: f64) -> f64 {
        let span = if (self.hi - self.lo).abs() < f64::EPSILON {
            1.0
        } else {
            self.hi - self.lo
        };
        TOP + (self.hi - v) / span * (H - TOP - BOTTOM)
    }
}

fn path(scale: &Scale, values: &[Option<f64>]) -> String {
    let mut d = String::new();
    let mut pen_down = false;
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => {
                d.push_str(&format!(
                    "{}{:.1},{:.1} ",
                    if pen_down { "L" } else { "M" },
                    scale.x(i),
                    scale.y(*v)
                ));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    d
}

/// A note at one period of the chart: an explanation request, its answer or question shown
/// when the reader points at it.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartMark {
    pub period: crate::model::Period,
    /// The class (the request's state: `open`, `answered`, `accepted`) and the text shown.
    pub class: &'static str,
    pub text: String,
}

/// A note on the record across the periods its days touch: a shaded band, its text shown when
/// the reader points at it.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartNote {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub text: String,
}

impl ChartNote {
    pub fn of(n: &crate::model::note::NoteLine, lang: crate::model::i18n::Lang) -> ChartNote {
        let days = crate::model::note::days((n.from, n.to), lang);
        ChartNote {
            from: n.from,
            to: n.to,
            text: format!("{}: {} ({days})", lang.pick("Ghi chú", "Note"), n.text),
        }
    }
}

/// The plan and the projection the chart draws for the unit's year, with what the projection
/// says of itself ("dự báo cả năm (theo xu hướng năm nay): 7,85").
pub fn chart_lines(
    lang: crate::model::i18n::Lang,
    indicator: &crate::model::Indicator,
    standing: Option<&crate::model::target::TargetStatus>,
) -> (
    crate::model::target::Line,
    Option<(crate::model::target::Line, String)>,
) {
    let Some(status) = standing else {
        return (Vec::new(), None);
    };
    let (plan, ahead) = crate::model::target::chart_paths(indicator, status);
    let projection = status
        .projection
        .as_ref()
        .filter(|_| !ahead.is_empty())
        .map(|p| {
            let said = format!(
                "{}: {}",
                lang.pick(p.method.label_vi(), p.method.label_en()),
                lang.number(p.year_end, indicator.decimals)
            );
            (ahead, said)
        });
    (plan, projection)
}

/// A mark at each period a unit was asked about, saying the latest answer or the question.
pub fn chart_marks(
    lang: crate::model::i18n::Lang,
    list: &crate::model::explanation::ExplanationList,
) -> Vec<ChartMark> {
    list.rows
        .iter()
        .map(|row| {
            let r = &row.request;
            let text = match r.latest_answer() {
                Some(a) => format!("{}: {a}", lang.pick("Giải trình", "Answer")),
                None => format!(
                    "{}: {}",
                    lang.pick("Yêu cầu giải trình", "Asked"),
                    r.question()
                ),
            };
            ChartMark {
                period: r.period,
                class: r.state().as_str(),
                text,
            }
        })
        .collect()
}

/// One more line on the chart: another unit, aligned with the series' periods.
#[derive(Clone, Debug, PartialEq)]
pub struct ExtraLine {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

#[component]
pub fn SeriesChart(
    series: Vec<Point>,
    year_ago: Vec<Option<f64>>,
    #[prop(default = Vec::new())] compared: Vec<ExtraLine>,
    target: Option<f64>,
    decimals: u8,
    #[prop(into)] label: String,
    /// The most the value can be (100 for a share): the axis never runs past it.
    #[prop(default = None)]
    ceiling: Option<f64>,
    /// The address each point leads to (its period's ranking); none in an exported image.
    #[prop(optional)]
    point_href: Option<Callback<crate::model::Period, String>>,
    /// The plan's expected values (a dashed line through its periods).
    #[prop(default = Vec::new())]
    plan: Vec<(crate::model::Period, f64)>,
    /// The projection to the year's end from the last point (dotted, beyond the series), and
    /// what it says of itself.
    #[prop(default = None)]
    projection: Option<(Vec<(crate::model::Period, f64)>, String)>,
    #[prop(default = Vec::new())] marks: Vec<ChartMark>,
    #[prop(default = Vec::new())] notes: Vec<ChartNote>,
) -> impl IntoView {
    let lang = use_lang();
    if series.is_empty() {
        return view! { <p class="muted" data-testid="no-series">{lang.pick("Chưa có số liệu trong khoảng này.", "No data in this range.")}</p> }.into_any();
    }
    let values: Vec<f64> = series.iter().map(|p| p.value).collect();
    // The periods across: the series', then the projected ones after it.
    let mut timeline: Vec<crate::model::Period> = series.iter().map(|p| p.period).collect();
    let ahead: &[(crate::model::Period, f64)] = projection
        .as_ref()
        .map(|(p, _)| p.as_slice())
        .unwrap_or_default();
    let last = series.last().map(|p| p.period);
    timeline.extend(
        ahead
            .iter()
            .map(|(p, _)| *p)
            .filter(|p| last.is_none_or(|l| *p > l)),
    );
    let at = |p: &crate::model::Period| timeline.iter().position(|x| x == p);
    let plan: Vec<(usize, f64)> = plan
        .iter()
        .filter_map(|(p, v)| Some((at(p)?, *v)))
        .collect();
    let ahead: Vec<(usize, f64)> = ahead
        .iter()
        .filter_map(|(p, v)| Some((at(p)?, *v)))
        .collect();
    let all = values
        .iter()
        .copied()
        .chain(plan.iter().map(|(_, v)| *v))
        .chain(ahead.iter().map(|(_, v)| *v))
        .chain(year_ago.iter().flatten().copied())
        .chain(
            compared
                .iter()
                .flat_map(|c| c.values.iter().flatten().copied()),
        )
        .chain(target);
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let pad = ((hi - lo) * 0.08).max(10f64.powi(-(decimals as i32)));
    let top = match ceiling {
        Some(c) if hi <= c => (hi + pad).min(c),
        _ => hi + pad,
    };
    let scale = Scale {
        lo: lo - pad,
        hi: top,
        n: timeline.len(),
    };
    // A line through points that may skip periods: drawn only between neighbours.
    let through = |points: &[(usize, f64)]| {
        let mut line = vec![None; timeline.len()];
        for (i, v) in points {
            line[*i] = Some(*v);
        }
        path(&scale, &line)
    };
    let plan_line = (!plan.is_empty()).then(|| {
        view! { <path class="plan" d=through(&plan) fill="none"><title>{lang.pick("Kế hoạch", "Plan")}</title></path> }
    });
    let projection_line = projection.as_ref().zip(series.last()).filter(|_| !ahead.is_empty()).map(|((_, said), last)| {
        let mut points = vec![(series.len() - 1, last.value)];
        points.extend(ahead.iter().copied());
        view! { <path class="projection" d=through(&points) fill="none" data-testid="projection"><title>{said.clone()}</title></path> }
    });
    let mark_views = marks
        .iter()
        .filter_map(|m| {
            let x = scale.x(at(&m.period)?);
            Some(view! {
                <g class="chart-mark" data-period=m.period.to_string() data-testid="chart-mark">
                    <circle class=format!("mark {}", m.class) cx=x cy=TOP + 10.0 r="9"><title>{m.text.clone()}</title></circle>
                    <text class="mark-text" x=x y=TOP + 14.0 text-anchor="middle">"?"</text>
                </g>
            })
        })
        .collect_view();
    // Half the step between two periods: a band reaches halfway to its neighbours.
    let half = if timeline.len() > 1 {
        (scale.x(1) - scale.x(0)) / 2.0
    } else {
        12.0
    };
    let note_views = notes
        .iter()
        .filter_map(|n| {
            let touched = |p: &crate::model::Period| crate::model::note::touches((n.from, n.to), p);
            let first = timeline.iter().position(touched)?;
            let last = timeline.iter().rposition(touched)?;
            let (x0, x1) = (scale.x(first) - half, scale.x(last) + half);
            Some(view! {
                <g class="chart-note" data-testid="chart-note" data-from=n.from.to_string()>
                    <rect class="note-band" x=x0.max(LEFT) y=TOP width=(x1.min(W - RIGHT) - x0.max(LEFT)).max(2.0) height=H - BOTTOM - TOP>
                        <title>{n.text.clone()}</title>
                    </rect>
                </g>
            })
        })
        .collect_view();
    let main = path(
        &scale,
        &values.iter().copied().map(Some).collect::<Vec<_>>(),
    );
    let previous = path(&scale, &year_ago);
    let others = compared
        .iter()
        .enumerate()
        .map(|(i, c)| {
            view! { <path class=format!("cmp-{}", i + 1) d=path(&scale, &c.values) fill="none"><title>{c.label.clone()}</title></path> }
        })
        .collect_view();
    let target_line = target.map(|t| {
        let y = scale.y(t);
        view! {
            <line class="target" x1=LEFT y1=y x2=W - RIGHT y2=y/>
            <text class="target-label" x=W - RIGHT y=y - 4.0 text-anchor="end">{format!("{} {}", lang.pick("Mục tiêu", "Target"), lang.number(t, decimals))}</text>
        }
    });
    let ticks: Vec<usize> = {
        let mut t = vec![0, timeline.len() / 2, timeline.len() - 1];
        t.dedup();
        t
    };
    let x_labels = ticks
        .into_iter()
        .map(|i| {
            let anchor = if i == 0 { "start" } else if i == timeline.len() - 1 { "end" } else { "middle" };
            view! { <text class="axis" x=scale.x(i) y=H - 10.0 text-anchor=anchor>{lang.period(&timeline[i])}</text> }
        })
        .collect_view();
    let dots = series
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let tip = format!("{}: {}", lang.period(&p.period), lang.number(p.value, decimals));
            let dot = view! {
                <circle class="dot" cx=scale.x(i) cy=scale.y(p.value) r="4"><title>{tip}</title></circle>
            };
            match point_href {
                // A wider, invisible target around each point, so a finger finds it.
                // Inside <g>, so the macro makes an SVG <a> (a lone <a> would be HTML's, which
                // an SVG does not draw when the browser renders it).
                Some(href) => view! {
                    <g>
                        <a href=href.run(p.period) data-period=p.period.to_string()>
                            <circle class="hit" cx=scale.x(i) cy=scale.y(p.value) r="14" fill="transparent"/>
                            {dot}
                        </a>
                    </g>
                }
                .into_any(),
                None => dot.into_any(),
            }
        })
        .collect_view();
    view! {
        <svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox=format!("0 0 {W} {H}") role="img" aria-label=label data-testid="chart">
            <line class="frame" x1=LEFT y1=TOP x2=LEFT y2=H - BOTTOM/>
            <line class="frame" x1=LEFT y1=H - BOTTOM x2=W - RIGHT y2=H - BOTTOM/>
            <text class="axis" x=LEFT - 6.0 y=TOP + 8.0 text-anchor="end">{lang.number(scale.hi, decimals)}</text>
            <text class="axis" x=LEFT - 6.0 y=H - BOTTOM text-anchor="end">{lang.number(scale.lo, decimals)}</text>
            {note_views}
            {target_line}
            <path class="year-ago" d=previous fill="none"/>
            {others}
            {plan_line}
            {projection_line}
            <path class="series" d=main fill="none"/>
            {dots}
            {mark_views}
            {x_labels}
        </svg>
    }
    .into_any()
}
