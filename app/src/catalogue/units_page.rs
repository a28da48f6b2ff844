//! `/admin/units`: the administrative units over time, for administrators: recording a merger
//! ahead of its day (ministries, or communes within a province, merged into one unit in force
//! or a new one), the reorganisations recorded, and the units file for a whole reorganisation
//! (provinces with their communes, splits). The server refuses everyone else.

use crate::catalogue::api::Saved;
use crate::catalogue::page::{Import, SaveAnswer, column_label};
use crate::catalogue::units_api::{UnitsMerge, UnitsView, units_admin};
use crate::model::UnitKind;
use crate::model::i18n::use_lang;
use crate::search::picker::UnitPicker;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{LazyRoute, lazy_route};

/// Loaded on demand: only administrators open it.
pub struct UnitsRoute;

#[lazy_route]
impl LazyRoute for UnitsRoute {
    fn data() -> Self {
        UnitsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <UnitsPage/> }.into_any()
    }
}

#[component]
pub fn UnitsPage() -> impl IntoView {
    let lang = use_lang();
    let merge = ServerAction::<UnitsMerge>::new();
    let import = Action::new(|text: &String| {
        let text = text.clone();
        async move { crate::catalogue::api::catalogue_import(text).await }
    });
    let saved = move || {
        merge
            .value()
            .with(|v| matches!(v, Some(Ok(Saved::Done { .. }))))
            .then(|| merge.version().get())
    };
    let data = Resource::new(move || (saved(), import.version().get()), |_| units_admin());
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    view! {
        <Title text=lang.pick("Đơn vị hành chính", "Administrative units")/>
        <div class="page-head" data-testid="units-admin" data-ready=move || ready.get().to_string()>
            <p class="crumbs"><a href="/admin">{lang.pick("Quản trị", "Administration")}</a></p>
            <h1>{lang.pick("Đơn vị hành chính", "Administrative units")}</h1>
            <p class="en">{lang.pick(
                "Sắp xếp đơn vị được ghi trước ngày có hiệu lực: từ ngày đó báo cáo, biểu mẫu và màn hình dùng đơn vị mới; số liệu đã ghi trước ngày đó giữ nguyên dưới đơn vị cũ.",
                "A reorganisation is recorded ahead of its day: from that day reports, forms and screens use the new units; what was recorded before stays under the former units.",
            )}</p>
        </div>
        <Suspense fallback=move || view! { <p class="loading">{lang.pick("Đang tải…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="panel form-error" role="alert" data-testid="refused">{e.shown()}</p> }.into_any(),
                    Ok(admin) => view! { <Merge admin=admin.clone() merge/> <List admin/> }.into_any(),
                }
            })}
        </Suspense>
        <Import import/>
    }
}

