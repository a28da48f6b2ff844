//! A unit's year against its targets, as one line under a figure: the standing (on track, at
//! risk, off track, cannot judge yet) on a coloured badge and what it rests on (the plan of the
//! latest period, the year's target, or the year-end projection). The words come made
//! ([`StandingNote`]).

use crate::model::i18n::use_lang;
use crate::model::target::StandingNote;
use leptos::prelude::*;

#[component]
pub fn StandingLine(note: StandingNote) -> impl IntoView {
    let lang = use_lang();
    let pick = move |(vi, en): &(String, String)| lang.pick(vi, en).to_string();
    let standing = note.standing;
    view! {
        <p class=format!("standing {}", standing.as_str()) data-testid="standing" data-standing=standing.as_str()>
            <span class="standing-badge">{lang.pick(standing.label_vi(), standing.label_en())}</span>
            " "<span class="basis">{pick(&note.basis)}</span>
        </p>
    }
}
