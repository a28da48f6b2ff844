pub mod attach;
pub mod chart;
pub mod desk_answer;
pub mod indicator_card;
pub mod layout;
pub mod live_refresh;
pub mod reporting;
pub mod sparkline;
pub mod tile_map;
pub mod unit_board;

use leptos::prelude::ServerFnError;

/// What a person is told when a server function refuses or fails: the server's own message
/// (already in Vietnamese and English), or a generic one for transport errors.
pub fn error_text(e: &ServerFnError) -> String {
    match e {
        ServerFnError::ServerError(m) => m.clone(),
        other => format!("Không tải được dữ liệu (could not load): {other}"),
    }
}
