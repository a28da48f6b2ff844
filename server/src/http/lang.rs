//! `GET /lang/{vi|en}?back=<path>`: switches the reader's language and returns to the page.
//! A plain link, so it works before the page is hydrated; the choice is kept in a cookie for a
//! year, on this device.

use app::model::i18n::Lang;
use axum::extract::{Path, Query};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Back {
    back: String,
}

/// Only a path on this site: anything else (another site, `//host`, a scheme) goes home.
fn local_path(back: &str) -> &str {
    let ok = back.starts_with('/')
        && !back.starts_with("//")
        && !back.starts_with("/\\")
        && !back.chars().any(|c| c.is_control());
    if ok { back } else { "/" }
}

pub async fn switch(Path(lang): Path<String>, Query(q): Query<Back>) -> Response {
    let Some(lang) = Lang::parse(&lang) else {
        return (
            StatusCode::NOT_FOUND,
            "Chỉ có tiếng Việt (vi) và tiếng Anh (en). (Only vi and en.)",
        )
            .into_response();
    };
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        Lang::COOKIE,
        lang.as_str()
    );
    (
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, cookie),
            (header::LOCATION, local_path(&q.back).to_string()),
        ],
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        assert_eq!(
            local_path("/indicators/CPI_YOY?unit=01"),
            "/indicators/CPI_YOY?unit=01"
        );
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil",
            "javascript:alert(1)",
            "",
            "/a\r\nSet-Cookie: x=1",
        ] {
            assert_eq!(local_path(bad), "/", "{bad:?}");
        }
    }
}
