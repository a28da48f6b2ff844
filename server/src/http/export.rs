//! What an indicator page shows, to take away: its data and its ranking as CSV, its chart as an
//! SVG image. Built by the same [`app::indicators::views::indicator_view`] as the page, from the same query
//! string, so the file always matches the screen.

use crate::http::AppState;
use app::account::auth::RequestAuth;
use app::error::AppError;
use app::indicators::chart::{
    ChartNote, ExtraLine, STANDALONE_STYLE, SeriesChart, chart_lines, chart_marks,
};
use app::indicators::views::indicator_view;
use app::model::i18n::Lang;
use app::model::view::{IndicatorQuery, IndicatorView};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;

/// A view that could not be built, as plain text with its status.
pub struct ExportError(AppError);

impl From<AppError> for ExportError {
    fn from(e: AppError) -> Self {
        ExportError(e)
    }
}

impl IntoResponse for ExportError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.kind.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            self.0.message,
        )
            .into_response()
    }
}

/// The view the page at `/indicators/{code}?<query>` shows to the person asking (with the
/// figure's explanation requests for a signed-in person, as on the page).
async fn view_of(
    state: &AppState,
    auth: &RequestAuth,
    code: String,
    mut query: IndicatorQuery,
) -> Result<IndicatorView, ExportError> {
    query.code = code;
    let catalogue = state.catalogue.now();
    let mut view = indicator_view(state.store.as_ref(), &catalogue, &query)
        .await
        .map_err(ExportError)?;
    view.explanations = app::explanations::api::of_figure(
        state.store.as_ref(),
        &catalogue,
        auth.viewer.as_ref(),
        &view,
        state.clock.today(),
    )
    .await
    .map_err(|e| ExportError(e.into()))?;
    Ok(view)
}

