//! Signing in and out (server only): password hashes, session tokens, the sign-in rate limit.
//! The HTTP side (cookie to viewer, cross-site checks) is in `server/src/http/auth.rs`.

use crate::model::auth::{TokenKind, Viewer};
use crate::store::{AuditEntry, Store, StoreError, UserRecord};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use chrono::{Duration, Utc};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::num::NonZeroU32;

pub const SESSION_COOKIE: &str = "dieuhanh_session";
/// Longer input than this is refused before any hashing (a 10 KB password is an attack).
pub const MAX_CREDENTIAL_LEN: usize = 256;
pub const MIN_PASSWORD_LEN: usize = 10;

/// Hashes a password with Argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash to verify against when the account does not exist, so a wrong username costs the
/// same time as a wrong password and does not reveal which accounts exist.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password never used").unwrap_or_default())
}

/// 32 random bytes, URL-safe: a session cookie or an API token.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a token: its SHA-256, hex. A stolen table gives no usable token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new password must be long enough and not absurdly long.
pub fn check_new_password(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_LEN {
        Err(format!(
            "Mật khẩu cần ít nhất {MIN_PASSWORD_LEN} ký tự (a password needs at least {MIN_PASSWORD_LEN} characters)"
        ))
    } else if password.len() > MAX_CREDENTIAL_LEN {
        Err(format!(
            "Mật khẩu dài quá {MAX_CREDENTIAL_LEN} byte (password too long)"
        ))
    } else {
        Ok(())
    }
}

pub fn viewer_of(u: &UserRecord) -> Viewer {
    Viewer {
        id: u.id,
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        roles: u.roles.clone(),
    }
}

/// Sign-in attempts allowed per address and per account, refilled over time. Its memory stays
/// bounded whatever is sent: the address is checked first, so one sender adds at most its own
/// allowance of account keys; an account is keyed by a fixed-size digest of its name, never by
/// the name; and keys whose allowance has refilled (no different from a key never seen) are
/// forgotten every so often.
pub struct SignInLimiter {
    per_account: DefaultKeyedRateLimiter<[u8; 16]>,
    per_address: DefaultKeyedRateLimiter<String>,
    checks: std::sync::atomic::AtomicU64,
}

impl SignInLimiter {
    /// 5 attempts per account and 20 per address, one more every 12 s / 3 s.
    pub fn new() -> SignInLimiter {
        let quota = |burst: u32, every_ms: u64| {
            Quota::with_period(std::time::Duration::from_millis(every_ms))
                .expect("non-zero period")
                .allow_burst(NonZeroU32::new(burst).expect("non-zero burst"))
        };
        SignInLimiter {
            per_account: RateLimiter::keyed(quota(5, 12_000)),
            per_address: RateLimiter::keyed(quota(20, 3_000)),
            checks: Default::default(),
        }
    }

    fn check(&self, username: &str, address: Option<&str>) -> bool {
        self.forget_idle();
        if let Some(a) = address
            && self.per_address.check_key(&a.to_string()).is_err()
        {
            return false;
        }
        let digest = Sha256::digest(username.to_lowercase().as_bytes());
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        self.per_account.check_key(&key).is_ok()
    }

    /// Every 256th check, drops the keys back at a full allowance.
    fn forget_idle(&self) {
        use std::sync::atomic::Ordering;
        if self
            .checks
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(256)
        {
            self.per_account.retain_recent();
            self.per_address.retain_recent();
            self.per_account.shrink_to_fit();
            self.per_address.shrink_to_fit();
        }
    }

    /// How many accounts and addresses it remembers.
    pub fn remembered(&self) -> usize {
        self.per_account.len() + self.per_address.len()
    }
}

impl Default for SignInLimiter {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("Tên đăng nhập hoặc mật khẩu không đúng. (Wrong username or password.)")]
    Wrong,
    #[error(
        "Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau một phút. (Too many attempts: try again in a minute.)"
    )]
    RateLimited,
    #[error("Vui lòng nhập tên đăng nhập và mật khẩu. (Enter a username and a password.)")]
    Missing,
    #[error("{0}")]
    Store(#[from] StoreError),
}

pub struct SignedIn {
    pub viewer: Viewer,
    /// The cookie value; the database keeps only its hash.
    pub token: String,
    pub max_age: Duration,
}

pub const SESSION_TTL_HOURS: i64 = 12;

