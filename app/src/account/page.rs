//! `/account`: the signed-in person changes their password.

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
    }
}
