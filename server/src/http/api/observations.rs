//! `/api/v1/observations`: batches of values from the national reporting system (through the one
//! path in, [`crate::ingest`]) and the published values as open data.

use crate::http::AppState;
use crate::http::api::error;
use crate::ingest::{
    IngestError, MAX_BODY, MAX_ROWS, Writer, off_the_runtime, parse_csv, parse_json,
};
use app::model::Source;
use app::model::auth::Action;
use app::model::ingest::RowError;
use app::store::AuditEntry;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

fn row_errors(status: StatusCode, errors: Vec<RowError>) -> Response {
    (status, Json(json!({ "errors": errors }))).into_response()
}

impl IntoResponse for IngestError {
    fn into_response(self) -> Response {
        match self {
            IngestError::Malformed(e) => row_errors(StatusCode::BAD_REQUEST, vec![e]),
            IngestError::TooManyRows => error(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("tối đa {MAX_ROWS} dòng mỗi lô (at most {MAX_ROWS} rows per batch)"),
            ),
            IngestError::Invalid(e) => row_errors(StatusCode::UNPROCESSABLE_ENTITY, e),
            IngestError::Forbidden(e) => row_errors(StatusCode::FORBIDDEN, e),
            IngestError::Locked(e) => row_errors(StatusCode::CONFLICT, e),
            IngestError::Store(e) => {
                tracing::error!(error = %e, "ingest failed on the database");
                error(StatusCode::SERVICE_UNAVAILABLE, &e.to_string())
            }
        }
    }
}

