//! `/admin`: accounts, API tokens, wall screens, targets and thresholds, holidays and the audit
//! log, for administrators. The server refuses everyone else (the page then says so); hiding
//! nothing here is a security measure. Every choice is picked from a list by name (units,
//! indicators, wall pages), communes found by typing their name; the lists go to the server
//! functions as codes in hidden fields.

use crate::admin::api::{
    AdminLists, AuditLine, CreateDisplay, CreateToken, CreateUser, DisplaySummary, RevokeToken,
    SetDisabled, SetDisplay, SetHoliday, SetThreshold, ThresholdLine, TokenSummary, UserSummary,
    admin_choices, audit_log, list_displays, list_thresholds, list_tokens, list_users,
    reporting_calendar,
};
use crate::error::AppError;
use crate::model::UnitKind;
use crate::model::auth::Role;
use crate::model::display::WallPageKind;
use crate::model::i18n::{Lang, use_lang};
use crate::model::reporting::ReportingCalendar;
use crate::search::picker::UnitPicker;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::{LazyRoute, lazy_route};

/// The admin page is loaded on demand (its own wasm chunk, split by sitebuild):
/// people who never open it never download it.
pub struct AdminRoute;

#[lazy_route]
impl LazyRoute for AdminRoute {
    fn data() -> Self {
        AdminRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <AdminPage/> }.into_any()
    }
}

/// The answer of the last submission: a secret shown once, or the refusal.
#[component]
fn Outcome(
    #[prop(into)] value: Signal<Option<Result<String, AppError>>>,
    #[prop(into)] label: String,
) -> impl IntoView {
    let lang = use_lang();
    move || {
        value.get().map(|r| match r {
            Ok(secret) => view! {
                <div class="once" role="status" data-testid="secret">
                    <p>{label.clone()}</p>
                    <code>{secret}</code>
                    <p class="muted">{lang.pick("Chỉ hiển thị một lần: hãy sao chép ngay.", "Shown once: copy it now.")}</p>
                </div>
            }
            .into_any(),
            Err(e) => view! { <p class="form-error" role="alert" data-testid="form-error">{e.shown()}</p> }.into_any(),
        })
    }
}

/// How many times an action's answer was a success: what a list reads itself again on.
fn saved_count(succeeded: impl Fn() -> bool + 'static) -> RwSignal<u32> {
    let count = RwSignal::new(0);
    Effect::new(move |_| {
        if succeeded() {
            count.update(|n| *n += 1);
        }
    });
    count
}

