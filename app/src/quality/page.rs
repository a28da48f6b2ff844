//! `/quality`: the secretariat's data-quality list. The values in force that arrived far from
//! their history (published as sent, each a tap to its figure), and each consistency check of
//! the provinces against the nation. Live for its reader: read again on an alert or a
//! catalogue change.

use crate::model::i18n::use_lang;
use crate::quality::api::get_quality;
use crate::quality::view::ConsistencyTable;
use crate::shell::live_refresh::refresh_on_change;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{LazyRoute, lazy_route};

/// Loaded on demand: only the secretariat and administrators open it.
pub struct QualityRoute;

#[lazy_route]
impl LazyRoute for QualityRoute {
    fn data() -> Self {
        QualityRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <QualityPage/> }.into_any()
    }
}

#[component]
pub fn QualityPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| get_quality());
    let refresh = Callback::new(move |_| data.refetch());
    let title = lang.pick("Chất lượng số liệu", "Data quality");
    view! {
        <Title text=title/>
        <div class="page-head" data-testid="quality-page"><h1>{title}</h1></div>
        <Transition fallback=move || view! { <p class="loading">{lang.pick("Đang tải…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="panel error-panel" role="alert">{e.shown()}</p> }.into_any(),
                    Ok(list) => {
                        refresh_on_change(vec!["alerts".into()], list.seq, |_| false, refresh);
                        let empty = list.outliers.is_empty().then(|| view! {
                            <p class="panel muted" data-testid="no-outliers">{lang.pick("Không có số liệu nào bất thường so với lịch sử.", "No value is unusual against its history.")}</p>
                        });
                        let rows = list.outliers.into_iter().map(|f| {
                            let measure = lang.pick(&f.measure_vi, &f.measure_en).to_string();
                            view! {
                                <tr data-indicator=f.indicator.clone() data-unit=f.unit.clone() data-testid="flagged-value">
                                    <th scope="row"><a href=format!("/indicators/{}?unit={}", f.indicator, f.unit)>{lang.pick(&f.indicator_vi, &f.indicator_en).to_string()}</a></th>
                                    <td>{f.unit_name.clone()}</td>
                                    <td>{lang.period(&f.period)}</td>
                                    <td class="num">{format!("{} {measure}", lang.number(f.value, f.decimals))}</td>
                                    <td class="num">{format!("{} – {}", lang.number(f.usual.low, f.decimals), lang.number(f.usual.high, f.decimals))}</td>
                                </tr>
                            }
                        }).collect_view();
                        let no_checks = list.checks.is_empty().then(|| view! {
                            <p class="panel muted">{lang.pick(
                                "Danh mục chưa đặt mức sai lệch cho phép cho chỉ tiêu nào (cột “consistency_within”).",
                                "The catalogue sets no tolerance for any indicator (column “consistency_within”).",
                            )}</p>
                        });
                        let checks = list.checks.into_iter().map(|check| view! { <ConsistencyTable check/> }).collect_view();
                        view! {
                            <section>
                                <h2>{lang.pick("Số liệu bất thường so với lịch sử", "Values unusual against their history")}</h2>
                                <p class="muted">{lang.pick(
                                    "Giá trị mới nhất của mỗi chuỗi nằm ngoài khoảng thường gặp của 12 kỳ trước; đã công bố như hệ thống nguồn gửi.",
                                    "The newest value of each series outside the usual range of its 12 periods before; published as the source system sent it.",
                                )}</p>
                                {empty}
                                <div class="table-scroll">
                                    <table class="data" data-testid="flagged-values">
                                        <thead><tr>
                                            <th scope="col">{lang.pick("Chỉ tiêu", "Indicator")}</th>
                                            <th scope="col">{lang.pick("Đơn vị", "Unit")}</th>
                                            <th scope="col">{lang.pick("Kỳ", "Period")}</th>
                                            <th scope="col">{lang.pick("Giá trị", "Value")}</th>
                                            <th scope="col">{lang.pick("Khoảng thường gặp", "Usual range")}</th>
                                        </tr></thead>
                                        <tbody>{rows}</tbody>
                                    </table>
                                </div>
                            </section>
                            <section>
                                <h2>{lang.pick("Đối chiếu số các tỉnh với số toàn quốc", "The provinces against the nation")}</h2>
                                {no_checks}
                                {checks}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
