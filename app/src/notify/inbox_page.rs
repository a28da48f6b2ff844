//! `/inbox`: what the centre told the signed-in person, newest first, with where each e-mail
//! stands; read again live when a notification arrives or is read on another page.

use crate::model::i18n::{Lang, use_lang};
use crate::model::notification::{MailState, Notification};
use crate::notify::api::{InboxRead, get_inbox};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{LazyRoute, lazy_route};

/// Loaded on demand: a page a person opens from the bell.
pub struct InboxRoute;

#[lazy_route]
impl LazyRoute for InboxRoute {
    fn data() -> Self {
        InboxRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <InboxPage/> }.into_any()
    }
}

/// Where the notification's e-mail stands, in words.
fn mail_line(lang: Lang, n: &Notification) -> String {
    match n.mail {
        MailState::None => lang.pick("Không gửi thư", "No e-mail").into(),
        MailState::Pending => lang
            .pick("Thư đang chờ gửi", "E-mail waiting to be sent")
            .into(),
        MailState::Digest => lang
            .pick("Sẽ gộp vào thư hằng ngày", "In the daily digest")
            .into(),
        MailState::Sent => lang.pick("Đã gửi thư", "E-mail sent").into(),
        MailState::Failed => format!(
            "{}: {}",
            lang.pick("Không gửi được thư", "E-mail refused"),
            n.error.as_deref().unwrap_or("")
        ),
    }
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| get_inbox());
    let read = ServerAction::<InboxRead>::new();
    // Marked here or anywhere else: the bell's topic says so, and the list is read again.
    let title = lang.pick("Thông báo", "Notifications");
    view! {
        <Title text=title/>
        <div class="page-head" data-testid="inbox-page">
            <h1>{title}</h1>
            <button type="button" class="link-button" data-testid="read-all"
                on:click=move |_| { read.dispatch(InboxRead { id: 0 }); }>
                {lang.pick("Đánh dấu tất cả đã đọc", "Mark all read")}
            </button>
        </div>
        <p class="muted">{lang.pick(
            "Thư điện tử và cách nhận từng loại: trang Tài khoản.",
            "E-mail address and how each kind is sent: the Account page.",
        )} " " <a href="/account#mail">{lang.pick("Cài đặt thư", "Mail settings")}</a></p>
        <Transition fallback=move || view! { <p class="loading">{lang.pick("Đang tải…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <p class="panel error-panel" role="alert">{e.shown()}</p> }.into_any(),
                    Ok(inbox) => {
                        // A notification read here or on another page, or a new one: the inbox
                        // topic says so after the seq the list was read at; read it again.
                        crate::shell::live_refresh::follow_inbox(inbox.user, Some(inbox.seq), move |_| list.refetch());
                        if inbox.items.is_empty() {
                            return view! {
                                <p class="panel muted" data-testid="inbox-empty">{lang.pick("Chưa có thông báo nào.", "No notifications yet.")}</p>
                            }.into_any();
                        }
                        let rows = inbox.items.into_iter().map(|n| {
                            let id = n.id;
                            let mail = mail_line(lang, &n);
                            let failed = n.mail == MailState::Failed;
                            let at = lang.date_time(crate::model::vietnam_time(n.created_at));
                            let unread = !n.read;
                            view! {
                                <li class="notice" class:unread=unread data-testid="notification" data-kind=n.kind.as_str()>
                                    <p class="notice-head">
                                        <span class="notice-kind">{lang.pick(n.kind.label_vi(), n.kind.label_en())}</span>
                                        <time>{at}</time>
                                    </p>
                                    <a class="notice-subject" href=n.link.clone() data-testid="notification-link"
                                        on:click=move |_| { if unread { read.dispatch(InboxRead { id }); } }>
                                        {n.subject.clone()}
                                    </a>
                                    <p class="notice-body">{n.body.clone()}</p>
                                    <p class="notice-foot">
                                        <span class:form-error=failed data-testid="notification-mail">{mail}</span>
                                        {unread.then(|| view! {
                                            <button type="button" class="link-button" data-testid="mark-read"
                                                on:click=move |_| { read.dispatch(InboxRead { id }); }>
                                                {lang.pick("Đã đọc", "Mark read")}
                                            </button>
                                        })}
                                    </p>
                                </li>
                            }
                        }).collect_view();
                        view! { <ul class="inbox" data-testid="inbox">{rows}</ul> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
