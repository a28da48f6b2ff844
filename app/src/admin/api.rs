//! The admin's server functions: accounts, API tokens, the audit log. Every one passes
//! [`require`](crate::request::require) first; nothing changes when it refuses.

use crate::error::AppError;
use crate::model::auth::RoleGrant;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserSummary {
    pub username: String,
    pub display_name: String,
    pub roles: Vec<RoleGrant>,
    pub disabled: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenSummary {
    pub id: i64,
    pub kind: String,
    pub name: String,
    /// The units it writes for, by name and code.
    pub units: Vec<String>,
    pub created_at: String,
    pub created_by: String,
    pub last_used_at: Option<String>,
    pub expires_at: Option<String>,
    pub revoked: bool,
}

/// One row of the audit log as a person reads it: names, not codes; what changed, not JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditLine {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub role: Option<String>,
    pub unit: Option<String>,
    /// The action's code (what the filter takes) and its names.
    pub action: String,
    pub action_vi: String,
    pub action_en: String,
    pub target: Option<String>,
    pub address: Option<String>,
    pub changes: Vec<AuditChange>,
}

/// A field that changed: its names, the value before and after (empty: none).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditChange {
    pub field_vi: String,
    pub field_en: String,
    pub before: String,
    pub after: String,
}

/// The answer to a refused token or display change: 422 with the reason, 404, or 503.
#[cfg(feature = "ssr")]
fn refused(e: crate::account::auth::IssueError) -> AppError {
    match e {
        crate::account::auth::IssueError::Invalid(m) => AppError::invalid(m),
        crate::account::auth::IssueError::NotFound => {
            AppError::not_found("Không có màn hình này. (No such display.)")
        }
        crate::account::auth::IssueError::Store(e) => AppError::unavailable(e),
    }
}

/// Vietnam time, as people there read it.
#[cfg(feature = "ssr")]
fn vn_time(t: chrono::DateTime<chrono::Utc>) -> String {
    crate::model::vietnam_time(t)
        .format("%d/%m/%Y %H:%M:%S")
        .to_string()
}

#[server(prefix = "/fn", endpoint = "admin_users")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    use crate::model::auth::Action;
    crate::request::require(&Action::ManageUsers)?;
    let store = expect_context::<crate::store::SharedStore>();
    let users = store.users().await.map_err(AppError::unavailable)?;
    Ok(users
        .into_iter()
        .map(|u| UserSummary {
            username: u.username,
            display_name: u.display_name,
            roles: u.roles,
            disabled: u.disabled,
        })
        .collect())
}

/// Creates an account with one role; answers the generated password, shown once.
#[server(prefix = "/fn", endpoint = "admin_create_user")]
pub async fn create_user(
    username: String,
    display_name: String,
    role: String,
    #[server(default)] unit: String,
) -> Result<String, AppError> {
    use crate::model::auth::Action;
    let (viewer, auth) = crate::request::require(&Action::ManageUsers)?;
    let store = expect_context::<crate::store::SharedStore>();
    let grant = crate::account::auth::role_grant(&role, Some(&unit)).map_err(AppError::invalid)?;
    let mut audit = crate::request::audit_by(&viewer, &auth, "user_create", username.trim());
    audit.after = Some(format!(
        "{{\"display_name\":{:?},\"role\":{:?},\"unit\":{:?}}}",
        display_name.trim(),
        grant.role.as_str(),
        grant.unit.clone().unwrap_or_default()
    ));
    let password = crate::account::auth::new_token()[..20].to_string();
    match crate::account::auth::create_account(
        store.as_ref(),
        &username,
        &display_name,
        vec![grant],
        &password,
        &audit,
    )
    .await
    {
        Ok(_) => Ok(password),
        Err(crate::account::auth::AccountError::Invalid(m)) => Err(AppError::invalid(m)),
        Err(e @ crate::account::auth::AccountError::Taken(_)) => {
            Err(AppError::conflict(e.to_string()))
        }
        Err(crate::account::auth::AccountError::Store(e)) => Err(AppError::unavailable(e)),
    }
}