/// Checks the credentials and opens a session. Every attempt is audited; the password never is.
pub async fn sign_in(
    store: &dyn Store,
    limiter: &SignInLimiter,
    username: &str,
    password: &str,
    address: Option<&str>,
) -> Result<SignedIn, SignInError> {
    let username = username.trim();
    if username.is_empty() || password.is_empty() {
        return Err(SignInError::Missing);
    }
    // Overlong input is refused like a wrong password, before any hashing or lookup.
    let too_long = username.len() > MAX_CREDENTIAL_LEN || password.len() > MAX_CREDENTIAL_LEN;
    let shown_name: String = username.chars().take(64).collect();
    let failed = |reason: &str| AuditEntry {
        actor: shown_name.clone(),
        actor_kind: "user".into(),
        action: "sign_in_failed".into(),
        address: address.map(str::to_string),
        after: Some(format!("{{\"reason\":\"{reason}\"}}")),
        ..Default::default()
    };
    // Over-long input never reaches the limits (whose keys it would fill) or the accounts.
    if too_long {
        store.append_audit(&failed("too_long")).await?;
        return Err(SignInError::Wrong);
    }
    if !limiter.check(username, address) {
        store.append_audit(&failed("rate_limited")).await?;
        return Err(SignInError::RateLimited);
    }
    let user = store.user_by_username(username).await?;
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| decoy_hash().to_string());
    let password_ok = verify_password(password, &hash);
    let user = match user {
        Some(u) if password_ok && !u.disabled => u,
        _ => {
            store.append_audit(&failed("wrong_credentials")).await?;
            return Err(SignInError::Wrong);
        }
    };
    let token = new_token();
    let max_age = Duration::hours(SESSION_TTL_HOURS);
    let audit = AuditEntry {
        actor: user.username.clone(),
        actor_kind: "user".into(),
        role: user.roles.first().map(|g| g.role.as_str().to_string()),
        unit: user.roles.iter().find_map(|g| g.unit.clone()),
        action: "sign_in".into(),
        address: address.map(str::to_string),
        ..Default::default()
    };
    store
        .create_session(
            &token_hash(&token),
            user.id,
            Utc::now() + max_age,
            address,
            &audit,
        )
        .await?;
    Ok(SignedIn {
        viewer: viewer_of(&user),
        token,
        max_age,
    })
}

/// The `Set-Cookie` value for a session (or, with `None`, one that deletes it).
pub fn session_cookie(token: Option<&str>, max_age: Duration, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(t) => format!(
            "{SESSION_COOKIE}={t}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            max_age.num_seconds()
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

/// What the server knows about the request being served, put in context by the server.
#[derive(Clone, Debug, Default)]
pub struct RequestAuth {
    pub viewer: Option<Viewer>,
    /// A machine authenticated by `Authorization: Bearer`, or a wall screen by its display token.
    pub token: Option<crate::model::auth::TokenPrincipal>,
    /// Hash of the session token presented, when it named a live session.
    pub session_hash: Option<String>,
    pub address: Option<String>,
    /// Whether the request came over HTTPS (directly or through a proxy that said so).
    pub secure: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("đúng mật khẩu 123").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("đúng mật khẩu 123", &h));
        assert!(!verify_password("sai mật khẩu 123", &h));
        assert!(!verify_password("x", "not a hash"));
        assert_ne!(
            hash_password("same").unwrap(),
            hash_password("same").unwrap(),
            "salted"
        );
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn the_limiter_stops_the_sixth_attempt_on_one_account() {
        let l = SignInLimiter::new();
        for _ in 0..5 {
            assert!(l.check("canbo", Some("1.2.3.4")));
        }
        assert!(
            !l.check("CANBO", Some("1.2.3.5")),
            "per account, whatever the case or address"
        );
        assert!(l.check("other", Some("1.2.3.4")));
    }

    #[test]
    fn the_limiter_remembers_what_one_sender_may_try_not_what_it_sends() {
        let l = SignInLimiter::new();
        for i in 0..10_000 {
            l.check(&format!("{i}-{}", "x".repeat(200)), Some("10.0.0.1"));
        }
        // One address, and the 20 accounts it could try before its allowance ran out.
        assert!(l.remembered() <= 21, "{} keys", l.remembered());
    }

    #[test]
    fn cookies_are_http_only_and_same_site() {
        let c = session_cookie(Some("t"), Duration::hours(1), true);
        assert!(
            c.contains("HttpOnly")
                && c.contains("SameSite=Lax")
                && c.contains("Secure")
                && c.contains("Max-Age=3600")
        );
        assert!(!session_cookie(Some("t"), Duration::hours(1), false).contains("Secure"));
    }
}

/// Why a token could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("{0}")]
    Invalid(String),
    #[error("không có màn hình này (no such display)")]
    NotFound,
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// An API token that enters data for its units and does nothing else.
pub async fn issue_api_token(
    store: &dyn Store,
    name: &str,
    units: &[String],
    expires_in_days: Option<u32>,
    issued_by: &AuditEntry,
) -> Result<(i64, String), IssueError> {
    issue_token(store, name, units, (expires_in_days, false), issued_by).await
}

/// The one way an API token is made (command line and admin page alike): checks the name and
/// units, stores only the hash, audits, and returns the token to show once. `sets_targets`: it
/// may also set its units' targets and plans (a planning system's token).
pub async fn issue_token(
    store: &dyn Store,
    name: &str,
    units: &[String],
    (expires_in_days, sets_targets): (Option<u32>, bool),
    issued_by: &AuditEntry,
) -> Result<(i64, String), IssueError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(IssueError::Invalid(
            "tên token từ 1 đến 100 ký tự (a token name has 1 to 100 characters)".into(),
        ));
    }
    if units.is_empty() {
        return Err(IssueError::Invalid(
            "token cần ít nhất một đơn vị, ví dụ --unit 01 (a token needs a unit)".into(),
        ));
    }
    let mut codes = Vec::new();
    for u in units {
        let code =
            crate::model::UnitCode::parse(u).map_err(|e| IssueError::Invalid(e.to_string()))?;
        if store.unit(code.as_str()).await?.is_none() {
            return Err(IssueError::Invalid(format!(
                "không có đơn vị mã {code} (no such unit)"
            )));
        }
        codes.push(code.to_string());
    }
    codes.sort();
    codes.dedup();
    let token = format!("dh_{}", new_token());
    let new = crate::store::NewToken {
        kind: TokenKind::Api,
        name: name.to_string(),
        token_hash: token_hash(&token),
        units: codes.clone(),
        display_id: None,
        sets_targets,
        created_by: issued_by.actor.clone(),
        expires_at: expires_in_days.map(|d| Utc::now() + Duration::days(d as i64)),
    };
    let audit = AuditEntry {
        action: "token_create".into(),
        target: Some(name.to_string()),
        after: Some(format!(
            "{{\"units\":{:?},\"sets_targets\":{sets_targets}}}",
            codes
        )),
        ..issued_by.clone()
    };
    let id = store.create_token(&new, &audit).await?;
    Ok((id, token))
}

