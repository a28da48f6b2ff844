//! `POST /api/v1/observations`: a batch of values from the national reporting system, all or
//! nothing, through the one validation and the one write path.

use crate::http::AppState;
use app::auth::RequestAuth;
use app::model::Source;
use app::model::auth::{Action, TokenKind};
use app::model::ingest::{RawRow, Refusal, RowError, validate};
use app::store::AuditEntry;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// Rows per batch; more is refused with 413 (send several batches).
pub const MAX_ROWS: usize = 10_000;
/// Body size; more is refused with 413.
pub const MAX_BODY: usize = 5 * 1024 * 1024;

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

fn row_errors(status: StatusCode, errors: Vec<RowError>) -> Response {
    (status, Json(json!({ "errors": errors }))).into_response()
}

fn text_field(row: &Value, name: &str) -> Result<String, String> {
    match row.get(name) {
        Some(Value::String(s)) => Ok(s.trim().to_string()),
        Some(_) => Err(format!("“{name}” phải là chuỗi ký tự (must be a string)")),
        None => Err(format!("thiếu “{name}” (missing)")),
    }
}

fn raw_row(row: &Value) -> RawRow {
    if !row.is_object() {
        let e = "mỗi dòng là một đối tượng JSON (each row is a JSON object)".to_string();
        return RawRow {
            indicator: Err(e.clone()),
            unit: Err(e.clone()),
            period: Err(e.clone()),
            value: Err(e),
        };
    }
    RawRow {
        indicator: text_field(row, "indicator"),
        unit: text_field(row, "unit"),
        period: text_field(row, "period"),
        value: match row.get("value") {
            Some(Value::Number(n)) => n
                .as_f64()
                .ok_or_else(|| "giá trị quá lớn (value out of range)".to_string()),
            Some(_) => Err("“value” phải là số (must be a number)".into()),
            None => Err("thiếu “value” (missing)".into()),
        },
    }
}

pub async fn ingest(State(state): State<AppState>, req: Request) -> Response {
    let auth = req
        .extensions()
        .get::<RequestAuth>()
        .cloned()
        .unwrap_or_default();
    let Some(token) = auth.token.clone().filter(|t| t.kind == TokenKind::Api) else {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            Json(json!({ "error": "cần token API trong Authorization: Bearer (an API token is required)" })),
        )
            .into_response();
    };
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "gửi Content-Type: application/json (send application/json)",
        );
    }
    let body: Bytes = match axum::body::to_bytes(req.into_body(), MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!(
                    "nội dung vượt quá {} MB (body over {} MB)",
                    MAX_BODY >> 20,
                    MAX_BODY >> 20
                ),
            );
        }
    };
    let doc: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return row_errors(
                StatusCode::BAD_REQUEST,
                vec![RowError {
                    index: 0,
                    field: "body".into(),
                    reason: format!("JSON không hợp lệ (invalid JSON): {e}"),
                }],
            );
        }
    };
    let Some(rows) = doc.get("observations").and_then(Value::as_array) else {
        return row_errors(
            StatusCode::BAD_REQUEST,
            vec![RowError {
                index: 0,
                field: "observations".into(),
                reason: "cần {\"observations\": [...]} (expected an \"observations\" array)".into(),
            }],
        );
    };
    if rows.len() > MAX_ROWS {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("tối đa {MAX_ROWS} dòng mỗi lô (at most {MAX_ROWS} rows per batch)"),
        );
    }
    let raw: Vec<RawRow> = rows.iter().map(raw_row).collect();

    let store = state.store.clone();
    let today = crate::startup::today_in_vietnam();
    let catalogue = &state.catalogue;
    let may_write = |unit: &str| {
        token.can(&Action::EnterData {
            unit: unit.to_string(),
        })
    };
    let batch = match validate(
        &raw,
        &catalogue.indicators,
        &catalogue.units,
        today,
        may_write,
    ) {
        Ok(b) => b,
        Err(Refusal::Forbidden(errors)) => return row_errors(StatusCode::FORBIDDEN, errors),
        Err(Refusal::Invalid(errors)) => {
            return row_errors(StatusCode::UNPROCESSABLE_ENTITY, errors);
        }
    };
    let audit = AuditEntry {
        actor: token.name.clone(),
        actor_kind: "token".into(),
        unit: token.units.first().cloned(),
        action: "observations_ingest".into(),
        target: Some(format!("{} rows", batch.len())),
        address: auth.address.clone(),
        ..Default::default()
    };
    match store.store_observations(&batch, Source::Api, &audit).await {
        Ok(outcome) => Json(json!({
            "stored": outcome.stored,
            "unchanged": outcome.unchanged,
            "last_seq": outcome.last_seq,
        }))
        .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "ingest failed on the database");
            error(StatusCode::SERVICE_UNAVAILABLE, &e.to_string())
        }
    }
}

#[derive(serde::Deserialize)]
pub struct ReadQuery {
    indicator: Option<String>,
    unit: Option<String>,
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
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

/// `GET /api/v1/observations?indicator=&unit=&from=&to=`: published values as open data, JSON
/// by default, CSV with `Accept: text/csv` or `format=csv`. At least an indicator or a unit.
pub async fn read(
    State(state): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<ReadQuery>,
    headers: axum::http::HeaderMap,
) -> Response {
    use app::model::{Period, UnitCode};
    use app::store::ObservationQuery;
    let empty = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let (indicator, unit) = (empty(&q.indicator), empty(&q.unit));
    if indicator.is_none() && unit.is_none() {
        return bad_param(
            "indicator",
            "cần ít nhất indicator hoặc unit (give an indicator or a unit)".into(),
        );
    }
    if let Some(u) = &unit {
        if let Err(e) = UnitCode::parse(u) {
            return bad_param("unit", e.to_string());
        }
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
    let query = ObservationQuery {
        indicator,
        unit,
        from,
        to,
    };
    let rows = match state.store.observations(&query).await {
        Ok(rows) => rows,
        Err(e) => return error(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    };
    let wants_csv = q.format.as_deref() == Some("csv")
        || headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/csv"));
    if wants_csv {
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
        ]);
        for o in &rows {
            let _ = w.write_record([
                o.indicator.clone(),
                o.unit.clone(),
                o.period.to_string(),
                o.value.to_string(),
                o.revision.to_string(),
                o.source.as_str().to_string(),
                o.status.clone(),
                o.simulated.to_string(),
                o.updated_at.to_rfc3339(),
            ]);
        }
        let body = w.into_inner().unwrap_or_default();
        return ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response();
    }
    Json(json!({ "observations": rows })).into_response()
}
