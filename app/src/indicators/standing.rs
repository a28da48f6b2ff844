//! A unit's year against its targets, as one line under a figure: the standing (on track, at
//! risk, off track, cannot judge yet) and what it rests on (the plan of the latest period, the
//! year's target, or the year-end projection); for a figure counted over the year, its year to
//! date against the same periods of last year.

use crate::model::Indicator;
use crate::model::i18n::use_lang;
use crate::model::target::{StandingBy, TargetStatus};
use crate::model::view::Change;
use leptos::prelude::*;

#[component]
pub fn StandingLine(status: TargetStatus, indicator: Indicator) -> impl IntoView {
    let lang = use_lang();
    let d = indicator.decimals;
    let j = &status.judgement;
    let goal = j.goal.or(status.goals.target);
    let goal_text = goal.map(|g| g.text(lang, d)).unwrap_or_else(|| "–".into());
    let basis = match (j.by, j.period) {
        (StandingBy::Plan, Some(p)) => format!(
            "{} {}: {goal_text}",
            lang.pick("Kế hoạch", "Plan for"),
            lang.period(&p)
        ),
        _ => format!(
            "{} {}: {goal_text}",
            lang.pick("Mục tiêu năm", "Target for"),
            status.goals.year
        ),
    };
    let projected = status
        .projection
        .as_ref()
        .filter(|_| j.by == StandingBy::Projection)
        .map(|p| {
            format!(
                " · {} {}",
                lang.pick("dự báo cả năm", "year-end projection"),
                lang.number(p.year_end, d)
            )
        });
    let ytd = status.year_to_date.map(|(period, sum, last)| {
        let change = last
            .and_then(|l| Change::between(indicator.change, sum, l))
            .map(|c| {
                format!(
                    " ({} {})",
                    c.text(lang, &indicator),
                    lang.pick("so với cùng kỳ", "on the same period last year")
                )
            })
            .unwrap_or_default();
        view! {
            <p class="ytd" data-testid="year-to-date">
                {format!("{} {}: {}{change}", lang.pick("Lũy kế đến", "Year to date to"), lang.period(&period), lang.number(sum, d))}
            </p>
        }
    });
    let standing = j.standing;
    view! {
        {ytd}
        <p class=format!("standing {}", standing.as_str()) data-testid="standing" data-standing=standing.as_str()>
            <span class="standing-badge">{lang.pick(standing.label_vi(), standing.label_en())}</span>
            " "<span class="basis">{basis}{projected}</span>
        </p>
    }
}
