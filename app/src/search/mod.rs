//! Finding a unit or an indicator by name or code, with or without diacritics.

pub mod api;
#[cfg(feature = "ssr")]
pub mod index;
pub mod page;
pub mod picker;
