//! The signed-in person's own account.

use crate::error::AppError;
use leptos::prelude::*;

/// Changes the password: checks the current one, ends every session of the account, and opens
/// a new one for this device.
#[server(prefix = "/fn", endpoint = "change_password")]
pub async fn change_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    let auth = super::request_auth();
    let Some(viewer) = auth.viewer.clone() else {
        return Err(AppError::sign_in());
    };
    if new != confirm {
        return Err(AppError::invalid(
            "Mật khẩu mới và xác nhận không khớp. (The new passwords differ.)",
        ));
    }
    crate::auth::check_new_password(&new).map_err(AppError::invalid)?;
    let store = expect_context::<crate::store::SharedStore>();
    let user = store
        .user_by_username(&viewer.username)
        .await
        .map_err(AppError::unavailable)?;
    let Some(user) = user.filter(|u| {
        current.len() <= crate::auth::MAX_CREDENTIAL_LEN
            && crate::auth::verify_password(&current, &u.password_hash)
    }) else {
        return Err(AppError::forbidden(
            "Mật khẩu hiện tại không đúng. (The current password is wrong.)",
        ));
    };
    let hash = crate::auth::hash_password(&new).map_err(AppError::unavailable)?;
    let audit = super::audit_by(&viewer, &auth, "password_change", &viewer.username);
    store
        .set_password(user.id, &hash, &audit)
        .await
        .map_err(AppError::unavailable)?;
    // Every session ended with the old password; this device gets a fresh one.
    let token = crate::auth::new_token();
    let max_age = chrono::Duration::hours(crate::auth::SESSION_TTL_HOURS);
    let sign_in = super::audit_by(&viewer, &auth, "sign_in", &viewer.username);
    store
        .create_session(
            &crate::auth::token_hash(&token),
            user.id,
            chrono::Utc::now() + max_age,
            auth.address.as_deref(),
            &sign_in,
        )
        .await
        .map_err(AppError::unavailable)?;
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        let cookie = crate::auth::session_cookie(Some(&token), max_age, auth.secure);
        if let Ok(v) = http::HeaderValue::from_str(&cookie) {
            resp.append_header(http::header::SET_COOKIE, v);
        }
    }
    Ok(())
}
