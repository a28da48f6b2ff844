//! `/admin/catalogue`: the indicator catalogue for administrators: the list by field with a
//! filter, one indicator's form (every choice picked from a list), retiring and restoring, and
//! importing or exporting the catalogue file. The server refuses everyone else.

use crate::catalogue::Problem;
use crate::catalogue::api::{
    CatalogueRetire, CatalogueSave, CatalogueView, Saved, catalogue_admin, catalogue_import,
};
use crate::error::AppError;
use crate::model::i18n::{Lang, use_lang};
use crate::model::{
    ChangeKind, Field, GoodDirection, Indicator, NationalFigure, Periodicity, Rollup, UnitKind,
};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::{LazyRoute, lazy_route};

/// Loaded on demand: only administrators open it.
pub struct CatalogueRoute;

#[lazy_route]
impl LazyRoute for CatalogueRoute {
    fn data() -> Self {
        CatalogueRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <CataloguePage/> }.into_any()
    }
}

/// A column of the catalogue file as the form calls it.
pub(crate) fn column_label(lang: Lang, column: &str) -> &'static str {
    crate::catalogue::column_label(column).map_or("", |(vi, en)| lang.pick(vi, en))
}

/// The answer to a save, next to the button that sent it.
#[component]
pub(crate) fn SaveAnswer(
    #[prop(into)] value: Signal<Option<Result<Saved, AppError>>>,
) -> impl IntoView {
    let lang = use_lang();
    move || {
        value.get().map(|r| match r {
            Ok(Saved::Done { created, changed }) => {
                let text = if created.is_empty() && changed.is_empty() {
                    lang.pick("Không có gì thay đổi.", "Nothing changed.").to_string()
                } else {
                    let codes = created.iter().chain(&changed).cloned().collect::<Vec<_>>().join(", ");
                    match lang {
                        Lang::Vi => format!("Đã lưu: {codes}. Các màn hình đang mở cập nhật ngay."),
                        Lang::En => format!("Saved: {codes}. Open screens update at once."),
                    }
                };
                view! { <p class="form-ok" role="status" data-testid="saved">{text}</p> }.into_any()
            }
            Ok(Saved::Refused(problems)) => view! { <Problems problems/> }.into_any(),
            Err(e) => view! { <p class="form-error" role="alert" data-testid="form-error">{e.shown()}</p> }.into_any(),
        })
    }
}

