//! The bell of the top bar: on every page of a signed-in person, the count of what they have
//! not read, kept live, and the way to their inbox.

use crate::model::i18n::use_lang;
use leptos::prelude::*;

/// `user`'s bell, starting from `unread`, then following their `inbox:<id>` topic.
#[component]
pub fn Bell(user: i64, unread: i64) -> impl IntoView {
    let lang = use_lang();
    let count = RwSignal::new(unread);
    crate::shell::live_refresh::follow_inbox(user, None, move |n| count.set(n));
    let label = move || {
        let n = count.get();
        if n == 0 {
            lang.pick(
                "Thông báo: không có thông báo chưa đọc",
                "Notifications: none unread",
            )
            .to_string()
        } else {
            format!(
                "{}: {n} {}",
                lang.pick("Thông báo", "Notifications"),
                lang.pick("chưa đọc", "unread")
            )
        }
    };
    view! {
        <a class="link-button bell" href="/inbox" data-testid="inbox-link" title=label aria-label=label>
            <span aria-hidden="true">"🔔"</span>
            <span class="bell-count" class:hidden=move || count.get() == 0 data-testid="inbox-count">{move || count.get()}</span>
        </a>
    }
}