/// Creates a wall screen with its display token (read-only, bound to this display, no expiry,
/// revocable); returns the display's id and the token, shown once.
pub async fn create_display(
    store: &dyn Store,
    name: &str,
    issued_by: &AuditEntry,
) -> Result<(i64, String), IssueError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(IssueError::Invalid(
            "tên màn hình từ 1 đến 100 ký tự (a display name has 1 to 100 characters)".into(),
        ));
    }
    let token = format!("dh_{}", new_token());
    let new = crate::store::NewToken {
        kind: TokenKind::Display,
        name: name.to_string(),
        token_hash: token_hash(&token),
        units: Vec::new(),
        display_id: None,
        sets_targets: false,
        created_by: issued_by.actor.clone(),
        expires_at: None,
    };
    let audit = AuditEntry {
        action: "display_create".into(),
        target: Some(name.to_string()),
        ..issued_by.clone()
    };
    match store.create_display(name, &new, &audit).await {
        Ok(id) => Ok((id, token)),
        Err(StoreError::Conflict(_)) => Err(IssueError::Invalid(format!(
            "đã có màn hình tên “{name}” (a display with this name exists)"
        ))),
        Err(e) => Err(e.into()),
    }
}

/// A new display token for an existing wall screen, the ones before it revoked (each change
/// audited): for a screen whose link was lost, and for the demo's wall at each start.
pub async fn renew_display_token(
    store: &dyn Store,
    display: i64,
    issued_by: &AuditEntry,
) -> Result<String, IssueError> {
    let screen = store.display(display).await?.ok_or(IssueError::NotFound)?;
    for old in store.tokens().await? {
        if old.display_id == Some(display) && old.revoked_at.is_none() {
            let audit = AuditEntry {
                action: "token_revoke".into(),
                target: Some(old.id.to_string()),
                ..issued_by.clone()
            };
            store.revoke_token(old.id, &audit).await?;
        }
    }
    let token = format!("dh_{}", new_token());
    let new = crate::store::NewToken {
        kind: TokenKind::Display,
        name: screen.name.clone(),
        token_hash: token_hash(&token),
        units: Vec::new(),
        display_id: Some(display),
        sets_targets: false,
        created_by: issued_by.actor.clone(),
        expires_at: None,
    };
    let audit = AuditEntry {
        action: "display_token_renew".into(),
        target: Some(screen.name),
        ..issued_by.clone()
    };
    store.create_token(&new, &audit).await?;
    Ok(token)
}

