//! Data quality (chất lượng số liệu): values that arrived far from their history, and the
//! provinces held against the nation where their figures do not add up to it; the
//! secretariat's list (`/quality`) and the check on an indicator's national page.

pub mod api;
pub mod check;
pub mod page;
pub mod view;
