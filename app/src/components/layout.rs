use crate::api::get_viewer;
use leptos::prelude::*;

#[component]
pub fn TopBar() -> impl IntoView {
    let viewer = Resource::new(|| (), |_| get_viewer());
    let account = move || {
        Suspend::new(async move {
            match viewer.await {
                Ok(Some(v)) => {
                    let admin = v.can(&crate::model::auth::Action::ManageUsers);
                    let roles = v
                        .roles
                        .iter()
                        .map(|g| match &g.unit {
                            Some(u) => format!("{} ({u})", g.role.label_vi()),
                            None => g.role.label_vi().to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    view! {
                        <div class="account" data-testid="account">
                            <a class="who" href="/account" title="Tài khoản (account)">
                                <strong data-testid="viewer-name">{v.display_name}</strong>
                                <small>{roles}</small>
                            </a>
                            {admin.then(|| view! {
                                <a class="link-button" href="/admin">"Quản trị"</a>
                            })}
                            <form method="post" action="/logout">
                                <button type="submit" class="link-button">"Đăng xuất"</button>
                            </form>
                            <form method="post" action="/logout?everywhere=1">
                                <button type="submit" class="link-button" title="Sign out on every device">
                                    "Đăng xuất mọi thiết bị"
                                </button>
                            </form>
                        </div>
                    }
                    .into_any()
                }
                _ => view! { <a class="sign-in" href="/login">"Đăng nhập"</a> }.into_any(),
            }
        })
    };
    // Wall screens have no top bar: nobody touches them.
    let on_wall = {
        let location = leptos_router::hooks::use_location();
        move || location.pathname.get().starts_with("/wall/")
    };
    view! {
        <header class="topbar" class:hidden=on_wall>
            <a class="brand" href="/">
                <span class="emblem" aria-hidden="true">"★"</span>
                <span class="brand-text">
                    <strong>"Trung tâm chỉ đạo, điều hành Chính phủ"</strong>
                    <small lang="en">"Government Command and Operations Centre"</small>
                </span>
            </a>
            <Suspense fallback=|| ()>{account}</Suspense>
        </header>
    }
}

/// The banner every screen with demo values carries.
#[component]
pub fn SimulatedBanner() -> impl IntoView {
    view! {
        <p class="simulated-banner" role="note" data-testid="simulated-banner">
            <strong>"DỮ LIỆU MÔ PHỎNG"</strong>
            " — số liệu minh họa, không phải số liệu chính thức. "
            <span lang="en">"Simulated data for demonstration, not official figures."</span>
        </p>
    }
}
