//! What a meeting or task form does with the desk's answer (`DeskAnswer`): one way for every
//! such form to show a save, a refusal beside its fields, or an error.

use crate::error::AppError;
use crate::model::meeting::FormErrors;
use crate::model::task::DeskAnswer;
use leptos::prelude::*;

/// What every save does with its answer: stored → `on_saved(id)`; refused → the problems
/// beside their fields and the message on top; an error → the reason on top.
pub fn take_answer(
    result: Result<DeskAnswer, AppError>,
    errors: RwSignal<FormErrors>,
    message: RwSignal<Option<(bool, String)>>,
    done: &str,
    on_saved: impl FnOnce(i64),
) {
    match result {
        Ok(DeskAnswer::Saved { id }) => {
            errors.set(FormErrors::default());
            message.set(Some((true, done.to_string())));
            on_saved(id);
        }
        Ok(DeskAnswer::Refused {
            message: m,
            errors: e,
        }) => {
            errors.set(e);
            message.set(Some((false, m)));
        }
        Err(e) => message.set(Some((false, e.shown()))),
    }
}

pub fn message_view(message: RwSignal<Option<(bool, String)>>) -> impl IntoView {
    move || {
        message.get().map(|(ok, text)| {
            let class = if ok { "panel notice" } else { "panel form-error" };
            view! { <p class=class role="status" data-testid=if ok { "saved" } else { "refused" }>{text}</p> }
        })
    }
}
