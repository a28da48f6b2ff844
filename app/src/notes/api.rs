//! Notes on the record as pages read and write them: the notes touching a chart, and the
//! server functions behind the note form (through [`crate::notes::desk`] only).

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::model::note::{Note, NoteForm, NoteLine, NoteScope};
use leptos::prelude::*;

/// The scope as the note form writes it: `all`, `field:<field>`, `indicator:<code>`.
#[cfg(feature = "ssr")]
fn scope_text(scope: &NoteScope) -> String {
    match scope {
        NoteScope::All => "all".into(),
        NoteScope::Field(f) => format!("field:{}", f.as_str()),
        NoteScope::Indicator(code) => format!("indicator:{code}"),
    }
}

/// [ssr] The notes on `indicator`'s chart for `unit` (below the units of `breadcrumb`, from
/// the nation down) whose days touch `from`..=`to`, oldest first, each saying what it is
/// about in both languages. A note for a province reaches its communes' charts.
#[cfg(feature = "ssr")]
pub fn on_chart(
    catalogue: &crate::catalogue::CatalogueIndex,
    indicator: &crate::model::Indicator,
    unit: &str,
    breadcrumb: &[crate::model::Unit],
    (from, to): (chrono::NaiveDate, chrono::NaiveDate),
) -> Vec<NoteLine> {
    let place: Vec<&str> = std::iter::once(unit)
        .chain(
            breadcrumb
                .iter()
                .rev()
                .map(|u| u.code.as_str())
                .filter(|c| *c != crate::model::UnitCode::NATIONAL),
        )
        .collect();
    catalogue
        .notes
        .iter()
        .filter(|n| n.applies(indicator, &place) && n.from <= to && from <= n.to)
        .map(|n: &Note| NoteLine {
            id: n.id,
            version: n.version,
            from: n.from,
            to: n.to,
            text: n.text.clone(),
            about: match &n.scope {
                NoteScope::All => ("Mọi chỉ tiêu".into(), "Every indicator".into()),
                NoteScope::Field(f) => (
                    format!("Lĩnh vực {}", f.label_vi()),
                    format!("Field: {}", f.label_en()),
                ),
                NoteScope::Indicator(_) => (indicator.name_vi.clone(), indicator.name_en.clone()),
            },
            units: n.units.clone(),
            written_by: n.written_by.clone(),
            scope: scope_text(&n.scope),
        })
        .collect()
}

/// Writes a note (`id` 0) or corrects one at `version`: its days (`from`, `to` as
/// `YYYY-MM-DD`; `to` empty for one day), its text, what it is about (`scope`) and for whom
/// (`units`, codes; empty for every unit). Answers the note's id.
#[server(prefix = "/fn", endpoint = "note_save")]
#[allow(clippy::too_many_arguments)]
pub async fn note_save(
    #[server(default)] id: i64,
    #[server(default)] version: i64,
    from: String,
    #[server(default)] to: String,
    text: String,
    scope: String,
    #[server(default)] units: String,
) -> Result<i64, AppError> {
    let form = NoteForm {
        id,
        version,
        from,
        to,
        text,
        scope,
        units,
    };
    at_desk(async |desk, viewer, audit| desk.write(viewer, &form, audit).await).await
}

/// Takes a note away (it stays in the audit log).
#[server(prefix = "/fn", endpoint = "note_remove")]
pub async fn note_remove(id: i64, version: i64) -> Result<i64, AppError> {
    at_desk(async |desk, viewer, audit| desk.remove(viewer, id, version, audit).await).await
}

#[cfg(feature = "ssr")]
async fn at_desk(
    act: impl AsyncFnOnce(
        &crate::notes::desk::NoteDesk<'_>,
        &crate::model::auth::Viewer,
        crate::store::AuditEntry,
    ) -> Result<crate::model::note::Note, AppError>,
) -> Result<i64, AppError> {
    let (viewer, auth) = crate::request::signed_in()?;
    let audit = crate::request::audit_by(&viewer, &auth, "", "");
    let store = expect_context::<crate::store::SharedStore>();
    let live = expect_context::<crate::catalogue::LiveCatalogue>();
    let desk = crate::notes::desk::NoteDesk {
        store: store.as_ref(),
        live: &live,
        now: crate::request::clock().now(),
    };
    act(&desk, &viewer, audit).await.map(|n| n.id)
}
