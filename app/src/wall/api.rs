//! What a wall screen reads. A screen is let in by its own display token (kept in a cookie) or
//! by a signed-in person; never shown a sign-in form.

use crate::error::AppError;
use crate::model::view::WallView;
use leptos::prelude::*;

/// Settings of the live stream the wall needs to know (provided by the server).
#[derive(Clone, Copy, Debug)]
pub struct WallSettings {
    pub heartbeat_secs: u32,
}

/// The screen's own display token, or a signed-in person; else the refusal (401).
#[cfg(feature = "ssr")]
fn allowed(display: i64) -> Result<(), AppError> {
    use crate::model::auth::TokenKind;
    let auth = crate::request::request_auth();
    let own_screen = auth
        .token
        .as_ref()
        .is_some_and(|t| t.kind == TokenKind::Display && t.display_id == Some(display));
    if auth.viewer.is_none() && !own_screen {
        return Err(AppError::new(
            crate::error::ErrorKind::SignIn,
            "Màn hình này chưa được cấp quyền hoặc token đã bị thu hồi. Mở đường dẫn có token do quản trị viên cấp. \
             (This screen is not authorised or its token was revoked: open the link with the token from the administrator.)",
        ));
    }
    Ok(())
}

/// The tasks panel alone, read again when the `tasks` topic says a task changed.
#[server(prefix = "/fn", endpoint = "wall_tasks")]
pub async fn get_wall_tasks(display: i64) -> Result<crate::model::task::TaskBoard, AppError> {
    allowed(display)?;
    let store = expect_context::<crate::store::SharedStore>();
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    crate::indicators::views::task_board(
        store.as_ref(),
        &catalogue,
        crate::request::clock().today(),
    )
    .await
    .map_err(AppError::unavailable)
}

/// The steering panel alone, read again when a request or a provincial value changes.
#[server(prefix = "/fn", endpoint = "wall_steering")]
pub async fn get_wall_steering(
    display: i64,
) -> Result<crate::steering::scorecard::WallSteering, AppError> {
    allowed(display)?;
    let store = expect_context::<crate::store::SharedStore>();
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    crate::steering::standings::wall(store.as_ref(), &catalogue, crate::request::clock().today())
        .await
        .map_err(AppError::unavailable)
}

#[server(prefix = "/fn", endpoint = "wall")]
pub async fn get_wall(display: i64) -> Result<WallView, AppError> {
    use crate::model::UnitKind;
    use crate::model::view::{DisplayInfo, MapValue};
    use crate::store::LatestScope;
    allowed(display)?;
    let store = expect_context::<crate::store::SharedStore>();
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    let heartbeat_secs = use_context::<WallSettings>().map_or(10, |s| s.heartbeat_secs);
    // The seq first: everything read below is at least this recent, and replaying from it
    // again is harmless (a value shown already changes nothing).
    let seq = store.current_seq().await.map_err(AppError::unavailable)?;
    let Some(d) = store
        .display(display)
        .await
        .map_err(AppError::unavailable)?
    else {
        return Err(AppError::not_found(
            "Không có màn hình này. (No such display.)",
        ));
    };
    let recent = use_context::<crate::indicators::recent::RecentCache>();
    let Some(board) = crate::indicators::views::unit_view(
        store.as_ref(),
        &catalogue,
        recent.as_ref(),
        "VN",
        crate::request::clock().today(),
    )
    .await
    .map_err(AppError::unavailable)?
    else {
        return Err(AppError::unavailable(
            "the nation is missing from the catalogue",
        ));
    };
    let cards: Vec<_> = d
        .config
        .indicators
        .iter()
        .filter_map(|code| board.cards.iter().find(|c| &c.indicator.code == code))
        .cloned()
        .collect();
    // A retired map indicator leaves the wall like every retired indicator: until the
    // administrator picks another (/admin asks for it), the map shows the first indicator in
    // use that the provinces report.
    let Some(map_indicator) = catalogue
        .indicators
        .get(&d.config.map_indicator)
        .filter(|i| i.is_active())
        .or_else(|| {
            catalogue
                .in_order()
                .find(|i| i.is_active() && i.is_reported_by(UnitKind::Province))
        })
        .cloned()
    else {
        return Err(AppError::unavailable(
            "no indicator in use is reported by the provinces",
        ));
    };
    // The provinces in force today: an ended one's last value is not on today's map.
    let today = crate::request::clock().today();
    let provinces: Vec<_> = store
        .children("VN")
        .await
        .map_err(AppError::unavailable)?
        .into_iter()
        .filter(|u| u.in_force(today))
        .collect();
    let latest = store
        .latest(&LatestScope::ProvincesOf(map_indicator.code.clone()))
        .await
        .map_err(AppError::unavailable)?;
    let map: Vec<MapValue> = latest
        .observations
        .into_iter()
        .filter_map(|o| {
            let unit = provinces
                .iter()
                .find(|u| u.code == o.unit && u.kind == UnitKind::Province)?;
            Some(MapValue {
                unit: o.unit,
                name_vi: unit.name_vi.clone(),
                period: o.period,
                value: o.value,
                simulated: o.simulated,
                outlier: o.outlier.is_some(),
            })
        })
        .collect();
    let simulated = cards
        .iter()
        .flat_map(|c| c.recent.iter())
        .any(|p| p.simulated)
        || map.iter().any(|m| m.simulated);
    let tasks = crate::indicators::views::task_board(
        store.as_ref(),
        &catalogue,
        crate::request::clock().today(),
    )
    .await
    .map_err(AppError::unavailable)?;
    let steering = crate::steering::standings::wall(store.as_ref(), &catalogue, today)
        .await
        .map_err(AppError::unavailable)?;
    Ok(WallView {
        tasks,
        steering,
        display: DisplayInfo {
            id: d.id,
            name: d.name,
        },
        config: d.config,
        cards,
        map_indicator,
        map,
        // The cards may be kept from an earlier page, true at an earlier seq: resume from there.
        seq: seq.min(board.seq),
        heartbeat_secs,
        simulated,
        reporting: board
            .completeness
            .into_iter()
            .find(|c| c.kind == UnitKind::Province),
    })
}
