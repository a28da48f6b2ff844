//! The stored briefs as the `/briefs` page reads and changes them, through
//! [`crate::brief::desk`] only. The PDFs are the server's `/briefs/{month}.pdf`.

use crate::brief::model::BriefRecord;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Every stored brief, newest first, and what the person may do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BriefList {
    pub items: Vec<BriefRecord>,
    pub can_prepare: bool,
    /// The month a new draft is offered for: last month.
    pub last_month: String,
}

#[cfg(feature = "ssr")]
fn reader() -> Result<
    (
        crate::model::auth::Viewer,
        crate::account::auth::RequestAuth,
    ),
    AppError,
> {
    let (viewer, auth) = crate::request::signed_in()?;
    if !viewer.can(&crate::model::auth::Action::ReadBriefs) {
        return Err(AppError::not_allowed());
    }
    Ok((viewer, auth))
}

#[cfg(feature = "ssr")]
async fn at_desk(
    act: impl AsyncFnOnce(
        &crate::brief::desk::BriefDesk<'_>,
        &crate::model::auth::Viewer,
        crate::store::AuditEntry,
    ) -> Result<BriefRecord, AppError>,
) -> Result<BriefRecord, AppError> {
    let (viewer, auth) = crate::request::signed_in()?;
    let audit = crate::request::audit_by(&viewer, &auth, "", "");
    let store = expect_context::<crate::store::SharedStore>();
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    let desk = crate::brief::desk::BriefDesk {
        store: store.as_ref(),
        catalogue: &catalogue,
        now: crate::request::clock().now(),
    };
    act(&desk, &viewer, audit).await
}

#[server(prefix = "/fn", endpoint = "briefs")]
pub async fn get_briefs() -> Result<BriefList, AppError> {
    let (viewer, _) = reader()?;
    let store = expect_context::<crate::store::SharedStore>();
    let today = crate::request::clock().today();
    let last = crate::model::Period::containing(crate::model::Periodicity::Monthly, today).prev();
    Ok(BriefList {
        items: store.briefs().await?,
        can_prepare: viewer.can(&crate::model::auth::Action::PrepareBriefs),
        last_month: last.to_string(),
    })
}

/// Composes `month`'s brief (`YYYY-MM`) now as its draft, for `meeting` (an id; empty: the
/// regular meeting held in the month after), with an annex per field of `annex` (codes
/// separated by commas, `all`, or empty for none).
#[server(prefix = "/fn", endpoint = "brief_draft")]
pub async fn brief_draft(
    month: String,
    #[server(default)] meeting: String,
    #[server(default)] annex: String,
) -> Result<BriefRecord, AppError> {
    let annex = crate::brief::model::parse_annex(&annex).map_err(AppError::invalid)?;
    let meeting = match meeting.trim() {
        "" => None,
        m => Some(m.parse::<i64>().map_err(|_| {
            AppError::invalid(format!(
                "Phiên họp “{m}” không phải số phiên họp. (Not a meeting id.)"
            ))
        })?),
    };
    at_desk(async |desk, viewer, audit| {
        desk.draft(
            crate::brief::desk::By::Person(viewer),
            &month,
            meeting,
            Some(annex),
            audit,
        )
        .await
    })
    .await
}

/// A draft's commentary as its form sends it: the draft at `revision`, and a text per section
/// (empty: none).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentForm {
    pub id: i64,
    pub revision: i64,
    #[serde(default)]
    pub figures: String,
    #[serde(default)]
    pub off_track: String,
    #[serde(default)]
    pub movers: String,
    #[serde(default)]
    pub reporting: String,
    #[serde(default)]
    pub explanations: String,
    #[serde(default)]
    pub tasks: String,
}

/// The draft's commentary, replaced by the form's.
#[server(prefix = "/fn", endpoint = "brief_comment")]
pub async fn brief_comment(form: CommentForm) -> Result<BriefRecord, AppError> {
    let CommentForm {
        id,
        revision,
        figures,
        off_track,
        movers,
        reporting,
        explanations,
        tasks,
    } = form;
    let fields: Vec<(String, String)> = [
        ("figures", figures),
        ("off_track", off_track),
        ("movers", movers),
        ("reporting", reporting),
        ("explanations", explanations),
        ("tasks", tasks),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    at_desk(async |desk, viewer, audit| desk.comment(viewer, id, revision, &fields, audit).await)
        .await
}

/// Marks the draft at `revision` final.
#[server(prefix = "/fn", endpoint = "brief_final")]
pub async fn brief_final(id: i64, revision: i64) -> Result<BriefRecord, AppError> {
    at_desk(async |desk, viewer, audit| desk.finalise(viewer, id, revision, audit).await).await
}
