//! Steering: the targets and plans the Government sets (the targets page), where units stand
//! against them across the country (the scorecard, the wall's "at risk" page), built on the
//! targets and standings of `model::target`, and what moved a figure (contributions).

pub mod api;
#[cfg(feature = "ssr")]
pub mod contributions;
pub mod contributions_view;
pub mod scorecard;
pub mod scorecard_page;
#[cfg(feature = "ssr")]
pub mod standings;
pub mod targets;
pub mod targets_page;
