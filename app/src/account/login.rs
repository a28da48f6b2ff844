//! `/login`: a plain form posted to `POST /login`, so it works before hydration and without
//! JavaScript. The reason for a refusal comes back in the query string.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::{LazyRoute, lazy_route};

/// Loaded on demand: a signed-in visit never needs it.
pub struct LoginRoute;

#[lazy_route]
impl LazyRoute for LoginRoute {
    fn data() -> Self {
        LoginRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <LoginPage/> }.into_any()
    }
}

fn reason(code: &str) -> Option<&'static str> {
    Some(match code {
        "wrong" => "Tên đăng nhập hoặc mật khẩu không đúng. (Wrong username or password.)",
        "limited" => {
            "Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau một phút. (Too many attempts: try again in a minute.)"
        }
        "missing" => "Vui lòng nhập tên đăng nhập và mật khẩu. (Enter a username and a password.)",
        "unavailable" => {
            "Hệ thống tạm thời không đăng nhập được. Vui lòng thử lại. (Sign-in is unavailable; try again.)"
        }
        _ => return None,
    })
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || query.read().get("error").and_then(|c| reason(&c));
    let next = move || query.read().get("next").unwrap_or_else(|| "/".to_string());
    view! {
        <Title text="Đăng nhập"/>
        <section class="panel login-panel">
            <h1>"Đăng nhập"</h1>
            <p class="en" lang="en">"Sign in"</p>
            {move || error().map(|e| view! { <p class="form-error" role="alert" data-testid="login-error">{e}</p> })}
            <form method="post" action="/login" class="login-form">
                <input type="hidden" name="next" prop:value=next/>
                <label>
                    "Tên đăng nhập " <span class="en">"Username"</span>
                    <input name="username" autocomplete="username" required maxlength="256" autofocus/>
                </label>
                <label>
                    "Mật khẩu " <span class="en">"Password"</span>
                    <input name="password" type="password" autocomplete="current-password" required maxlength="256"/>
                </label>
                <button type="submit" class="primary">"Đăng nhập"</button>
            </form>
        </section>
    }
}
