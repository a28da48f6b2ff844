//! Following a figure (theo dõi): a signed-in person follows an indicator at a unit from its
//! page and is told of its alerts (`decide`'s figure rule); the account page lists what they
//! follow. Each person follows and stops following only for themselves.

use crate::error::AppError;
use crate::model::notification::FollowLine;
use leptos::prelude::*;

/// Follows (`on`) or stops following the figure of `indicator` at `unit`, for the viewer, with
/// an audit row; whether they follow it now. An unknown indicator or unit is refused with its
/// code, and nothing changes.
#[server(prefix = "/fn", endpoint = "follow_figure")]
pub async fn follow_figure(
    indicator: String,
    unit: String,
    #[server(default)] on: bool,
) -> Result<bool, AppError> {
    use crate::model::notification::{Follow, MAX_FOLLOWS};
    let (viewer, auth) = crate::request::signed_in()?;
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    let shown = |code: &str| code.chars().take(40).collect::<String>();
    let mut problems = Vec::new();
    if !catalogue.indicators.contains_key(&indicator) {
        problems.push(format!(
            "Không có chỉ tiêu mã “{}” (no such indicator)",
            shown(&indicator)
        ));
    }
    if !catalogue.units.contains_key(&unit) {
        problems.push(format!(
            "Không có đơn vị mã “{}” (no such unit)",
            shown(&unit)
        ));
    }
    if !problems.is_empty() {
        return Err(AppError::invalid(problems.join("; ")));
    }
    let store = expect_context::<crate::store::SharedStore>();
    let mine = store
        .follows(Some(viewer.id))
        .await
        .map_err(AppError::unavailable)?;
    let already = mine
        .iter()
        .any(|f| f.indicator == indicator && f.unit == unit);
    if on && !already && mine.len() >= MAX_FOLLOWS {
        return Err(AppError::invalid(format!(
            "Mỗi người theo dõi tối đa {MAX_FOLLOWS} số liệu: hãy bỏ bớt trên trang tài khoản. (At most {MAX_FOLLOWS} figures; stop following some on your account page.)"
        )));
    }
    let follow = Follow {
        user_id: viewer.id,
        indicator,
        unit,
        since: crate::request::clock().now(),
    };
    let action = if on {
        "account.follow"
    } else {
        "account.unfollow"
    };
    let audit = crate::request::audit_by(
        &viewer,
        &auth,
        action,
        &format!("{}/{}", follow.indicator, follow.unit),
    );
    store
        .set_follow(&follow, on, &audit)
        .await
        .map_err(AppError::unavailable)?;
    Ok(on)
}

/// The figures the viewer follows, with their names, by indicator and unit.
#[server(prefix = "/fn", endpoint = "followed")]
pub async fn followed() -> Result<Vec<FollowLine>, AppError> {
    let (viewer, _) = crate::request::signed_in()?;
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    let store = expect_context::<crate::store::SharedStore>();
    let follows = store
        .follows(Some(viewer.id))
        .await
        .map_err(AppError::unavailable)?;
    Ok(follows
        .into_iter()
        .map(|f| FollowLine {
            indicator_name: catalogue
                .indicators
                .get(&f.indicator)
                .map_or_else(|| f.indicator.clone(), |i| i.name_vi.clone()),
            unit_name: catalogue
                .units
                .get(&f.unit)
                .map_or_else(|| f.unit.clone(), |u| u.name_vi.clone()),
            indicator: f.indicator,
            unit: f.unit,
        })
        .collect())
}

/// Whether the viewer follows the figure (None for a reader not signed in), for its page.
#[cfg(feature = "ssr")]
pub async fn follows_figure(
    store: &dyn crate::store::Store,
    viewer: Option<&crate::model::auth::Viewer>,
    indicator: &str,
    unit: &str,
) -> Result<Option<bool>, AppError> {
    let Some(viewer) = viewer else {
        return Ok(None);
    };
    let mine = store
        .follows(Some(viewer.id))
        .await
        .map_err(AppError::unavailable)?;
    Ok(Some(
        mine.iter()
            .any(|f| f.indicator == indicator && f.unit == unit),
    ))
}

/// The button on a figure's page: follow it, or stop (a signed-in reader only). After a
/// change the page reads itself again (`changed`).
#[component]
pub fn FollowButton(
    following: bool,
    indicator: String,
    unit: String,
    changed: Callback<()>,
) -> impl IntoView {
    let lang = crate::model::i18n::use_lang();
    let act = ServerAction::<FollowFigure>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = act.value().get() {
            changed.run(());
        }
    });
    let label = if following {
        lang.pick("★ Đang theo dõi: bỏ theo dõi", "★ Following: stop")
    } else {
        lang.pick("☆ Theo dõi số liệu này", "☆ Follow this figure")
    };
    let title = lang.pick(
        "Nhận thông báo khi số liệu này vượt ngưỡng cảnh báo hoặc bất thường",
        "Be told when this figure passes a threshold or is unusual",
    );
    view! {
        <ActionForm action=act attr:class="follow-form">
            <input type="hidden" name="indicator" value=indicator/>
            <input type="hidden" name="unit" value=unit/>
            <input type="hidden" name="on" value=(!following).to_string()/>
            <button type="submit" class="touch" class:following=following title=title
                aria-pressed=following.to_string() data-testid="follow">{label}</button>
        </ActionForm>
        {move || act.value().get().and_then(Result::err).map(|e| view! {
            <p class="form-error" role="alert" data-testid="follow-error">{e.shown()}</p>
        })}
    }
}
