//! What a wall screen reads. A screen is let in by its own display token (kept in a cookie) or
//! by a signed-in person; never shown a sign-in form.

use crate::model::view::WallView;
use leptos::prelude::*;

#[server(prefix = "/fn", endpoint = "wall")]
pub async fn get_wall(display: i64) -> Result<WallView, ServerFnError> {
    use crate::model::auth::TokenKind;
    use crate::model::view::DisplayInfo;
    let auth = super::request_auth();
    let own_screen = auth
        .token
        .as_ref()
        .is_some_and(|t| t.kind == TokenKind::Display && t.display_id == Some(display));
    if auth.viewer.is_none() && !own_screen {
        super::set_status(401);
        return Err(ServerFnError::new(
            "Màn hình này chưa được cấp quyền hoặc token đã bị thu hồi. Mở đường dẫn có token do quản trị viên cấp. \
             (This screen is not authorised or its token was revoked: open the link with the token from the administrator.)",
        ));
    }
    let store = expect_context::<crate::store::SharedStore>();
    let Some(d) = store.display(display).await.map_err(super::unavailable)? else {
        super::set_status(404);
        return Err(ServerFnError::new(
            "Không có màn hình này. (No such display.)",
        ));
    };
    let board = crate::views::unit_view(store.as_ref(), "VN")
        .await
        .map_err(super::unavailable)?;
    let Some(board) = board else {
        return Err(super::unavailable(
            "the nation is missing from the catalogue",
        ));
    };
    let rendered_at = (chrono::Utc::now() + chrono::Duration::hours(7))
        .format("%d/%m/%Y %H:%M")
        .to_string();
    Ok(WallView {
        display: DisplayInfo {
            id: d.id,
            name: d.name,
        },
        board,
        rendered_at,
    })
}
