//! `GET /api/v1/catalogue`: the catalogue in force as open data: indicators (retired ones too,
//! marked), units and reporting regimes, as JSON, or one kind as CSV (the indicators in the file form that
//! `catalogue import` reads).

use crate::http::AppState;
use crate::http::api::error;
use app::model::{Indicator, Succession, Unit};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct CatalogueBody {
    /// In catalogue order; a retired indicator has `retired_at`.
    pub indicators: Vec<Indicator>,
    /// The nation, ministries, provinces, communes.
    pub units: Vec<Unit>,
    /// Former units and the units that took them over (the 2025 reorganisation of provinces).
    pub successions: Vec<Succession>,
    /// The reporting regimes, retired ones too (with `retired_at`).
    pub regimes: Vec<app::model::regime::Regime>,
}

fn unavailable(e: app::store::StoreError) -> Response {
    error(StatusCode::SERVICE_UNAVAILABLE, &e.to_string())
}

/// The whole catalogue.
#[utoipa::path(
    get,
    path = "/api/v1/catalogue",
    tag = "catalogue",
    responses(
        (status = 200, description = "Indicators, units, former units and reporting regimes", body = CatalogueBody),
        (status = 503, description = "The database is unavailable", body = crate::http::api::openapi::ErrorBody),
    )
)]
pub async fn read(State(state): State<AppState>) -> Response {
    let read = async {
        Ok::<_, app::store::StoreError>(CatalogueBody {
            indicators: state.store.indicators().await?,
            units: state.store.units().await?,
            successions: state.store.successions().await?,
            regimes: state.store.regimes().await?,
        })
    };
    match read.await {
        Ok(body) => Json(body).into_response(),
        Err(e) => unavailable(e),
    }
}

/// One kind of the catalogue as CSV: `indicators.csv` (the catalogue file), `regimes.csv` (the
/// regimes file), `units.csv` (the units file) or `targets.csv` (targets and plans).
#[utoipa::path(
    get,
    path = "/api/v1/catalogue/{file}",
    tag = "catalogue",
    params(("file" = String, Path, pattern = "^(indicators|regimes|units|targets)\\.csv$", description = "`indicators.csv`, `regimes.csv`, `units.csv` or `targets.csv`")),
    responses(
        (status = 200, description = "CSV with a header line", content_type = "text/csv", body = String),
        (status = 404, description = "No such file", body = crate::http::api::openapi::ErrorBody),
        (status = 503, description = "The database is unavailable", body = crate::http::api::openapi::ErrorBody),
    )
)]
pub async fn csv(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let text = match file.as_str() {
        "indicators.csv" => state
            .store
            .indicators()
            .await
            .map(|i| app::catalogue::file::write(&i)),
        "regimes.csv" => state
            .store
            .regimes()
            .await
            .map(|r| app::catalogue::regime_file::write(&r)),
        "units.csv" => {
            async {
                let units = state.store.units().await?;
                let successions = state.store.successions().await?;
                Ok(app::catalogue::unit_file::write(
                    &app::catalogue::unit_file::UnitRecord::all(&units, &successions),
                ))
            }
            .await
        }
        "targets.csv" => {
            state.store.targets().await.map(|t| {
                app::catalogue::target_file::write(&app::model::target::TargetBook::new(t))
            })
        }
        _ => {
            return error(
                StatusCode::NOT_FOUND,
                "không có tệp này: dùng indicators.csv, regimes.csv, units.csv hoặc targets.csv (no such file)",
            );
        }
    };
    match text {
        Ok(text) => ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], text).into_response(),
        Err(e) => unavailable(e),
    }
}
