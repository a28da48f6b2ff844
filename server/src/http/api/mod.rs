//! The REST API under `/api/v1` (machine clients, `Authorization: Bearer`).

pub mod catalogue;
pub mod observations;
pub mod openapi;
pub mod whoami;