/// Ticks of a list, each labelled by its name, kept as the codes ticked in order.
#[component]
fn Ticks(
    #[prop(into)] legend: String,
    items: Vec<(String, String)>,
    picked: RwSignal<Vec<String>>,
    #[prop(into)] testid: String,
) -> impl IntoView {
    let boxes = items
        .into_iter()
        .map(|(code, name)| {
            let (c1, c2) = (code.clone(), code.clone());
            view! {
                <label class="tick">
                    <input type="checkbox" value=code
                        prop:checked=move || picked.with(|p| p.contains(&c1))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            picked.update(|p| {
                                p.retain(|x| *x != c2);
                                if on {
                                    p.push(c2.clone());
                                }
                            });
                        }/>
                    {name}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="ticks" data-testid=testid>
            <legend>{legend}</legend>
            {boxes}
        </fieldset>
    }
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let lang = use_lang();
    let create_user = ServerAction::<CreateUser>::new();
    let create_token = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let set_disabled = ServerAction::<SetDisabled>::new();
    let users = Resource::new(
        move || (create_user.version().get(), set_disabled.version().get()),
        |_| list_users(),
    );
    let tokens = Resource::new(
        move || (create_token.version().get(), revoke.version().get()),
        |_| list_tokens(),
    );
    let create_display = ServerAction::<CreateDisplay>::new();
    let set_display = ServerAction::<SetDisplay>::new();
    // Read again only after a layout or a threshold was stored: a refusal keeps what was
    // ticked and typed, beside its reason.
    let layouts_saved = saved_count(move || matches!(set_display.value().get(), Some(Ok(_))));
    let displays = Resource::new(
        move || (create_display.version().get(), layouts_saved.get()),
        |_| list_displays(),
    );
    let set_holiday = ServerAction::<SetHoliday>::new();
    let calendar = Resource::new(
        move || set_holiday.version().get(),
        |_| reporting_calendar(),
    );
    let set_threshold = ServerAction::<SetThreshold>::new();
    let thresholds_saved = saved_count(move || matches!(set_threshold.value().get(), Some(Ok(_))));
    let thresholds = Resource::new(move || thresholds_saved.get(), |_| list_thresholds());
    let choices = Resource::new(|| (), |_| admin_choices());
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        (
            q.get("actor").unwrap_or_default(),
            q.get("action").unwrap_or_default(),
        )
    };
    let audit = Resource::new(filter, |(actor, action)| audit_log(actor, action));
    let actions = Resource::new(|| (), |_| crate::admin::api::audit_actions());

    // Set once this lazily loaded page is hydrated: its forms are then handled here rather than
    // posted as plain HTML forms (browser tests wait for it before clicking).
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let head = view! {
        <Title text=lang.pick("Quản trị", "Administration")/>
        <div class="page-head" data-testid="admin" data-ready=move || ready.get().to_string()>
            <h1>{lang.pick("Quản trị hệ thống", "Administration")}</h1>
            <nav class="subnav">
                <a href="/admin/catalogue" data-testid="catalogue-link">{lang.pick("Danh mục chỉ tiêu", "Indicator catalogue")}</a>
                " · "
                <a href="/admin/regimes">{lang.pick("Chế độ báo cáo", "Reporting regimes")}</a>
                " · "
                <a href="/admin/units" data-testid="units-link">{lang.pick("Đơn vị hành chính", "Administrative units")}</a>
                " · "
                <a href="/targets" data-testid="targets-link">{lang.pick("Mục tiêu, kế hoạch", "Targets and plans")}</a>
            </nav>
        </div>
    }
    .into_any();
    let accounts = view! {
        <Suspense fallback=move || view! { <p class="loading">{lang.pick("Đang tải…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Err(e) => view! { <p class="panel form-error" role="alert" data-testid="refused">{e.shown()}</p> }.into_any(),
                    Ok(list) => view! { <UsersTable users=list set_disabled/> }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                choices.await.ok().map(|c| view! { <NewAccount choices=c create_user set_disabled/> })
            })}
        </Suspense>
    }
    .into_any();
    let api_tokens = view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                tokens.await.ok().map(|list| view! { <TokensTable tokens=list revoke/> })
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                choices.await.ok().map(|c| view! { <NewToken choices=c create_token/> })
            })}
        </Suspense>
    }
    .into_any();
    let screens = view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let (list, c) = (displays.await, choices.await);
                list.ok().zip(c.ok()).map(|(list, c)| view! { <DisplaysTable displays=list choices=c set_display/> })
            })}
        </Suspense>
        <section class="panel admin-form">
            <h2>{lang.pick("Thêm màn hình", "New wall screen")}</h2>
            <ActionForm action=create_display>
                <label>{lang.pick("Tên màn hình", "Screen name")}<input name="name" required maxlength="100" placeholder=lang.pick("Phòng họp 1", "Meeting room 1")/></label>
                <button type="submit" class="primary">{lang.pick("Thêm màn hình", "Add the screen")}</button>
            </ActionForm>
            <Outcome value=create_display.value() label=lang.pick("Mở đường dẫn này một lần trên màn hình:", "Open this address once on the screen:")/>
        </section>
    }
    .into_any();
    let rest = view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                thresholds.await.ok().map(|rows| view! { <ThresholdsTable rows set_threshold/> })
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                calendar.await.ok().map(|c| view! { <ReportingPanel calendar=c set_holiday/> })
            })}
        </Suspense>
        <section class="panel">
            <h2>{lang.pick("Nhật ký hệ thống", "Audit log")}</h2>
            <form method="get" action="/admin" class="filters">
                <label>{lang.pick("Người thực hiện (tên đăng nhập)", "Actor (username)")}<input name="actor" prop:value=move || filter().0/></label>
                <label>{lang.pick("Hành động", "Action")}
                    <select name="action" data-testid="audit-action">
                        <option value="">{lang.pick("— mọi hành động —", "— every action —")}</option>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                actions.await.unwrap_or_default().into_iter().map(|(code, name)| {
                                    let selected = filter().1 == code;
                                    view! { <option value=code selected=selected>{name}</option> }
                                }).collect_view()
                            })}
                        </Suspense>
                    </select>
                </label>
                <button type="submit">{lang.pick("Lọc", "Filter")}</button>
            </form>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move { audit.await.ok().map(|rows| view! { <AuditTable rows/> }) })}
            </Suspense>
        </section>
    }
    .into_any();
    view! { {head} {accounts} {api_tokens} {screens} {rest} }
}

