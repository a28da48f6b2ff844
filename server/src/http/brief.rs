//! `GET /briefs/{month}.pdf` (or `.html`, the printable page): the monthly brief at the current
//! seq, or a stored version of it (`?version=N`, with its commentary), for leaders and the
//! secretariat (`?lang=en` for English, `?meeting=<id>` for a chosen meeting, `?annex=macro,…`
//! for a one-page annex per field).

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
    /// Fields with a one-page annex: `macro,finance`, or `all`.
    #[serde(default)]
    pub annex: Option<String>,
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
    let (month, pdf) = match (file.strip_suffix(".pdf"), file.strip_suffix(".html")) {
        (Some(m), _) => (m, true),
        (_, Some(m)) => (m, false),
        _ => {
            return Err(AppError::not_found(
                "báo cáo là tệp <tháng>.pdf hoặc trang <tháng>.html, ví dụ 2026-11.pdf (a brief is <month>.pdf or <month>.html)",
            )
            .into());
        }
    };
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
    // The brief with its commentary, and the name its file is saved under.
    let (brief, commentary, stem) = match version {
        None => {
            let annex = app::brief::model::parse_annex(query.annex.as_deref().unwrap_or_default())
                .map_err(|e| AppError::invalid(format!("annex: {e}")))?;
            let request = BriefRequest {
                month: month.to_string(),
                meeting,
                seq: None,
                annex,
            };
            let brief = app::brief::compose::compose(
                state.store.as_ref(),
                &state.catalogue.now(),
                &request,
                state.clock.now(),
            )
            .await?;
            let stem = format!("bao-cao-{}-seq-{}", brief.month, brief.seq);
            (brief, Default::default(), stem)
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
            let state = match record.state {
                app::brief::model::BriefState::Draft => "du-thao",
                app::brief::model::BriefState::Final => "chinh-thuc",
            };
            (
                brief,
                record.commentary,
                format!("bao-cao-{month}-v{version}-{state}"),
            )
        }
    };
    if !pdf {
        let page = crate::brief::html::render(&brief.document(lang, &commentary));
        return Ok((
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "private, no-store"),
            ],
            page,
        )
            .into_response());
    }
    let bytes = crate::brief::draw(&brief, lang, &commentary).await?;
    let name = format!("{stem}.pdf");
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
