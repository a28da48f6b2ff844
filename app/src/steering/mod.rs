//! Steering: where units stand against their targets across the country (the scorecard, the
//! wall's "at risk" page), built on the targets and standings of `model::target`.

pub mod api;
#[cfg(feature = "ssr")]
pub mod contributions;
pub mod contributions_view;
pub mod scorecard;
pub mod scorecard_page;
#[cfg(feature = "ssr")]
pub mod standings;