/// A new account: its unit (for officers and approvers) picked by name.
#[component]
fn NewAccount(
    choices: AdminLists,
    create_user: ServerAction<CreateUser>,
    set_disabled: ServerAction<SetDisabled>,
) -> impl IntoView {
    let lang = use_lang();
    let group = |kind: UnitKind, label: &'static str| {
        let options = choices
            .units
            .iter()
            .filter(|u| u.2 == kind)
            .map(|(code, name, _)| view! { <option value=code.clone()>{name.clone()}</option> })
            .collect_view();
        view! { <optgroup label=label>{options}</optgroup> }
    };
    let ministries = group(
        UnitKind::Ministry,
        lang.pick("Bộ, cơ quan ngang bộ", "Ministries and agencies"),
    );
    let provinces = group(
        UnitKind::Province,
        lang.pick("Tỉnh, thành phố", "Provinces and cities"),
    );
    // A ministry or province from the list, or a commune found by name: picking one clears the
    // other, and the form sends the one picked.
    let listed = RwSignal::new(String::new());
    let commune = RwSignal::new(Vec::<(String, String)>::new());
    Effect::new(move |_| {
        if commune.with(|c| !c.is_empty()) {
            listed.set(String::new());
        }
    });
    view! {
        <section class="panel admin-form">
            <h2>{lang.pick("Tạo tài khoản", "New account")}</h2>
            <ActionForm action=create_user>
                <label>{lang.pick("Tên đăng nhập", "Username")}<input name="username" required maxlength="64"/></label>
                <label>{lang.pick("Họ tên", "Full name")}<input name="display_name" required maxlength="100"/></label>
                <label>{lang.pick("Vai trò", "Role")}
                    <select name="role">
                        {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{r.label(lang)}</option> }).collect_view()}
                    </select>
                </label>
                <label>{lang.pick("Đơn vị (cán bộ báo cáo, người phê duyệt)", "Unit (reporting officers, approvers)")}
                    <select data-testid="account-unit"
                        prop:value=move || listed.get()
                        on:change=move |ev| {
                            listed.set(event_target_value(&ev));
                            commune.set(Vec::new());
                        }>
                        <option value="">{lang.pick("— không —", "— none —")}</option>
                        {ministries}
                        {provinces}
                    </select>
                </label>
                <UnitPicker label=lang.pick("hoặc một xã, phường, đặc khu", "or a commune or ward")
                    kinds=vec![UnitKind::Commune] picked=commune single=true testid="account-commune"/>
                <input type="hidden" name="unit" prop:value=move || {
                    commune.with(|c| c.first().map(|(code, _)| code.clone())).unwrap_or_else(|| listed.get())
                }/>
                <button type="submit" class="primary">{lang.pick("Tạo tài khoản", "Create the account")}</button>
            </ActionForm>
            <Outcome value=create_user.value() label=lang.pick("Mật khẩu ban đầu:", "Initial password:")/>
            {move || set_disabled.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="form-error" role="alert">{e.shown()}</p>
            })}
        </section>
    }
}

/// A new API token: the units it may write, ticked by name.
#[component]
fn NewToken(choices: AdminLists, create_token: ServerAction<CreateToken>) -> impl IntoView {
    let lang = use_lang();
    let picked = RwSignal::new(Vec::<String>::new());
    let communes = RwSignal::new(Vec::<(String, String)>::new());
    let units = choices
        .units
        .iter()
        .map(|(code, name, _)| (code.clone(), name.clone()))
        .collect::<Vec<_>>();
    view! {
        <section class="panel admin-form">
            <h2>{lang.pick("Cấp token API", "New API token")}</h2>
            <ActionForm action=create_token>
                <label>{lang.pick("Tên hệ thống", "System name")}<input name="name" required maxlength="100"/></label>
                <input type="hidden" name="units" prop:value=move || {
                    let mut all = picked.get();
                    all.extend(communes.get().into_iter().map(|(code, _)| code));
                    all.join(",")
                }/>
                <Ticks legend=lang.pick("Đơn vị được ghi số liệu", "Units it may write") items=units picked testid="token-units"/>
                <UnitPicker label=lang.pick("Xã, phường, đặc khu được ghi số liệu", "Communes and wards it may write")
                    kinds=vec![UnitKind::Commune] picked=communes testid="token-communes"/>
                <label>{lang.pick("Số ngày hiệu lực (để trống: không hết hạn)", "Days valid (empty: no expiry)")}<input name="expires_days" inputmode="numeric"/></label>
                <label class="check"><input type="checkbox" name="sets_targets" value="1" data-testid="token-sets-targets"/>
                    {lang.pick("Được đặt mục tiêu, kế hoạch của các đơn vị này (hệ thống kế hoạch của Chính phủ, không phải hệ thống báo cáo của đơn vị)",
                        "May set these units' targets and plans (the Government's planning system, not a unit's reporting system)")}</label>
                <button type="submit" class="primary">{lang.pick("Cấp token", "Issue the token")}</button>
            </ActionForm>
            <Outcome value=create_token.value() label=lang.pick("Token (gửi trong Authorization: Bearer …):", "Token (send it as Authorization: Bearer …):")/>
        </section>
    }
}

