//! Numbers people type, read in the writing of the page's language: Vietnamese `1.234,5` (dot
//! for thousands, comma for the decimals), English `1,234.5`. A number written unmistakably in
//! the other writing (`1,234.5` on a Vietnamese page) is read that way; one the two writings
//! read differently (`1,500`: one and a half, or fifteen hundred) is read in the page's writing
//! and marked ambiguous, so that a screen says back how it was understood. Nothing is rounded
//! here: the caller says when a value has more decimals than its indicator keeps.

use crate::model::i18n::Lang;

/// A number as typed and read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Typed {
    pub value: f64,
    /// Digits typed after the decimal mark.
    pub decimals: u8,
    /// The other writing reads the same text as another number.
    pub ambiguous: bool,
}

/// The text in one writing: the value and the decimals typed, or None when it is not a number
/// written that way (thousands in groups of three, at most one decimal mark).
fn in_writing(text: &str, thousands: char, decimal: char) -> Option<(f64, u8)> {
    let (sign, body) = match text.strip_prefix(['-', '−']) {
        Some(rest) => (-1.0, rest),
        None => (1.0, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int, frac) = match body.split_once(decimal) {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let grouped = {
        let mut groups = int.split(thousands);
        let first = groups.next().unwrap_or_default();
        let rest: Vec<&str> = groups.collect();
        digits(first)
            && (rest.is_empty()
                || (first.len() <= 3 && rest.iter().all(|g| g.len() == 3 && digits(g))))
    };
    if !grouped || frac.is_some_and(|f| !digits(f)) || int.len() > 30 {
        return None;
    }
    let plain = format!("{}.{}", int.replace(thousands, ""), frac.unwrap_or("0"));
    let value: f64 = plain.parse().ok()?;
    Some((sign * value, frac.map_or(0, |f| f.len().min(255) as u8)))
}

/// The marks of a language's writing: (thousands, decimals).
fn marks(lang: Lang) -> (char, char) {
    match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    }
}

/// The other language (whose writing a number may have been typed in).
fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Vi => Lang::En,
        Lang::En => Lang::Vi,
    }
}

/// The text without spaces of any kind (no-break spaces included): `1 234,5` is `1234,5`.
fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `text` (compacted) read in `lang`'s writing.
fn in_lang(text: &str, lang: Lang) -> Option<(f64, u8)> {
    let (thousands, decimal) = marks(lang);
    in_writing(text, thousands, decimal)
}

/// Reads what a person typed on a page in `lang`. Empty is `Ok(None)`; the reason is in
/// Vietnamese and English.
pub fn read(text: &str, lang: Lang) -> Result<Option<Typed>, String> {
    let t = compact(text);
    if t.is_empty() {
        return Ok(None);
    }
    let (own, other) = (in_lang(&t, lang), in_lang(&t, other(lang)));
    let typed = |(value, decimals): (f64, u8), ambiguous| Typed {
        value,
        decimals,
        ambiguous,
    };
    match (own, other) {
        (Some(a), Some(b)) => Ok(Some(typed(a, a.0 != b.0))),
        (Some(a), None) | (None, Some(a)) => Ok(Some(typed(a, false))),
        (None, None) => Err(format!(
            "“{}” không phải là số; viết ví dụ {} (not a number; write for example {})",
            text.chars().take(40).collect::<String>(),
            lang.pick("1.234,5", "1,234.5"),
            lang.pick("1.234,5", "1,234.5"),
        )),
    }
}

/// What the other writing would have read the same text as (for "if you meant …").
pub fn other_reading(text: &str, lang: Lang) -> Option<f64> {
    in_lang(&compact(text), other(lang)).map(|(v, _)| v)
}

const VI_DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

/// 0..=999 in Vietnamese; `full` reads a zero hundreds ("không trăm") inside a larger number.
fn vi_group(n: u64, full: bool) -> String {
    let (h, t, u) = (
        (n / 100) as usize,
        ((n / 10) % 10) as usize,
        (n % 10) as usize,
    );
    let mut w: Vec<&str> = Vec::new();
    if h > 0 || full {
        w.push(VI_DIGITS[h]);
        w.push("trăm");
    }
    match (t, u) {
        (0, 0) => {}
        (0, u) => {
            if h > 0 || full {
                w.push("linh");
            }
            w.push(VI_DIGITS[u]);
        }
        (1, u) => {
            w.push("mười");
            match u {
                0 => {}
                5 => w.push("lăm"),
                u => w.push(VI_DIGITS[u]),
            }
        }
        (t, u) => {
            w.push(VI_DIGITS[t]);
            w.push("mươi");
            match u {
                0 => {}
                1 => w.push("mốt"),
                5 => w.push("lăm"),
                u => w.push(VI_DIGITS[u]),
            }
        }
    }
    w.join(" ")
}

fn vi_integer(n: u64) -> String {
    if n == 0 {
        return "không".into();
    }
    // Thousands, millions, billions; above a thousand billion the scale repeats (nghìn tỷ).
    let scales = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ", "tỷ tỷ"];
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push(rest % 1000);
        rest /= 1000;
    }
    let top = groups.len() - 1;
    let mut words = Vec::new();
    for (i, g) in groups.iter().enumerate().rev() {
        if *g == 0 {
            continue;
        }
        words.push(vi_group(*g, i != top));
        if !scales[i].is_empty() {
            words.push(scales[i].to_string());
        }
    }
    words.join(" ")
}

const EN_SMALL: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const EN_TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

