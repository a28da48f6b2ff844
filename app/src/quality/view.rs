//! A consistency check as a table: each of the latest periods, the national figure, the
//! provinces' mean (and how many reported), the difference, flagged where it exceeds the
//! tolerance. On an indicator's national page and in the data-quality list.

use crate::model::i18n::use_lang;
use crate::quality::check::ConsistencyCheck;
use leptos::prelude::*;

#[component]
pub fn ConsistencyTable(check: ConsistencyCheck) -> impl IntoView {
    let lang = use_lang();
    let (provincial, national) = (&check.provincial, &check.national);
    let decimals = provincial.decimals;
    let measure = lang
        .pick(&provincial.measure_vi, &provincial.measure)
        .to_string();
    let flagged = check.flagged().count();
    let title = if provincial.code == national.code {
        format!(
            "{}: {}",
            lang.pick(&provincial.name_vi, &provincial.name_en),
            lang.pick(
                "bình quân các tỉnh so với số toàn quốc",
                "the provinces' mean against the national figure"
            )
        )
    } else {
        format!(
            "{} ({}) {} {} ({})",
            lang.pick(&provincial.name_vi, &provincial.name_en),
            lang.pick("bình quân các tỉnh", "provinces' mean"),
            lang.pick("so với", "against"),
            lang.pick(&national.name_vi, &national.name_en),
            lang.pick("toàn quốc", "national"),
        )
    };
    let summary = match (check.periods.len(), flagged) {
        (0, _) => lang
            .pick(
                "Chưa có kỳ nào có đủ số toàn quốc và số các tỉnh.",
                "No period has both the national and the provincial figures yet.",
            )
            .to_string(),
        (_, 0) => lang
            .pick(
                "Mọi kỳ đều trong mức sai lệch cho phép.",
                "Every period is within the tolerance.",
            )
            .to_string(),
        (n, k) => format!(
            "{k}/{n} {}",
            lang.pick(
                "kỳ lệch quá mức cho phép",
                "periods further apart than allowed"
            )
        ),
    };
    let rows = check
        .periods
        .iter()
        .map(|c| {
            let mark = if c.flagged { "✗ " } else { "" };
            view! {
                <tr data-period=c.period.to_string() data-flagged=c.flagged.to_string() class:bad=c.flagged>
                    <th scope="row">{lang.period(&c.period)}</th>
                    <td class="num">{lang.number(c.national, decimals)}</td>
                    <td class="num">{lang.number(c.provinces_mean, decimals)}<span class="muted">{format!(" ({})", c.provinces)}</span></td>
                    <td class="num" data-testid="consistency-difference">{format!("{mark}{}", lang.signed(c.difference, decimals))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel consistency" data-testid="consistency" data-indicator=provincial.code.clone() data-flagged=flagged.to_string()>
            <h3>{title}</h3>
            <p class="muted">
                {format!("{} ±{} {measure}. ", lang.pick("Sai lệch cho phép", "Tolerance"), lang.number(check.within, decimals))}
                {summary}
            </p>
            <div class="table-scroll">
                <table class="data">
                    <thead><tr>
                        <th scope="col">{lang.pick("Kỳ", "Period")}</th>
                        <th scope="col">{lang.pick("Toàn quốc", "National")}</th>
                        <th scope="col">{lang.pick("Bình quân các tỉnh (số tỉnh)", "Provinces' mean (provinces)")}</th>
                        <th scope="col">{lang.pick("Chênh lệch", "Difference")}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    // Type-erased: inside the indicator page's view, the whole type is past the compiler's
    // depth limit when the wasm is built.
    .into_any()
}
