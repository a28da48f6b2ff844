//! `/admin`: accounts, API tokens, wall screens, targets and thresholds, the reporting regime
//! and the audit log, for administrators. The server refuses
//! everyone else (the page then says so); hiding nothing here is a security measure.

use crate::admin::api::{
    AuditLine, CreateDisplay, CreateToken, CreateUser, DisplaySummary, RevokeToken, SetDisabled,
    SetDisplay, SetHoliday, SetThreshold, ThresholdLine, TokenSummary, UserSummary, audit_log,
    list_displays, list_thresholds, list_tokens, list_users, reporting_calendar,
};
use crate::error::AppError;
use crate::model::auth::Role;
use crate::model::reporting::ReportingCalendar;
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
    move || {
        value.get().map(|r| match r {
            Ok(secret) => view! {
                <div class="once" role="status" data-testid="secret">
                    <p>{label.clone()}</p>
                    <code>{secret}</code>
                    <p class="muted">"Chỉ hiển thị một lần: hãy sao chép ngay. (Shown once: copy it now.)"</p>
                </div>
            }
            .into_any(),
            Err(e) => view! { <p class="form-error" role="alert" data-testid="form-error">{e.shown()}</p> }.into_any(),
        })
    }
}

#[component]
pub fn AdminPage() -> impl IntoView {
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
    let displays = Resource::new(
        move || (create_display.version().get(), set_display.version().get()),
        |_| list_displays(),
    );
    let set_holiday = ServerAction::<SetHoliday>::new();
    let calendar = Resource::new(
        move || set_holiday.version().get(),
        |_| reporting_calendar(),
    );
    let set_threshold = ServerAction::<SetThreshold>::new();
    let thresholds = Resource::new(move || set_threshold.version().get(), |_| list_thresholds());
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        (
            q.get("actor").unwrap_or_default(),
            q.get("action").unwrap_or_default(),
        )
    };
    let audit = Resource::new(filter, |(actor, action)| audit_log(actor, action));

    // Set once this lazily loaded page is hydrated: its forms are then handled here rather than
    // posted as plain HTML forms (browser tests wait for it before clicking).
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    view! {
        <Title text="Quản trị"/>
        <div class="page-head" data-testid="admin" data-ready=move || ready.get().to_string()>
            <h1>"Quản trị hệ thống"</h1>
            <p class="en" lang="en">"Administration"</p>
            <nav class="subnav"><a href="/admin/catalogue" data-testid="catalogue-link">"Danh mục chỉ tiêu " <span class="en">"Indicator catalogue"</span></a></nav>
        </div>
        <Suspense fallback=|| view! { <p class="loading">"Đang tải… (loading)"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Err(e) => view! { <p class="panel form-error" role="alert" data-testid="refused">{e.shown()}</p> }.into_any(),
                    Ok(list) => view! { <UsersTable users=list set_disabled/> }.into_any(),
                }
            })}
        </Suspense>
        <section class="panel admin-form">
            <h2>"Tạo tài khoản " <span class="en">"New account"</span></h2>
            <ActionForm action=create_user>
                <label>"Tên đăng nhập " <span class="en">"Username"</span><input name="username" required maxlength="64"/></label>
                <label>"Họ tên " <span class="en">"Display name"</span><input name="display_name" required maxlength="100"/></label>
                <label>"Vai trò " <span class="en">"Role"</span>
                    <select name="role">
                        {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{r.label_vi()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Đơn vị (cán bộ, người phê duyệt) " <span class="en">"Unit"</span><input name="unit" placeholder="01, BTC" maxlength="10"/></label>
                <button type="submit" class="primary">"Tạo tài khoản"</button>
            </ActionForm>
            <Outcome value=create_user.value() label="Mật khẩu ban đầu (initial password):"/>
            {move || set_disabled.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="form-error" role="alert">{e.shown()}</p>
            })}
        </section>

        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                tokens.await.ok().map(|list| view! { <TokensTable tokens=list revoke/> })
            })}
        </Suspense>
        <section class="panel admin-form">
            <h2>"Cấp token API " <span class="en">"New API token"</span></h2>
            <ActionForm action=create_token>
                <label>"Tên hệ thống " <span class="en">"Name"</span><input name="name" required maxlength="100"/></label>
                <label>"Đơn vị được ghi " <span class="en">"Units"</span><input name="units" required placeholder="01, 79"/></label>
                <label>"Số ngày hiệu lực (để trống: không hết hạn) " <span class="en">"Days valid"</span><input name="expires_days" inputmode="numeric"/></label>
                <button type="submit" class="primary">"Cấp token"</button>
            </ActionForm>
            <Outcome value=create_token.value() label="Token (gửi trong Authorization: Bearer …):"/>
        </section>

        <Suspense fallback=|| ()>
            {move || Suspend::new(async move { displays.await.ok().map(|list| view! { <DisplaysTable displays=list set_display/> }) })}
        </Suspense>
        <section class="panel admin-form">
            <h2>"Thêm màn hình " <span class="en">"New wall screen"</span></h2>
            <ActionForm action=create_display>
                <label>"Tên màn hình " <span class="en">"Name"</span><input name="name" required maxlength="100" placeholder="Phòng họp 1"/></label>
                <button type="submit" class="primary">"Thêm màn hình"</button>
            </ActionForm>
            <Outcome value=create_display.value() label="Mở đường dẫn này một lần trên màn hình (open this once on the screen):"/>
        </section>

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
            <h2>"Nhật ký hệ thống " <span class="en">"Audit log"</span></h2>
            <form method="get" action="/admin" class="filters">
                <label>"Người thực hiện " <span class="en">"Actor"</span><input name="actor" prop:value=move || filter().0/></label>
                <label>"Hành động " <span class="en">"Action"</span><input name="action" prop:value=move || filter().1 placeholder="sign_in"/></label>
                <button type="submit">"Lọc"</button>
            </form>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move { audit.await.ok().map(|rows| view! { <AuditTable rows/> }) })}
            </Suspense>
        </section>
    }
}

