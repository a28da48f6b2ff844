use crate::components::sparkline::Sparkline;
use crate::model::format::{number_vi, signed_vi};
use crate::model::view::{ChangeKind, IndicatorCard, Tone};
use leptos::prelude::*;

#[component]
pub fn IndicatorCardView(card: IndicatorCard, #[prop(into)] unit: String) -> impl IntoView {
    let ind = card.indicator.clone();
    let latest = card.latest().cloned();
    let change = card.change();
    let decimals = ind.decimals;

    let value = match &latest {
        Some(p) => view! {
            <p class="value">
                <span class="number" data-testid="value">{number_vi(p.value, decimals)}</span>
                " "
                <span class="measure" title=ind.measure.clone()>{ind.measure_vi.clone()}</span>
            </p>
            <p class="period">
                {p.period.label_vi()}
                {p.simulated.then(|| view! { <span class="sim-tag" title="Simulated">"mô phỏng"</span> })}
            </p>
        }
        .into_any(),
        None if !card.reported_here => view! {
            <p class="value empty">"Chỉ tiêu cấp tỉnh"</p>
            <p class="period">"Không có số toàn quốc; xem từng tỉnh (reported by provinces only)"</p>
        }
        .into_any(),
        None => view! {
            <p class="value empty">"Chưa có số liệu"</p>
            <p class="period">"No data yet"</p>
        }
        .into_any(),
    };

    let change_view = change.map(|c| {
        let tone = Tone::of(ind.good_direction, c.amount);
        let arrow = if c.amount > 0.0 {
            "▲"
        } else if c.amount < 0.0 {
            "▼"
        } else {
            "■"
        };
        let text = match c.kind {
            ChangeKind::Points => format!("{} điểm %", signed_vi(c.amount, 2)),
            ChangeKind::Percent => format!("{}%", signed_vi(c.amount, 1)),
        };
        view! {
            <p class=format!("change {}", tone.class()) data-testid="change" data-tone=tone.class()>
                <span aria-hidden="true">{arrow}</span>" "{text}
                <span class="vs">" so với kỳ trước"</span>
            </p>
        }
    });

    let values: Vec<f64> = card.recent.iter().map(|p| p.value).collect();
    let spark_label = format!("Diễn biến {} kỳ gần nhất", values.len());

    view! {
        <article class="card" data-testid="indicator-card" data-indicator=ind.code.clone()>
            <header>
                <h3 title=ind.name_en.clone()>
                    <a href=format!("/indicators/{}?unit={unit}", ind.code) data-testid="indicator-link">{ind.name_vi.clone()}</a>
                </h3>
                <p class="en" lang="en">{ind.name_en.clone()}</p>
            </header>
            {value}
            {change_view}
            <Sparkline values label=spark_label/>
        </article>
    }
}
