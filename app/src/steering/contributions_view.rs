//! The indicator page's "what moved the number" section: each member's part of the whole's
//! change, largest first, as a bar either side of zero, and the rest when the whole's own figure
//! is more than its members' sum. For a weighted mean, each part is also shown in its two
//! pieces: of the member's value, and of its share of the weight.

use crate::model::contribution::Contributions;
use crate::model::i18n::{Lang, use_lang};
use crate::model::view::{IndicatorQuery, Tone};
use crate::model::{GoodDirection, Indicator};
use leptos::prelude::*;

#[component]
pub fn ContributionsPanel(
    parts: Contributions,
    indicator: Indicator,
    whole_name: String,
    query: IndicatorQuery,
) -> impl IntoView {
    let lang = use_lang();
    let d = indicator.decimals;
    let direction: GoodDirection = indicator.good_direction;
    let largest = parts.largest();
    let value = move |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| lang.number(v, d));
    let points = move |v: Option<f64>| v.map(|v| lang.signed(v, 2)).unwrap_or_default();
    let bar = move |amount: f64| {
        let tone = Tone::of(direction, amount).class();
        let width = format!("width:{:.1}%", amount.abs() / largest * 50.0);
        let side = if amount < 0.0 { "bar neg" } else { "bar pos" };
        view! { <td class="bar-cell"><span class=format!("{side} {tone}") style=width></span></td> }
            .into_any()
    };
    let weighted = parts.weight.is_some();
    let signed = move |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| lang.signed(v, d));
    let share = move |v: Option<f64>| {
        v.map_or_else(|| "–".to_string(), |v| format!("{}%", lang.number(v, 1)))
    };
    let rows = parts
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            // A mean's part in its two pieces; a sum's as points of the whole's per cent change.
            let pieces = match weighted {
                true => view! {
                    <td class="num muted">{share(m.share_before)}" → "{share(m.share_after)}</td>
                    <td class="num" data-testid="value-part">{signed(m.value_part)}</td>
                    <td class="num" data-testid="weight-part">{signed(m.weight_part)}</td>
                }
                .into_any(),
                false => ().into_any(),
            };
            view! {
                <tr data-unit=m.unit.clone()>
                    <td class="num muted">{i + 1}</td>
                    <td><a class="touch" href=query.at_unit(&m.unit).href()>{m.name_vi.clone()}</a></td>
                    <td class="num">{value(m.before)}</td>
                    <td class="num">{value(m.after)}</td>
                    {pieces}
                    <td class="num strong">{lang.signed(m.change, d)}</td>
                    {(!weighted).then(|| view! { <td class="num muted">{points(m.points)}</td> })}
                    {bar(m.change)}
                </tr>
            }
        })
        .collect_view()
        .into_any();
    // What the whole's own figure holds beyond its members' sum or mean, when it is more.
    let rest = parts.rest.filter(|r| *r != 0.0).map(|r| {
        let label = match weighted {
            true => lang.pick(
                "Phần còn lại (số của toàn đơn vị so với bình quân các đơn vị trên)",
                "The rest (the whole's figure against the mean of the units above)",
            ),
            false => lang.pick(
                "Phần còn lại (số của toàn đơn vị ngoài tổng các đơn vị trên)",
                "The rest (the whole's figure beyond the sum above)",
            ),
        };
        view! {
            <tr class="rest" data-testid="contributions-rest">
                <td></td>
                <td>{label}</td>
                <td></td><td></td>
                {weighted.then(|| view! { <td></td><td></td><td></td> })}
                <td class="num strong">{lang.signed(r, d)}</td>
                {(!weighted).then(|| view! { <td class="num muted">{points(parts.rest_points)}</td> })}
                {bar(r)}
            </tr>
        }
        .into_any()
    });
    // How a mean's parts are made, and what weighs them.
    let how = parts.weight.as_ref().map(|w| {
        let (means, name) = (
            format!("{} → {}", value(parts.members_before), value(parts.members_after)),
            lang.pick(&w.name_vi, &w.name_en).to_string(),
        );
        let text = match lang {
            Lang::Vi => format!(
                "Bình quân của các đơn vị dưới đây, theo trọng số là {name}: {means}. Phần của mỗi đơn vị gồm phần do giá trị của đơn vị thay đổi (tính theo tỷ trọng bình quân hai kỳ) và phần do tỷ trọng của đơn vị thay đổi (đơn vị cao hơn bình quân mà tăng tỷ trọng thì kéo bình quân lên)."
            ),
            Lang::En => format!(
                "The mean of the units below, weighted by {name}: {means}. Each unit's part is the change of its own value (at its mean share of the two periods) and the change of its share (a unit above the mean that gains share lifts the mean)."
            ),
        };
        view! {
            <p class="muted" data-testid="contributions-weight">
                {text}" "<a href=format!("/indicators/{}?unit={}", w.code, parts.unit)>{lang.pick("Xem trọng số", "See the weight")}</a>
            </p>
        }
    });
    let (from, to) = (lang.period(&parts.from), lang.period(&parts.to));
    let summary = match parts.change {
        Some(c) => {
            let pct = parts
                .percent
                .map(|p| format!(" ({}%)", lang.signed(p, 1)))
                .unwrap_or_default();
            match lang {
                Lang::Vi => format!(
                    "{whole_name}: {} → {}, thay đổi {}{pct}. Phần của từng đơn vị, lớn nhất trước; cộng lại đúng bằng thay đổi.",
                    value(parts.before),
                    value(parts.after),
                    lang.signed(c, d)
                ),
                Lang::En => format!(
                    "{whole_name}: {} → {}, a change of {}{pct}. Each unit's part, largest first; together they make the change exactly.",
                    value(parts.before),
                    value(parts.after),
                    lang.signed(c, d)
                ),
            }
        }
        None => lang
            .pick(
                "Chưa có số của toàn đơn vị ở cả hai kỳ: dưới đây là thay đổi của từng đơn vị.",
                "The whole has no figure in both periods: below, each unit's own change.",
            )
            .to_string(),
    };
    // A link to #contributions from another page lands here after the router has scrolled,
    // before this section existed: it brings itself into view.
    let section = NodeRef::<leptos::html::Section>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let asked = window()
            .location()
            .hash()
            .is_ok_and(|h| h == "#contributions");
        if let (true, Some(el)) = (asked, section.get()) {
            bring_into_view(el.into(), 40);
        }
    });
    let csv = format!(
        "/api/v1/contributions?indicator={}&unit={}&from={}&to={}&format=csv",
        parts.indicator, parts.unit, parts.from, parts.to
    );
    view! {
        <section class="panel" id="contributions" data-testid="contributions" node_ref=section>
            <h2>{lang.pick("Đóng góp vào thay đổi", "What moved the figure")} " · " {from} " → " {to}</h2>
            <p data-testid="contributions-summary">{summary}</p>
            {how}
            <div class="table-scroll">
                <table class="data contributions">
                    <thead><tr>
                        <th>"#"</th><th>{lang.pick("Đơn vị", "Unit")}</th>
                        <th class="num">{lang.pick("Kỳ trước", "Before")}</th><th class="num">{lang.pick("Kỳ này", "After")}</th>
                        {weighted.then(|| view! {
                            <th class="num">{lang.pick("Tỷ trọng", "Share")}</th>
                            <th class="num">{lang.pick("Do giá trị", "Of value")}</th>
                            <th class="num">{lang.pick("Do tỷ trọng", "Of share")}</th>
                        })}
                        <th class="num">{lang.pick("Đóng góp", "Part")}</th>
                        {(!weighted).then(|| view! { <th class="num">{lang.pick("Điểm %", "Points")}</th> })}
                        <th></th>
                    </tr></thead>
                    <tbody>{rows}{rest}</tbody>
                </table>
            </div>
            <a class="touch" href=csv download="" rel="external">{lang.pick("Tải CSV đóng góp", "Download the parts (CSV)")}</a>
        </section>
    }
    .into_any()
}

/// Scrolls to `el` once it is in the document: a page read in a transition builds its new
/// content before putting it in place of the old.
#[cfg(feature = "hydrate")]
fn bring_into_view(el: web_sys::Element, tries: u8) {
    if el.is_connected() {
        el.scroll_into_view();
    } else if tries > 0 {
        set_timeout(
            move || bring_into_view(el, tries - 1),
            std::time::Duration::from_millis(50),
        );
    }
}