#[server(prefix = "/fn", endpoint = "admin_tokens")]
pub async fn list_tokens() -> Result<Vec<TokenSummary>, AppError> {
    use crate::model::auth::Action;
    crate::request::require(&Action::ManageTokens)?;
    let store = expect_context::<crate::store::SharedStore>();
    let tokens = store.tokens().await.map_err(AppError::unavailable)?;
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    let lang = crate::shell::layout::current_lang();
    Ok(tokens
        .into_iter()
        .map(|t| TokenSummary {
            id: t.id,
            kind: if t.sets_targets {
                format!("{} + {}", t.kind.as_str(), lang.pick("mục tiêu", "targets"))
            } else {
                t.kind.as_str().to_string()
            },
            name: t.name,
            // Named as people say them, with the code the reporting system sends.
            units: t
                .units
                .iter()
                .map(|c| match catalogue.units.get(c) {
                    Some(u) => format!("{} ({c})", lang.unit_name(u)),
                    None => c.clone(),
                })
                .collect(),
            created_at: vn_time(t.created_at),
            created_by: t.created_by,
            last_used_at: t.last_used_at.map(vn_time),
            expires_at: t.expires_at.map(vn_time),
            revoked: t.revoked_at.is_some(),
        })
        .collect())
}

/// Issues an API token for the units given (separated by commas or spaces); answers the token,
/// shown once.
#[server(prefix = "/fn", endpoint = "admin_create_token")]
pub async fn create_token(
    name: String,
    units: String,
    #[server(default)] expires_days: String,
    #[server(default)] sets_targets: String,
) -> Result<String, AppError> {
    use crate::model::auth::Action;
    let (viewer, auth) = crate::request::require(&Action::ManageTokens)?;
    let store = expect_context::<crate::store::SharedStore>();
    let units: Vec<String> = units
        .split([',', ' ', ';'])
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let expires = match expires_days.trim() {
        "" => None,
        d => Some(d.parse::<u32>().ok().filter(|d| (1..=3650).contains(d)).ok_or_else(|| {
            AppError::invalid("Số ngày hiệu lực từ 1 đến 3650, hoặc để trống. (Days of validity: 1 to 3650, or empty.)")
        })?),
    };
    let by = crate::request::audit_by(&viewer, &auth, "token_create", &name);
    let sets_targets = !sets_targets.is_empty();
    crate::account::auth::issue_token(store.as_ref(), &name, &units, (expires, sets_targets), &by)
        .await
        .map(|(_, token)| token)
        .map_err(refused)
}

#[server(prefix = "/fn", endpoint = "admin_revoke_token")]
pub async fn revoke_token(id: i64) -> Result<(), AppError> {
    use crate::model::auth::Action;
    let (viewer, auth) = crate::request::require(&Action::ManageTokens)?;
    let store = expect_context::<crate::store::SharedStore>();
    let audit = crate::request::audit_by(&viewer, &auth, "token_revoke", &id.to_string());
    if store
        .revoke_token(id, &audit)
        .await
        .map_err(AppError::unavailable)?
    {
        Ok(())
    } else {
        Err(AppError::not_found(
            "Không có token đang hiệu lực với mã này. (No live token with this id.)",
        ))
    }
}

/// The audit log filter's choices: every action's code and its name in the reader's language.
#[server(prefix = "/fn", endpoint = "admin_audit_actions")]
pub async fn audit_actions() -> Result<Vec<(String, String)>, AppError> {
    use crate::model::auth::Action;
    crate::request::require(&Action::ReadAudit)?;
    let lang = crate::shell::layout::current_lang();
    Ok(crate::admin::ACTIONS
        .iter()
        .map(|(code, vi, en)| (code.to_string(), lang.pick(vi, en).to_string()))
        .collect())
}

/// The newest audit rows, filtered by actor and action (exact), at most 200.
#[server(prefix = "/fn", endpoint = "admin_audit")]
pub async fn audit_log(
    #[server(default)] actor: String,
    #[server(default)] action: String,
) -> Result<Vec<AuditLine>, AppError> {
    use crate::model::auth::Action;
    crate::request::require(&Action::ReadAudit)?;
    let store = expect_context::<crate::store::SharedStore>();
    let some = |s: String| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let query = crate::store::AuditQuery {
        actor: some(actor),
        action: some(action),
        limit: 200,
    };
    let rows = store
        .audit_entries(&query)
        .await
        .map_err(AppError::unavailable)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            use crate::admin::audit::{action_label, changes};
            let (action_vi, action_en) = action_label(&r.entry.action);
            let role = r.entry.role.as_deref().map(|code| {
                crate::model::auth::Role::parse(code)
                    .map_or_else(|| code.to_string(), |role| role.label_vi().to_string())
            });
            AuditLine {
                id: r.id,
                at: vn_time(r.at),
                actor: r.entry.actor,
                role,
                unit: r.entry.unit,
                action_vi,
                action_en,
                action: r.entry.action,
                target: r.entry.target,
                address: r.entry.address,
                changes: changes(r.entry.before.as_deref(), r.entry.after.as_deref()),
            }
        })
        .collect())
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisplaySummary {
    pub id: i64,
    pub name: String,
    pub created_by: String,
    pub config: crate::model::display::DisplayConfig,
}

