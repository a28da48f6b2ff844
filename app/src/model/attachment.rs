//! Tài liệu đính kèm: files attached to a meeting's agenda or a task's report. The rules are
//! here once, for the browser's early check and the server's decision: a plain file name
//! (never a path), a document or image type from a short list, no program, at most
//! [`MAX_BYTES`]. The server stores the bytes under a name of its own (their hash), never the
//! sender's, so nothing is ever written outside the attachments folder.

use serde::{Deserialize, Serialize};

/// Largest attachment taken: 20 MiB (a scanned signed document fits; a video does not).
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;
pub const MAX_NAME_CHARS: usize = 200;

/// The types taken, by extension, with the content type they are served with.
pub const TYPES: [(&str, &str); 14] = [
    ("pdf", "application/pdf"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xls", "application/vnd.ms-excel"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("ppt", "application/vnd.ms-powerpoint"),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("txt", "text/plain; charset=utf-8"),
    ("csv", "text/csv; charset=utf-8"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
];

/// A stored attachment as pages see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: i64,
    pub name: String,
    pub size: u64,
    pub content_type: String,
}

/// Checks a file name as sent; answers the name to keep and its content type.
pub fn check_name(input: &str) -> Result<(String, &'static str), String> {
    let t = input.trim();
    if t.is_empty() {
        return Err("Tệp đính kèm cần có tên. (The file needs a name.)".into());
    }
    if t.contains(['/', '\\']) || t.contains("..") || t.starts_with('.') {
        return Err(format!(
            "Tên tệp “{}” không được chứa đường dẫn (/, \\ hoặc ..). (A file name must not hold a path.)",
            t.chars().take(60).collect::<String>()
        ));
    }
    if t.chars().count() > MAX_NAME_CHARS || t.chars().any(|c| c.is_control()) {
        return Err(format!(
            "Tên tệp tối đa {MAX_NAME_CHARS} ký tự, không có ký tự điều khiển. (At most {MAX_NAME_CHARS} characters.)"
        ));
    }
    if crate::model::text::has_markup(t) || t.contains(['<', '>', '"']) {
        return Err(
            "Tên tệp không được chứa <, > hoặc \". (A file name must not hold <, > or \".)".into(),
        );
    }
    let ext = t
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match TYPES.iter().find(|(e, _)| *e == ext) {
        Some((_, ct)) => Ok((t.to_string(), ct)),
        None => Err(format!(
            "Không nhận tệp “.{ext}”: chỉ nhận tài liệu PDF, Word, Excel, PowerPoint, OpenDocument, văn bản, CSV hoặc ảnh PNG/JPEG. (Only documents and images are taken, never programs.)"
        )),
    }
}

/// Checks the size and the first bytes: a program is refused whatever its name says.
pub fn check_content(bytes: &[u8]) -> Result<(), String> {
    if bytes.is_empty() {
        return Err("Tệp rỗng. (The file is empty.)".into());
    }
    if bytes.len() as u64 > MAX_BYTES {
        return Err(too_big());
    }
    let program = bytes.starts_with(b"MZ") // Windows programs
        || bytes.starts_with(b"\x7fELF") // Linux programs
        || bytes.starts_with(b"#!") // scripts
        || bytes.starts_with(&[0xCF, 0xFA, 0xED, 0xFE]) // macOS programs
        || bytes.starts_with(&[0xCA, 0xFE, 0xBA, 0xBE]);
    if program {
        return Err(
            "Tệp này là chương trình máy tính, không được đính kèm. (Programs are never taken.)"
                .into(),
        );
    }
    Ok(())
}

pub fn too_big() -> String {
    format!(
        "Tệp quá lớn: tối đa {} MB. (The file is too large: at most {} MB.)",
        MAX_BYTES / 1024 / 1024,
        MAX_BYTES / 1024 / 1024
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_pass_and_paths_programs_and_odd_names_are_refused() {
        assert_eq!(
            check_name("Báo cáo tháng 11.PDF").unwrap().1,
            "application/pdf"
        );
        for bad in [
            "../../etc/passwd.pdf",
            "a/b.pdf",
            "C:\\x.docx",
            ".hidden.pdf",
            "virus.exe",
            "setup.sh",
            "no-extension",
            "<b>.pdf",
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert!(check_content(b"%PDF-1.7").is_ok());
        assert!(check_content(b"MZ\x90\x00").is_err());
        assert!(check_content(b"\x7fELF").is_err());
        assert!(check_content(b"").is_err());
    }
}
