//! `GET /api/v1/openapi.json`: the REST contract, generated from the handlers' annotations and
//! the types they exchange (utoipa). The WebSocket contract is in docs/api.md.

use crate::http::api::observations;
use app::model::ingest::RowError;
use app::model::observation::DataStatus;
use app::model::{Observation, Revision, Source};
use axum::Json;
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// One value sent by the national reporting system. As CSV: a header line naming these columns.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct IngestRow {
    #[schema(example = "EXPORT_VALUE", min_length = 1)]
    indicator: String,
    #[schema(example = "01", min_length = 1)]
    unit: String,
    /// `2026`, `2026-H1`, `2026-Q3`, `2026-10`, `2026-W45` or `2026-10-05`; not in the future.
    /// (The pattern is the shape only, here and on the query parameters; the server also
    /// checks the period is real: `2026-13` is refused.)
    #[schema(
        example = "2026-10",
        pattern = r"^[0-9]{4}(-(H[12]|Q[1-4]|W[0-9]{2}|[0-9]{2}(-[0-9]{2})?))?$"
    )]
    period: String,
    #[schema(example = 1234.5)]
    value: f64,
    /// Up to 1,000 characters, kept with the revision.
    #[schema(max_length = 1000)]
    note: Option<String>,
    /// The sender's reference, up to 200 characters.
    #[schema(max_length = 200)]
    source_ref: Option<String>,
}

/// A batch: all of it is stored, or none.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct IngestBatch {
    #[schema(max_items = 10000)]
    observations: Vec<IngestRow>,
}

#[derive(Serialize, ToSchema)]
pub struct IngestOutcome {
    /// Values that were new or changed (a changed value is a new revision).
    pub stored: u64,
    /// Values equal to the stored ones: nothing was written for them.
    pub unchanged: u64,
    /// Values computed from the batch in the same transaction that changed with it: national
    /// sums of indicators whose national figure is computed, and derived indicators.
    pub computed: u64,
    /// The highest seq given to the batch, when anything was stored.
    pub last_seq: Option<i64>,
}

/// Every bad row of a refused batch; nothing was stored.
#[derive(Serialize, ToSchema)]
pub struct RowErrors {
    pub errors: Vec<RowError>,
}

/// A refusal with its reason, in Vietnamese then English.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: String,
}

#[derive(Serialize, ToSchema)]
pub struct Observations {
    pub observations: Vec<Observation>,
}

#[derive(Serialize, ToSchema)]
pub struct Revisions {
    pub revisions: Vec<Revision>,
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "API token from `scripts/run token create --unit <code> --name …`",
                    ))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "dieuhanh",
        description = "Trung tâm chỉ đạo, điều hành: REST API. Luồng trực tiếp (live stream): GET /ws, see docs/api.md."
    ),
    paths(
        observations::ingest,
        observations::read,
        observations::revisions,
        super::catalogue::read,
        super::catalogue::csv,
        super::whoami::whoami,
        crate::http::health::healthz,
        crate::http::health::readyz,
        openapi_json,
    ),
    components(schemas(
        IngestBatch, IngestRow, IngestOutcome, RowErrors, RowError, ErrorBody, Observations,
        Observation, Revisions, Revision, Source, DataStatus, super::catalogue::CatalogueBody,
        app::model::Indicator, app::model::Unit, app::model::UnitKind, app::model::Periodicity,
        app::model::Rollup, app::model::GoodDirection, app::model::ChangeKind, app::model::Field,
        app::model::NationalFigure, app::model::Succession
    )),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// The OpenAPI document of this API.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json"))
)]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
