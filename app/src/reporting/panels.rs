//! How units report under the regimes in force, for leaders: on a unit's page, per regime, the
//! level below's completeness for the latest period that is due (on time, late, missing, by
//! name), and the unit's own last six reports of each regime with their timeliness.

use crate::model::UnitKind;
use crate::model::i18n::{Lang, use_lang};
use crate::model::report::{Completeness, ReportLine};
use crate::model::reporting::Timeliness;
use leptos::prelude::*;

pub fn timeliness_label(lang: Lang, t: Timeliness) -> &'static str {
    match t {
        Timeliness::NotDue => lang.pick("Chưa đến hạn", "Not yet due"),
        Timeliness::OnTime => lang.pick("Đúng hạn", "On time"),
        Timeliness::Late => lang.pick("Muộn", "Late"),
        Timeliness::Missing => lang.pick("Quá hạn, chưa gửi", "Overdue, not submitted"),
    }
}

fn kind_plural(lang: Lang, kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::Province => lang.pick("tỉnh, thành phố", "provinces"),
        UnitKind::Ministry => lang.pick("bộ, cơ quan", "ministries"),
        UnitKind::Commune => lang.pick("xã, phường", "communes"),
        UnitKind::National => "",
    }
}

#[component]
pub fn ReportingPanel(completeness: Vec<Completeness>, reports: Vec<ReportLine>) -> impl IntoView {
    let lang = use_lang();
    if completeness.is_empty() && reports.is_empty() {
        return ().into_any();
    }
    let summaries = completeness
        .into_iter()
        .map(|c| {
            let shown = 12;
            let more = c.missing.len().saturating_sub(shown);
            let missing = c
                .missing
                .iter()
                .take(shown)
                .map(|u| view! { <li><a href=format!("/units/{}", u.code)>{lang.unit_name(u)}</a></li> })
                .collect_view();
            view! {
                <div class="completeness" data-testid="completeness" data-regime=c.regime.clone() data-kind=c.kind.as_str() data-period=c.period.to_string()>
                    <h3>{format!(
                        "{} · {} · {} {} ({} {})",
                        lang.pick(&c.name_vi, &c.name_en),
                        lang.period(&c.period),
                        c.expected,
                        kind_plural(lang, c.kind),
                        lang.pick("hạn", "due"),
                        lang.date(c.deadline)
                    )}</h3>
                    <p class="counts">
                        <span class="good" data-testid="on-time">{format!("{} {}", c.on_time, lang.pick("đúng hạn", "on time"))}</span>
                        " · "<span class="warn" data-testid="late">{format!("{} {}", c.late, lang.pick("muộn", "late"))}</span>
                        " · "<span class="bad" data-testid="missing">{format!("{} {}", c.missing.len(), lang.pick("chưa gửi", "missing"))}</span>
                        {(c.not_due > 0).then(|| format!(" · {} {}", c.not_due, lang.pick("chưa đến hạn", "not yet due")))}
                    </p>
                    {(!c.missing.is_empty()).then(|| view! {
                        <ul class="missing-list">{missing}</ul>
                        {(more > 0).then(|| view! { <p class="muted">{format!("… +{more}")}</p> })}
                    })}
                </div>
            }
        })
        .collect_view();
    let own = (!reports.is_empty()).then(|| {
        let rows = reports
            .into_iter()
            .map(|r| {
                let status = r
                    .status
                    .map(|s| s.label(lang == Lang::Vi))
                    .unwrap_or(lang.pick("Chưa nhập", "Not started"));
                view! {
                    <tr data-regime=r.regime.clone() data-period=r.period.to_string() data-timeliness=format!("{:?}", r.timeliness)>
                        <td>{lang.pick(&r.name_vi, &r.name_en).to_string()}</td>
                        <td>{lang.period(&r.period)}</td>
                        <td>{lang.date(r.deadline)}</td>
                        <td>{status}</td>
                        <td>{timeliness_label(lang, r.timeliness)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="data" data-testid="own-reports">
                <thead><tr>
                    <th>{lang.pick("Báo cáo", "Report")}</th>
                    <th>{lang.pick("Kỳ", "Period")}</th><th>{lang.pick("Hạn gửi", "Due")}</th>
                    <th>{lang.pick("Trạng thái", "Status")}</th><th>{lang.pick("Thời hạn", "Timeliness")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
    });
    view! {
        <section class="panel reporting" data-testid="reporting">
            <h2>{lang.pick("Tình hình báo cáo", "Reporting")}</h2>
            {summaries}
            {own}
        </section>
    }
    .into_any()
}
