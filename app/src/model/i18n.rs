//! The reader's language: Vietnamese by default, English by a switch kept in a cookie, so the
//! server renders the same language the browser hydrates. Screens carry their text in pairs
//! (`lang.pick("…", "…")`) next to where it is shown, and numbers follow the language's
//! conventions (1.234,5 in Vietnamese, 1,234.5 in English).

use serde::{Deserialize, Serialize};

/// Month names as English readers abbreviate them.
pub const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// The cookie that keeps the choice.
    pub const COOKIE: &'static str = "lang";

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The other language (what the switch offers).
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    /// The language kept in a `Cookie:` header (Vietnamese when none or unknown).
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == Self::COOKIE)
            .and_then(|(_, v)| Lang::parse(v.trim()))
            .unwrap_or_default()
    }

    /// One of a pair of texts.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// A number in this language's conventions.
    pub fn number(self, value: f64, decimals: u8) -> String {
        match self {
            Lang::Vi => crate::model::format::number_vi(value, decimals),
            Lang::En => crate::model::format::number_en(value, decimals),
        }
    }

    /// A number as a person types it back into a field: no thousands separators, the
    /// language's decimal mark (read back by `typed_number::read`).
    pub fn plain_number(self, value: f64, decimals: u8) -> String {
        let text = format!("{:.*}", decimals as usize, value);
        match self {
            Lang::Vi => text.replace('.', ","),
            Lang::En => text,
        }
    }

    /// A signed change in this language's conventions.
    pub fn signed(self, value: f64, decimals: u8) -> String {
        match self {
            Lang::Vi => crate::model::format::signed_vi(value, decimals),
            Lang::En => crate::model::format::signed_en(value, decimals),
        }
    }

    /// A period as readers of this language write it.
    pub fn period(self, p: &crate::model::Period) -> String {
        match self {
            Lang::Vi => p.label_vi(),
            Lang::En => p.label_en(),
        }
    }

    /// A unit's name: the nation by its name in this language, a ministry by its English name
    /// where it has one; provinces and communes keep their Vietnamese proper names.
    pub fn unit_name(self, unit: &crate::model::Unit) -> String {
        self.name_of(unit.kind, &unit.name_vi, unit.name_en.as_deref())
    }

    /// As [`Lang::unit_name`], from a unit's kind and names.
    pub fn name_of(
        self,
        kind: crate::model::UnitKind,
        name_vi: &str,
        name_en: Option<&str>,
    ) -> String {
        use crate::model::UnitKind;
        match (self, kind, name_en) {
            (Lang::Vi, UnitKind::National, _) => "Toàn quốc".into(),
            (Lang::En, UnitKind::National, _) => "Viet Nam".into(),
            (Lang::En, UnitKind::Ministry, Some(en)) => en.to_string(),
            _ => name_vi.to_string(),
        }
    }

    /// The language of a request, from its `Cookie:` header (server only).
    #[cfg(feature = "ssr")]
    pub fn from_headers(headers: &http::HeaderMap) -> Lang {
        headers
            .get(http::header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::from_cookie_header)
            .unwrap_or_default()
    }

    /// A date in this language's conventions: "05/11/2026", "5 Nov 2026" (written by hand:
    /// chrono's strftime would add tens of KB to the wasm).
    pub fn date(self, d: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        match self {
            Lang::Vi => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
            Lang::En => format!(
                "{} {} {}",
                d.day(),
                MONTHS_EN[d.month0() as usize],
                d.year()
            ),
        }
    }

    /// A date and time (already in Viet Nam's time) in this language's conventions.
    pub fn date_time(self, t: chrono::NaiveDateTime) -> String {
        use chrono::Timelike;
        match self {
            Lang::Vi => format!("{:02}:{:02} {}", t.hour(), t.minute(), self.date(t.date())),
            Lang::En => format!("{}, {:02}:{:02}", self.date(t.date()), t.hour(), t.minute()),
        }
    }
}

/// Text folded for a quick filter in the browser: lower case, Vietnamese letters without their
/// marks (đ as d), so "xuat khau" finds "Xuất khẩu". A small table rather than a Unicode crate:
/// it runs in every page's wasm.
pub fn fold_vi(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'á' | 'ạ' | 'ả' | 'ã' | 'â' | 'ầ' | 'ấ' | 'ậ' | 'ẩ' | 'ẫ' | 'ă' | 'ằ' | 'ắ'
            | 'ặ' | 'ẳ' | 'ẵ' => 'a',
            'è' | 'é' | 'ẹ' | 'ẻ' | 'ẽ' | 'ê' | 'ề' | 'ế' | 'ệ' | 'ể' | 'ễ' => {
                'e'
            }
            'ì' | 'í' | 'ị' | 'ỉ' | 'ĩ' => 'i',
            'ò' | 'ó' | 'ọ' | 'ỏ' | 'õ' | 'ô' | 'ồ' | 'ố' | 'ộ' | 'ổ' | 'ỗ' | 'ơ' | 'ờ' | 'ớ'
            | 'ợ' | 'ở' | 'ỡ' => 'o',
            'ù' | 'ú' | 'ụ' | 'ủ' | 'ũ' | 'ư' | 'ừ' | 'ứ' | 'ự' | 'ử' | 'ữ' => {
                'u'
            }
            'ỳ' | 'ý' | 'ỵ' | 'ỷ' | 'ỹ' => 'y',
            'đ' => 'd',
            c => c,
        })
        .collect()
}

/// The language of the page being rendered (provided once by the app from the cookie).
pub fn use_lang() -> Lang {
    leptos::prelude::use_context::<Lang>().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Period;

    #[test]
    fn folded_text_matches_without_marks() {
        assert_eq!(fold_vi("Xuất khẩu hàng hóa"), "xuat khau hang hoa");
        assert_eq!(fold_vi("ĐẦU TƯ"), "dau tu");
        assert_eq!(
            fold_vi("Chỉ số giá tiêu dùng (CPI)"),
            "chi so gia tieu dung (cpi)"
        );
    }

    #[test]
    fn the_cookie_chooses_and_anything_else_means_vietnamese() {
        assert_eq!(Lang::from_cookie_header("session=abc; lang=en"), Lang::En);
        assert_eq!(Lang::from_cookie_header("lang=vi"), Lang::Vi);
        assert_eq!(Lang::from_cookie_header("lang=fr"), Lang::Vi);
        assert_eq!(Lang::from_cookie_header("xlang=en"), Lang::Vi);
        assert_eq!(Lang::from_cookie_header(""), Lang::Vi);
    }

    #[test]
    fn numbers_and_periods_follow_the_language() {
        assert_eq!(Lang::Vi.number(1234.5, 1), "1.234,5");
        assert_eq!(Lang::En.number(1234.5, 1), "1,234.5");
        assert_eq!(Lang::En.signed(-0.4, 2), "−0.40");
        let p = Period::parse("2026-10").unwrap();
        assert_eq!(Lang::Vi.period(&p), "Tháng 10/2026");
        assert_eq!(Lang::En.period(&p), "Oct 2026");
        let t = chrono::NaiveDate::from_ymd_opt(2026, 11, 5)
            .unwrap()
            .and_hms_opt(9, 7, 0)
            .unwrap();
        assert_eq!(Lang::Vi.date_time(t), "09:07 05/11/2026");
        assert_eq!(Lang::En.date_time(t), "5 Nov 2026, 09:07");
    }
}
