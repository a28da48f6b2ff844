//! `/targets?indicator=&year=`: the targets and plans of one indicator in a year, every unit
//! that reports it a row (the year's target, as one value or a range, then the plan period by
//! period), for the secretariat and administrators to type in; and the targets file, to take
//! out and bring back whole. The server refuses everyone else.

use crate::catalogue::api::{Saved, catalogue_import};
use crate::catalogue::page::{Import, SaveAnswer};
use crate::model::i18n::{Lang, use_lang};
use crate::steering::targets::{SheetCell, SheetRow, TargetSheet, targets_save, targets_sheet};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::{LazyRoute, lazy_route};

/// Loaded on demand: only the secretariat and administrators open it.
pub struct TargetsRoute;

#[lazy_route]
impl LazyRoute for TargetsRoute {
    fn data() -> Self {
        TargetsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <TargetsPage/> }.into_any()
    }
}

#[component]
pub fn TargetsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let key = move || {
        query.with(|q| {
            (
                q.get("indicator").unwrap_or_default(),
                q.get("year").unwrap_or_default(),
            )
        })
    };
    let import = Action::new(|text: &String| {
        let text = text.clone();
        async move { catalogue_import(text).await }
    });
    let save = Action::new(|(indicator, cells): &(String, Vec<SheetCell>)| {
        let (indicator, cells) = (indicator.clone(), cells.clone());
        async move { targets_save(indicator, cells).await }
    });
    // Read again after each save that changed something, not after a refusal: the sheet keeps
    // what was typed, to be mended and sent again.
    let saves = RwSignal::new(0u32);
    Effect::new(move |_| {
        if save
            .value()
            .with(|v| matches!(v, Some(Ok(Saved::Done { .. }))))
        {
            saves.update(|n| *n += 1);
        }
    });
    let data = Resource::new(
        move || (key(), import.version().get(), saves.get()),
        |((indicator, year), ..)| targets_sheet(indicator, year),
    );
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    view! {
        <Title text=lang.pick("Mục tiêu và kế hoạch", "Targets and plans")/>
        <div class="page-head" data-testid="targets-page" data-ready=move || ready.get().to_string()>
            <p class="crumbs"><a href="/scorecard">{lang.pick("Tiến độ", "Progress")}</a></p>
            <h1>{lang.pick("Mục tiêu và kế hoạch", "Targets and plans")}</h1>
            <p class="en">{lang.pick(
                "Mục tiêu năm của từng đơn vị (một số, hoặc một khoảng như 8,3–8,5) và kế hoạch từng kỳ. Mục tiêu của tỉnh là của riêng tỉnh, không phải phần chia từ mục tiêu cả nước. Mỗi thay đổi được ghi nhật ký và hiện ngay trên các màn hình.",
                "Each unit's target for the year (one value, or a range such as 8.3–8.5) and its plan period by period. A province's target is its own, not a share of the nation's. Every change is audited and reaches open screens at once.",
            )}</p>
        </div>
        <Transition fallback=move || view! { <p class="loading">{lang.pick("Đang tải…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(sheet) => view! { <Sheet sheet save/> }.into_any(),
                    Err(e) => view! { <p class="panel form-error" role="alert" data-testid="refused">{e.shown()}</p> }.into_any(),
                }
            })}
        </Transition>
        <section class="panel">
            <p><a href="/api/v1/catalogue/targets.csv" download="targets.csv" data-testid="targets-file">
                {lang.pick("Tải tệp mục tiêu (mọi chỉ tiêu, mọi đơn vị)", "Download the targets file (every indicator and unit)")}
            </a></p>
        </section>
        <Import import/>
    }
}

