//! Explanation requests: what `/explanations` and the indicator page's panel ask of the server.
//! Reads need a signed-in person (leaders, the secretariat and administrators see every
//! request; an officer or approver those of their units); every change goes through
//! [`crate::explanations::desk::ExplanationDesk`].

use crate::error::AppError;
use crate::model::explanation::{
    AnswerForm, AskForm, DecideForm, ExplanationCounts, ExplanationRequest, Timeliness,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Which requests a list shows: every part optional (empty: all).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    pub indicator: String,
    pub unit: String,
    /// `waiting` (not accepted yet) or empty for all.
    pub state: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplanationList {
    pub rows: Vec<ExplanationRow>,
    /// Per unit with any request: code, Vietnamese name, counts; the most overdue first.
    pub counts: Vec<(String, String, ExplanationCounts)>,
    pub may_ask: bool,
    pub today: chrono::NaiveDate,
    /// The stream's seq the list is current at (the page listens from there).
    pub seq: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplanationRow {
    pub request: ExplanationRequest,
    pub indicator_vi: String,
    pub indicator_en: String,
    pub unit_name: String,
    pub timeliness: Timeliness,
    /// What the signed-in person may do with it now.
    pub may_answer: bool,
    pub may_decide: bool,
}

#[cfg(feature = "ssr")]
fn desk<'a>(
    store: &'a crate::store::SharedStore,
    catalogue: &'a crate::catalogue::CatalogueIndex,
) -> crate::explanations::desk::ExplanationDesk<'a> {
    crate::explanations::desk::ExplanationDesk {
        store: store.as_ref(),
        catalogue,
        now: crate::request::clock().now(),
    }
}

/// The requests matching `query` that the signed-in person may read, newest first.
#[server(prefix = "/fn", endpoint = "explanations")]
pub async fn get_explanations(query: ListQuery) -> Result<ExplanationList, AppError> {
    use crate::model::auth::Action;
    use crate::model::explanation::{ExplanationQuery, ExplanationState};
    let (viewer, _) = crate::request::signed_in()?;
    let store = expect_context::<crate::store::SharedStore>();
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    let today = crate::request::clock().today();
    let seq = store.current_seq().await?;
    // Unit-scoped people (officers, approvers) read their units' requests only.
    let sees_all = viewer.roles.iter().any(|g| !g.role.is_unit_scoped());
    let mine: Vec<String> = viewer.roles.iter().filter_map(|g| g.unit.clone()).collect();
    let unit = query.unit.trim();
    let units = match (sees_all, unit) {
        (true, "") => None,
        (true, u) => Some(vec![u.to_string()]),
        (false, "") => Some(mine),
        (false, u) => Some(mine.into_iter().filter(|m| m == u).collect()),
    };
    let requests = store
        .explanations(&ExplanationQuery {
            indicator: Some(query.indicator.trim().to_string()).filter(|s| !s.is_empty()),
            units,
            waiting: query.state.trim() == "waiting",
        })
        .await?;
    let mut counts: Vec<(String, String, ExplanationCounts)> = Vec::new();
    let rows = requests
        .into_iter()
        .map(|r| {
            let timeliness = r.timeliness(today);
            match counts.iter_mut().find(|(c, _, _)| *c == r.unit) {
                Some((_, _, n)) => n.add(timeliness),
                None => {
                    let mut n = ExplanationCounts::default();
                    n.add(timeliness);
                    counts.push((r.unit.clone(), catalogue.name_vi(&r.unit), n));
                }
            }
            let indicator = catalogue.indicators.get(&r.indicator);
            let state = r.state();
            ExplanationRow {
                indicator_vi: indicator.map_or_else(|| r.indicator.clone(), |i| i.name_vi.clone()),
                indicator_en: indicator.map_or_else(|| r.indicator.clone(), |i| i.name_en.clone()),
                unit_name: catalogue.name_vi(&r.unit),
                timeliness,
                may_answer: state == ExplanationState::Open
                    && viewer.can(&Action::Explain {
                        unit: r.unit.clone(),
                    }),
                may_decide: state == ExplanationState::Answered
                    && viewer.can(&Action::DecideExplanation {
                        own: r.requester() == Some(viewer.username.as_str()),
                    }),
                request: r,
            }
        })
        .collect();
    counts.sort_by(|a, b| (b.2.overdue, b.2.open, &a.0).cmp(&(a.2.overdue, a.2.open, &b.0)));
    Ok(ExplanationList {
        rows,
        counts,
        may_ask: viewer.can(&Action::AskExplanation),
        today,
        seq,
    })
}

#[server(prefix = "/fn", endpoint = "explanation_ask", input = server_fn::codec::Json)]
pub async fn explanation_ask(form: AskForm) -> Result<ExplanationRequest, AppError> {
    let (viewer, auth) = crate::request::signed_in()?;
    let audit = crate::request::audit_by(&viewer, &auth, "", "");
    let store = expect_context::<crate::store::SharedStore>();
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    desk(&store, &catalogue).ask(&viewer, &form, audit).await
}

#[server(prefix = "/fn", endpoint = "explanation_answer", input = server_fn::codec::Json)]
pub async fn explanation_answer(form: AnswerForm) -> Result<ExplanationRequest, AppError> {
    let (viewer, auth) = crate::request::signed_in()?;
    let audit = crate::request::audit_by(&viewer, &auth, "", "");
    let store = expect_context::<crate::store::SharedStore>();
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    desk(&store, &catalogue).answer(&viewer, &form, audit).await
}

#[server(prefix = "/fn", endpoint = "explanation_decide", input = server_fn::codec::Json)]
pub async fn explanation_decide(form: DecideForm) -> Result<ExplanationRequest, AppError> {
    let (viewer, auth) = crate::request::signed_in()?;
    let audit = crate::request::audit_by(&viewer, &auth, "", "");
    let store = expect_context::<crate::store::SharedStore>();
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    desk(&store, &catalogue).decide(&viewer, &form, audit).await
}
