//! Explanation requests: what `/explanations` and the indicator page's panel ask of the server.
//! Reads need a signed-in person (leaders, the secretariat and administrators see every
//! request; an officer or approver those of their units); every change goes through
//! [`crate::explanations::desk::ExplanationDesk`].

use crate::error::AppError;
use crate::model::explanation::{
    AnswerForm, AskForm, DecideForm, ExplanationList, ExplanationRequest, ListQuery,
};
use leptos::prelude::*;

/// [ssr] Runs `act` on the desk for the signed-in person, with the audit row of their request:
/// the one way in for every change to a request.
#[cfg(feature = "ssr")]
async fn at_desk(
    act: impl AsyncFnOnce(
        &crate::explanations::desk::ExplanationDesk<'_>,
        &crate::model::auth::Viewer,
        crate::store::AuditEntry,
    ) -> Result<ExplanationRequest, AppError>,
) -> Result<ExplanationRequest, AppError> {
    let (viewer, auth) = crate::request::signed_in()?;
    let audit = crate::request::audit_by(&viewer, &auth, "", "");
    let store = expect_context::<crate::store::SharedStore>();
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    let desk = crate::explanations::desk::ExplanationDesk {
        store: store.as_ref(),
        catalogue: &catalogue,
        now: crate::request::clock().now(),
    };
    act(&desk, &viewer, audit).await
}

/// The requests matching `query` that the signed-in person may read, newest first.
#[server(prefix = "/fn", endpoint = "explanations")]
pub async fn get_explanations(query: ListQuery) -> Result<ExplanationList, AppError> {
    let (viewer, _) = crate::request::signed_in()?;
    let store = expect_context::<crate::store::SharedStore>();
    let catalogue = expect_context::<crate::catalogue::LiveCatalogue>().now();
    let today = crate::request::clock().today();
    Ok(read(store.as_ref(), &catalogue, &viewer, &query, today).await?)
}

/// [ssr] What `viewer` may read of the requests matching `query`, with what they may do with
/// each: the list page, the indicator page and its CSV read it so.
#[cfg(feature = "ssr")]
pub async fn read(
    store: &dyn crate::store::Store,
    catalogue: &crate::catalogue::CatalogueIndex,
    viewer: &crate::model::auth::Viewer,
    query: &ListQuery,
    today: chrono::NaiveDate,
) -> Result<ExplanationList, crate::store::StoreError> {
    use crate::model::auth::Action;
    use crate::model::explanation::{
        ExplanationCounts, ExplanationQuery, ExplanationRow, ExplanationState,
    };
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

/// [ssr] The requests about the figure an indicator page shows, for a signed-in `viewer`.
#[cfg(feature = "ssr")]
pub async fn of_figure(
    store: &dyn crate::store::Store,
    catalogue: &crate::catalogue::CatalogueIndex,
    viewer: Option<&crate::model::auth::Viewer>,
    view: &crate::model::view::IndicatorView,
    today: chrono::NaiveDate,
) -> Result<Option<ExplanationList>, crate::store::StoreError> {
    let Some(viewer) = viewer else {
        return Ok(None);
    };
    let query = ListQuery {
        indicator: view.indicator.code.clone(),
        unit: view.unit.code.clone(),
        state: String::new(),
    };
    Ok(Some(read(store, catalogue, viewer, &query, today).await?))
}

#[server(prefix = "/fn", endpoint = "explanation_ask", input = server_fn::codec::Json)]
pub async fn explanation_ask(form: AskForm) -> Result<ExplanationRequest, AppError> {
    at_desk(async |d, viewer, audit| d.ask(viewer, &form, audit).await).await
}

#[server(prefix = "/fn", endpoint = "explanation_answer", input = server_fn::codec::Json)]
pub async fn explanation_answer(form: AnswerForm) -> Result<ExplanationRequest, AppError> {
    at_desk(async |d, viewer, audit| d.answer(viewer, &form, audit).await).await
}

#[server(prefix = "/fn", endpoint = "explanation_decide", input = server_fn::codec::Json)]
pub async fn explanation_decide(form: DecideForm) -> Result<ExplanationRequest, AppError> {
    at_desk(async |d, viewer, audit| d.decide(viewer, &form, audit).await).await
}