/// A file to download, named after the view.
fn attachment(body: Vec<u8>, content_type: &str, name: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// A CSV file to download named `name`: UTF-8 with a byte-order mark, so spreadsheet programs
/// show the diacritics.
fn csv_file(
    name: String,
    rows: impl FnOnce(&mut csv::Writer<&mut Vec<u8>>) -> csv::Result<()>,
) -> Response {
    let mut out = "\u{feff}".as_bytes().to_vec();
    let written = {
        let mut w = csv::Writer::from_writer(&mut out);
        rows(&mut w).and_then(|()| w.flush().map_err(csv::Error::from))
    };
    match written {
        Ok(()) => attachment(out, "text/csv; charset=utf-8", name),
        Err(e) => {
            tracing::error!(error = %e, "csv export failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "CSV").into_response()
        }
    }
}

fn number(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// `GET /indicators/{code}/data.csv`: the series of the unit shown and of each compared unit.
pub async fn data_csv(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<IndicatorQuery>,
    Extension(auth): Extension<RequestAuth>,
) -> Result<Response, ExportError> {
    let v = view_of(&state, &auth, code, query).await?;
    let name = format!("{}-{}.csv", v.indicator.code, v.unit.code);
    Ok(csv_file(name, |w| {
        w.write_record([
            "indicator",
            "unit",
            "unit_name",
            "period",
            "value",
            "year_ago",
            "simulated",
            "recomputed",
            "explanations",
            "notes",
        ])?;
        // Each period's notes on the record, as one text: days and note.
        let noted = |period: &app::model::Period| {
            v.notes
                .iter()
                .filter(|n| app::model::note::touches((n.from, n.to), period))
                .map(|n| {
                    format!(
                        "{}: {}",
                        app::model::note::days((n.from, n.to), Lang::Vi),
                        n.text
                    )
                })
                .collect::<Vec<_>>()
                .join(" | ")
        };
        let flag = |b: bool| if b { "true" } else { "false" };
        // Each period's explanation requests, as one text: question, answer, where it stands.
        let explained = |period: &app::model::Period| {
            v.explanations
                .iter()
                .flat_map(|l| l.rows.iter())
                .filter(|r| r.request.period == *period)
                .map(|r| {
                    let q = &r.request;
                    let files = q
                        .latest_answer_files()
                        .iter()
                        .map(|a| a.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ");
                    format!(
                        "Yêu cầu: {} — Giải trình: {}{} ({})",
                        q.question(),
                        q.latest_answer().unwrap_or("chưa có"),
                        if files.is_empty() {
                            String::new()
                        } else {
                            format!(" — Tệp: {files}")
                        },
                        q.state().label(Lang::Vi)
                    )
                })
                .collect::<Vec<_>>()
                .join(" | ")
        };
        for (i, p) in v.series.iter().enumerate() {
            w.write_record([
                v.indicator.code.as_str(),
                &v.unit.code,
                &v.unit.name_vi,
                &p.period.to_string(),
                &p.value.to_string(),
                &number(v.year_ago.get(i).copied().flatten()),
                flag(p.simulated),
                flag(v.recomputed.as_ref().is_some_and(|r| r.covers(&p.period))),
                &explained(&p.period),
                &noted(&p.period),
            ])?;
        }
        for c in &v.compared {
            for (p, value) in v.series.iter().zip(&c.values) {
                if let Some(value) = value {
                    w.write_record([
                        v.indicator.code.as_str(),
                        &c.unit.code,
                        &c.unit.name_vi,
                        &p.period.to_string(),
                        &value.to_string(),
                        "",
                        "",
                        "",
                        "",
                        "",
                    ])?;
                }
            }
        }
        Ok(())
    }))
}

/// `GET /indicators/{code}/ranking.csv`: the ranking as shown, in its order.
pub async fn ranking_csv(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<IndicatorQuery>,
    Extension(auth): Extension<RequestAuth>,
) -> Result<Response, ExportError> {
    let v = view_of(&state, &auth, code, query).await?;
    let period = v.ranking_period.map(|p| p.to_string()).unwrap_or_default();
    let name = format!("{}-{}-ranking-{period}.csv", v.indicator.code, v.unit.code);
    Ok(csv_file(name, |w| {
        w.write_record([
            "rank",
            "indicator",
            "unit",
            "unit_name",
            "period",
            "value",
            "year_ago",
            "simulated",
        ])?;
        for (i, r) in v.ranking.iter().enumerate() {
            w.write_record([
                (i + 1).to_string().as_str(),
                &v.indicator.code,
                &r.unit,
                &r.name_vi,
                &period,
                &r.value.to_string(),
                &number(r.year_ago),
                if r.simulated { "true" } else { "false" },
            ])?;
        }
        Ok(())
    }))
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `GET /indicators/{code}/chart.svg`: the chart as a standalone image, titled, in the
/// reader's language.
pub async fn chart_svg(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<IndicatorQuery>,
    Extension(auth): Extension<RequestAuth>,
    headers: HeaderMap,
) -> Result<Response, ExportError> {
    let lang = Lang::from_headers(&headers);
    let v = view_of(&state, &auth, code, query).await?;
    let unit_name = lang.unit_name(&v.unit);
    let name = lang
        .pick(&v.indicator.name_vi, &v.indicator.name_en)
        .to_string();
    let measure = lang
        .pick(&v.indicator.measure_vi, &v.indicator.measure)
        .to_string();
    let title = format!("{name} · {unit_name} ({measure})");
    let extra: Vec<ExtraLine> = v
        .compared
        .iter()
        .map(|c| ExtraLine {
            label: lang.unit_name(&c.unit),
            values: c.values.clone(),
        })
        .collect();
    let legend = std::iter::once(unit_name.clone())
        .chain(extra.iter().map(|e| e.label.clone()))
        .collect::<Vec<_>>()
        .join(" · ");
    let target = app::model::target::chart_target(&v.indicator, &v.unit.code, v.standing.as_ref());
    let (plan, projection) = chart_lines(lang, &v.indicator, v.standing.as_ref());
    let marks = v
        .explanations
        .as_ref()
        .map(|l| chart_marks(lang, l))
        .unwrap_or_default();
    let notes: Vec<ChartNote> = v.notes.iter().map(|n| ChartNote::of(n, lang)).collect();
    let chart = Owner::new().with(|| {
        provide_context(lang);
        view! {
            <SeriesChart series=v.series.clone() year_ago=v.year_ago.clone() compared=extra target decimals=v.indicator.decimals label=title.clone() ceiling=v.indicator.ceiling() plan projection marks notes/>
        }
        .to_html()
    });
    // Placed under the title; `<!>` are the renderer's hydration markers, not XML.
    let chart = chart.replace("<!>", "").replacen(
        "<svg class=\"chart\"",
        "<svg class=\"chart\" y=\"44\" width=\"800\" height=\"280\"",
        1,
    );
    let note = if v.simulated {
        lang.pick(
            "DỮ LIỆU MÔ PHỎNG — không phải số liệu chính thức",
            "SIMULATED DATA — not official figures",
        )
    } else {
        ""
    };
    let svg = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"350\" viewBox=\"0 0 800 350\"><style>{STANDALONE_STYLE}</style><rect width=\"800\" height=\"350\" fill=\"#fff\"/><text class=\"title\" x=\"12\" y=\"20\">{}</text><text class=\"axis\" x=\"12\" y=\"38\">{}</text>{chart}<text class=\"axis\" x=\"12\" y=\"342\">{}</text></svg>\n",
        xml_escape(&title),
        xml_escape(&legend),
        xml_escape(note),
    );
    Ok(attachment(
        svg.into_bytes(),
        "image/svg+xml",
        format!("{}-{}.svg", v.indicator.code, v.unit.code),
    ))
}