/// Stores a batch of values (JSON or CSV), all or nothing, for the units the token may write.
#[utoipa::path(
    post,
    path = "/api/v1/observations",
    tag = "observations",
    security(("api_token" = [])),
    request_body(
        description = "JSON `{\"observations\": [...]}`, or `text/csv` with a header line of the same fields",
        content(
            (crate::http::api::openapi::IngestBatch = "application/json"),
            (String = "text/csv", example = "indicator,unit,period,value\nEXPORT_VALUE,01,2026-10,1234.5\n")
        )
    ),
    responses(
        (status = 200, description = "Stored (or unchanged)", body = crate::http::api::openapi::IngestOutcome),
        (status = 400, description = "The body is not a batch", body = crate::http::api::openapi::RowErrors),
        (status = 401, description = "No valid API token", body = crate::http::api::openapi::ErrorBody),
        (status = 403, description = "Rows for units the token may not write", body = crate::http::api::openapi::RowErrors),
        (status = 409, description = "Rows that would change values an approved report has locked", body = crate::http::api::openapi::RowErrors),
        (status = 413, description = "Over 10,000 rows or 5 MB", body = crate::http::api::openapi::ErrorBody),
        (status = 415, description = "Neither JSON nor CSV", body = crate::http::api::openapi::ErrorBody),
        (status = 422, description = "Bad rows, each with its index, field and reason", body = crate::http::api::openapi::RowErrors),
        (status = 503, description = "The database is unavailable", body = crate::http::api::openapi::ErrorBody),
    )
)]
pub async fn ingest(State(state): State<AppState>, req: Request) -> Response {
    let (auth, token, csv, body) = match super::batch_of(req, MAX_BODY).await {
        Ok(batch) => batch,
        Err(refused) => return refused,
    };
    let parsed = off_the_runtime(move || {
        if csv {
            parse_csv(&body)
        } else {
            parse_json(&body)
        }
    })
    .await;
    let rows = match parsed.and_then(|r| r) {
        Ok(rows) => rows,
        Err(e) => return e.into_response(),
    };
    let audit = AuditEntry {
        actor: token.name.clone(),
        actor_kind: "token".into(),
        unit: token.units.first().cloned(),
        action: "observations_ingest".into(),
        address: auth.address.clone(),
        ..Default::default()
    };
    let writer = Writer {
        may_write: Box::new(move |unit: &str| {
            token.can(&Action::EnterData {
                unit: unit.to_string(),
            })
        }),
        audit,
    };
    match state.ingest.submit(rows, Source::Api, writer).await {
        Ok(outcome) => Json(json!({
            "stored": outcome.stored,
            "unchanged": outcome.unchanged,
            "computed": outcome.computed,
            "last_seq": outcome.last_seq,
        }))
        .into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(Clone, serde::Deserialize, serde::Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReadQuery {
    /// Indicator code, e.g. `CPI_YOY`.
    #[serde(skip_serializing_if = "Option::is_none")]
    indicator: Option<String>,
    /// Unit code, e.g. `01`, `BTC`, `VN`.
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
    /// First period, e.g. `2025-01`.
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    /// Last period.
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    /// At most this many values (1 to 10,000; 10,000 when not given).
    #[param(minimum = 1, maximum = 10000)]
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
    /// The `next` of the previous page (`<indicator>~<unit>~<period>`): the values after it.
    #[serde(skip_serializing_if = "Option::is_none")]
    after: Option<String>,
    /// `csv` for CSV (as `Accept: text/csv` does).
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<String>,
}

/// The most values one answer holds; a longer answer comes in pages.
pub const MAX_PAGE: u32 = 10_000;

/// The shape of a page cursor, `<indicator>~<unit>~<period>`, for the OpenAPI document.
pub fn cursor_pattern() -> String {
    let unit = app::model::UnitCode::PATTERN;
    format!(
        "^[A-Z][A-Z0-9_]{{1,39}}~{}~{}$",
        &unit[1..unit.len() - 1],
        app::model::Period::pattern_within()
    )
}

/// Reads a page cursor: the key of the last value of the previous page.
fn parse_cursor(text: &str) -> Option<(String, String, app::model::Period)> {
    let mut parts = text.split('~');
    let (indicator, unit, period) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || app::catalogue::check::code_problem(indicator).is_some() {
        return None;
    }
    // As written, not trimmed: the cursor is the server's own text.
    let unit = app::model::UnitCode::parse(unit)
        .ok()
        .filter(|u| u.as_str() == unit)?;
    let period = app::model::Period::parse(period).ok()?;
    Some((indicator.to_string(), unit.as_str().to_string(), period))
}

fn bad_param(field: &str, reason: String) -> Response {
    row_errors(
        StatusCode::BAD_REQUEST,
        vec![RowError {
            index: 0,
            field: field.into(),
            reason,
        }],
    )
}

/// `GET /api/v1/observations?indicator=&unit=&from=&to=&limit=&after=`: published values as
/// open data, JSON by default, CSV with `Accept: text/csv` or `format=csv`, in pages of at most
/// 10,000 values ordered by indicator, unit and period; a full page says where the next begins
/// (`next` in JSON, a `Link: <…>; rel="next"` header in both). Each value carries its unit's
/// target and plan for it and the standing its card gave it, where the unit has goals; for a
/// figure counted over the year, its year to date and last year's same periods; and, for a
/// value that arrived far from its history, the range that history made usual.
#[utoipa::path(
    get,
    path = "/api/v1/observations",
    tag = "observations",
    params(ReadQuery),
    responses(
        (status = 200, description = "Published values", content(
            (crate::http::api::openapi::Observations = "application/json"),
            (String = "text/csv")
        ), headers(
            ("Link" = String, description = "`<…&after=…>; rel=\"next\"` when there may be more values")
        )),
        (status = 400, description = "A bad parameter", body = crate::http::api::openapi::RowErrors),
        (status = 503, description = "The database is unavailable", body = crate::http::api::openapi::ErrorBody),
    )
)]
pub async fn read(
    State(state): State<AppState>,
    query: Result<axum::extract::Query<ReadQuery>, axum::extract::rejection::QueryRejection>,
    headers: axum::http::HeaderMap,
) -> Response {
    use app::model::{Period, UnitCode};
    use app::store::ObservationQuery;
    // A query axum cannot read (a parameter twice, say) is refused in the API's JSON, as every
    // other bad parameter is (schemathesis found axum's plain-text answer).
    let q = match query {
        Ok(axum::extract::Query(q)) => q,
        Err(e) => {
            return bad_param(
                "query",
                format!(
                    "tham số không đọc được (unreadable parameters): {}",
                    e.body_text()
                ),
            );
        }
    };
    let empty = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let (indicator, unit) = (empty(&q.indicator), empty(&q.unit));
    if let Some(u) = &unit
        && let Err(e) = UnitCode::parse(u)
    {
        return bad_param("unit", e.to_string());
    }
    let period = |name: &str, v: &Option<String>| -> Result<Option<Period>, Response> {
        match empty(v) {
            None => Ok(None),
            Some(text) => Period::parse(&text)
                .map(Some)
                .map_err(|e| bad_param(name, e.to_string())),
        }
    };
    let from = match period("from", &q.from) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let to = match period("to", &q.to) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let limit = match q.limit {
        None => MAX_PAGE,
        Some(n @ 1..=MAX_PAGE) => n,
        Some(_) => {
            return bad_param(
                "limit",
                format!("limit từ 1 đến {MAX_PAGE} (limit is 1 to {MAX_PAGE})"),
            );
        }
    };
    let after = match empty(&q.after) {
        None => None,
        Some(text) => match parse_cursor(&text) {
            Some(key) => Some(key),
            None => {
                return bad_param(
                    "after",
                    "after là giá trị next của trang trước (after is the previous page's next)"
                        .into(),
                );
            }
        },
    };
    let query = ObservationQuery {
        indicator,
        unit,
        from,
        to,
        after,
        limit: Some(limit),
        ..Default::default()
    };
    let rows = match state.store.observations(&query).await {
        Ok(rows) => rows,
        Err(e) => return error(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    };
    let on_record = match app::steering::standings::on_record(
        state.store.as_ref(),
        &state.catalogue.now(),
        &rows,
    )
    .await
    {
        Ok(r) => r,
        Err(e) => return error(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    };
    // A full page may have a next one: say where it begins (an empty last page is possible
    // when the values end exactly at a page's end).
    let next = (rows.len() == limit as usize)
        .then(|| rows.last())
        .flatten()
        .map(|o| format!("{}~{}~{}", o.indicator, o.unit, o.period));
    let link = next.as_ref().map(|next| {
        let mut page = q.clone();
        page.after = Some(next.clone());
        let query = serde_urlencoded::to_string(&page).unwrap_or_default();
        format!("</api/v1/observations?{query}>; rel=\"next\"")
    });
    let link = link.and_then(|l| axum::http::HeaderValue::from_str(&l).ok());
    if super::wants_csv(q.format.as_deref(), &headers) {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record([
            "indicator",
            "unit",
            "period",
            "value",
            "revision",
            "source",
            "status",
            "simulated",
            "updated_at",
            "target",
            "target_max",
            "plan",
            "standing",
            "usual_low",
            "usual_high",
            "year_to_date",
            "year_to_date_last_year",
        ]);
        let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        for (o, r) in rows.iter().zip(&on_record) {
            let _ = w.write_record([
                o.indicator.clone(),
                o.unit.clone(),
                o.period.to_string(),
                o.value.to_string(),
                o.revision.to_string(),
                o.source.as_str().to_string(),
                o.status.as_str().to_string(),
                o.simulated.to_string(),
                o.updated_at.to_rfc3339(),
                number(r.target),
                number(r.target_max),
                number(r.plan),
                r.standing
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                number(o.outlier.map(|u| u.low)),
                number(o.outlier.map(|u| u.high)),
                number(r.year_to_date),
                number(r.year_to_date_last_year),
            ]);
        }
        let body = w.into_inner().unwrap_or_default();
        let mut res = ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response();
        if let Some(link) = link {
            res.headers_mut().insert(header::LINK, link);
        }
        return res;
    }
    let observations: Vec<_> = rows
        .into_iter()
        .zip(on_record)
        .map(
            |(observation, on_record)| crate::http::api::openapi::OpenObservation {
                observation,
                on_record,
            },
        )
        .collect();
    let mut res = Json(json!({ "observations": observations, "next": next })).into_response();
    if let Some(link) = link {
        res.headers_mut().insert(header::LINK, link);
    }
    res
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RevisionsQuery {
    /// Indicator code.
    #[param(min_length = 1)]
    indicator: String,
    /// Unit code.
    unit: String,
    /// Period, e.g. `2026-10`.
    period: String,
}

/// `GET /api/v1/observations/revisions?indicator=&unit=&period=`: every revision of one value,
/// oldest first, with its source, note and reference.
#[utoipa::path(
    get,
    path = "/api/v1/observations/revisions",
    tag = "observations",
    params(RevisionsQuery),
    responses(
        (status = 200, description = "Every revision, oldest first", body = crate::http::api::openapi::Revisions),
        (status = 400, description = "A bad parameter", body = crate::http::api::openapi::RowErrors),
        (status = 503, description = "The database is unavailable", body = crate::http::api::openapi::ErrorBody),
    )
)]
pub async fn revisions(
    State(state): State<AppState>,
    query: Result<axum::extract::Query<RevisionsQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    use app::model::{Period, UnitCode};
    let Ok(axum::extract::Query(q)) = query else {
        return bad_param(
            "query",
            "cần indicator, unit và period (give indicator, unit and period)".into(),
        );
    };
    if q.indicator.trim().is_empty() {
        return bad_param("indicator", "cần mã chỉ tiêu (give an indicator)".into());
    }
    let unit = match UnitCode::parse(q.unit.trim()) {
        Ok(u) => u,
        Err(e) => return bad_param("unit", e.to_string()),
    };
    let period = match Period::parse(q.period.trim()) {
        Ok(p) => p,
        Err(e) => return bad_param("period", e.to_string()),
    };
    match state
        .store
        .revisions(q.indicator.trim(), unit.as_str(), &period)
        .await
    {
        Ok(revisions) => Json(json!({ "revisions": revisions })).into_response(),
        Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    }
}
