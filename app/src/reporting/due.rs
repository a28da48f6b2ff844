//! `/entry`: for a unit's reporting officers and approvers, every report their unit owes under
//! the regimes in force (Decree 09/2019/NĐ-CP): those of the last year past their deadline and not
//! approved (overdue first, with how late, then returned, then awaiting approval), then those
//! falling due within the week, soonest first, with the days each covers; each leads to its form
//! (`/entry/<unit>/<period>?regime=<code>`).

use crate::model::i18n::{Lang, use_lang};
use crate::model::report::ReportStatus;
use crate::reporting::api::{DUE_DAYS, due_reports};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{LazyRoute, lazy_route};

/// Loaded on demand: only officers and approvers open it.
pub struct EntryRoute;

#[lazy_route]
impl LazyRoute for EntryRoute {
    fn data() -> Self {
        EntryRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <EntryPage/> }.into_any()
    }
}

/// Where a report's form is: the unit, the period and the regime it is made under.
pub fn form_href(regime: &str, unit: &str, period: &crate::model::Period) -> String {
    format!("/entry/{unit}/{period}?regime={regime}")
}

fn name(lang: Lang, d: &crate::model::reporting::Due) -> String {
    match lang {
        Lang::Vi => d.name_vi.clone(),
        Lang::En => d.name_en.clone(),
    }
}

