//! Administration: accounts, API tokens, wall screens, targets and thresholds, the reporting
//! regime and the audit log.

pub mod api;
#[cfg(feature = "ssr")]
pub mod audit;
pub mod page;