#[component]
fn Sheet(
    sheet: TargetSheet,
    save: Action<(String, Vec<SheetCell>), Result<Saved, crate::error::AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let TargetSheet {
        indicator,
        year,
        choices,
        measure,
        year_total,
        periods,
        rows,
    } = sheet;
    let options = choices
        .into_iter()
        .map(|(code, name)| {
            let selected = code == indicator;
            view! { <option value=code.clone() selected=selected>{format!("{name} ({code})")}</option> }
        })
        .collect_view();
    let picker = view! {
        <form method="get" action="/targets" class="panel admin-form filters" data-testid="targets-picker">
            <label>{lang.pick("Chỉ tiêu", "Indicator")}
                <select name="indicator">
                    <option value="">{lang.pick("— chọn —", "— choose —")}</option>
                    {options}
                </select>
            </label>
            <label>{lang.pick("Năm", "Year")}<input name="year" inputmode="numeric" size="5" value=year.to_string()/></label>
            <button type="submit">{lang.pick("Xem", "Show")}</button>
        </form>
    }
    .into_any();
    if indicator.is_empty() {
        return view! {
            {picker}
            <p class="panel muted">{lang.pick("Chọn một chỉ tiêu để xem và sửa mục tiêu của các đơn vị.", "Choose an indicator to see and edit the units' targets.")}</p>
        }
        .into_any();
    }
    let lines: Vec<Line> = rows.into_iter().map(Line::new).collect();
    let send = {
        let (indicator, lines, periods) = (indicator.clone(), lines.clone(), periods.clone());
        move |_| {
            save.dispatch((indicator.clone(), cells(&lines, year, &periods)));
        }
    };
    let plan_note = match (periods.is_empty(), year_total) {
        (true, _) => lang.pick(
            "Chỉ tiêu này không có kế hoạch theo kỳ trên trang (kỳ năm, tuần hoặc ngày); kế hoạch theo tuần, ngày nhập bằng tệp.",
            "This indicator has no plan by period on this page (yearly, weekly or daily); a weekly or daily plan goes by file.",
        ),
        (false, true) => lang.pick(
            "Kế hoạch là số lũy kế từ đầu năm đến hết kỳ.",
            "The plan is the year-to-date total at the end of each period.",
        ),
        (false, false) => lang.pick("Kế hoạch là giá trị dự kiến của từng kỳ.", "The plan is each period's expected value."),
    };
    let heads = periods
        .iter()
        .map(|(p, h)| view! { <th data-period=p.to_string()>{h.clone()}</th> })
        .collect_view();
    let body = lines.iter().map(|l| l.view(lang, &periods)).collect_view();
    let sending = save.pending();
    view! {
        {picker}
        <section class="panel targets-sheet" data-testid="targets-sheet" data-indicator=indicator.clone() data-year=year.to_string()>
            <p class="muted">{format!("{}: {measure}", lang.pick("Đơn vị tính", "Measure"))}" · "{plan_note}</p>
            <div class="table-scroll">
                <table class="data">
                    <thead><tr>
                        <th>{lang.pick("Đơn vị", "Unit")}</th>
                        <th>{format!("{} {year}", lang.pick("Mục tiêu", "Target"))}</th>
                        <th>{lang.pick("đến (khoảng)", "to (range)")}</th>
                        {heads}
                    </tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <p>
                <button type="button" class="primary" data-testid="save-targets" disabled=move || sending.get()
                    on:click=send>
                    {lang.pick("Lưu mục tiêu", "Save the targets")}
                </button>
            </p>
            <SaveAnswer value=save.value()/>
        </section>
    }
    .into_any()
}

/// A row's cells as the person types them.
#[derive(Clone)]
struct Line {
    row: SheetRow,
    target: RwSignal<String>,
    target_max: RwSignal<String>,
    plan: Vec<RwSignal<String>>,
}

impl Line {
    fn new(row: SheetRow) -> Line {
        Line {
            target: RwSignal::new(row.target.clone()),
            target_max: RwSignal::new(row.target_max.clone()),
            plan: row.plan.iter().cloned().map(RwSignal::new).collect(),
            row,
        }
    }

    fn view(
        &self,
        lang: Lang,
        periods: &[(crate::model::Period, String)],
    ) -> impl IntoView + use<> {
        let input = |signal: RwSignal<String>,
                     testid: &'static str,
                     label: String,
                     period: Option<String>| {
            // `value` for the page as the server sends it (it works before the wasm arrives),
            // `prop:value` for what is typed after.
            view! {
                <td><input inputmode="decimal" size="7" data-testid=testid data-period=period aria-label=label
                    value=signal.get_untracked() prop:value=move || signal.get()
                    on:input=move |ev| signal.set(event_target_value(&ev))/></td>
            }
        };
        let name = self.row.name.clone();
        let placeholder = self.row.fallback.clone();
        let plan = self
            .plan
            .iter()
            .zip(periods)
            .map(|(s, (p, h))| input(*s, "plan", format!("{name}, {h}"), Some(p.to_string())))
            .collect_view();
        let target_label = format!("{name}, {}", lang.pick("mục tiêu năm", "year's target"));
        let max_label = format!(
            "{name}, {}",
            lang.pick("đầu trên của khoảng", "range's upper end")
        );
        view! {
            <tr data-unit=self.row.unit.clone()>
                <th scope="row">{name.clone()}
                    {placeholder.map(|t| view! { <small class="muted">{format!(" ({}: {t})", lang.pick("danh mục", "catalogue"))}</small> })}
                </th>
                {input(self.target, "target", target_label, None)}
                {input(self.target_max, "target-max", max_label, None)}
                {plan}
            </tr>
        }
    }
}

/// Every cell of the sheet, as the save sends it: the year's target, then the plan's points.
fn cells(lines: &[Line], year: i32, periods: &[(crate::model::Period, String)]) -> Vec<SheetCell> {
    lines
        .iter()
        .flat_map(|l| {
            let year_cell = SheetCell {
                unit: l.row.unit.clone(),
                period: year.to_string(),
                target: l.target.get_untracked(),
                target_max: l.target_max.get_untracked(),
            };
            let plan = l.plan.iter().zip(periods).map(|(s, (p, _))| SheetCell {
                unit: l.row.unit.clone(),
                period: p.to_string(),
                target: s.get_untracked(),
                target_max: String::new(),
            });
            std::iter::once(year_cell).chain(plan).collect::<Vec<_>>()
        })
        .collect()
}