/// What the admin page's lists offer, named in the page's language: the units an account or a
/// token can be for (the ministries, then the provinces) and the indicators in use.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminLists {
    /// (code, name, kind).
    pub units: Vec<(String, String, crate::model::UnitKind)>,
    /// (code, name, whether the provinces report it: a map can show only those), by name.
    pub indicators: Vec<(String, String, bool)>,
}

#[server(prefix = "/fn", endpoint = "admin_choices")]
pub async fn admin_choices() -> Result<AdminLists, AppError> {
    use crate::model::UnitKind;
    use crate::model::auth::Action;
    crate::request::require(&Action::ManageDisplays)?;
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    let lang = crate::shell::layout::current_lang();
    let mut units: Vec<_> = catalogue
        .units
        .values()
        .filter(|u| matches!(u.kind, UnitKind::Ministry | UnitKind::Province))
        .map(|u| (u.code.clone(), lang.unit_name(u), u.kind))
        .collect();
    units.sort_by(|a, b| (a.2 != UnitKind::Ministry, &a.1).cmp(&(b.2 != UnitKind::Ministry, &b.1)));
    let mut indicators: Vec<_> = catalogue
        .indicators
        .values()
        .filter(|i| i.is_active())
        .map(|i| {
            (
                i.code.clone(),
                lang.pick(&i.name_vi, &i.name_en).to_string(),
                i.is_reported_by(UnitKind::Province),
            )
        })
        .collect();
    indicators.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(AdminLists { units, indicators })
}

#[server(prefix = "/fn", endpoint = "admin_displays")]
pub async fn list_displays() -> Result<Vec<DisplaySummary>, AppError> {
    use crate::model::auth::Action;
    crate::request::require(&Action::ManageDisplays)?;
    let store = expect_context::<crate::store::SharedStore>();
    let list = store.displays().await.map_err(AppError::unavailable)?;
    Ok(list
        .into_iter()
        .map(|d| DisplaySummary {
            id: d.id,
            name: d.name,
            created_by: d.created_by,
            config: d.config,
        })
        .collect())
}

/// Creates a wall screen; answers its address with the display token (shown once).
#[server(prefix = "/fn", endpoint = "admin_create_display")]
pub async fn create_display(name: String) -> Result<String, AppError> {
    use crate::model::auth::Action;
    let (viewer, auth) = crate::request::require(&Action::ManageDisplays)?;
    let store = expect_context::<crate::store::SharedStore>();
    let by = crate::request::audit_by(&viewer, &auth, "display_create", &name);
    crate::account::auth::create_display(store.as_ref(), &name, &by)
        .await
        .map(|(id, token)| crate::request::link(&format!("/wall/{id}?token={token}")))
        .map_err(refused)
}

/// Changes a screen's layout and playlist; the screen follows within a second, untouched.
#[server(prefix = "/fn", endpoint = "admin_set_display")]
pub async fn set_display(
    id: i64,
    #[server(default)] pages: String,
    #[server(default)] indicators: String,
    #[server(default)] map_indicator: String,
    #[server(default)] rotate_seconds: String,
) -> Result<(), AppError> {
    use crate::model::auth::Action;
    let (viewer, auth) = crate::request::require(&Action::ManageDisplays)?;
    let store = expect_context::<crate::store::SharedStore>();
    let by = crate::request::audit_by(&viewer, &auth, "display_layout", &id.to_string());
    crate::account::auth::set_display_layout(
        store.as_ref(),
        id,
        [&pages, &indicators, &map_indicator, &rotate_seconds],
        &by,
    )
    .await
    .map(|_| ())
    .map_err(refused)
}

