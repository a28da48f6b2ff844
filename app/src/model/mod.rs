//! The shared model: the words of DESIGN.md as types, used by the server and the browser alike.

pub mod auth;
pub mod display;
pub mod format;
pub mod i18n;
pub mod indicator;
pub mod ingest;
pub mod live;
pub mod observation;
pub mod period;
pub mod reporting;
pub mod search;
pub mod tilemap;
pub mod unit;
pub mod view;

pub use indicator::{GoodDirection, Indicator, Periodicity, Rollup};
pub use observation::{NewObservation, Observation, Revision, Source};
pub use period::{Period, PeriodError};
pub use unit::{Unit, UnitCode, UnitCodeError, UnitKind};
