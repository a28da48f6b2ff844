//! `/account`: the signed-in person changes their password, and says where and how the
//! centre's notifications reach them by e-mail.

use crate::account::api::ChangePassword;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{LazyRoute, lazy_route};

/// Loaded on demand, like the admin page.
pub struct AccountRoute;

#[lazy_route]
impl LazyRoute for AccountRoute {
    fn data() -> Self {
        AccountRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <AccountPage/> }.into_any()
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let outcome = move || {
        change.value().get().map(|r| match r {
            Ok(()) => view! {
                <p class="once" role="status" data-testid="password-changed">
                    "Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc. (Password changed; other sessions ended.)"
                </p>
            }
            .into_any(),
            Err(e) => view! { <p class="form-error" role="alert" data-testid="form-error">{e.shown()}</p> }.into_any(),
        })
    };
    view! {
        <Title text="Tài khoản"/>
        <section class="panel login-panel">
            <h1>"Đổi mật khẩu"</h1>
            <p class="en" lang="en">"Change password"</p>
            {outcome}
            <ActionForm action=change attr:class="login-form">
                <label>"Mật khẩu hiện tại " <span class="en">"Current"</span>
                    <input name="current" type="password" autocomplete="current-password" required maxlength="256"/></label>
                <label>"Mật khẩu mới (ít nhất 10 ký tự) " <span class="en">"New"</span>
                    <input name="new" type="password" autocomplete="new-password" required minlength="10" maxlength="256"/></label>
                <label>"Nhập lại mật khẩu mới " <span class="en">"Confirm"</span>
                    <input name="confirm" type="password" autocomplete="new-password" required minlength="10" maxlength="256"/></label>
                <button type="submit" class="primary">"Đổi mật khẩu"</button>
            </ActionForm>
        </section>
        <MailSettingsForm/>
        <FollowedFigures/>
    }
}

/// The figures the person follows, each a link to its page and a button to stop following.
#[component]
fn FollowedFigures() -> impl IntoView {
    use crate::notify::follow::{FollowFigure, followed};
    let lang = crate::model::i18n::use_lang();
    let stop = ServerAction::<FollowFigure>::new();
    let list = Resource::new(move || stop.version().get(), |_| followed());
    view! {
        <section class="panel login-panel" id="following" data-testid="following">
            <h2>{lang.pick("Số liệu đang theo dõi", "Figures you follow")}</h2>
            <p class="muted">{lang.pick(
                "Bạn được thông báo khi một số liệu đang theo dõi vượt ngưỡng cảnh báo hoặc bất thường so với các kỳ trước. Theo dõi một số liệu bằng nút “Theo dõi” trên trang chỉ tiêu.",
                "You are told when a figure you follow passes a threshold or is unusual against its history. Follow one with the “Follow” button on its indicator page.",
            )}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(lines) if lines.is_empty() => view! {
                            <p data-testid="following-none">{lang.pick("Chưa theo dõi số liệu nào.", "You follow no figure yet.")}</p>
                        }.into_any(),
                        Ok(lines) => {
                            let rows = lines.into_iter().map(|l| view! {
                                <li data-testid="followed">
                                    <a href=format!("/indicators/{}?unit={}", l.indicator, l.unit)>{l.indicator_name} " · " {l.unit_name}</a>
                                    " "
                                    <ActionForm action=stop attr:class="inline-form">
                                        <input type="hidden" name="indicator" value=l.indicator/>
                                        <input type="hidden" name="unit" value=l.unit/>
                                        <input type="hidden" name="on" value="false"/>
                                        <button type="submit" class="touch" data-testid="unfollow">{lang.pick("Bỏ theo dõi", "Stop following")}</button>
                                    </ActionForm>
                                </li>
                            }).collect_view();
                            view! { <ul class="follow-list">{rows}</ul> }.into_any()
                        }
                        Err(e) => view! { <p class="form-error" role="alert">{e.shown()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The e-mail address and, per kind of notification, at once, in the daily digest, or not by
/// e-mail (the inbox has every one).
#[component]
fn MailSettingsForm() -> impl IntoView {
    use crate::model::notification::{Delivery, NotifyKind, NotifyPrefs};
    use crate::notify::api::{MailSettingsSave, get_mail_settings};
    let lang = crate::model::i18n::use_lang();
    let settings = Resource::new(|| (), |_| get_mail_settings());
    let save = ServerAction::<MailSettingsSave>::new();
    let email = RwSignal::new(String::new());
    let prefs = RwSignal::new(NotifyPrefs::default());
    let outcome = move || {
        save.value().get().map(|r| match r {
            Ok(()) => view! {
                <p class="once" role="status" data-testid="mail-saved">{lang.pick("Đã lưu cài đặt thư.", "Mail settings saved.")}</p>
            }
            .into_any(),
            Err(e) => view! { <p class="form-error" role="alert" data-testid="mail-error">{e.shown()}</p> }.into_any(),
        })
    };
    let rows = move || {
        NotifyKind::ALL
            .into_iter()
            .map(|kind| {
                let options = Delivery::ALL
                    .into_iter()
                    .map(|d| {
                        view! {
                            <option value=d.as_str() selected=move || prefs.with(|p| p.of(kind) == d)>{d.label()}</option>
                        }
                    })
                    .collect_view();
                view! {
                    <label>{lang.pick(kind.label_vi(), kind.label_en())} " "
                        <select name=kind.as_str() data-testid="mail-choice"
                            on:change=move |ev| {
                                if let Some(d) = Delivery::parse(&event_target_value(&ev)) {
                                    prefs.update(|p| { p.0.insert(kind, d); });
                                }
                            }>
                            {options}
                        </select>
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <section class="panel login-panel" id="mail">
            <h2>{lang.pick("Thư thông báo", "Notification e-mail")}</h2>
            <p class="muted">{lang.pick(
                "Mọi thông báo đều có trong hộp thông báo (biểu tượng chuông). Để trống địa chỉ: không nhận thư.",
                "Every notification is in the inbox (the bell). Leave the address empty for no e-mail.",
            )}</p>
            {outcome}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(s) => {
                            email.set(s.email.unwrap_or_default());
                            prefs.set(s.prefs);
                            view! {
                                <form class="login-form" data-testid="mail-settings" novalidate on:submit=move |ev| {
                                    ev.prevent_default();
                                    save.dispatch(MailSettingsSave { email: email.get(), prefs: prefs.with(|p| p.text()) });
                                }>
                                    <label>{lang.pick("Địa chỉ thư điện tử", "E-mail address")} " "
                                        <input type="email" name="email" maxlength="254" autocomplete="email" data-testid="mail-address"
                                            prop:value=email on:input=move |ev| email.set(event_target_value(&ev))/>
                                    </label>
                                    {rows}
                                    <button type="submit" class="primary" data-testid="mail-save">{lang.pick("Lưu", "Save")}</button>
                                </form>
                            }
                            .into_any()
                        }
                        Err(e) => view! { <p class="form-error" role="alert">{e.shown()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
