//! The wall screens of the operations room: unattended, let in by their display token, kept
//! current by the live stream.

pub mod api;
pub mod page;
