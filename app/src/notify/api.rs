//! The signed-in person's inbox and e-mail choices, as pages read and write them: each person
//! reads and marks only their own; nothing here takes an account other than the viewer's.

use crate::error::AppError;
use crate::model::notification::{MailSettings, Notification};
use leptos::prelude::*;

/// Notifications an inbox page lists (the newest).
pub const INBOX_PAGE: i64 = 100;

/// A person's inbox as their page shows it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct InboxView {
    /// The account (what the page listens on: `inbox:<user>`).
    pub user: i64,
    /// The stream's seq the list was read at: the page follows changes after it.
    pub seq: i64,
    /// The newest first.
    pub items: Vec<Notification>,
}

/// The viewer's notifications, newest first.
#[server(prefix = "/fn", endpoint = "inbox")]
pub async fn get_inbox() -> Result<InboxView, AppError> {
    let (viewer, _) = crate::request::signed_in()?;
    let store = expect_context::<crate::store::SharedStore>();
    // The seq first: a notification stored after it is announced after it too.
    let seq = store.current_seq().await.map_err(AppError::unavailable)?;
    let items = store
        .inbox(viewer.id, INBOX_PAGE)
        .await
        .map_err(AppError::unavailable)?;
    Ok(InboxView {
        user: viewer.id,
        seq,
        items,
    })
}

/// How many of the viewer's notifications are unread; none for a reader not signed in (the
/// top bar asks on every page).
#[server(prefix = "/fn", endpoint = "inbox_unread")]
pub async fn inbox_unread() -> Result<Option<i64>, AppError> {
    let Some(viewer) = crate::request::request_auth().viewer else {
        return Ok(None);
    };
    let store = expect_context::<crate::store::SharedStore>();
    store
        .unread(viewer.id)
        .await
        .map(Some)
        .map_err(AppError::unavailable)
}

/// Marks one of the viewer's notifications read (`id`), or all of them (`id` 0). Another
/// person's id changes nothing. Every open page of the viewer hears the new count.
#[server(prefix = "/fn", endpoint = "inbox_read")]
pub async fn inbox_read(#[server(default)] id: i64) -> Result<(), AppError> {
    let (viewer, _) = crate::request::signed_in()?;
    if id < 0 {
        return Err(AppError::invalid(
            "Mã thông báo không hợp lệ. (Not a notification id.)",
        ));
    }
    let store = expect_context::<crate::store::SharedStore>();
    let ids: Vec<i64> = if id == 0 { Vec::new() } else { vec![id] };
    store
        .mark_read(viewer.id, &ids, crate::request::clock().now())
        .await
        .map_err(AppError::unavailable)
}

/// The viewer's e-mail address and choices.
#[server(prefix = "/fn", endpoint = "mail_settings")]
pub async fn get_mail_settings() -> Result<MailSettings, AppError> {
    let (viewer, _) = crate::request::signed_in()?;
    let store = expect_context::<crate::store::SharedStore>();
    let contact = store
        .contacts(Some(viewer.id))
        .await
        .map_err(AppError::unavailable)?
        .pop()
        .unwrap_or_default();
    Ok(MailSettings {
        email: contact.email,
        prefs: contact.prefs,
    })
}

/// Sets the viewer's e-mail address (empty: none, the inbox only) and choices per kind
/// (`prefs`: `kind=immediately|digest|off`, separated by commas), with an audit row. A bad
/// address or choice is refused with the reason and nothing changes.
#[server(prefix = "/fn", endpoint = "mail_settings_save")]
pub async fn mail_settings_save(
    #[server(default)] email: String,
    #[server(default)] prefs: String,
) -> Result<(), AppError> {
    let (viewer, auth) = crate::request::signed_in()?;
    let mut problems = Vec::new();
    let email = match parse_email(&email) {
        Ok(e) => e,
        Err(e) => {
            problems.push(e);
            None
        }
    };
    let prefs = crate::model::notification::NotifyPrefs::read(&prefs).unwrap_or_else(|e| {
        problems.push(e);
        Default::default()
    });
    if !problems.is_empty() {
        return Err(AppError::invalid(problems.join("; ")));
    }
    let store = expect_context::<crate::store::SharedStore>();
    let audit = crate::request::audit_by(&viewer, &auth, "account.mail", &viewer.username);
    store
        .set_contact(viewer.id, email.as_deref(), &prefs, &audit)
        .await
        .map_err(AppError::unavailable)
}

/// Longest address kept (RFC 5321's limit on a path).
#[cfg(feature = "ssr")]
const MAX_EMAIL: usize = 254;

/// An address as the mail server will be given it (by the same parser the sender uses), or none
/// for an empty field.
#[cfg(feature = "ssr")]
pub fn parse_email(text: &str) -> Result<Option<String>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let shown: String = text.chars().take(60).collect();
    if text.len() > MAX_EMAIL {
        return Err(format!(
            "Địa chỉ thư dài quá {MAX_EMAIL} ký tự. (E-mail address too long.)"
        ));
    }
    text.parse::<lettre::Address>()
        .map(|a| Some(a.to_string()))
        .map_err(|_| format!("“{shown}” không phải địa chỉ thư điện tử. (Not an e-mail address.)"))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn an_address_is_kept_as_written_and_a_bad_one_is_named() {
        assert_eq!(
            super::parse_email(" canbo@hanoi.gov.vn "),
            Ok(Some("canbo@hanoi.gov.vn".into()))
        );
        assert_eq!(super::parse_email("  "), Ok(None));
        for bad in ["canbo", "canbo@", "a b@c.vn", "<script>@x"] {
            let e = super::parse_email(bad).unwrap_err();
            assert!(e.contains("không phải địa chỉ"), "{bad}: {e}");
        }
    }
}
