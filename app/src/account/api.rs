//! The signed-in person's own account.

use crate::error::AppError;
use crate::model::auth::Viewer;
use leptos::prelude::*;

/// Changes the password: checks the current one, ends every session of the account, and opens
/// a new one for this device.
#[server(prefix = "/fn", endpoint = "change_password")]
pub async fn change_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    let auth = crate::request::request_auth();
    let Some(viewer) = auth.viewer.clone() else {
        return Err(AppError::sign_in());
    };
    if new != confirm {
        return Err(AppError::invalid(
            "Mật khẩu mới và xác nhận không khớp. (The new passwords differ.)",
        ));
    }
    crate::account::auth::check_new_password(&new).map_err(AppError::invalid)?;
    let store = expect_context::<crate::store::SharedStore>();
    let user = store
        .user_by_username(&viewer.username)
        .await
        .map_err(AppError::unavailable)?;
    let Some(user) = user.filter(|u| {
        current.len() <= crate::account::auth::MAX_CREDENTIAL_LEN
            && crate::account::auth::verify_password(&current, &u.password_hash)
    }) else {
        return Err(AppError::forbidden(
            "Mật khẩu hiện tại không đúng. (The current password is wrong.)",
        ));
    };
    let hash = crate::account::auth::hash_password(&new).map_err(AppError::unavailable)?;
    let audit = crate::request::audit_by(&viewer, &auth, "password_change", &viewer.username);
    store
        .set_password(user.id, &hash, &audit)
        .await
        .map_err(AppError::unavailable)?;
    // Every session ended with the old password; this device gets a fresh one.
    let token = crate::account::auth::new_token();
    let max_age = chrono::Duration::hours(crate::account::auth::SESSION_TTL_HOURS);
    let sign_in = crate::request::audit_by(&viewer, &auth, "sign_in", &viewer.username);
    store
        .create_session(
            &crate::account::auth::token_hash(&token),
            user.id,
            chrono::Utc::now() + max_age,
            auth.address.as_deref(),
            &sign_in,
        )
        .await
        .map_err(AppError::unavailable)?;
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        let cookie = crate::account::auth::session_cookie(Some(&token), max_age, auth.secure);
        if let Ok(v) = http::HeaderValue::from_str(&cookie) {
            resp.append_header(http::header::SET_COOKIE, v);
        }
    }
    Ok(())
}

/// The signed-in person, if any.
#[server(prefix = "/fn", endpoint = "viewer")]
pub async fn get_viewer() -> Result<Option<Viewer>, AppError> {
    Ok(crate::request::request_auth().viewer)
}