/// Disables an account (its sessions end at once) or enables it again. An admin cannot disable
/// their own account, so the last admin cannot lock everyone out by mistake.
#[server(prefix = "/fn", endpoint = "admin_set_disabled")]
pub async fn set_disabled(username: String, disabled: bool) -> Result<(), AppError> {
    use crate::model::auth::Action;
    let (viewer, auth) = crate::request::require(&Action::ManageUsers)?;
    if disabled && username == viewer.username {
        return Err(AppError::invalid(
            "Không thể tự khóa tài khoản của mình. (You cannot disable your own account.)",
        ));
    }
    let store = expect_context::<crate::store::SharedStore>();
    let Some(user) = store
        .user_by_username(&username)
        .await
        .map_err(AppError::unavailable)?
    else {
        return Err(AppError::not_found(
            "Không có tài khoản này. (No such account.)",
        ));
    };
    let mut audit = crate::request::audit_by(
        &viewer,
        &auth,
        if disabled {
            "user_disable"
        } else {
            "user_enable"
        },
        &username,
    );
    audit.before = Some(format!("{{\"disabled\":{}}}", user.disabled));
    audit.after = Some(format!("{{\"disabled\":{disabled}}}"));
    store
        .set_disabled(user.id, disabled, &audit)
        .await
        .map_err(AppError::unavailable)
}

/// One indicator's alert settings as the admin page shows them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThresholdLine {
    pub indicator: String,
    pub name_vi: String,
    pub name_en: String,
    pub measure_vi: String,
    pub measure_en: String,
    /// `up`: higher is better (a value below a threshold alerts); `down`: lower is better.
    pub good_direction: String,
    /// The target in force (the admin's, or the catalogue's).
    pub target: Option<f64>,
    pub warning: Option<f64>,
    pub critical: Option<f64>,
}

#[server(prefix = "/fn", endpoint = "admin_thresholds")]
pub async fn list_thresholds() -> Result<Vec<ThresholdLine>, AppError> {
    use crate::model::auth::Action;
    crate::request::require(&Action::ManageCatalogue)?;
    let store = expect_context::<crate::store::SharedStore>();
    let mut indicators = store.indicators().await.map_err(AppError::unavailable)?;
    indicators.retain(|i| i.is_active());
    let set: std::collections::HashMap<String, crate::store::Threshold> = store
        .thresholds()
        .await
        .map_err(AppError::unavailable)?
        .into_iter()
        .map(|t| (t.indicator.clone(), t))
        .collect();
    Ok(indicators
        .into_iter()
        .map(|i| {
            let t = set.get(&i.code);
            ThresholdLine {
                good_direction: i.good_direction.as_str().to_string(),
                target: i.target,
                warning: t.and_then(|t| t.warning),
                critical: t.and_then(|t| t.critical),
                indicator: i.code,
                name_vi: i.name_vi,
                name_en: i.name_en,
                measure_vi: i.measure_vi,
                measure_en: i.measure,
            }
        })
        .collect())
}

/// Checks that the critical threshold lies beyond the warning one in the bad direction.
#[cfg(feature = "ssr")]
pub fn check_thresholds(
    direction: crate::model::GoodDirection,
    warning: Option<f64>,
    critical: Option<f64>,
) -> Result<(), String> {
    use crate::model::GoodDirection;
    let (Some(w), Some(c)) = (warning, critical) else {
        return Ok(());
    };
    let ok = match direction {
        GoodDirection::Up => c <= w,
        GoodDirection::Down => c >= w,
        GoodDirection::None => c.abs() >= w.abs(),
    };
    if ok {
        Ok(())
    } else {
        Err(match direction {
            GoodDirection::Up => "Chỉ tiêu càng cao càng tốt: ngưỡng nguy cấp phải thấp hơn hoặc bằng ngưỡng cảnh báo. (Higher is better: the critical threshold must not exceed the warning one.)",
            GoodDirection::Down => "Chỉ tiêu càng thấp càng tốt: ngưỡng nguy cấp phải cao hơn hoặc bằng ngưỡng cảnh báo. (Lower is better: the critical threshold must not be below the warning one.)",
            GoodDirection::None => "Ngưỡng nguy cấp phải xa hơn ngưỡng cảnh báo. (The critical threshold must be beyond the warning one.)",
        }
        .into())
    }
}

