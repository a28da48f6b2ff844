//! Yêu cầu giải trình: leaders and the secretariat ask a ministry or province to explain a
//! figure; the unit's officers answer; the requester accepts or asks again. The desk is the
//! one path in; the request cards serve `/explanations` and the indicator page alike.

pub mod api;
pub mod cards;
#[cfg(feature = "ssr")]
pub mod desk;
pub mod page;
