//! Báo cáo phục vụ phiên họp Chính phủ thường kỳ: the monthly brief. `model` is what a brief
//! says, frozen at a seq; `compose` reads it from the store (server); `document` lays it out in
//! one language as headings, paragraphs and tables, which the PDF (server/src/brief) draws.

pub mod document;
pub mod model;

pub mod api;
#[cfg(feature = "ssr")]
pub mod compose;
#[cfg(feature = "ssr")]
pub mod desk;
pub mod page;
