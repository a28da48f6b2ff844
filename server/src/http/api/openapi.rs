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
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct IngestRow {
    #[schema(example = "EXPORT_VALUE", min_length = 1)]
    indicator: String,
    #[schema(example = "01")]
    unit: String,
    /// `2026`, `2026-H1`, `2026-Q3`, `2026-10`, `2026-W45` or `2026-10-05`, 1900 to 2200;
    /// not in the future. (The pattern, here and on the query parameters, is the calendar's.)
    #[schema(example = "2026-10")]
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
#[serde(deny_unknown_fields)]
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

/// One target or plan point. A year's line (`2026`) is that year's target; a line of the
/// indicator's own periodicity (`2026-Q1`, `2026-03`) is the plan's expected value for it
/// (year to date for a figure counted over the year).
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct TargetLine {
    #[schema(example = "GRDP_GROWTH", min_length = 1)]
    indicator: String,
    /// A unit that reports the indicator.
    #[schema(example = "01")]
    unit: String,
    #[schema(example = "2026")]
    period: String,
    /// Within the indicator's valid range; null takes the target or plan point away.
    #[schema(example = 8.3)]
    target: Option<f64>,
    /// A year's target as a range: its upper end.
    #[schema(example = 8.5)]
    target_max: Option<f64>,
}

/// A batch of targets: all of it is stored, or none.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct TargetBatch {
    #[schema(max_items = 20000)]
    targets: Vec<TargetLine>,
}

/// What a batch of targets changed, as `indicator/unit/period`.
#[derive(Serialize, ToSchema)]
pub struct TargetOutcome {
    pub created: Vec<String>,
    pub changed: Vec<String>,
    /// Lines equal to what is stored, or taking away what is not there.
    pub unchanged: usize,
}

/// One thing wrong with a line: where (`line` from 1, in the batch's order or the file's; 0
/// for the whole) and why, in Vietnamese then English.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct TargetProblem {
    line: usize,
    column: String,
    message: String,
}

/// Every problem of a refused batch; nothing was stored.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct TargetProblems {
    errors: Vec<TargetProblem>,
}

/// A published value, with its unit's goals for it and where the unit stood with it.
#[derive(Serialize, ToSchema)]
pub struct OpenObservation {
    #[serde(flatten)]
    pub observation: Observation,
    #[serde(flatten)]
    pub on_record: app::steering::standings::OnRecord,
}

#[derive(Serialize, ToSchema)]
pub struct Observations {
    pub observations: Vec<OpenObservation>,
    /// Where the next page begins (pass it as `after`), when this page is full.
    pub next: Option<String>,
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

/// The patterns of periods and unit codes, from the parsers' own definitions, on every
/// parameter and field that carries one (written once here rather than in each annotation).
struct Patterns;

impl Modify for Patterns {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{RefOr, Required, Schema};
        let period = app::model::Period::pattern();
        let pattern_of = |name: &str| match name {
            "period" | "from" | "to" => Some(period.clone()),
            "after" => Some(observations::cursor_pattern()),
            "unit" => Some(app::model::UnitCode::PATTERN.to_string()),
            _ => None,
        };
        let set = |schema: &mut RefOr<Schema>, pattern: String| {
            if let RefOr::T(Schema::Object(o)) = schema {
                o.pattern = Some(pattern);
                o.min_length = None;
            }
        };
        for item in api.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.delete,
            ];
            for op in operations.into_iter().flatten() {
                for p in op.parameters.iter_mut().flatten() {
                    if let (Some(pattern), Some(schema)) = (pattern_of(&p.name), &mut p.schema) {
                        // An optional parameter given empty is one not given.
                        let pattern = match p.required {
                            Required::True => pattern,
                            Required::False => format!("^(?:{})?$", &pattern[1..pattern.len() - 1]),
                        };
                        set(schema, pattern);
                    }
                }
                let bodies = op
                    .request_body
                    .iter_mut()
                    .flat_map(|b| b.content.iter_mut());
                for (kind, content) in bodies {
                    if let (true, Some(schema)) = (kind == "text/csv", &mut content.schema) {
                        set(schema, csv_pattern());
                    }
                }
            }
        }
        let schemas = api.components.iter_mut().flat_map(|c| c.schemas.iter_mut());
        for (name, schema) in schemas {
            if name != "IngestRow" {
                continue;
            }
            if let RefOr::T(Schema::Object(o)) = schema {
                for (field, s) in o.properties.iter_mut() {
                    let pattern = match field.as_str() {
                        "indicator" => Some(INDICATOR_PATTERN.to_string()),
                        other => pattern_of(other),
                    };
                    if let Some(pattern) = pattern {
                        set(s, pattern);
                    }
                }
            }
        }
    }
}

/// An indicator code as the catalogue writes them.
const INDICATOR_PATTERN: &str = "^[A-Z][A-Z0-9_]{1,39}$";

/// A CSV batch: empty, or a header line of the four columns (and `note`, then `source_ref`,
/// when given) and lines of as many cells. The server also takes the columns in another order.
fn csv_pattern() -> String {
    let within = |p: &str| p[1..p.len() - 1].to_string();
    let key = format!(
        "{},{},{},-?[0-9]{{1,15}}(?:\\.[0-9]{{1,6}})?",
        within(INDICATOR_PATTERN),
        within(app::model::UnitCode::PATTERN),
        app::model::Period::pattern_within()
    );
    let text = "[^,\"\\x00-\\x1f\\x7f]{0,200}";
    let form = |header: &str, extra: &str| format!("{header}(?:\\r?\\n{key}{extra})*(?:\\r?\\n)?");
    format!(
        "^(?:{}|{}|{})?$",
        form("indicator,unit,period,value", ""),
        form("indicator,unit,period,value,note", &format!(",{text}")),
        form(
            "indicator,unit,period,value,note,source_ref",
            &format!(",{text},{text}")
        )
    )
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
        super::contributions::read,
        super::targets::set,
        super::catalogue::read,
        super::catalogue::csv,
        super::whoami::whoami,
        crate::http::health::healthz,
        crate::http::health::readyz,
        openapi_json,
    ),
    components(schemas(
        IngestBatch, IngestRow, IngestOutcome, RowErrors, RowError, ErrorBody, Observations,
        OpenObservation, app::steering::standings::OnRecord, app::model::target::Standing,
        Observation, Revisions, Revision, Source, DataStatus, super::catalogue::CatalogueBody,
        app::model::Indicator, app::model::Unit, app::model::UnitKind, app::model::Periodicity,
        app::model::Rollup, app::model::GoodDirection, app::model::ChangeKind, app::model::Field,
        app::model::NationalFigure, app::model::Succession,
        app::model::contribution::Contributions, app::model::contribution::Contribution,
        TargetBatch, TargetLine, TargetOutcome, TargetProblem, TargetProblems
    )),
    modifiers(&BearerAuth, &Patterns)
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
