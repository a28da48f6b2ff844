//! `POST /api/v1/targets`: targets and plans from the system that holds the Government's
//! targets, through the same path in as the targets page and the targets file (checked against
//! the catalogue in force, stored with an audit row each, announced), all or nothing.

use crate::http::AppState;
use crate::http::api::error;
use crate::http::api::openapi::{TargetOutcome, TargetProblems};
use app::catalogue::Problem;
use app::catalogue::target_file::{self, TargetEntry};
use app::catalogue::write::{self, Outcome};
use app::model::Period;
use app::store::AuditEntry;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

/// The most lines one batch may hold (a year's plans of every province for a dozen indicators
/// is a few thousand).
const MAX_LINES: usize = 20_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Batch {
    targets: Vec<Line>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    indicator: String,
    unit: String,
    period: String,
    target: Option<f64>,
    #[serde(default)]
    target_max: Option<f64>,
}

fn problems(status: StatusCode, errors: Vec<Problem>) -> Response {
    (status, Json(json!({ "errors": errors }))).into_response()
}

/// The JSON batch as the lines of a targets file, numbered from 1.
fn lines_of_json(
    body: &[u8],
    book: &app::model::target::TargetBook,
) -> Result<(Vec<target_file::TargetLine>, Vec<Problem>), String> {
    let batch: Batch = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    for (i, l) in batch.targets.into_iter().enumerate() {
        match Period::parse(&l.period) {
            Ok(period) => entries.push(TargetEntry::new(
                &l.indicator,
                &l.unit,
                period,
                l.target,
                l.target_max,
            )),
            Err(e) => problems.push(Problem {
                line: i + 1,
                column: "period".into(),
                message: e.to_string(),
            }),
        }
    }
    if !problems.is_empty() {
        return Ok((Vec::new(), problems));
    }
    Ok(target_file::lines_of(entries, book))
}

/// Sets targets and plan points (JSON or the targets file as CSV) for the units the token may
/// set targets for.
#[utoipa::path(
    post,
    path = "/api/v1/targets",
    tag = "targets",
    security(("api_token" = [])),
    request_body(
        description = "JSON `{\"targets\": [...]}`, or `text/csv`: the targets file (`indicator,unit,period,target,target_max`). A year's line is that year's target (`target_max` makes it a range); a line of the indicator's own period is the plan's point; a `target` of null (empty in CSV) takes it away.",
        content(
            (crate::http::api::openapi::TargetBatch = "application/json"),
            (String = "text/csv", example = "indicator,unit,period,target,target_max\nGRDP_GROWTH,01,2026,8.3,8.5\n")
        )
    ),
    responses(
        (status = 200, description = "Stored (or unchanged)", body = TargetOutcome),
        (status = 400, description = "The body is not a batch", body = crate::http::api::openapi::ErrorBody),
        (status = 401, description = "No valid API token", body = crate::http::api::openapi::ErrorBody),
        (status = 403, description = "Lines for units the token may not set targets for (a token sets targets only when it was issued to)", body = TargetProblems),
        (status = 413, description = "Over 20,000 lines or 5 MB", body = crate::http::api::openapi::ErrorBody),
        (status = 415, description = "Neither JSON nor CSV", body = crate::http::api::openapi::ErrorBody),
        (status = 422, description = "Lines the rules refuse, each with its line, column and reason; nothing stored", body = TargetProblems),
        (status = 503, description = "The database is unavailable", body = crate::http::api::openapi::ErrorBody),
    )
)]
pub async fn set(State(state): State<AppState>, req: Request) -> Response {
    let (auth, token, csv, body) = match super::batch_of(req, crate::ingest::MAX_BODY).await {
        Ok(batch) => batch,
        Err(refused) => return refused,
    };
    let catalogue = state.catalogue.now();
    let (lines, read_problems) = if csv {
        target_file::read(&body, &catalogue.targets)
    } else {
        match lines_of_json(&body, &catalogue.targets) {
            Ok(read) => read,
            Err(why) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    &format!("không đọc được lô mục tiêu (not a batch of targets): {why}"),
                );
            }
        }
    };
    if lines.len() > MAX_LINES {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("tối đa {MAX_LINES} dòng mỗi lô (at most {MAX_LINES} lines per batch)"),
        );
    }
    if !read_problems.is_empty() {
        return problems(StatusCode::UNPROCESSABLE_ENTITY, read_problems);
    }
    let refused = write::unauthorised(&lines, |a| token.can(a));
    if !refused.is_empty() {
        return problems(StatusCode::FORBIDDEN, refused);
    }
    let by = AuditEntry {
        actor: token.name.clone(),
        actor_kind: "token".into(),
        unit: token.units.first().cloned(),
        address: auth.address.clone(),
        ..Default::default()
    };
    match write::set_targets(
        state.store.as_ref(),
        &state.catalogue,
        lines,
        Vec::new(),
        &by,
    )
    .await
    {
        Ok(Outcome::Applied {
            created,
            changed,
            unchanged,
        }) => Json(TargetOutcome {
            created,
            changed,
            unchanged,
        })
        .into_response(),
        Ok(Outcome::Refused(p)) => problems(StatusCode::UNPROCESSABLE_ENTITY, p),
        Err(e) => {
            tracing::error!(error = %e, "targets failed on the database");
            error(StatusCode::SERVICE_UNAVAILABLE, &e.to_string())
        }
    }
}
