use crate::indicators::sparkline::Sparkline;
use crate::indicators::standing::StandingLine;
use crate::model::i18n::{Lang, use_lang};
use crate::model::view::{IndicatorCard, Tone};
use leptos::prelude::*;

#[component]
pub fn IndicatorCardView(
    card: IndicatorCard,
    #[prop(into)] unit: String,
    /// Hidden by the page's filter.
    #[prop(optional, into)]
    hidden: Option<Signal<bool>>,
) -> impl IntoView {
    let lang = use_lang();
    let ind = card.indicator.clone();
    let latest = card.latest().cloned();
    let change = card.change();
    let decimals = ind.decimals;

    let value = match &latest {
        Some(p) => view! {
            <p class="value">
                <span class="number" data-testid="value">{lang.number(p.value, decimals)}</span>
                " "
                <span class="measure">{lang.pick(&ind.measure_vi, &ind.measure).to_string()}</span>
            </p>
            <p class="period">
                {lang.period(&p.period)}
                {p.simulated.then(|| view! { <span class="sim-tag">{lang.pick("mô phỏng", "simulated")}</span> })}
                {p.outlier.then(|| crate::shell::layout::outlier_tag(lang))}
            </p>
        }
        .into_any(),
        None if !card.reported_here => view! {
            <p class="value empty">{lang.pick("Chỉ tiêu cấp tỉnh", "Reported by provinces")}</p>
            <p class="period">{lang.pick("Không có số toàn quốc; xem từng tỉnh", "No national figure; see each province")}</p>
        }
        .into_any(),
        None => view! {
            <p class="value empty">{lang.pick("Chưa có số liệu", "No data yet")}</p>
        }
        .into_any(),
    };

    let change_view = change.map(|c| {
        let tone = Tone::of(ind.good_direction, c.amount);
        let arrow = if c.amount > 0.0 {
            "▲"
        } else if c.amount < 0.0 {
            "▼"
        } else {
            "■"
        };
        let text = c.text(lang, &ind);
        // A change that splits into the units below is one tap from what made it.
        let splits = crate::model::UnitCode::parse(&unit)
            .is_ok_and(|u| !ind.member_kinds(u.kind()).is_empty());
        let text = if splits {
            view! { <a class="parts" href=format!("/indicators/{}?unit={unit}#contributions", ind.code) data-testid="change-parts">{text}</a> }.into_any()
        } else {
            text.into_any()
        };
        view! {
            <p class=format!("change {}", tone.class()) data-testid="change" data-tone=tone.class()>
                <span aria-hidden="true">{arrow}</span>" "{text}
                <span class="vs">{lang.pick(" so với kỳ trước", " on the previous period")}</span>
            </p>
        }
    });

    let year_to_date = year_to_date_line(lang, &ind, &card.recent, false);
    let standing = card
        .standing
        .clone()
        .map(|note| view! { <StandingLine note/> });

    let values: Vec<f64> = card.recent.iter().map(|p| p.value).collect();
    let spark_label = match lang {
        Lang::Vi => format!("Diễn biến {} kỳ gần nhất", values.len()),
        Lang::En => format!("The last {} periods", values.len()),
    };
    let (name, other_name) = match lang {
        Lang::Vi => (ind.name_vi.clone(), ind.name_en.clone()),
        Lang::En => (ind.name_en.clone(), ind.name_vi.clone()),
    };

    view! {
        <article class="card" data-testid="indicator-card" data-indicator=ind.code.clone()
            style:display=move || hidden.is_some_and(|h| h.get()).then_some("none")>
            <header>
                <h3>
                    <a href=format!("/indicators/{}?unit={unit}", ind.code) data-testid="indicator-link">{name}</a>
                </h3>
                <p class="en" lang=lang.other().as_str()>{other_name}</p>
            </header>
            {value}
            {change_view}
            {year_to_date}
            {standing}
            <Sparkline values label=spark_label/>
        </article>
    }
}

/// The "lũy kế" line of a figure counted over the year, from its values (a card's 24 are two
/// years of months): it follows every live value the card takes. `short` for a wall tile: the
/// sum and its change on one line, the whole sentence in its title.
pub fn year_to_date_line(
    lang: Lang,
    indicator: &crate::model::Indicator,
    series: &[crate::model::view::Point],
    short: bool,
) -> Option<impl IntoView + use<>> {
    let y = crate::model::year_to_date::YearToDate::latest_of(indicator, series)?;
    let tone = y.change().map_or(Tone::Neutral, |c| {
        Tone::of(indicator.good_direction, c.amount)
    });
    let d = indicator.decimals;
    let full = y.text(
        lang,
        d,
        lang.pick(&indicator.measure_vi, &indicator.measure),
    );
    let shown = if short {
        y.short(lang, d)
    } else {
        full.clone()
    };
    Some(view! {
        <p class=format!("ytd {}", tone.class()) data-testid="year-to-date" title=full>{shown}</p>
    })
}