/// One role from its name and, for officers and approvers, the code of their unit.
pub fn role_grant(role: &str, unit: Option<&str>) -> Result<crate::model::auth::RoleGrant, String> {
    use crate::model::auth::{Role, RoleGrant};
    let Some(role) = Role::parse(role.trim()) else {
        return Err(format!("Vai trò không hợp lệ: “{role}”. (Unknown role.)"));
    };
    let unit = unit.map(str::trim).filter(|u| !u.is_empty());
    match (role.is_unit_scoped(), unit) {
        (true, None) => {
            Err("Vai trò này cần mã đơn vị, ví dụ 01 hoặc BTC. (This role needs a unit.)".into())
        }
        (true, Some(u)) => {
            let code = crate::model::UnitCode::parse(u).map_err(|e| e.to_string())?;
            Ok(RoleGrant {
                role,
                unit: Some(code.to_string()),
            })
        }
        (false, Some(_)) => Err(format!(
            "Vai trò {} không gắn với đơn vị. (This role takes no unit.)",
            role.as_str()
        )),
        (false, None) => Ok(RoleGrant { role, unit: None }),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Invalid(String),
    #[error("Tên đăng nhập “{0}” đã có. (That username is taken.)")]
    Taken(String),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// The one way an account is made (command line and admin page alike): checks the username,
/// display name, roles' units and password, stores only the hash, with `audit`.
pub async fn create_account(
    store: &dyn Store,
    username: &str,
    display_name: &str,
    roles: Vec<crate::model::auth::RoleGrant>,
    password: &str,
    audit: &AuditEntry,
) -> Result<i64, AccountError> {
    let username = username.trim();
    let display_name = display_name.trim();
    let valid_name = !username.is_empty()
        && username.len() <= 64
        && username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-_@".contains(c));
    if !valid_name {
        return Err(AccountError::Invalid(
            "Tên đăng nhập chỉ gồm chữ không dấu, số và . - _ @, tối đa 64 ký tự. (Invalid username.)".into(),
        ));
    }
    if display_name.is_empty() || display_name.chars().count() > 100 {
        return Err(AccountError::Invalid(
            "Họ tên từ 1 đến 100 ký tự. (A display name has 1 to 100 characters.)".into(),
        ));
    }
    if roles.is_empty() {
        return Err(AccountError::Invalid(
            "Cần ít nhất một vai trò. (At least one role.)".into(),
        ));
    }
    for unit in roles.iter().filter_map(|g| g.unit.as_deref()) {
        if store.unit(unit).await?.is_none() {
            return Err(AccountError::Invalid(format!(
                "Không có đơn vị mã {unit}. (No such unit.)"
            )));
        }
    }
    check_new_password(password).map_err(AccountError::Invalid)?;
    let new = crate::store::NewUser {
        username: username.to_string(),
        display_name: display_name.to_string(),
        password_hash: hash_password(password).map_err(StoreError::other)?,
        roles,
        // Given on the person's account page (issue 26).
        email: None,
    };
    match store.create_user(&new, audit).await {
        Ok(id) => Ok(id),
        Err(StoreError::Conflict(_)) => Err(AccountError::Taken(username.to_string())),
        Err(e) => Err(e.into()),
    }
}

/// The one way a screen's layout is changed (command line and admin page alike): read from the
/// form's text, checked against the catalogue, stored with its audit row and pushed to the screen.
pub async fn set_display_layout(
    store: &dyn Store,
    id: i64,
    form: [&str; 4],
    changed_by: &AuditEntry,
) -> Result<crate::model::display::DisplayConfig, IssueError> {
    let [pages, indicators, map, rotate] = form;
    let mut catalogue = store.indicators().await?;
    catalogue.retain(|i| i.is_active());
    let config =
        crate::model::display::DisplayConfig::from_form(pages, indicators, map, rotate, &catalogue)
            .map_err(IssueError::Invalid)?;
    let Some(before) = store.display(id).await? else {
        return Err(IssueError::NotFound);
    };
    let json = |c: &crate::model::display::DisplayConfig| serde_json::to_string(c).ok();
    let audit = AuditEntry {
        action: "display_layout".into(),
        target: Some(format!("{id} {}", before.name)),
        before: json(&before.config),
        after: json(&config),
        ..changed_by.clone()
    };
    if store.set_display_config(id, &config, &audit).await? {
        Ok(config)
    } else {
        Err(IssueError::NotFound)
    }
}
