//! The shared model: the words of DESIGN.md as types, used by the server and the browser alike.

pub mod attachment;
pub mod auth;
pub mod contribution;
pub mod display;
pub mod explanation;
pub mod format;
pub mod formula;
pub mod i18n;
pub mod indicator;
pub mod ingest;
pub mod live;
pub mod meeting;
pub mod note;
pub mod notification;
pub mod observation;
pub mod period;
pub mod regime;
pub mod report;
pub mod reporting;
pub mod search;
pub mod target;
pub mod task;
pub mod text;
pub mod tilemap;
pub mod typed_number;
pub mod unit;
pub mod view;
pub mod year_to_date;

pub use indicator::{
    ChangeKind, Field, GoodDirection, Indicator, NationalFigure, Periodicity, Rollup,
};
pub use observation::{NewObservation, Observation, Revision, Source};
pub use period::{Period, PeriodError};
pub use unit::{Succession, Unit, UnitCode, UnitCodeError, UnitKind};

/// Viet Nam's time: UTC+7 all year (no daylight saving since 1975).
pub fn vietnam_time(t: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
    t.naive_utc() + chrono::Duration::hours(7)
}
