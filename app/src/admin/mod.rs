//! Administration: accounts, API tokens, wall screens, targets and thresholds, the reporting
//! regime and the audit log.

pub mod api;
pub mod page;
