//! Free text typed by people (titles, notes, reasons): one rule for every field, so a title, a
//! note and a reason are refused for the same reasons with the same words.

/// Why a text was refused, naming the field in both languages.
pub fn check(
    field: (&str, &str),
    input: &str,
    max_chars: usize,
    required: bool,
) -> Result<Option<String>, String> {
    let (vi, en) = field;
    let t = input.trim();
    if t.is_empty() {
        return if required {
            Err(format!("{vi}: cần nhập. ({en} is required.)"))
        } else {
            Ok(None)
        };
    }
    if t.chars().count() > max_chars {
        return Err(format!(
            "{vi}: tối đa {max_chars} ký tự. ({en}: at most {max_chars} characters.)"
        ));
    }
    if t.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(format!(
            "{vi}: có ký tự điều khiển không hợp lệ. ({en} holds control characters.)"
        ));
    }
    if has_markup(t) {
        return Err(format!(
            "{vi}: không được chứa mã HTML hay thẻ “<…>”; hãy nhập văn bản thường. ({en} must be plain text, without markup.)"
        ));
    }
    Ok(Some(t.to_string()))
}

/// A tag or comment opening (`<b`, `</`, `<!`, `<?`): text meant as markup. A lone `<` or `>`
/// (as in "tăng > 5%") is ordinary text.
pub fn has_markup(t: &str) -> bool {
    let b = t.as_bytes();
    b.windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || matches!(w[1], b'/' | b'!' | b'?')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_passes_trimmed_and_markup_is_refused_in_both_languages() {
        assert_eq!(
            check(("Tiêu đề", "Title"), "  Phiên họp tháng 11  ", 100, true),
            Ok(Some("Phiên họp tháng 11".into()))
        );
        assert_eq!(
            check(("Ghi chú", "Note"), "tăng > 5% và < 7%", 100, false),
            Ok(Some("tăng > 5% và < 7%".into()))
        );
        for bad in [
            "<script>alert(1)</script>",
            "a <img src=x onerror=1>",
            "<!-- x -->",
        ] {
            let e = check(("Tiêu đề", "Title"), bad, 100, true).unwrap_err();
            assert!(e.contains("Tiêu đề") && e.contains("markup"), "{e}");
        }
        assert!(check(("Tiêu đề", "Title"), "   ", 100, true).is_err());
        assert_eq!(check(("Ghi chú", "Note"), "", 100, false), Ok(None));
        assert!(check(("Tiêu đề", "Title"), &"á".repeat(101), 100, true).is_err());
        assert!(check(("Tiêu đề", "Title"), "a\u{0}b", 100, true).is_err());
    }
}
