//! Reporting under the regime (Decree 09/2019/NĐ-CP): what a unit owes (`due`), the report form
//! with its CSV import (`form`, `csv`), the approver's decision, and the leaders' panels of who
//! reported. Every change to a report goes through `desk` (server only).

pub mod api;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod desk;
pub mod due;
pub mod form;
pub mod panels;
