//! Numbers as readers write them: 1.234.567,8 in Vietnamese (dot for thousands, comma for
//! decimals), 1,234,567.8 in English.

/// Formats `value` with `decimals` places, Vietnamese separators and a true minus sign.
pub fn number_vi(value: f64, decimals: u8) -> String {
    number_with(value, decimals, '.', ',')
}

/// Formats `value` with `decimals` places, English separators and a true minus sign.
pub fn number_en(value: f64, decimals: u8) -> String {
    number_with(value, decimals, ',', '.')
}

fn number_with(value: f64, decimals: u8, thousands: char, decimal: char) -> String {
    if !value.is_finite() {
        return "—".to_string();
    }
    let text = format!("{:.*}", decimals as usize, value.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut out = String::with_capacity(text.len() + 8);
    let rounded_zero = text.bytes().all(|b| b == b'0' || b == b'.');
    if value < 0.0 && !rounded_zero {
        out.push('−');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(thousands);
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push(decimal);
        out.push_str(f);
    }
    out
}

/// Decimals needed to write `v` exactly (up to 6), so that a bound of 0.5 is not shown as 1.
pub fn decimals_needed(v: f64) -> u8 {
    (0..6u8)
        .find(|d| {
            let scaled = v * 10f64.powi(*d as i32);
            (scaled - scaled.round()).abs() < 1e-9
        })
        .unwrap_or(6)
}

/// A signed change: "+1,25" or "−0,40".
pub fn signed_vi(value: f64, decimals: u8) -> String {
    signed_with(number_vi(value.abs(), decimals), value)
}

/// A signed change in English: "+1.25" or "−0.40".
pub fn signed_en(value: f64, decimals: u8) -> String {
    signed_with(number_en(value.abs(), decimals), value)
}

fn signed_with(body: String, value: f64) -> String {
    let zero = body.chars().all(|c| c == '0' || c == ',' || c == '.');
    if zero {
        body
    } else if value > 0.0 {
        format!("+{body}")
    } else {
        format!("−{body}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_separators() {
        assert_eq!(number_vi(1234.5, 1), "1.234,5");
        assert_eq!(number_vi(1234567.0, 0), "1.234.567");
        assert_eq!(number_vi(999.0, 0), "999");
        assert_eq!(number_vi(-25380.0, 0), "−25.380");
        assert_eq!(number_vi(3.25, 2), "3,25");
        assert_eq!(number_vi(-0.001, 2), "0,00");
        assert_eq!(number_vi(f64::NAN, 2), "—");
    }

    #[test]
    fn english_separators() {
        assert_eq!(number_en(1234567.25, 2), "1,234,567.25");
        assert_eq!(number_en(-25380.0, 0), "−25,380");
        assert_eq!(signed_en(1.254, 2), "+1.25");
    }

    #[test]
    fn signed_changes() {
        assert_eq!(signed_vi(1.254, 2), "+1,25");
        assert_eq!(signed_vi(-0.4, 2), "−0,40");
        assert_eq!(signed_vi(0.0, 1), "0,0");
    }
}