#[component]
fn UsersTable(users: Vec<UserSummary>, set_disabled: ServerAction<SetDisabled>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="panel">
            <h2>{lang.pick("Tài khoản", "Accounts")} " " <span class="count">{users.len()}</span></h2>
            <table class="data" data-testid="users">
                <thead><tr>
                    <th>{lang.pick("Tên đăng nhập", "Username")}</th><th>{lang.pick("Họ tên", "Full name")}</th>
                    <th>{lang.pick("Vai trò", "Role")}</th><th>{lang.pick("Trạng thái", "State")}</th><th></th>
                </tr></thead>
                <tbody>
                    {users.into_iter().map(|u| {
                        let roles = u.roles.iter().map(|g| match &g.unit {
                            Some(unit) => format!("{} ({unit})", g.role.label(lang)),
                            None => g.role.label(lang).to_string(),
                        }).collect::<Vec<_>>().join(", ");
                        let (state, button, next) = if u.disabled {
                            (lang.pick("đã khóa", "disabled"), lang.pick("Mở khóa", "Enable"), "false")
                        } else {
                            (lang.pick("đang dùng", "in use"), lang.pick("Khóa", "Disable"), "true")
                        };
                        view! {
                            <tr>
                                <td>{u.username.clone()}</td><td>{u.display_name}</td><td>{roles}</td><td>{state}</td>
                                <td>
                                    <ActionForm action=set_disabled>
                                        <input type="hidden" name="username" value=u.username/>
                                        <input type="hidden" name="disabled" value=next/>
                                        <button type="submit">{button}</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn TokensTable(tokens: Vec<TokenSummary>, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="panel">
            <h2>{lang.pick("Token API", "API tokens")} " " <span class="count">{tokens.len()}</span></h2>
            <table class="data" data-testid="tokens">
                <thead><tr>
                    <th>{lang.pick("Mã", "Id")}</th><th>{lang.pick("Loại", "Kind")}</th><th>{lang.pick("Tên", "Name")}</th>
                    <th>{lang.pick("Đơn vị", "Units")}</th><th>{lang.pick("Cấp lúc", "Issued")}</th>
                    <th>{lang.pick("Dùng gần nhất", "Last used")}</th><th>{lang.pick("Trạng thái", "State")}</th><th></th>
                </tr></thead>
                <tbody>
                    {tokens.into_iter().map(|t| {
                        let state = if t.revoked { lang.pick("đã thu hồi", "revoked") } else { lang.pick("đang hiệu lực", "valid") };
                        view! {
                            <tr>
                                <td>{t.id}</td><td>{t.kind}</td><td>{t.name}</td><td>{t.units.join(", ")}</td>
                                <td>{t.created_at}" · "{t.created_by}</td>
                                <td>{t.last_used_at.unwrap_or_else(|| lang.pick("chưa dùng", "never").into())}</td>
                                <td>{state}</td>
                                <td>{(!t.revoked).then(|| view! {
                                    <ActionForm action=revoke>
                                        <input type="hidden" name="id" value=t.id.to_string()/>
                                        <button type="submit">{lang.pick("Thu hồi", "Revoke")}</button>
                                    </ActionForm>
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn AuditTable(rows: Vec<AuditLine>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="data" data-testid="audit">
            <thead><tr>
                <th>{lang.pick("Thời điểm (giờ Việt Nam)", "Time (Viet Nam)")}</th><th>{lang.pick("Người thực hiện", "Actor")}</th>
                <th>{lang.pick("Vai trò", "Role")}</th><th>{lang.pick("Đơn vị", "Unit")}</th><th>{lang.pick("Hành động", "Action")}</th>
                <th>{lang.pick("Đối tượng", "Target")}</th><th>{lang.pick("Địa chỉ", "Address")}</th><th>{lang.pick("Thay đổi", "Changes")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr data-action=r.action.clone()>
                        <td>{r.at}</td><td>{r.actor}</td><td>{r.role}</td><td>{r.unit}</td><td>{lang.pick(&r.action_vi, &r.action_en).to_string()}</td>
                        <td>{r.target}</td><td>{r.address}</td>
                        <td><ul class="changes">{r.changes.into_iter().map(|c| {
                            let arrow = match (c.before.is_empty(), c.after.is_empty()) {
                                (true, _) => c.after,
                                (false, true) => format!("{} → ({})", c.before, lang.pick("trống", "empty")),
                                (false, false) => format!("{} → {}", c.before, c.after),
                            };
                            // One text node: an empty one beside another does not survive the
                            // browser's parsing, and hydration would not find it.
                            let field = lang.pick(&c.field_vi, &c.field_en);
                            let line = if field.is_empty() { arrow } else { format!("{field}: {arrow}") };
                            view! { <li>{line}</li> }
                        }).collect_view()}</ul></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn DisplaysTable(
    displays: Vec<DisplaySummary>,
    choices: AdminLists,
    set_display: ServerAction<SetDisplay>,
) -> impl IntoView {
    let lang = use_lang();
    let rows = displays
        .into_iter()
        .map(|d| view! { <DisplayRow d choices=choices.clone() set_display/> })
        .collect_view();
    view! {
        <section class="panel">
            <h2>{lang.pick("Màn hình", "Wall screens")} " " <span class="count">{rows.len()}</span></h2>
            <p class="muted">{lang.pick(
                "Bố cục được đẩy ngay tới màn hình, không cần chạm vào. Thu hồi liên kết của một màn hình trong bảng token ở trên (loại display).",
                "A layout reaches the screen at once. Revoke a screen's link in the token table above (kind display).",
            )}</p>
            {move || set_display.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="form-error" role="alert" data-testid="display-error">{e.shown()}</p>
            })}
            <table class="data" data-testid="displays">
                <thead><tr>
                    <th>{lang.pick("Mã", "Id")}</th><th>{lang.pick("Tên", "Name")}</th><th>{lang.pick("Trang", "Pages")}</th>
                    <th>{lang.pick("Chỉ tiêu chính", "Headline indicators")}</th><th>{lang.pick("Bản đồ", "Map")}</th>
                    <th>{lang.pick("Giây/trang", "Seconds a page")}</th><th></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

/// One screen's layout: its pages and headline indicators ticked by name (in the order ticked,
/// the present ones first), the map's indicator picked from those the provinces report.
#[component]
fn DisplayRow(
    d: DisplaySummary,
    choices: AdminLists,
    set_display: ServerAction<SetDisplay>,
) -> impl IntoView {
    let lang = use_lang();
    let form_id = format!("display-{}", d.id);
    let pages = RwSignal::new(
        d.config
            .pages
            .iter()
            .map(|p| p.as_str().to_string())
            .collect::<Vec<_>>(),
    );
    let tiles = RwSignal::new(d.config.indicators.clone());
    let page_items = WallPageKind::ALL
        .into_iter()
        .map(|k| (k.as_str().to_string(), k.label(lang).to_string()))
        .collect::<Vec<_>>();
    // The tiles shown now first, in their order, then the rest by name.
    let mut tile_items: Vec<(String, String)> = d
        .config
        .indicators
        .iter()
        .filter_map(|code| choices.indicators.iter().find(|i| &i.0 == code))
        .map(|i| (i.0.clone(), i.1.clone()))
        .collect();
    tile_items.extend(
        choices
            .indicators
            .iter()
            .filter(|i| !d.config.indicators.contains(&i.0))
            .map(|i| (i.0.clone(), i.1.clone())),
    );
    let map = d.config.map_indicator.clone();
    // A map indicator retired since is kept, and said, rather than silently replaced by the
    // first of the list when the layout is saved for another reason.
    let map_retired = (!choices.indicators.iter().any(|i| i.0 == map)).then(|| map.clone());
    let retired_option = map_retired.clone().map(|code| {
        let text = match lang {
            Lang::Vi => format!("{code} (đã ngừng sử dụng)"),
            Lang::En => format!("{code} (retired)"),
        };
        view! { <option value=code selected=true>{text}</option> }
    });
    let map_options = choices
        .indicators
        .iter()
        .filter(|i| i.2)
        .map(|(code, name, _)| {
            view! { <option value=code.clone() selected=*code == map>{name.clone()}</option> }
        })
        .collect_view();
    let retired_note = map_retired.map(|_| {
        view! {
            <p class="error" role="status" data-testid="map-retired">
                {lang.pick(
                    "Chỉ tiêu bản đồ đã ngừng sử dụng: chọn chỉ tiêu khác.",
                    "The map indicator is retired: choose another.",
                )}
            </p>
        }
    });
    let count = move || tiles.with(Vec::len);
    view! {
        <tr data-display=d.id.to_string()>
            <td>{d.id}</td>
            // A signed-in administrator opens the screen here (the token link is for the
            // screen itself, shown once).
            <td><a href=format!("/wall/{}", d.id) data-testid="wall-link">{d.name}</a></td>
            <td>
                <input type="hidden" form=form_id.clone() name="pages" prop:value=move || pages.with(|p| p.join(","))/>
                <Ticks legend=lang.pick("Trang", "Pages") items=page_items picked=pages testid="display-pages"/>
            </td>
            <td>
                <input type="hidden" form=form_id.clone() name="indicators" prop:value=move || tiles.with(|p| p.join(","))/>
                <details>
                    <summary>{move || match lang {
                        Lang::Vi => format!("{} chỉ tiêu", count()),
                        Lang::En => format!("{} indicators", count()),
                    }}</summary>
                    <Ticks legend=lang.pick("Chỉ tiêu chính, theo thứ tự chọn", "Headline indicators, in the order ticked") items=tile_items picked=tiles testid="display-indicators"/>
                </details>
            </td>
            <td>
                <select form=form_id.clone() name="map_indicator" aria-label=lang.pick("Chỉ tiêu bản đồ", "Map indicator")>
                    {retired_option}
                    {map_options}
                </select>
                {retired_note}
            </td>
            <td><input form=form_id.clone() name="rotate_seconds" value=d.config.rotate_seconds.to_string() size="4" inputmode="numeric" aria-label=lang.pick("Giây mỗi trang", "Seconds a page")/></td>
            <td>
                <ActionForm action=set_display attr:id=form_id>
                    <input type="hidden" name="id" value=d.id.to_string()/>
                    <button type="submit">{lang.pick("Lưu bố cục", "Save the layout")}</button>
                </ActionForm>
            </td>
        </tr>
    }
}

fn number_text(lang: Lang, v: Option<f64>) -> String {
    v.map(|v| {
        lang.plain_number(v, 6)
            .trim_end_matches('0')
            .trim_end_matches([',', '.'])
            .to_string()
    })
    .unwrap_or_default()
}

#[component]
fn ThresholdsTable(
    rows: Vec<ThresholdLine>,
    set_threshold: ServerAction<SetThreshold>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="panel">
            <h2>{lang.pick("Mục tiêu và ngưỡng cảnh báo", "Targets and alert thresholds")}</h2>
            <p class="muted">{lang.pick(
                "Một giá trị vượt ngưỡng (theo chiều xấu của chỉ tiêu) phát cảnh báo trên màn hình trực tiếp; để trống để bỏ ngưỡng. Áp dụng trong vòng 5 giây.",
                "A value past a threshold (in the indicator's bad direction) raises a live alert; leave empty for none. Applied within 5 s.",
            )}</p>
            {move || set_threshold.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="form-error" role="alert" data-testid="threshold-error">{e.shown()}</p>
            })}
            <table class="data" data-testid="thresholds">
                <thead><tr>
                    <th>{lang.pick("Chỉ tiêu", "Indicator")}</th><th>{lang.pick("Chiều tốt", "Good direction")}</th>
                    <th>{lang.pick("Mục tiêu", "Target")}</th><th>{lang.pick("Cảnh báo", "Warning")}</th>
                    <th>{lang.pick("Nguy cấp", "Critical")}</th><th></th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let direction = match r.good_direction.as_str() {
                            "up" => lang.pick("càng cao càng tốt", "higher is better"),
                            "down" => lang.pick("càng thấp càng tốt", "lower is better"),
                            _ => lang.pick("không xác định", "neither"),
                        };
                        let form_id = format!("threshold-{}", r.indicator);
                        let code = r.indicator.clone();
                        let name = lang.pick(&r.name_vi, &r.name_en).to_string();
                        let measure = lang.pick(&r.measure_vi, &r.measure_en).to_string();
                        view! {
                            <tr data-indicator=r.indicator.clone()>
                                <td>{name}" "<span class="muted">"("{measure}")"</span></td>
                                <td>{direction}</td>
                                <td><input form=form_id.clone() name="target" inputmode="decimal" size="8" value=number_text(lang, r.target) aria-label=lang.pick("Mục tiêu", "Target")/></td>
                                <td><input form=form_id.clone() name="warning" inputmode="decimal" size="8" value=number_text(lang, r.warning) aria-label=lang.pick("Ngưỡng cảnh báo", "Warning threshold")/></td>
                                <td><input form=form_id.clone() name="critical" inputmode="decimal" size="8" value=number_text(lang, r.critical) aria-label=lang.pick("Ngưỡng nguy cấp", "Critical threshold")/></td>
                                <td>
                                    <ActionForm action=set_threshold attr:id=form_id>
                                        <input type="hidden" name="indicator" value=code/>
                                        <button type="submit">{lang.pick("Lưu", "Save")}</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// The holidays that no regime's deadline counts (Decree 09/2019/NĐ-CP); each regime's cut-off
/// and deadline are on its own page.
#[component]
fn ReportingPanel(
    calendar: ReportingCalendar,
    set_holiday: ServerAction<SetHoliday>,
) -> impl IntoView {
    let lang = use_lang();
    let rows = calendar
        .holidays
        .into_iter()
        .map(|h| {
            use chrono::Datelike;
            // Written by hand: chrono's strftime would add to the wasm.
            let (y, m, d) = (h.day.year(), h.day.month(), h.day.day());
            let iso = format!("{y}-{m:02}-{d:02}");
            let day = iso.clone();
            view! {
                <tr data-day=iso>
                    <td>{format!("{d:02}/{m:02}/{y}")}</td>
                    <td>{h.name}</td>
                    <td>
                        <ActionForm action=set_holiday>
                            <input type="hidden" name="day" value=day/>
                            <input type="hidden" name="remove" value="1"/>
                            <button type="submit">{lang.pick("Xóa", "Remove")}</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel admin-form" data-testid="reporting">
            <h2>{lang.pick("Chế độ báo cáo", "Reporting regimes")}</h2>
            <p class="muted">
                {lang.pick(
                    "Mỗi chế độ báo cáo có nội dung, đơn vị báo cáo, kỳ, ngày chốt số liệu và hạn gửi riêng: xem và sửa ở trang ",
                    "Each regime has its own content, units, periodicity, cut-off and deadline: see and change them on the page ",
                )}
                <a href="/admin/regimes" data-testid="regimes-link">{lang.pick("Chế độ báo cáo", "Reporting regimes")}</a>
                {lang.pick(
                    ". Hạn gửi tính theo ngày làm việc, không tính thứ Bảy, Chủ nhật và ngày nghỉ dưới đây.",
                    ". Deadlines count working days: weekends and the holidays below are left out.",
                )}
            </p>
            <h3>{lang.pick("Ngày nghỉ lễ, Tết", "Public holidays")}</h3>
            <p class="muted">{lang.pick(
                "Tết Nguyên đán, Giỗ Tổ Hùng Vương và ngày nghỉ bù theo thông báo hằng năm của Chính phủ.",
                "Lunar New Year, the Hùng Kings' day and days in lieu, as the Government announces them each year.",
            )}</p>
            {move || set_holiday.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="form-error" role="alert" data-testid="holiday-error">{e.shown()}</p>
            })}
            <table class="data" data-testid="holidays">
                <thead><tr><th>{lang.pick("Ngày", "Day")}</th><th>{lang.pick("Tên", "Name")}</th><th></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <ActionForm action=set_holiday>
                <label>{lang.pick("Ngày", "Day")}<input name="day" type="date" required/></label>
                <label>{lang.pick("Tên ngày nghỉ", "Name of the holiday")}<input name="name" required maxlength="100" placeholder=lang.pick("Quốc khánh", "National Day")/></label>
                <button type="submit" class="primary">{lang.pick("Thêm ngày nghỉ", "Add the holiday")}</button>
            </ActionForm>
        </section>
    }
}