#[component]
fn Merge(admin: UnitsView, merge: ServerAction<UnitsMerge>) -> impl IntoView {
    let lang = use_lang();
    let former = RwSignal::new(Vec::<(String, String)>::new());
    let existing = RwSignal::new(Vec::<(String, String)>::new());
    let new_code = RwSignal::new(String::new());
    let kinds = vec![UnitKind::Ministry, UnitKind::Province, UnitKind::Commune];
    let tomorrow = admin.today.succ_opt().unwrap_or(admin.today).to_string();
    view! {
        <section class="panel admin-form" data-testid="merge">
            <h2>{lang.pick("Ghi một lần sáp nhập", "Record a merger")}</h2>
            <p class="muted">{lang.pick(
                "Các đơn vị được chọn kết thúc từ ngày có hiệu lực và do đơn vị kế thừa tiếp nhận: một đơn vị đang có, hoặc một đơn vị mới bắt đầu từ ngày đó. Sắp xếp cấp tỉnh (cùng các xã của tỉnh) và chia tách ghi bằng tệp đơn vị bên dưới.",
                "The units picked end on the day it takes effect and their successor takes over: a unit in force, or a new one starting that day. A reorganisation of provinces (with their communes) and splits are recorded with the units file below.",
            )}</p>
            <ActionForm action=merge>
                <UnitPicker label=lang.pick("Đơn vị được sáp nhập", "Units merged") kinds=kinds.clone() picked=former testid="merge-former"/>
                <input type="hidden" name="former" prop:value=move || former.with(|l| l.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>().join("|"))/>
                <UnitPicker label=lang.pick("Đơn vị kế thừa đang có", "Successor in force") kinds picked=existing single=true testid="merge-successor"/>
                <fieldset class:hidden=move || existing.with(|l| !l.is_empty()) data-testid="merge-new">
                    <legend>{lang.pick("…hoặc đơn vị mới", "…or a new unit")}</legend>
                    <label>{column_label(lang, "code")}
                        <input maxlength="10" placeholder="00123" data-testid="new-code"
                            on:input=move |ev| new_code.set(event_target_value(&ev))/>
                    </label>
                    <label>{column_label(lang, "name_vi")}<input name="name_vi" maxlength="200" placeholder="Phường Hồng Hà" data-testid="new-name_vi"/></label>
                    <label>{column_label(lang, "name_en")}<input name="name_en" maxlength="200" data-testid="new-name_en"/></label>
                    <label>{column_label(lang, "parent")}
                        <select name="parent" data-testid="new-parent">
                            <option value="">{lang.pick("Như các đơn vị được sáp nhập", "As the units merged")}</option>
                            {admin.provinces.into_iter().map(|(code, name)| view! { <option value=code>{name}</option> }).collect_view()}
                        </select>
                    </label>
                </fieldset>
                <input type="hidden" name="successor" prop:value=move || {
                    existing.with(|l| l.first().map(|(c, _)| c.clone())).unwrap_or_else(|| new_code.get().trim().to_string())
                }/>
                <label>{lang.pick("Có hiệu lực từ ngày", "Takes effect on")}
                    <input type="date" name="effective" min=tomorrow required data-testid="effective"/>
                </label>
                <div class="actions">
                    <button type="submit" class="primary" data-testid="save">{lang.pick("Ghi sáp nhập", "Record the merger")}</button>
                    <SaveAnswer value=merge.value()/>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn List(admin: UnitsView) -> impl IntoView {
    let lang = use_lang();
    let today = admin.today;
    let rows = admin
        .reorganised
        .into_iter()
        .map(|r| {
            let state = match (r.started, r.ended) {
                (_, Some(e)) if e <= today => format!(
                    "{} {}",
                    lang.pick("Đã kết thúc từ", "Ended on"),
                    lang.date(e)
                ),
                (_, Some(e)) => format!("{} {}", lang.pick("Kết thúc từ", "Ends on"), lang.date(e)),
                (Some(s), None) if s <= today => {
                    format!("{} {}", lang.pick("Bắt đầu từ", "Started on"), lang.date(s))
                }
                (Some(s), None) => format!(
                    "{} {}",
                    lang.pick("Sẽ bắt đầu từ", "Starts on"),
                    lang.date(s)
                ),
                (None, None) => String::new(),
            };
            let successors = r
                .successors
                .iter()
                .map(
                    |(code, name)| view! { <a href=format!("/units/{code}")>{name.clone()}</a>" " },
                )
                .collect_view();
            let name = match &r.within {
                Some(p) => format!("{} ({p})", r.name),
                None => r.name.clone(),
            };
            view! {
                <tr data-code=r.code.clone()>
                    <td><a href=format!("/units/{}?history", r.code)>{r.code.clone()}</a></td>
                    <td>{name}</td>
                    <td>{lang.pick(r.kind.label_vi(), r.kind.label_en())}</td>
                    <td data-testid="state">{state}</td>
                    <td>{successors}</td>
                </tr>
            }
        })
        .collect_view();
    let former = match lang {
        crate::model::i18n::Lang::Vi => format!(
            "Sắp xếp năm 2025 (Nghị quyết 202/2025/QH15): {} tỉnh, thành phố trước đây dẫn tới đơn vị kế thừa khi tìm theo tên hoặc mã cũ.",
            admin.former_2025
        ),
        crate::model::i18n::Lang::En => format!(
            "The 2025 reorganisation (Resolution 202/2025/QH15): {} former provinces lead to their successors by their names or codes.",
            admin.former_2025
        ),
    };
    view! {
        <section class="panel">
            <h2>{lang.pick("Sắp xếp đã ghi", "Reorganisations recorded")}</h2>
            <p class="muted">{former}</p>
            <p><a href="/api/v1/catalogue/units.csv" download="don-vi.csv">{lang.pick("Tải tệp đơn vị (CSV)", "Download the units file (CSV)")}</a></p>
            <table class="data" data-testid="reorganised">
                <thead><tr>
                    <th>{lang.pick("Mã", "Code")}</th><th>{lang.pick("Tên", "Name")}</th><th>{lang.pick("Cấp", "Kind")}</th>
                    <th>{lang.pick("Hiệu lực", "In force")}</th><th>{lang.pick("Đơn vị kế thừa", "Successors")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
