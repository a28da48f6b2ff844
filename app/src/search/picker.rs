//! Picking units by name where a form needs them. The 3,321 communes cannot be a list or a page
//! of tick boxes, so a person types part of a name (with or without the marks, a former
//! province's name too) and picks from what the search finds; the picked units stay as chips
//! that can be taken off. Answers come from the same search as `/search`.

use crate::model::UnitKind;
use crate::model::i18n::use_lang;
use crate::model::search::{HitKind, SearchHit, SearchResults};
use crate::search::api::search;
use leptos::prelude::*;

/// Fewest characters typed before the search is asked (one letter finds half the country).
const MIN_CHARS: usize = 2;
/// Most suggestions listed at once.
const MAX_SHOWN: usize = 8;

/// How a picked unit is named on its chip: its name, and a commune's province.
fn chip_text(hit: &SearchHit, lang: crate::model::i18n::Lang) -> String {
    let name = match hit.kind {
        HitKind::Unit(k) => lang.name_of(k, &hit.name_vi, hit.name_en.as_deref()),
        HitKind::Indicator => hit.name_vi.clone(),
    };
    match (&hit.kind, &hit.context) {
        (HitKind::Unit(UnitKind::Commune), Some(province)) => format!("{name} ({province})"),
        _ => name,
    }
}

/// A search box that adds units of `kinds` to `picked` (code, name shown), or with `single`
/// replaces the one picked. The form sends `picked`'s codes from a hidden field of its own.
#[component]
pub fn UnitPicker(
    #[prop(into)] label: String,
    kinds: Vec<UnitKind>,
    picked: RwSignal<Vec<(String, String)>>,
    #[prop(optional)] single: bool,
    #[prop(into)] testid: String,
) -> impl IntoView {
    let lang = use_lang();
    let kinds = StoredValue::new(kinds);
    let typed = RwSignal::new(String::new());
    let find = Action::new(|q: &String| {
        let q = q.clone();
        async move { search(q).await }
    });
    let hits = move || -> Vec<SearchHit> {
        let q = typed.get();
        if q.trim().chars().count() < MIN_CHARS {
            return Vec::new();
        }
        // An older answer arriving late is not shown for newer text.
        find.value().with(|v| match v {
            Some(Ok(SearchResults { query, hits, .. })) if *query == q => hits
                .iter()
                .filter(
                    |h| matches!(h.kind, HitKind::Unit(k) if kinds.with_value(|l| l.contains(&k))),
                )
                .take(MAX_SHOWN)
                .cloned()
                .collect(),
            _ => Vec::new(),
        })
    };
    let searched = move || {
        let q = typed.get();
        q.trim().chars().count() >= MIN_CHARS
            && find
                .value()
                .with(|v| matches!(v, Some(Ok(r)) if r.query == q))
    };
    let add = move |hit: &SearchHit| {
        let entry = (hit.code.clone(), chip_text(hit, lang));
        picked.update(|p| {
            if single {
                p.clear();
            }
            if !p.iter().any(|(c, _)| *c == entry.0) {
                p.push(entry);
            }
        });
        typed.set(String::new());
    };
    let chips = move || {
        picked
            .get()
            .into_iter()
            .map(|(code, name)| {
                let c = code.clone();
                view! {
                    <li class="chip" data-code=code.clone()>
                        <span>{name}</span>
                        <button type="button" class="remove" aria-label=lang.pick("Bỏ", "Remove")
                            on:click=move |_| picked.update(|p| p.retain(|(x, _)| *x != c))>"×"</button>
                    </li>
                }
            })
            .collect_view()
    };
    let suggestions = move || {
        let list = hits();
        if list.is_empty() {
            return searched()
                .then(|| {
                    view! { <p class="muted" data-testid="picker-none">{lang.pick("Không tìm thấy đơn vị nào.", "No unit found.")}</p> }
                })
                .into_any();
        }
        let items = list
            .into_iter()
            .map(|h| {
                let text = chip_text(&h, lang);
                let note = h.context.clone().filter(|_| {
                    // A former province's line says where it went; a commune's province is
                    // already in its text.
                    !matches!(h.kind, HitKind::Unit(UnitKind::Commune))
                });
                view! {
                    <li>
                        <button type="button" class="pick" data-code=h.code.clone() on:click=move |_| add(&h)>
                            <strong>{text}</strong>" "<span class="code">{h.code.clone()}</span>
                            {note.map(|n| view! { <small>{n}</small> })}
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="picker-hits">{items}</ul> }.into_any()
    };
    view! {
        <div class="picker" data-testid=testid>
            <ul class="picked">{chips}</ul>
            <label>{label}
                <input type="search" maxlength="100" autocomplete="off"
                    placeholder=lang.pick("Gõ tên, có dấu hay không: “phuong ba dinh”", "Type a name, with or without marks: “phuong ba dinh”")
                    prop:value=move || typed.get()
                    on:input=move |ev| {
                        let q = event_target_value(&ev);
                        if q.trim().chars().count() >= MIN_CHARS {
                            find.dispatch(q.clone());
                        }
                        typed.set(q);
                    }
                    on:keydown=move |ev| {
                        // Enter picks the first suggestion instead of sending the whole form.
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            if let Some(h) = hits().first() {
                                add(h);
                            }
                        }
                    }/>
            </label>
            {suggestions}
        </div>
    }
}
