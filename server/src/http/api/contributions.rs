//! `/api/v1/contributions`: what moved a figure between two periods, member by member, as
//! open data (the same reading as the indicator page's section).

use crate::http::AppState;
use crate::http::api::error;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContributionsQuery {
    /// Indicator code; its rollup must be `sum`, or `weighted_mean` with a `weight` indicator
    /// in the catalogue, e.g. `EXPORT_VALUE`, `ONLINE_DOSSIERS`.
    indicator: String,
    /// First period (default: the one before `to`).
    from: Option<String>,
    /// Last period (default: the whole's latest).
    to: Option<String>,
    /// The whole: `VN` (default; its provinces and ministries) or a province (its communes).
    unit: Option<String>,
    /// `csv` for CSV (as `Accept: text/csv` does).
    format: Option<String>,
}

/// `GET /api/v1/contributions?indicator=&from=&to=[&unit=]`: each member's part of the
/// whole's change, largest first; the parts and `rest` add up to `change` exactly. For a
/// weighted mean each part is also given as `value_part` and `weight_part`, with each member's
/// weight and share.
#[utoipa::path(
    get,
    path = "/api/v1/contributions",
    tag = "observations",
    params(ContributionsQuery),
    responses(
        (status = 200, description = "The parts of the change", content(
            (app::model::contribution::Contributions = "application/json"),
            (String = "text/csv")
        )),
        (status = 400, description = "No indicator given", body = crate::http::api::openapi::ErrorBody),
        (status = 404, description = "No such indicator or unit, or no values yet", body = crate::http::api::openapi::ErrorBody),
        (status = 422, description = "A bad period, or a figure not made from its members' (a sum, or a mean with a weight)", body = crate::http::api::openapi::ErrorBody),
        (status = 503, description = "The database is unavailable", body = crate::http::api::openapi::ErrorBody),
    )
)]
pub async fn read(
    State(state): State<AppState>,
    query: Result<
        axum::extract::Query<ContributionsQuery>,
        axum::extract::rejection::QueryRejection,
    >,
    headers: axum::http::HeaderMap,
) -> Response {
    let Ok(axum::extract::Query(q)) = query else {
        return error(
            StatusCode::BAD_REQUEST,
            "cần indicator, và có thể from, to, unit (give indicator, and optionally from, to, unit)",
        );
    };
    let catalogue = state.catalogue.now();
    let read = app::steering::contributions::read(
        state.store.as_ref(),
        &catalogue,
        &q.indicator,
        q.unit.as_deref(),
        q.from.as_deref(),
        q.to.as_deref(),
    )
    .await;
    let c = match read {
        Ok(c) => c,
        Err(e) => {
            let status =
                StatusCode::from_u16(e.kind.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return error(status, &e.message);
        }
    };
    if !super::wants_csv(q.format.as_deref(), &headers) {
        return Json(c).into_response();
    }
    // One line per member, then the rest: the `contribution` column adds up to the change.
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "indicator",
        "whole",
        "from",
        "to",
        "unit",
        "name",
        "before",
        "after",
        "contribution",
        "points",
        "weight_before",
        "weight_after",
        "share_before",
        "share_after",
        "value_part",
        "weight_part",
    ]);
    let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let head = [
        c.indicator.clone(),
        c.unit.clone(),
        c.from.to_string(),
        c.to.to_string(),
    ];
    for m in &c.members {
        let _ = w.write_record(head.iter().cloned().chain([
            m.unit.clone(),
            m.name_vi.clone(),
            number(m.before),
            number(m.after),
            m.change.to_string(),
            number(m.points),
            number(m.weight_before),
            number(m.weight_after),
            number(m.share_before),
            number(m.share_after),
            number(m.value_part),
            number(m.weight_part),
        ]));
    }
    if let Some(rest) = c.rest {
        let _ = w.write_record(
            head.iter().cloned().chain(
                [
                    String::new(),
                    "Phần còn lại của số toàn đơn vị (rest of the whole's figure)".to_string(),
                    String::new(),
                    String::new(),
                    rest.to_string(),
                    number(c.rest_points),
                ]
                .into_iter()
                .chain(std::iter::repeat_n(String::new(), 6)),
            ),
        );
    }
    let body = w.into_inner().unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response()
}
