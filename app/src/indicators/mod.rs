//! The figures: the national overview, a unit's page (ministry, province, commune) and an
//! indicator's page, with their cards, sparklines, charts and map, and the server-side assembly
//! of what they show (`views`, also used by the CSV and chart exports).

pub mod api;
pub mod chart;
pub mod indicator_card;
pub mod indicator_page;
pub mod overview;
#[cfg(feature = "ssr")]
pub mod recent;
pub mod sparkline;
pub mod standing;
pub mod tile_map;
pub mod unit_board;
pub mod unit_page;
#[cfg(feature = "ssr")]
pub mod views;
