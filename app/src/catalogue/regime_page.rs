//! `/admin/regimes`: the reporting regimes for administrators: the list, one regime's form
//! (its name and legal basis, periodicity, who reports it, cut-off and deadline, and the
//! indicators it carries, each picked from a list), retiring and restoring, and the regimes
//! file. The server refuses everyone else.

use crate::catalogue::api::Saved;
use crate::catalogue::page::{Import, SaveAnswer, column_label};
use crate::catalogue::regime_api::{RegimeSave, RegimesView, regimes_admin};
use crate::model::i18n::{Lang, use_lang};
use crate::model::regime::{PERIODICITIES, REPORTING_KINDS, Regime};
use crate::model::{Periodicity, UnitKind};
use crate::search::picker::UnitPicker;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::{LazyRoute, lazy_route};

/// Loaded on demand: only administrators open it.
pub struct RegimesRoute;

#[lazy_route]
impl LazyRoute for RegimesRoute {
    fn data() -> Self {
        RegimesRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <RegimesPage/> }.into_any()
    }
}

fn kinds_text(lang: Lang, kinds: &[UnitKind]) -> String {
    kinds
        .iter()
        .map(|k| lang.pick(k.label_vi(), k.label_en()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
pub fn RegimesPage() -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<RegimeSave>::new();
    let import = Action::new(|text: &String| {
        let text = text.clone();
        async move { crate::catalogue::api::catalogue_import(text).await }
    });
    let query = use_query_map();
    let edit = move || query.with(|q| q.get("edit").unwrap_or_default());
    // Read again after a save that changed something, not after a refusal: the form keeps
    // what the administrator ticked, to be mended and sent again.
    let saved = move || {
        save.value()
            .with(|v| matches!(v, Some(Ok(Saved::Done { .. }))))
            .then(|| save.version().get())
    };
    let data = Resource::new(
        move || (edit(), saved(), import.version().get()),
        |(edit, ..)| regimes_admin(edit),
    );
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    view! {
        <Title text=lang.pick("Chế độ báo cáo", "Reporting regimes")/>
        <div class="page-head" data-testid="regimes-admin" data-ready=move || ready.get().to_string()>
            <p class="crumbs"><a href="/admin">{lang.pick("Quản trị", "Administration")}</a></p>
            <h1>{lang.pick("Chế độ báo cáo", "Reporting regimes")}</h1>
            <p class="en">{lang.pick(
                "Theo Nghị định 09/2019/NĐ-CP: mỗi chế độ có nội dung, đơn vị báo cáo, kỳ, ngày chốt số liệu và hạn gửi riêng; biểu mẫu và việc cần làm của cán bộ báo cáo lấy từ đây.",
                "Under Decree 09/2019/NĐ-CP: each regime has its own content, units, periodicity, cut-off and deadline; the officers' forms and desk come from here.",
            )}</p>
        </div>
        <Suspense fallback=move || view! { <p class="loading">{lang.pick("Đang tải…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="panel form-error" role="alert" data-testid="refused">{e.shown()}</p> }.into_any(),
                    Ok(admin) => {
                        let edit = edit();
                        let editor = (!edit.is_empty()).then(|| match admin.editing.clone() {
                            Some((r, has_reports)) => view! { <Editor regime=r has_reports new=false admin=admin.clone() save/> }.into_any(),
                            None if edit == "new" => view! { <Editor regime=crate::model::regime::blank() has_reports=false new=true admin=admin.clone() save/> }.into_any(),
                            None => view! { <p class="panel form-error" role="alert">{lang.pick("Không có chế độ báo cáo này.", "No such regime.")}</p> }.into_any(),
                        });
                        view! { {editor} <List admin/> }.into_any()
                    }
                }
            })}
        </Suspense>
        <Import import/>
    }
}

#[component]
fn List(admin: RegimesView) -> impl IntoView {
    let lang = use_lang();
    let rows = admin
        .regimes
        .into_iter()
        .map(|r| {
            let state = match r.retired_at {
                None => lang.pick("Đang áp dụng", "In force").to_string(),
                Some(t) => format!(
                    "{} {}",
                    lang.pick("Ngừng áp dụng từ", "Retired on"),
                    lang.date(crate::model::vietnam_time(t).date())
                ),
            };
            let timing = if r.periodicity == Periodicity::Weekly {
                match lang {
                    Lang::Vi => format!("{} ngày làm việc sau tuần", r.rules.deadline_working_days),
                    Lang::En => format!("{} working days after the week", r.rules.deadline_working_days),
                }
            } else {
                match lang {
                    Lang::Vi => format!(
                        "chốt ngày {}, hạn {} ngày làm việc sau",
                        r.rules.cutoff_day, r.rules.deadline_working_days
                    ),
                    Lang::En => format!(
                        "cut-off on the {}, due {} working days after",
                        r.rules.cutoff_day, r.rules.deadline_working_days
                    ),
                }
            };
            let who = if r.units.is_empty() {
                kinds_text(lang, &r.kinds)
            } else {
                match lang {
                    Lang::Vi => format!("{} đơn vị", r.units.len()),
                    Lang::En => format!("{} units", r.units.len()),
                }
            };
            view! {
                <tr data-code=r.code.clone() class:retired=r.retired_at.is_some()>
                    <td><a href=format!("/admin/regimes?edit={}", r.code) data-testid="edit-link">{r.code.clone()}</a></td>
                    <td>{lang.pick(&r.name_vi, &r.name_en).to_string()}<br/><small class="muted">{r.legal_basis.clone()}</small></td>
                    <td>{lang.pick(r.periodicity.label_vi(), r.periodicity.label_en())}</td>
                    <td>{who}</td>
                    <td>{timing}</td>
                    <td data-testid="indicator-count">{r.indicators.len()}</td>
                    <td>{state}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel">
            <p>
                <a class="button primary" href="/admin/regimes?edit=new" data-testid="new-regime">{lang.pick("Thêm chế độ báo cáo", "New regime")}</a>
                " "<a href="/api/v1/catalogue/regimes.csv" download="che-do-bao-cao.csv">{lang.pick("Tải tệp chế độ báo cáo (CSV)", "Download the regimes file (CSV)")}</a>
            </p>
            <table class="data" data-testid="regime-list">
                <thead><tr>
                    <th>{lang.pick("Mã", "Code")}</th><th>{lang.pick("Tên", "Name")}</th><th>{lang.pick("Kỳ", "Period")}</th>
                    <th>{lang.pick("Đơn vị báo cáo", "Reported by")}</th><th>{lang.pick("Thời hạn", "Timing")}</th>
                    <th>{lang.pick("Số chỉ tiêu", "Indicators")}</th><th>{lang.pick("Trạng thái", "State")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

/// Adds `code` to the end of `list` when `on`, else removes it (the list keeps the order the
/// administrator picked).
fn toggle(list: RwSignal<Vec<String>>, code: &str, on: bool) {
    list.update(|l| {
        l.retain(|c| c != code);
        if on {
            l.push(code.to_string());
        }
    });
}

#[component]
fn Editor(
    regime: Regime,
    has_reports: bool,
    new: bool,
    admin: RegimesView,
    save: ServerAction<RegimeSave>,
) -> impl IntoView {
    let lang = use_lang();
    let r = regime;
    let pick = move |vi: &str, en: &str| lang.pick(vi, en).to_string();
    // The lists are kept here and sent as the regimes file writes them (codes joined by |).
    let periodicity = RwSignal::new(r.periodicity);
    let kinds = RwSignal::new(
        r.kinds
            .iter()
            .map(|k| k.as_str().to_string())
            .collect::<Vec<_>>(),
    );
    // Ministries and provinces are ticked from a list; communes are found by name.
    let units = RwSignal::new(
        r.units
            .iter()
            .filter(|c| !admin.communes.iter().any(|(k, _)| k == *c))
            .cloned()
            .collect::<Vec<_>>(),
    );
    let communes = RwSignal::new(admin.communes.clone());
    let indicators = RwSignal::new(r.indicators.clone());
    let title = if new {
        pick("Thêm chế độ báo cáo", "New regime")
    } else {
        format!("{} {}", pick("Sửa chế độ báo cáo", "Edit regime"), r.code)
    };
    let code_input = if new {
        view! { <input name="code" required maxlength="24" pattern="[A-Z0-9\\-]{1,24}" placeholder="GNDTC-TUAN" data-testid="code"/> }.into_any()
    } else {
        view! { <input name="code" value=r.code.clone() readonly/> }.into_any()
    };
    let periodicity_select = view! {
        <select name="periodicity" disabled=has_reports data-testid="periodicity"
            on:change=move |ev| {
                if let Some(p) = Periodicity::parse(&event_target_value(&ev)) {
                    periodicity.set(p);
                }
            }>
            {PERIODICITIES.into_iter().map(|p| view! {
                <option value=p.as_str() selected=p == r.periodicity>{lang.pick(p.label_vi(), p.label_en())}</option>
            }).collect_view()}
        </select>
    };
    let kind_boxes = REPORTING_KINDS
        .into_iter()
        .map(|k| {
            let code = k.as_str();
            view! {
                <label class="check"><input type="checkbox" data-kind=code
                    prop:checked=move || kinds.with(|l| l.iter().any(|c| c == code))
                    on:change=move |ev| toggle(kinds, code, event_target_checked(&ev))/>
                    {lang.pick(k.label_vi(), k.label_en())}</label>
            }
        })
        .collect_view();
    // Ministries and provinces, one by one, for a regime that only some units report.
    let unit_boxes = admin
        .units
        .iter()
        .cloned()
        .map(|(code, name, kind)| {
            let shown = code.clone();
            let c = code.clone();
            view! {
                <label class="check" class:hidden=move || kinds.with(|l| !l.iter().any(|k| k == kind.as_str()))>
                    <input type="checkbox" data-unit=code.clone()
                        prop:checked=move || units.with(|l| l.contains(&shown))
                        on:change=move |ev| toggle(units, &c, event_target_checked(&ev))/>
                    {name}
                </label>
            }
        })
        .collect_view();
    let choices = admin.indicators.clone();
    let indicator_boxes =
        move || {
            let p = periodicity.get();
            let wanted = kinds.get();
            choices
            .iter()
            .filter(|i| i.periodicity == p)
            .map(|i| {
                let code = i.code.clone();
                let (shown, c) = (code.clone(), code.clone());
                let reported = i.reported_by.iter().any(|k| wanted.iter().any(|w| w == k.as_str()));
                let by = kinds_text(lang, &i.reported_by);
                view! {
                    <label class="check" class:muted=!reported>
                        <input type="checkbox" data-indicator=code.clone()
                            prop:checked=move || indicators.with(|l| l.contains(&shown))
                            on:change=move |ev| toggle(indicators, &c, event_target_checked(&ev))/>
                        {format!("{} ({code}) · {by}", lang.pick(&i.name_vi, &i.name_en))}
                    </label>
                }
            })
            .collect_view()
        };
    let days = |range: std::ops::RangeInclusive<u32>| {
        range
            .map(|d| (d.to_string(), d.to_string()))
            .collect::<Vec<_>>()
    };
    let number_select = |name: &'static str, options: Vec<(String, String)>, current: u32| {
        view! {
            <select name=name data-testid=name>
                {options.into_iter().map(|(v, l)| {
                    let selected = v == current.to_string();
                    view! { <option value=v selected=selected>{l}</option> }
                }).collect_view()}
            </select>
        }
    };
    let rules = r.rules;
    let retired = r.retired_at.is_some();
    view! {
        <section class="panel admin-form" data-testid="regime-editor">
            <h2>{title}</h2>
            {has_reports.then(|| view! { <p class="muted">{lang.pick(
                "Đã có báo cáo theo chế độ này: kỳ báo cáo không đổi được (hãy ngừng áp dụng và tạo chế độ mới).",
                "Reports were made under this regime: its periodicity is fixed (retire it and create a new one instead).",
            )}</p> })}
            <ActionForm action=save>
                <input type="hidden" name="new" value=if new { "1" } else { "" }/>
                <label>{column_label(lang, "code")}{code_input}</label>
                <label>{column_label(lang, "name_vi")}<input name="name_vi" value=r.name_vi.clone() required maxlength="300" data-testid="name_vi"/></label>
                <label>{column_label(lang, "name_en")}<input name="name_en" value=r.name_en.clone() required maxlength="300" data-testid="name_en"/></label>
                <label>{column_label(lang, "legal_basis")}<input name="legal_basis" value=r.legal_basis.clone() required maxlength="200" placeholder="Nghị định 09/2019/NĐ-CP" data-testid="legal_basis"/></label>
                <label>{column_label(lang, "periodicity")}{periodicity_select}</label>
                {has_reports.then(|| view! { <input type="hidden" name="periodicity" value=r.periodicity.as_str()/> })}
                <fieldset data-testid="kinds">
                    <legend>{column_label(lang, "kinds")}</legend>
                    {kind_boxes}
                    <input type="hidden" name="kinds" prop:value=move || kinds.with(|l| l.join("|"))/>
                </fieldset>
                <details class="units-pick" open=!r.units.is_empty()>
                    <summary>{lang.pick(
                        "Chỉ một số đơn vị báo cáo (để trống: mọi đơn vị của các cấp đã chọn)",
                        "Only some units report it (none picked: every unit of the levels chosen)",
                    )}</summary>
                    <div class="checks" data-testid="units">{unit_boxes}</div>
                    <div class:hidden=move || kinds.with(|l| !l.iter().any(|k| k == UnitKind::Commune.as_str()))>
                        <UnitPicker label=lang.pick("Xã, phường, đặc khu báo cáo", "Communes and wards that report it")
                            kinds=vec![UnitKind::Commune] picked=communes testid="regime-communes"/>
                    </div>
                    <input type="hidden" name="units" prop:value=move || {
                        let mut all = units.get();
                        all.extend(communes.get().into_iter().map(|(code, _)| code));
                        all.join("|")
                    }/>
                </details>
                <label class:hidden=move || periodicity.get() == Periodicity::Weekly>{column_label(lang, "cutoff_day")}
                    {number_select("cutoff_day", days(1..=31), rules.cutoff_day)}
                    <small class="muted">{lang.pick(
                        "Kỳ tháng tính từ ngày sau ngày chốt của tháng trước đến ngày chốt của tháng (Nghị định 09/2019/NĐ-CP: ngày 14).",
                        "A month's report runs from the day after the previous month's cut-off to this month's (the Decree's 14th).",
                    )}</small>
                </label>
                <label>{column_label(lang, "deadline_working_days")}{number_select("deadline_working_days", days(0..=30), rules.deadline_working_days)}</label>
                <label>{column_label(lang, "in_force_from")}
                    <input type="date" name="in_force_from" value=r.in_force_from.map(|d| d.to_string()).unwrap_or_default() data-testid="in_force_from"/>
                    <small class="muted">{lang.pick(
                        "Báo cáo có hạn gửi từ ngày này trở đi mới phải gửi; để trống với chế độ mới là từ hôm nay.",
                        "Reports falling due from this day on are owed; left empty for a new regime, from today.",
                    )}</small>
                </label>
                <fieldset data-testid="indicators">
                    <legend>{column_label(lang, "indicators")}</legend>
                    <p class="muted">{lang.pick(
                        "Chỉ tiêu cùng kỳ với chế độ; mỗi đơn vị báo cáo những chỉ tiêu mà cấp của mình báo cáo. Thứ tự trên biểu mẫu là thứ tự chọn.",
                        "Indicators of the regime's periodicity; each unit reports those its level reports. The form lists them in the order ticked.",
                    )}</p>
                    <div class="checks">{indicator_boxes}</div>
                    <input type="hidden" name="indicators" prop:value=move || indicators.with(|l| l.join("|"))/>
                </fieldset>
                {(!new).then(|| view! {
                    <label>{pick("Trạng thái", "State")}
                        <select name="retire" data-testid="retire">
                            <option value="0" selected=!retired>{pick("Đang áp dụng", "In force")}</option>
                            <option value="1" selected=retired>{pick("Ngừng áp dụng", "Retired")}</option>
                        </select>
                    </label>
                })}
                <div class="actions">
                    <button type="submit" class="primary" data-testid="save">{lang.pick("Lưu", "Save")}</button>
                    <a href="/admin/regimes">{lang.pick("Đóng", "Close")}</a>
                    <SaveAnswer value=save.value()/>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}
