//! Notes on the record (ghi chú): a day or range of days noted for one indicator, a field or
//! all (a storm, Tết), drawn on every chart they touch and carried in the exports.

pub mod api;
#[cfg(feature = "ssr")]
pub mod desk;
pub mod view;