#[component]
fn Problems(problems: Vec<Problem>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="form-error" role="alert" data-testid="problems">
            <p>{lang.pick("Chưa lưu được, không có gì thay đổi:", "Not saved; nothing changed:")}</p>
            <ul>
                {problems.into_iter().map(|p| {
                    let place = match (p.line, column_label(lang, &p.column)) {
                        (0, "") => String::new(),
                        (0, c) => format!("{c}: "),
                        (l, "") => format!("{} {l}: ", lang.pick("Dòng", "Line")),
                        (l, c) => format!("{} {l}, {c}: ", lang.pick("Dòng", "Line")),
                    };
                    // One text node (an empty one beside another would not hydrate).
                    view! { <li data-column=p.column.clone()>{format!("{place}{}", p.message)}</li> }
                }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
pub fn CataloguePage() -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<CatalogueSave>::new();
    let retire = ServerAction::<CatalogueRetire>::new();
    let import = Action::new(|text: &String| {
        let text = text.clone();
        async move { catalogue_import(text).await }
    });
    let query = use_query_map();
    let param = move |name: &str| query.with(|q| q.get(name).unwrap_or_default());
    let data = Resource::new(
        move || {
            (
                (param("field"), param("q"), param("retired"), param("edit")),
                save.version().get(),
                retire.version().get(),
                import.version().get(),
            )
        },
        |((field, q, retired, edit), ..)| catalogue_admin(field, q, retired, edit),
    );
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    view! {
        <Title text=lang.pick("Danh mục chỉ tiêu", "Indicator catalogue")/>
        <div class="page-head" data-testid="catalogue-admin" data-ready=move || ready.get().to_string()>
            <p class="crumbs"><a href="/admin">{lang.pick("Quản trị", "Administration")}</a></p>
            <h1>{lang.pick("Danh mục chỉ tiêu", "Indicator catalogue")}</h1>
            <p class="en" lang=lang.pick("en", "vi")>{lang.pick("Indicator catalogue", "Danh mục chỉ tiêu")}</p>
        </div>
        <Suspense fallback=move || view! { <p class="loading">{lang.pick("Đang tải…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="panel form-error" role="alert" data-testid="refused">{e.shown()}</p> }.into_any(),
                    Ok(admin) => {
                        let edit = param("edit");
                        let editor = (!edit.is_empty()).then(|| {
                            match admin.editing.clone() {
                                Some((i, has_values)) => view! { <Editor indicator=i has_values new=false admin=admin.clone() save retire/> }.into_any(),
                                None if edit == "new" => view! { <Editor indicator=Indicator::default() has_values=false new=true admin=admin.clone() save retire/> }.into_any(),
                                None => view! { <p class="panel form-error" role="alert">{lang.pick("Không có chỉ tiêu này.", "No such indicator.")}</p> }.into_any(),
                            }
                        });
                        view! {
                            {editor}
                            <List admin field=param("field") q=param("q") retired=!param("retired").is_empty()/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
        <Import import/>
    }
}

#[component]
fn List(admin: CatalogueView, field: String, q: String, retired: bool) -> impl IntoView {
    let lang = use_lang();
    let wanted = Field::parse(&field);
    let owners = admin.ministries.clone();
    let owner_name = move |code: &str| {
        owners
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| code.to_string())
    };
    let shown = admin.shown;
    let (count, total) = (shown.len(), admin.total);
    let groups = Field::ALL
        .into_iter()
        .filter_map(|f| {
            let rows: Vec<Indicator> = shown.iter().filter(|i| i.field == f).cloned().collect();
            (!rows.is_empty()).then_some((f, rows))
        })
        .map(|(f, rows)| {
            let owner_name = owner_name.clone();
            view! {
                <tbody data-field=f.as_str()>
                    <tr class="group"><th colspan="6">{lang.pick(f.label_vi(), f.label_en())}" ("{rows.len()}")"</th></tr>
                    {rows.into_iter().map(|i| {
                        let state = match i.retired_at {
                            None => lang.pick("Đang dùng", "In use").to_string(),
                            Some(t) => format!("{} {}", lang.pick("Ngừng dùng từ", "Retired on"), crate::model::i18n::Lang::Vi.date(crate::model::vietnam_time(t).date())),
                        };
                        let href = format!("/admin/catalogue?edit={}", i.code);
                        view! {
                            <tr data-code=i.code.clone() class:retired=i.retired_at.is_some()>
                                <td><a href=href data-testid="edit-link">{i.code.clone()}</a></td>
                                <td>{lang.pick(&i.name_vi, &i.name_en).to_string()}{i.formula.as_ref().map(|_| view! { <span class="tag">{lang.pick("tính theo công thức", "derived")}</span> })}</td>
                                <td>{lang.pick(&i.measure_vi, &i.measure).to_string()}</td>
                                <td>{lang.pick(i.periodicity.label_vi(), i.periodicity.label_en())}</td>
                                <td>{owner_name(&i.owner)}</td>
                                <td>{state}</td>
                            </tr>
                        }
                        .into_any()
                    }).collect_view()}
                </tbody>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <section class="panel">
            <form method="get" action="/admin/catalogue" class="filters">
                <label>{lang.pick("Lĩnh vực", "Field")}
                    <select name="field">
                        <option value="">{lang.pick("Tất cả", "All")}</option>
                        {Field::ALL.into_iter().map(|f| view! { <option value=f.as_str() selected=wanted == Some(f)>{lang.pick(f.label_vi(), f.label_en())}</option> }).collect_view()}
                    </select>
                </label>
                <label>{lang.pick("Tìm theo tên hoặc mã", "Name or code")}<input name="q" value=q.clone() maxlength="80"/></label>
                <label class="check"><input type="checkbox" name="retired" value="1" checked=retired/>{lang.pick("Cả chỉ tiêu ngừng dùng", "Include retired")}</label>
                <button type="submit">{lang.pick("Lọc", "Filter")}</button>
            </form>
            <p>
                <a class="button primary" href="/admin/catalogue?edit=new" data-testid="new-indicator">{lang.pick("Thêm chỉ tiêu", "New indicator")}</a>
                " "<a href="/api/v1/catalogue/indicators.csv" download="danh-muc-chi-tieu.csv">{lang.pick("Tải tệp danh mục (CSV)", "Download the catalogue file (CSV)")}</a>
            </p>
            <p class="muted" data-testid="count">{match lang {
                Lang::Vi => format!("{count} trong {total} chỉ tiêu"),
                Lang::En => format!("{count} of {total} indicators"),
            }}</p>
            <table class="catalogue" data-testid="catalogue-list">
                <thead><tr>
                    <th>{lang.pick("Mã", "Code")}</th><th>{lang.pick("Tên", "Name")}</th><th>{lang.pick("Đơn vị tính", "Measure")}</th>
                    <th>{lang.pick("Kỳ", "Period")}</th><th>{lang.pick("Cơ quan chủ trì", "Owner")}</th><th>{lang.pick("Trạng thái", "State")}</th>
                </tr></thead>
                {groups}
            </table>
        </section>
    }
    .into_any()
}

/// A `<select>` of `options` (value, label), `current` chosen.
fn select(
    name: &'static str,
    options: Vec<(String, String)>,
    current: String,
    disabled: bool,
) -> impl IntoView {
    view! {
        <select name=name disabled=disabled>
            {options.into_iter().map(|(v, l)| {
                let selected = v == current;
                view! { <option value=v selected=selected>{l}</option> }
            }).collect_view()}
        </select>
    }
}

fn number_text(lang: Lang, v: Option<f64>) -> String {
    v.map(|v| lang.number(v, crate::model::format::decimals_needed(v)))
        .unwrap_or_default()
}

#[component]
fn Editor(
    indicator: Indicator,
    has_values: bool,
    new: bool,
    admin: CatalogueView,
    save: ServerAction<CatalogueSave>,
    retire: ServerAction<CatalogueRetire>,
) -> impl IntoView {
    let lang = use_lang();
    let i = indicator;
    let pick = move |vi: &str, en: &str| lang.pick(vi, en).to_string();
    let fields = Field::ALL
        .iter()
        .map(|f| (f.as_str().to_string(), pick(f.label_vi(), f.label_en())))
        .collect();
    let periodicities = Periodicity::ALL
        .iter()
        .map(|p| (p.as_str().to_string(), pick(p.label_vi(), p.label_en())))
        .collect();
    let rollups = Rollup::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), pick(r.label_vi(), r.label_en())))
        .collect();
    let nationals = NationalFigure::ALL
        .iter()
        .map(|n| (n.as_str().to_string(), pick(n.label_vi(), n.label_en())))
        .collect();
    let directions = GoodDirection::ALL
        .iter()
        .map(|d| (d.as_str().to_string(), pick(d.label_vi(), d.label_en())))
        .collect();
    let standings = crate::model::target::StandingBy::ALL
        .iter()
        .map(|b| (b.as_str().to_string(), pick(b.label_vi(), b.label_en())))
        .collect();
    let changes = ChangeKind::ALL
        .iter()
        .map(|c| (c.as_str().to_string(), pick(c.label_vi(), c.label_en())))
        .collect();
    let mut owners: Vec<(String, String)> = admin.ministries.clone();
    if new {
        owners.insert(0, (String::new(), pick("— chọn —", "— choose —")));
    }
    let inputs: Vec<(String, String)> = admin
        .in_use
        .iter()
        .filter(|(c, _, _)| *c != i.code)
        .map(|(c, vi, en)| (c.clone(), lang.pick(vi, en).to_string()))
        .collect();
    let fixed_note = has_values.then(|| view! {
        <p class="muted">{lang.pick(
            "Chỉ tiêu đã có số liệu: kỳ báo cáo và cách tổng hợp không đổi được (hãy ngừng dùng và tạo chỉ tiêu mới).",
            "This indicator has values: its periodicity and rollup are fixed (retire it and create a new one instead).",
        )}</p>
    });
    let title = if new {
        pick("Thêm chỉ tiêu", "New indicator")
    } else {
        format!("{} {}", pick("Sửa chỉ tiêu", "Edit indicator"), i.code)
    };
    let retire_form = (!new).then(|| {
        let active = i.is_active();
        let code = i.code.clone();
        view! {
            <ActionForm action=retire>
                <input type="hidden" name="code" value=code/>
                <input type="hidden" name="retire" value=if active { "1" } else { "0" }/>
                <button type="submit" data-testid="retire">{if active {
                    pick("Ngừng dùng chỉ tiêu này", "Retire this indicator")
                } else {
                    pick("Dùng lại chỉ tiêu này", "Put back in use")
                }}</button>
                <SaveAnswer value=retire.value()/>
            </ActionForm>
        }
    });
    let code_input = if new {
        view! { <input name="code" required maxlength="40" pattern="[A-Z][A-Z0-9_]{1,39}" placeholder="SEAFOOD_EXPORT" data-testid="code"/> }.into_any()
    } else {
        view! { <input name="code" value=i.code.clone() readonly/> }.into_any()
    };
    view! {
        <section class="panel admin-form" data-testid="indicator-editor">
            <h2>{title}</h2>
            {fixed_note}
            <ActionForm action=save>
                <input type="hidden" name="new" value=if new { "1" } else { "" }/>
                <label>{column_label(lang, "code")}{code_input}</label>
                <label>{column_label(lang, "name_vi")}<input name="name_vi" value=i.name_vi.clone() required maxlength="300" data-testid="name_vi"/></label>
                <label>{column_label(lang, "name_en")}<input name="name_en" value=i.name_en.clone() required maxlength="300" data-testid="name_en"/></label>
                <label>{column_label(lang, "field")}{select("field", fields, i.field.as_str().into(), false)}</label>
                <label>{column_label(lang, "measure_vi")}<input name="measure_vi" value=i.measure_vi.clone() required maxlength="60" placeholder="triệu USD"/></label>
                <label>{column_label(lang, "measure")}<input name="measure" value=i.measure.clone() required maxlength="60" placeholder="million USD"/></label>
                <label>{column_label(lang, "periodicity")}{select("periodicity", periodicities, i.periodicity.as_str().into(), has_values)}</label>
                {has_values.then(|| view! { <input type="hidden" name="periodicity" value=i.periodicity.as_str()/> })}
                <label>{column_label(lang, "rollup")}{select("rollup", rollups, i.rollup.as_str().into(), has_values)}</label>
                {has_values.then(|| view! { <input type="hidden" name="rollup" value=i.rollup.as_str()/> })}
                <label>{column_label(lang, "national")}{select("national", nationals, i.national.as_str().into(), false)}
                    <small class="muted">{lang.pick(
                        "Khi chỉ tiêu được cộng tổng: số toàn quốc là tổng các tỉnh, bộ (tính tự động) hay số của cơ quan chủ trì (hiện kèm chênh lệch).",
                        "With a sum: the national figure is the sum of provinces and ministries (computed) or its owner's (shown with the difference).",
                    )}</small></label>
                <label>{column_label(lang, "good_direction")}{select("good_direction", directions, i.good_direction.as_str().into(), false)}</label>
                <label>{column_label(lang, "change")}{select("change", changes, i.change.as_str().into(), false)}</label>
                <label>{column_label(lang, "owner")}{select("owner", owners, i.owner.clone(), false)}</label>
                <fieldset>
                    <legend>{column_label(lang, "reported_by")}</legend>
                    {UnitKind::ALL.into_iter().map(|k| {
                        let name = match k {
                            UnitKind::National => "by_national",
                            UnitKind::Ministry => "by_ministry",
                            UnitKind::Province => "by_province",
                            UnitKind::Commune => "by_commune",
                        };
                        view! { <label class="check"><input type="checkbox" name=name value="1" checked=i.reported_by.contains(&k)/>{lang.pick(k.label_vi(), k.label_en())}</label> }
                    }).collect_view()}
                </fieldset>
                <label>{column_label(lang, "decimals")}{select("decimals", (0..=6).map(|d| (d.to_string(), d.to_string())).collect(), i.decimals.to_string(), false)}</label>
                <label>{column_label(lang, "target")}<input name="target" value=number_text(lang, i.target) inputmode="decimal"/></label>
                <label class="check"><input type="checkbox" name="year_total" value="yes" checked=i.year_total/>{column_label(lang, "year_total")}</label>
                <label>{column_label(lang, "standing_by")}{select("standing_by", standings, i.standing_by.as_str().into(), false)}</label>
                <label>{column_label(lang, "at_risk_within")}<input name="at_risk_within" value=number_text(lang, i.at_risk_within) inputmode="decimal" placeholder="5"/></label>
                <label>{column_label(lang, "consistency_within")}<input name="consistency_within" value=number_text(lang, i.consistency_within) inputmode="decimal"/></label>
                <label>{column_label(lang, "checked_against")}<input name="checked_against" value=i.checked_against.clone().unwrap_or_default() maxlength="40" list="indicator-codes" placeholder="GDP_GROWTH"/></label>
                <label>{column_label(lang, "weight")}<input name="weight" value=i.weight.clone().unwrap_or_default() maxlength="40" list="indicator-codes" placeholder="DOSSIERS_RECEIVED"/></label>
                <label>{column_label(lang, "valid_min")}<input name="valid_min" value=number_text(lang, i.valid_min) inputmode="decimal"/></label>
                <label>{column_label(lang, "valid_max")}<input name="valid_max" value=number_text(lang, i.valid_max) inputmode="decimal"/></label>
                <label>{column_label(lang, "formula")}
                    <input name="formula" value=i.formula.as_ref().map(|f| f.as_str().to_string()).unwrap_or_default() maxlength="200" list="indicator-codes" placeholder="EXPORT_VALUE - IMPORT_VALUE"/>
                </label>
                <datalist id="indicator-codes">
                    {inputs.into_iter().map(|(c, n)| view! { <option value=c>{n}</option> }).collect_view()}
                </datalist>
                <p class="muted">{lang.pick(
                    "Công thức để trống nếu chỉ tiêu được báo cáo trực tiếp; nếu có, dùng mã các chỉ tiêu cùng kỳ với + − × ÷ và ngoặc, ví dụ EXPORT_VALUE - IMPORT_VALUE.",
                    "Leave the formula empty for a reported indicator; otherwise use codes of indicators of the same periodicity with + - * / and brackets.",
                )}</p>
                <div class="actions">
                    <button type="submit" class="primary" data-testid="save">{lang.pick("Lưu", "Save")}</button>
                    <a href="/admin/catalogue">{lang.pick("Đóng", "Close")}</a>
                    <SaveAnswer value=save.value()/>
                </div>
            </ActionForm>
            {retire_form}
        </section>
    }
    .into_any()
}

/// Import: the file is read in the browser and checked whole on the server.
#[component]
pub(crate) fn Import(import: Action<String, Result<Saved, AppError>>) -> impl IntoView {
    let lang = use_lang();
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use crate::shell::chosen_file::{chosen_file, text_of};
            let Some(file) = chosen_file(&ev) else { return };
            leptos::task::spawn_local(async move {
                if let Some(text) = text_of(&file).await {
                    import.dispatch(text);
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (ev, import);
        }
    };
    view! {
        <section class="panel admin-form" data-testid="catalogue-import">
            <h2>{lang.pick("Nhập tệp danh mục", "Import a catalogue file")}</h2>
            <p class="muted">{lang.pick(
                "Tệp CSV cùng dạng với tệp tải về; cột nào vắng thì giữ nguyên. Cả tệp được kiểm tra trước: có lỗi thì không thay đổi gì.",
                "A CSV file like the one downloaded; a column left out is kept. The whole file is checked first: with any problem, nothing changes.",
            )}</p>
            <input type="file" accept=".csv,text/csv" data-testid="catalogue-file" on:change=on_file/>
            <SaveAnswer value=import.value()/>
        </section>
    }
}
