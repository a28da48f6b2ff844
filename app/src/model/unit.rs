//! Đơn vị: the nation, a ministry, a province or a commune.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    #[default]
    National,
    Ministry,
    Province,
    Commune,
}

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::National => "national",
            UnitKind::Ministry => "ministry",
            UnitKind::Province => "province",
            UnitKind::Commune => "commune",
        }
    }

    pub const ALL: [UnitKind; 4] = [
        UnitKind::National,
        UnitKind::Ministry,
        UnitKind::Province,
        UnitKind::Commune,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            UnitKind::National => "Toàn quốc",
            UnitKind::Ministry => "Bộ, cơ quan ngang bộ",
            UnitKind::Province => "Tỉnh, thành phố",
            UnitKind::Commune => "Xã, phường, đặc khu",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            UnitKind::National => "National",
            UnitKind::Ministry => "Ministries and agencies",
            UnitKind::Province => "Provinces and cities",
            UnitKind::Commune => "Communes and wards",
        }
    }
}

/// A unit code as it appears in URLs, the API and the database: `VN`, a ministry's short code
/// (`BTC`), a province's two digits (`01`) or a commune's five digits (`00070`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UnitCode(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UnitCodeError {
    #[error("mã đơn vị trống (empty unit code)")]
    Empty,
    #[error(
        "mã đơn vị “{0}” không hợp lệ: dùng VN, mã bộ (BTC), 2 chữ số cho tỉnh hoặc 5 chữ số cho xã \
         (invalid unit code)"
    )]
    Malformed(String),
}

impl UnitCode {
    pub const NATIONAL: &'static str = "VN";
    /// What [`UnitCode::parse`] accepts once trimmed, for the OpenAPI document.
    pub const PATTERN: &'static str = "^(?:[0-9]{2}|[0-9]{5}|[A-Z]{2,10})$";

    pub fn parse(s: &str) -> Result<Self, UnitCodeError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(UnitCodeError::Empty);
        }
        let digits = s.bytes().all(|b| b.is_ascii_digit());
        let letters = s.bytes().all(|b| b.is_ascii_uppercase());
        let ok =
            (digits && (s.len() == 2 || s.len() == 5)) || (letters && (2..=10).contains(&s.len()));
        if ok {
            Ok(UnitCode(s.to_string()))
        } else {
            Err(UnitCodeError::Malformed(s.to_string()))
        }
    }

    /// The kind a well-formed code implies (letters other than `VN` are ministries).
    pub fn kind(&self) -> UnitKind {
        match self.0.as_str() {
            Self::NATIONAL => UnitKind::National,
            s if s.len() == 2 && s.as_bytes()[0].is_ascii_digit() => UnitKind::Province,
            s if s.len() == 5 && s.as_bytes()[0].is_ascii_digit() => UnitKind::Commune,
            _ => UnitKind::Ministry,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Unit {
    pub code: String,
    pub kind: UnitKind,
    pub name_vi: String,
    pub name_en: Option<String>,
    /// The province of a commune; `VN` for ministries and provinces; none for the nation.
    pub parent: Option<String>,
    /// The first day the unit is in force (none: always was), for a unit a reorganisation makes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<chrono::NaiveDate>,
    /// The first day it is no longer in force (none: in force), the day its successors take
    /// over: its history stays readable under its code, and nothing is reported for it after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<chrono::NaiveDate>,
}

impl Unit {
    /// Whether the unit is in force on `day`.
    pub fn in_force(&self, day: chrono::NaiveDate) -> bool {
        self.started.is_none_or(|s| s <= day) && self.ended.is_none_or(|e| day < e)
    }

    /// Whether the unit reports `period`: a period belongs to the units in force on its first
    /// day, so a reorganisation in the middle of a month leaves that month to the former units.
    pub fn reports(&self, period: &crate::model::Period) -> bool {
        self.in_force(period.start())
    }
}

/// A unit that no longer exists and the one that took it over, from a day on: the 2025
/// reorganisation merged 63 provinces into 34, and people still say the former names. A former
/// code may be in use again by another unit (Yên Bái's 15 is Lào Cai's now): the current unit
/// always wins an address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Succession {
    /// The former unit's code, as its deep links and old reports have it.
    pub former_code: String,
    /// Its name as people knew it ("Tỉnh Kiên Giang").
    pub former_name: String,
    /// The unit that took it over.
    pub successor: String,
    /// The first day of the successor (2025-07-01).
    pub effective: chrono::NaiveDate,
}

impl Succession {
    /// "Tỉnh Kiên Giang, nay thuộc An Giang" and its English.
    pub fn said(&self, lang: crate::model::i18n::Lang, successor_name: &str) -> String {
        let day = crate::model::i18n::Lang::Vi.date(self.effective);
        match lang {
            crate::model::i18n::Lang::Vi => format!(
                "{} (mã {}), từ {day} nay thuộc {successor_name}",
                self.former_name, self.former_code
            ),
            crate::model::i18n::Lang::En => format!(
                "{} (code {}), part of {successor_name} since {day}",
                self.former_name, self.former_code
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_pattern_is_what_parses() {
        let re = regex::Regex::new(UnitCode::PATTERN).unwrap();
        let mut texts: Vec<String> = [
            "",
            "VN",
            "BTC",
            "B",
            "BOKHDTABCDE",
            "Btc",
            "0",
            "01",
            "001",
            "00070",
            "000700",
            "A1",
            "01A",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        texts.extend((0..=999).map(|n| format!("{n:02}")));
        for t in texts {
            assert_eq!(re.is_match(&t), UnitCode::parse(&t).is_ok(), "{t:?}");
        }
    }

    #[test]
    fn codes_parse_to_their_kind() {
        assert_eq!(UnitCode::parse("VN").unwrap().kind(), UnitKind::National);
        assert_eq!(UnitCode::parse("BTC").unwrap().kind(), UnitKind::Ministry);
        assert_eq!(UnitCode::parse("01").unwrap().kind(), UnitKind::Province);
        assert_eq!(UnitCode::parse("00070").unwrap().kind(), UnitKind::Commune);
    }

    #[test]
    fn malformed_codes_are_refused() {
        for bad in ["", "1", "001", "btc", "0A", "VN1", "123456", "HÀ"] {
            assert!(UnitCode::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