#[component]
pub fn EntryPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| due_reports());
    view! {
        <Title text=lang.pick("Báo cáo của đơn vị", "The unit's reports")/>
        <div class="page-head">
            <h1>{lang.pick("Báo cáo của đơn vị", "The unit's reports")}</h1>
            <p class="en">{lang.pick("Theo Nghị định 09/2019/NĐ-CP; hạn tính theo ngày làm việc.", "Under Decree 09/2019/NĐ-CP; deadlines count working days.")}</p>
        </div>
        <WaitingExplanations/>
        <Suspense fallback=move || view! { <p class="loading">{lang.pick("Đang tải…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                let data = data.await;
                // Reminders: reports due within two days and not sent, and reports waiting for
                // approval, across the person's units.
                let reminders: Vec<_> = data.iter().flatten().flat_map(|u| u.reminders.clone()).collect();
                let reminders = (!reminders.is_empty()).then(|| {
                    let items = reminders.iter().map(|r| {
                        let href = form_href(&r.regime, &r.unit, &r.period);
                        let what = if r.to_approve {
                            lang.pick("chờ bạn phê duyệt", "awaiting your approval")
                        } else {
                            lang.pick("chưa gửi, hạn", "not sent, due")
                        };
                        view! { <li><a href=href>{format!("{} · {} · {} {}", r.unit, lang.period(&r.period), what, lang.date(r.deadline))}</a></li> }
                    }).collect_view();
                    view! {
                        <section class="panel notice" data-testid="reminders">
                            <h2>{lang.pick("Nhắc việc", "Reminders")}</h2>
                            <ul>{items}</ul>
                        </section>
                    }
                });
                let body = match data {
                    Err(e) => view! { <p class="panel form-error" role="alert" data-testid="refused">{e.shown()}</p> }.into_any(),
                    Ok(units) => units.into_iter().map(|u| {
                        let today = u.today;
                        let code = u.unit.code.clone();
                        let rows = u.due.iter().zip(u.status.iter()).map(|(d, status)| {
                            let href = form_href(&d.regime, &code, &d.period);
                            let status_text = match status {
                                Some(s) => s.label(lang == Lang::Vi),
                                None => lang.pick("Chưa nhập", "Not started"),
                            };
                            let left = (d.deadline - today).num_days();
                            let left_text = match (lang, left) {
                                (Lang::Vi, 0) => "hôm nay".to_string(),
                                (Lang::En, 0) => "today".to_string(),
                                (Lang::Vi, n) => format!("còn {n} ngày"),
                                (Lang::En, 1) => "1 day left".to_string(),
                                (Lang::En, n) => format!("{n} days left"),
                            };
                            view! {
                                <tr data-period=d.period.to_string() data-regime=d.regime.clone() class:urgent=left <= 1>
                                    <td>{name(lang, d)}</td>
                                    <td>{lang.period(&d.period)}</td>
                                    <td>{format!("{} – {}", lang.date(d.window.0), lang.date(d.window.1))}</td>
                                    <td>{lang.date(d.deadline)}</td>
                                    <td>{left_text}</td>
                                    <td>{status_text}</td>
                                    <td><a class="link-button" href=href data-testid="open-form">{lang.pick("Nhập / xem", "Open")}</a></td>
                                </tr>
                            }
                        }).collect_view();
                        // What the unit still owes, worst first, with how late it is.
                        let owed = u.owed.iter().map(|o| {
                            let d = &o.due;
                            let href = form_href(&d.regime, &code, &d.period);
                            let late = (today - d.deadline).num_days();
                            let (state, bad) = match o.status {
                                None | Some(ReportStatus::Draft) => (match lang {
                                    Lang::Vi => format!("Quá hạn {late} ngày, chưa gửi"),
                                    Lang::En => format!("{late} days overdue, not sent"),
                                }, true),
                                Some(s) => (s.label(lang == Lang::Vi).to_string(), s == ReportStatus::Returned),
                            };
                            view! {
                                <tr data-period=d.period.to_string() data-regime=d.regime.clone() class:urgent=bad>
                                    <td>{name(lang, d)}</td>
                                    <td>{lang.period(&d.period)}</td>
                                    <td>{lang.date(d.deadline)}</td>
                                    <td>{state}</td>
                                    <td><a class="link-button" href=href>{lang.pick("Nhập / xem", "Open")}</a></td>
                                </tr>
                            }
                        }).collect_view();
                        let owed = (!u.owed.is_empty()).then(|| view! {
                            <h3>{lang.pick("Báo cáo quá hạn, bị trả lại hoặc chờ phê duyệt", "Overdue, returned or awaiting approval")}</h3>
                            <table class="data" data-testid="owed">
                                <thead><tr>
                                    <th>{lang.pick("Báo cáo", "Report")}</th><th>{lang.pick("Kỳ", "Period")}</th>
                                    <th>{lang.pick("Hạn gửi", "Due")}</th><th>{lang.pick("Trạng thái", "Status")}</th><th></th>
                                </tr></thead>
                                <tbody>{owed}</tbody>
                            </table>
                        });
                        let recent: Vec<_> = u.recent.iter().map(|(r, p, s)| {
                            let href = form_href(r, &u.unit.code, p);
                            view! { <li><a href=href>{lang.period(p)}</a>{format!(" · {}", s.label(lang == Lang::Vi))}</li> }
                        }).collect();
                        let empty = u.due.is_empty().then(|| view! {
                            <p class="muted">{match lang {
                                Lang::Vi => format!("Không có báo cáo nào đến hạn trong {DUE_DAYS} ngày tới."),
                                Lang::En => format!("Nothing is due in the next {DUE_DAYS} days."),
                            }}</p>
                        });
                        view! {
                            <section class="panel" data-testid="due" data-unit=u.unit.code.clone()>
                                <h2>{lang.unit_name(&u.unit)}</h2>
                                {owed}
                                <h3>{lang.pick("Sắp đến hạn", "Falling due")}</h3>
                                {empty}
                                <table class="data">
                                    <thead><tr>
                                        <th>{lang.pick("Báo cáo", "Report")}</th><th>{lang.pick("Kỳ", "Period")}</th>
                                        <th>{lang.pick("Số liệu từ – đến", "Covers")}</th><th>{lang.pick("Hạn gửi", "Due")}</th><th></th>
                                        <th>{lang.pick("Trạng thái", "Status")}</th><th></th>
                                    </tr></thead>
                                    <tbody>{rows}</tbody>
                                </table>
                                {(!recent.is_empty()).then(|| view! {
                                    <h3>{lang.pick("Báo cáo gần đây", "Recent reports")}</h3>
                                    <ul class="recent-reports">{recent}</ul>
                                })}
                            </section>
                        }
                    }).collect_view().into_any(),
                };
                view! { {reminders} {body} }.into_any()
            })}
        </Suspense>
    }
}

/// At the top of the desk: the explanation requests the person's units must answer, each with
/// its answer form.
#[component]
fn WaitingExplanations() -> impl IntoView {
    use crate::explanations::cards::RequestCard;
    use crate::model::explanation::ListQuery;
    let lang = use_lang();
    let query = ListQuery {
        state: "waiting".into(),
        ..Default::default()
    };
    let data = Resource::new(
        move || query.clone(),
        crate::explanations::api::get_explanations,
    );
    let refresh = Callback::new(move |_| data.refetch());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let rows: Vec<_> = data.await.map(|l| l.rows).unwrap_or_default().into_iter().filter(|r| r.may_answer).collect();
                (!rows.is_empty()).then(|| {
                    let cards = rows.into_iter().map(|row| view! { <RequestCard row changed=refresh/> }).collect_view();
                    view! {
                        <section class="panel notice" data-testid="waiting-explanations">
                            <h2>{lang.pick("Yêu cầu giải trình chờ đơn vị trả lời", "Explanation requests awaiting your unit's answer")}</h2>
                            {cards}
                        </section>
                    }
                })
            })}
        </Transition>
    }
}