/// Sets an indicator's target and alert thresholds (empty fields clear them). The live stream
/// applies them within seconds, on every instance.
#[server(prefix = "/fn", endpoint = "admin_set_threshold")]
pub async fn set_threshold(
    indicator: String,
    #[server(default)] target: String,
    #[server(default)] warning: String,
    #[server(default)] critical: String,
) -> Result<(), AppError> {
    use crate::model::auth::Action;
    let (viewer, auth) = crate::request::require(&Action::ManageCatalogue)?;
    let lang = crate::shell::layout::current_lang();
    let parse_number =
        |text: &str| crate::model::typed_number::read(text, lang).map(|t| t.map(|t| t.value));
    let store = expect_context::<crate::store::SharedStore>();
    let indicators = store.indicators().await.map_err(AppError::unavailable)?;
    let Some(found) = indicators.iter().find(|i| i.code == indicator) else {
        return Err(AppError::not_found(
            "Không có chỉ tiêu này. (No such indicator.)",
        ));
    };
    let field = |name: &str, text: &str| {
        parse_number(text).map_err(|e| AppError::invalid(format!("{name}: {e}")))
    };
    let target = field("Mục tiêu (target)", &target)?;
    let warning = field("Ngưỡng cảnh báo (warning)", &warning)?;
    let critical = field("Ngưỡng nguy cấp (critical)", &critical)?;
    check_thresholds(found.good_direction, warning, critical).map_err(AppError::invalid)?;
    let before = store
        .thresholds()
        .await
        .map_err(AppError::unavailable)?
        .into_iter()
        .find(|t| t.indicator == indicator);
    let new = crate::store::Threshold {
        indicator: indicator.clone(),
        target,
        warning,
        critical,
    };
    let json = |t: Option<&crate::store::Threshold>| {
        Some(format!(
            "{{\"target\":{},\"warning\":{},\"critical\":{}}}",
            serde_json_number(t.and_then(|t| t.target)),
            serde_json_number(t.and_then(|t| t.warning)),
            serde_json_number(t.and_then(|t| t.critical)),
        ))
    };
    let mut audit = crate::request::audit_by(&viewer, &auth, "threshold_set", &indicator);
    audit.before = json(before.as_ref());
    audit.after = json(Some(&new));
    store
        .set_threshold(&new, &audit)
        .await
        .map_err(AppError::unavailable)
}

#[cfg(feature = "ssr")]
fn serde_json_number(v: Option<f64>) -> String {
    v.map_or_else(|| "null".to_string(), |v| v.to_string())
}

/// The holidays every regime's deadlines skip (Decree 09/2019/NĐ-CP), for the admin.
#[server(prefix = "/fn", endpoint = "admin_reporting")]
pub async fn reporting_calendar() -> Result<crate::model::reporting::ReportingCalendar, AppError> {
    use crate::model::auth::Action;
    crate::request::require(&Action::ManageCatalogue)?;
    let store = expect_context::<crate::store::SharedStore>();
    store
        .reporting_calendar()
        .await
        .map_err(AppError::unavailable)
}

/// Adds or renames a holiday, or removes it (`remove=1`); audited.
#[server(prefix = "/fn", endpoint = "admin_set_holiday")]
pub async fn set_holiday(
    day: String,
    #[server(default)] name: String,
    #[server(default)] remove: String,
) -> Result<(), AppError> {
    use crate::model::auth::Action;
    use crate::model::reporting::Holiday;
    let (viewer, auth) = crate::request::require(&Action::ManageCatalogue)?;
    let store = expect_context::<crate::store::SharedStore>();
    if remove == "1" {
        let day = crate::model::reporting::parse_day(&day).map_err(AppError::invalid)?;
        let calendar = store
            .reporting_calendar()
            .await
            .map_err(AppError::unavailable)?;
        let Some(found) = calendar.holidays.iter().find(|h| h.day == day) else {
            return Err(AppError::not_found(
                "Không có ngày nghỉ này. (No such holiday.)",
            ));
        };
        let mut audit =
            crate::request::audit_by(&viewer, &auth, "holiday_removed", &day.to_string());
        audit.before = Some(serde_json::json!({ "name": found.name }).to_string());
        return store
            .set_holiday(day, None, &audit)
            .await
            .map_err(AppError::unavailable);
    }
    let holiday = Holiday::parse(&day, &name).map_err(AppError::invalid)?;
    let mut audit =
        crate::request::audit_by(&viewer, &auth, "holiday_set", &holiday.day.to_string());
    audit.after = Some(serde_json::json!({ "name": holiday.name }).to_string());
    store
        .set_holiday(holiday.day, Some(&holiday.name), &audit)
        .await
        .map_err(AppError::unavailable)
}
