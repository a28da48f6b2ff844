//! A time series chart as plain SVG, drawn the same on the server and in the browser: the
//! series, the same period a year earlier (dashed) and the target (a horizontal line), with the
//! first, middle and last periods and the value range labelled.

use crate::model::format::number_vi;
use crate::model::view::Point;
use leptos::prelude::*;

const W: f64 = 800.0;
const H: f64 = 280.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 34.0;

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

#[component]
pub fn SeriesChart(
    series: Vec<Point>,
    year_ago: Vec<Option<f64>>,
    target: Option<f64>,
    decimals: u8,
    #[prop(into)] label: String,
) -> impl IntoView {
    if series.is_empty() {
        return view! { <p class="muted" data-testid="no-series">"Chưa có số liệu trong khoảng này. (No data in this range.)"</p> }.into_any();
    }
    let values: Vec<f64> = series.iter().map(|p| p.value).collect();
    let all = values
        .iter()
        .copied()
        .chain(year_ago.iter().flatten().copied())
        .chain(target);
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let pad = ((hi - lo) * 0.08).max(10f64.powi(-(decimals as i32)));
    let scale = Scale {
        lo: lo - pad,
        hi: hi + pad,
        n: series.len(),
    };
    let main = path(
        &scale,
        &values.iter().copied().map(Some).collect::<Vec<_>>(),
    );
    let previous = path(&scale, &year_ago);
    let target_line = target.map(|t| {
        let y = scale.y(t);
        view! {
            <line class="target" x1=LEFT y1=y x2=W - RIGHT y2=y/>
            <text class="target-label" x=W - RIGHT y=y - 4.0 text-anchor="end">{format!("Mục tiêu {}", number_vi(t, decimals))}</text>
        }
    });
    let ticks: Vec<usize> = {
        let mut t = vec![0, series.len() / 2, series.len() - 1];
        t.dedup();
        t
    };
    let x_labels = ticks
        .into_iter()
        .map(|i| {
            let anchor = if i == 0 { "start" } else if i == series.len() - 1 { "end" } else { "middle" };
            view! { <text class="axis" x=scale.x(i) y=H - 10.0 text-anchor=anchor>{series[i].period.label_vi()}</text> }
        })
        .collect_view();
    let dots = series
        .iter()
        .enumerate()
        .map(|(i, p)| {
            view! {
                <circle class="dot" cx=scale.x(i) cy=scale.y(p.value) r="3">
                    <title>{format!("{}: {}", p.period.label_vi(), number_vi(p.value, decimals))}</title>
                </circle>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox=format!("0 0 {W} {H}") role="img" aria-label=label data-testid="chart">
            <line class="frame" x1=LEFT y1=TOP x2=LEFT y2=H - BOTTOM/>
            <line class="frame" x1=LEFT y1=H - BOTTOM x2=W - RIGHT y2=H - BOTTOM/>
            <text class="axis" x=LEFT - 6.0 y=TOP + 8.0 text-anchor="end">{number_vi(scale.hi, decimals)}</text>
            <text class="axis" x=LEFT - 6.0 y=H - BOTTOM text-anchor="end">{number_vi(scale.lo, decimals)}</text>
            {target_line}
            <path class="year-ago" d=previous fill="none"/>
            <path class="series" d=main fill="none"/>
            {dots}
            {x_labels}
        </svg>
    }
    .into_any()
}