#[component]
fn UsersTable(users: Vec<UserSummary>, set_disabled: ServerAction<SetDisabled>) -> impl IntoView {
    view! {
        <section class="panel">
            <h2>"Tài khoản " <span class="en">"Accounts"</span> <span class="count">{users.len()}</span></h2>
            <table class="data" data-testid="users">
                <thead><tr><th>"Tên đăng nhập"</th><th>"Họ tên"</th><th>"Vai trò"</th><th>"Trạng thái"</th><th></th></tr></thead>
                <tbody>
                    {users.into_iter().map(|u| {
                        let roles = u.roles.iter().map(|g| match &g.unit {
                            Some(unit) => format!("{} ({unit})", g.role.label_vi()),
                            None => g.role.label_vi().to_string(),
                        }).collect::<Vec<_>>().join(", ");
                        let (state, button, next) = if u.disabled {
                            ("đã khóa", "Mở khóa", "false")
                        } else {
                            ("đang dùng", "Khóa", "true")
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
    view! {
        <section class="panel">
            <h2>"Token API " <span class="en">"API tokens"</span> <span class="count">{tokens.len()}</span></h2>
            <table class="data" data-testid="tokens">
                <thead><tr><th>"Mã"</th><th>"Loại"</th><th>"Tên"</th><th>"Đơn vị"</th><th>"Cấp lúc"</th><th>"Dùng gần nhất"</th><th>"Trạng thái"</th><th></th></tr></thead>
                <tbody>
                    {tokens.into_iter().map(|t| {
                        let state = if t.revoked { "đã thu hồi" } else { "đang hiệu lực" };
                        view! {
                            <tr>
                                <td>{t.id}</td><td>{t.kind}</td><td>{t.name}</td><td>{t.units.join(", ")}</td>
                                <td>{t.created_at}" · "{t.created_by}</td>
                                <td>{t.last_used_at.unwrap_or_else(|| "chưa dùng".into())}</td>
                                <td>{state}</td>
                                <td>{(!t.revoked).then(|| view! {
                                    <ActionForm action=revoke>
                                        <input type="hidden" name="id" value=t.id.to_string()/>
                                        <button type="submit">"Thu hồi"</button>
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
    view! {
        <table class="data" data-testid="audit">
            <thead><tr><th>"Thời điểm (giờ Việt Nam)"</th><th>"Người thực hiện"</th><th>"Vai trò"</th><th>"Đơn vị"</th><th>"Hành động"</th><th>"Đối tượng"</th><th>"Địa chỉ"</th><th>"Thay đổi"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr data-action=r.action.clone()>
                        <td>{r.at}</td><td>{r.actor}</td><td>{r.role}</td><td>{r.unit}</td><td title=r.action_en>{r.action_vi}</td>
                        <td>{r.target}</td><td>{r.address}</td>
                        <td><ul class="changes">{r.changes.into_iter().map(|c| {
                            let arrow = match (c.before.is_empty(), c.after.is_empty()) {
                                (true, _) => c.after,
                                (false, true) => format!("{} → (trống)", c.before),
                                (false, false) => format!("{} → {}", c.before, c.after),
                            };
                            // One text node: an empty one beside another does not survive the
                            // browser's parsing, and hydration would not find it.
                            let line = if c.field_vi.is_empty() { arrow } else { format!("{}: {arrow}", c.field_vi) };
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
    set_display: ServerAction<SetDisplay>,
) -> impl IntoView {
    view! {
        <section class="panel">
            <h2>"Màn hình " <span class="en">"Wall screens"</span> <span class="count">{displays.len()}</span></h2>
            <p class="muted">
                "Bố cục được đẩy ngay tới màn hình, không cần chạm vào. Trang: headlines (chỉ tiêu chính), map (bản đồ), tasks (nhiệm vụ). "
                "Thu hồi token của một màn hình trong bảng token ở trên (loại display). "
                <span class="en" lang="en">"A layout reaches the screen at once. Revoke a screen's token in the token table."</span>
            </p>
            {move || set_display.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="form-error" role="alert" data-testid="display-error">{e.shown()}</p>
            })}
            <table class="data" data-testid="displays">
                <thead><tr><th>"Mã"</th><th>"Tên"</th><th>"Trang"</th><th>"Chỉ tiêu chính"</th><th>"Bản đồ"</th><th>"Giây/trang"</th><th></th><th></th></tr></thead>
                <tbody>
                    {displays.into_iter().map(|d| {
                        let form_id = format!("display-{}", d.id);
                        let pages = d.config.pages.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ");
                        view! {
                            <tr data-display=d.id.to_string()>
                                <td>{d.id}</td>
                                // A signed-in administrator opens the screen here (the token
                                // link is for the screen itself, shown once).
                                <td><a href=format!("/wall/{}", d.id) data-testid="wall-link">{d.name}</a></td>
                                <td><input form=form_id.clone() name="pages" value=pages size="16" aria-label="Trang"/></td>
                                <td><input form=form_id.clone() name="indicators" value=d.config.indicators.join(", ") size="40" aria-label="Chỉ tiêu chính"/></td>
                                <td><input form=form_id.clone() name="map_indicator" value=d.config.map_indicator size="16" aria-label="Chỉ tiêu bản đồ"/></td>
                                <td><input form=form_id.clone() name="rotate_seconds" value=d.config.rotate_seconds.to_string() size="4" inputmode="numeric" aria-label="Giây mỗi trang"/></td>
                                <td>
                                    <ActionForm action=set_display attr:id=form_id>
                                        <input type="hidden" name="id" value=d.id.to_string()/>
                                        <button type="submit">"Lưu bố cục"</button>
                                    </ActionForm>
                                </td>
                                <td><a href=format!("/wall/{}", d.id)>"Xem"</a></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
fn number_text(v: Option<f64>) -> String {
    v.map(|v| v.to_string().replace('.', ","))
        .unwrap_or_default()
}

#[component]
fn ThresholdsTable(
    rows: Vec<ThresholdLine>,
    set_threshold: ServerAction<SetThreshold>,
) -> impl IntoView {
    view! {
        <section class="panel">
            <h2>"Mục tiêu và ngưỡng cảnh báo " <span class="en">"Targets and alert thresholds"</span></h2>
            <p class="muted">
                "Một giá trị vượt ngưỡng (theo chiều xấu của chỉ tiêu) phát cảnh báo trên màn hình trực tiếp; "
                "để trống để bỏ ngưỡng. Áp dụng trong vòng 5 giây. "
                <span class="en" lang="en">"A value past a threshold (in the indicator's bad direction) raises a live alert; leave empty for none. Applied within 5 s."</span>
            </p>
            {move || set_threshold.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="form-error" role="alert" data-testid="threshold-error">{e.shown()}</p>
            })}
            <table class="data" data-testid="thresholds">
                <thead><tr><th>"Chỉ tiêu"</th><th>"Chiều tốt"</th><th>"Mục tiêu"</th><th>"Cảnh báo"</th><th>"Nguy cấp"</th><th></th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let direction = match r.good_direction.as_str() {
                            "up" => "càng cao càng tốt",
                            "down" => "càng thấp càng tốt",
                            _ => "không xác định",
                        };
                        let form_id = format!("threshold-{}", r.indicator);
                        let code = r.indicator.clone();
                        view! {
                            <tr data-indicator=r.indicator.clone()>
                                <td>{r.name_vi}" "<span class="muted">"("{r.measure_vi}")"</span></td>
                                <td>{direction}</td>
                                <td><input form=form_id.clone() name="target" inputmode="decimal" size="8" value=number_text(r.target) aria-label="Mục tiêu"/></td>
                                <td><input form=form_id.clone() name="warning" inputmode="decimal" size="8" value=number_text(r.warning) aria-label="Ngưỡng cảnh báo"/></td>
                                <td><input form=form_id.clone() name="critical" inputmode="decimal" size="8" value=number_text(r.critical) aria-label="Ngưỡng nguy cấp"/></td>
                                <td>
                                    <ActionForm action=set_threshold attr:id=form_id>
                                        <input type="hidden" name="indicator" value=code/>
                                        <button type="submit">"Lưu"</button>
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
                            <button type="submit">"Xóa"</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel admin-form" data-testid="reporting">
            <h2>"Chế độ báo cáo " <span class="en">"Reporting regimes"</span></h2>
            <p class="muted">
                "Mỗi chế độ báo cáo có nội dung, đơn vị báo cáo, kỳ, ngày chốt số liệu và hạn gửi riêng: xem và sửa ở trang "
                <a href="/admin/regimes" data-testid="regimes-link">"Chế độ báo cáo"</a>
                ". Hạn gửi tính theo ngày làm việc, không tính thứ Bảy, Chủ nhật và ngày nghỉ dưới đây. "
                <span class="en" lang="en">"Each regime has its own content, units, periodicity, cut-off and deadline (see the regimes page); deadlines count working days, weekends and the holidays below excluded."</span>
            </p>
            <h3>"Ngày nghỉ lễ, Tết " <span class="en">"Public holidays"</span></h3>
            <p class="muted">"Tết Nguyên đán, Giỗ Tổ Hùng Vương và ngày nghỉ bù theo thông báo hằng năm của Chính phủ. " <span class="en" lang="en">"Lunar holidays and days in lieu as the Government announces them each year."</span></p>
            {move || set_holiday.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="form-error" role="alert" data-testid="holiday-error">{e.shown()}</p>
            })}
            <table class="data" data-testid="holidays">
                <thead><tr><th>"Ngày"</th><th>"Tên"</th><th></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <ActionForm action=set_holiday>
                <label>"Ngày " <span class="en">"Day"</span><input name="day" type="date" required/></label>
                <label>"Tên ngày nghỉ " <span class="en">"Name"</span><input name="name" required maxlength="100" placeholder="Quốc khánh"/></label>
                <button type="submit" class="primary">"Thêm ngày nghỉ"</button>
            </ActionForm>
        </section>
    }
}