fn en_group(n: u64) -> String {
    let (h, r) = ((n / 100) as usize, (n % 100) as usize);
    let mut w = Vec::new();
    if h > 0 {
        w.push(format!("{} hundred", EN_SMALL[h]));
    }
    match r {
        0 => {}
        r if r < 20 => w.push(EN_SMALL[r].to_string()),
        r if r % 10 == 0 => w.push(EN_TENS[r / 10].to_string()),
        r => w.push(format!("{}-{}", EN_TENS[r / 10], EN_SMALL[r % 10])),
    }
    w.join(" ")
}

fn en_integer(n: u64) -> String {
    if n == 0 {
        return "zero".into();
    }
    let scales = [
        "",
        "thousand",
        "million",
        "billion",
        "trillion",
        "quadrillion",
        "quintillion",
    ];
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push(rest % 1000);
        rest /= 1000;
    }
    let mut words = Vec::new();
    for (i, g) in groups.iter().enumerate().rev() {
        if *g == 0 {
            continue;
        }
        words.push(en_group(*g));
        if !scales[i].is_empty() {
            words.push(scales[i].to_string());
        }
    }
    words.join(" ")
}

/// `value` in words ("một nghìn năm trăm", "one point five"), the decimals read digit by digit
/// in English and as a number in Vietnamese, as people say them.
pub fn in_words(value: f64, decimals: u8, lang: Lang) -> String {
    let text = format!("{:.*}", decimals as usize, value.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let int: u64 = int.parse().unwrap_or(0);
    let minus = if value < 0.0 {
        lang.pick("âm ", "minus ")
    } else {
        ""
    };
    match lang {
        Lang::Vi => {
            let mut out = format!("{minus}{}", vi_integer(int));
            if !frac.is_empty() {
                let lead = frac.len() - frac.trim_start_matches('0').len();
                let zeros = vec!["không"; lead].join(" ");
                let rest: u64 = frac.parse().unwrap_or(0);
                out.push_str(" phẩy ");
                if lead > 0 {
                    out.push_str(&zeros);
                    if rest > 0 {
                        out.push(' ');
                    }
                }
                if rest > 0 {
                    out.push_str(&vi_integer(rest));
                }
            }
            out
        }
        Lang::En => {
            let mut out = format!("{minus}{}", en_integer(int));
            if !frac.is_empty() {
                out.push_str(" point");
                for d in frac.bytes() {
                    out.push(' ');
                    out.push_str(EN_SMALL[(d - b'0') as usize]);
                }
            }
            out
        }
    }
}

/// How a screen says back an ambiguous number before it is saved: "= 1.500 (một nghìn năm
/// trăm)".
pub fn said_back(t: &Typed, lang: Lang) -> String {
    format!(
        "= {} ({})",
        lang.number(t.value, t.decimals),
        in_words(t.value, t.decimals, lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vi(s: &str) -> Typed {
        read(s, Lang::Vi).unwrap().unwrap()
    }
    fn en(s: &str) -> Typed {
        read(s, Lang::En).unwrap().unwrap()
    }

    #[test]
    fn each_page_reads_its_own_writing_and_marks_what_the_other_reads_differently() {
        // The cases of the issue: 1,500 typed in a count field; 1.234,5.
        assert_eq!((en("1,500").value, en("1,500").ambiguous), (1500.0, true));
        assert_eq!(
            (
                vi("1,500").value,
                vi("1,500").decimals,
                vi("1,500").ambiguous
            ),
            (1.5, 3, true)
        );
        assert_eq!((vi("1.234,5").value, vi("1.234,5").decimals), (1234.5, 1));
        assert!(!vi("1.234,5").ambiguous);
        assert_eq!(vi("1.500").value, 1500.0);
        assert_eq!(en("1.500").value, 1.5);
        // Unmistakably the other writing: read that way, not ambiguous.
        assert_eq!(
            (vi("1,234.5").value, vi("1,234.5").ambiguous),
            (1234.5, false)
        );
        assert_eq!(
            (en("1.234.567").value, en("1.234.567").ambiguous),
            (1234567.0, false)
        );
        assert_eq!(vi("3,25").value, 3.25);
        assert_eq!(en("3.25").value, 3.25);
        assert_eq!(vi("-2").value, -2.0);
        assert_eq!(vi("1 234 567").value, 1234567.0);
        assert_eq!(read("", Lang::Vi), Ok(None));
        for bad in [
            "ba",
            "1,2,3.4.5",
            "1.23.4",
            "12,34,5",
            "NaN",
            "inf",
            "1..2",
            ",5,",
        ] {
            assert!(read(bad, Lang::Vi).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_in_words_as_people_say_them() {
        assert_eq!(in_words(1500.0, 0, Lang::Vi), "một nghìn năm trăm");
        assert_eq!(
            in_words(1005.0, 0, Lang::Vi),
            "một nghìn không trăm linh năm"
        );
        assert_eq!(
            in_words(2021.0, 0, Lang::Vi),
            "hai nghìn không trăm hai mươi mốt"
        );
        assert_eq!(in_words(15.0, 0, Lang::Vi), "mười lăm");
        assert_eq!(
            in_words(1_250_000.0, 0, Lang::Vi),
            "một triệu hai trăm năm mươi nghìn"
        );
        assert_eq!(in_words(1.5, 1, Lang::Vi), "một phẩy năm");
        assert_eq!(in_words(1.05, 2, Lang::Vi), "một phẩy không năm");
        assert_eq!(in_words(1500.0, 0, Lang::En), "one thousand five hundred");
        assert_eq!(in_words(1.5, 3, Lang::En), "one point five zero zero");
        assert_eq!(
            said_back(&vi("1.500"), Lang::Vi),
            "= 1.500 (một nghìn năm trăm)"
        );
    }
}
