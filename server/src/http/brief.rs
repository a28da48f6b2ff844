//! `GET /briefs/{month}.pdf`: the monthly brief at the current seq, or a stored version of it
//! (`?version=N`, with its commentary), for leaders and the secretariat (`?lang=en` for
//! English, `?meeting=<id>` for a chosen meeting).

use crate::http::AppState;
use crate::http::export::ExportError;
use app::account::auth::RequestAuth;
use app::brief::compose::BriefRequest;
use app::error::AppError;
use app::model::auth::Action;
use app::model::i18n::Lang;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

#[derive(Debug, Default, serde::Deserialize)]
pub struct BriefQuery {
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub meeting: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
}

pub async fn download(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(file): Path<String>,
    Query(query): Query<BriefQuery>,
) -> Result<Response, ExportError> {
    let viewer = auth.viewer.as_ref().ok_or_else(AppError::sign_in)?;
    if !viewer.can(&Action::ReadBriefs) {
        return Err(AppError::not_allowed().into());
    }
    let month = file.strip_suffix(".pdf").ok_or_else(|| {
        AppError::not_found(
            "báo cáo là tệp <tháng>.pdf, ví dụ 2026-11.pdf (a brief is <month>.pdf)",
        )
    })?;
    let lang = match query.lang.as_deref().map(str::trim) {
        None | Some("") => Lang::Vi,
        Some(l) => Lang::parse(l).ok_or_else(|| {
            AppError::invalid(format!("lang: “{l}” không phải vi hoặc en (not vi or en)"))
        })?,
    };
    let meeting = match query.meeting.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(m) => Some(m.parse::<i64>().map_err(|_| {
            AppError::invalid(format!(
                "meeting: “{m}” không phải số cuộc họp (not a meeting id)"
            ))
        })?),
    };
    let version = match query.version.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => Some(v.parse::<i64>().map_err(|_| {
            AppError::invalid(format!(
                "version: “{v}” không phải số phiên bản (not a version)"
            ))
        })?),
    };
    let (name, bytes) = match version {
        None => {
            let request = BriefRequest {
                month: month.to_string(),
                meeting,
                seq: None,
            };
            let (brief, bytes) = crate::brief::pdf_of(
                state.store.as_ref(),
                &state.catalogue.now(),
                &request,
                lang,
                state.clock.now(),
            )
            .await?;
            (crate::brief::file_name(&brief), bytes)
        }
        Some(version) => {
            let month = app::brief::compose::parse_month(month, state.clock.today())?;
            let record = state
                .store
                .briefs()
                .await
                .map_err(AppError::from)?
                .into_iter()
                .find(|r| r.month == month && r.version == version)
                .ok_or_else(|| {
                    AppError::not_found(format!(
                        "không có phiên bản {version} của báo cáo {} (no such version)",
                        month.label_vi().to_lowercase()
                    ))
                })?;
            let (record, brief) = state
                .store
                .brief(record.id)
                .await
                .map_err(AppError::from)?
                .ok_or_else(|| AppError::not_found("báo cáo vừa bị xoá (the brief is gone)"))?;
            let bytes = crate::brief::draw(&brief, lang, &record.commentary).await?;
            let state = match record.state {
                app::brief::model::BriefState::Draft => "du-thao",
                app::brief::model::BriefState::Final => "chinh-thuc",
            };
            (format!("bao-cao-{month}-v{version}-{state}.pdf"), bytes)
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}
