//! Ghi chú: a note on the record for a day or a range of days ("Bão Yagi 6–9/9/2024", "Tết
//! Nguyên đán"), for one indicator, a field of them, or all, and for every unit or some: it
//! appears on each chart it touches and in the exports. The secretariat and leaders write
//! them; a correction is a new version of the same note, and a note taken away stays in the
//! audit log.

use crate::model::{Field, Indicator, Period};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Longest note, in characters: a line on a chart, not a report.
pub const MAX_TEXT: usize = 300;
/// Most units one note names (more: leave it for every unit).
pub const MAX_UNITS: usize = 40;
/// Longest range, in days: an event, a season, a year.
pub const MAX_DAYS: i64 = 366;

/// What a note is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "code")]
pub enum NoteScope {
    /// Every indicator (a storm, a holiday).
    All,
    /// The indicators of one field.
    Field(Field),
    /// One indicator.
    Indicator(String),
}

impl NoteScope {
    pub fn covers(&self, indicator: &Indicator) -> bool {
        match self {
            NoteScope::All => true,
            NoteScope::Field(f) => indicator.field == *f,
            NoteScope::Indicator(code) => indicator.code == *code,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// 0 until stored.
    pub id: i64,
    pub version: i64,
    pub from: NaiveDate,
    /// The last day (the same as `from` for one day).
    pub to: NaiveDate,
    pub text: String,
    pub scope: NoteScope,
    /// The units it is for; empty: every unit.
    #[serde(default)]
    pub units: Vec<String>,
    pub written_by: String,
    pub written_at: DateTime<Utc>,
    /// Taken away: no longer shown (it stays in the audit log).
    #[serde(default)]
    pub removed: bool,
}

impl Note {
    /// Whether it belongs on `indicator`'s chart for the unit `place[0]`, inside the units
    /// that follow it (a commune's province): a note for a province reaches its communes, as
    /// the storm that struck the province struck them. The nation is not passed as a place: a
    /// note for the nation's figure stays on it (a note for everyone names no unit).
    pub fn applies(&self, indicator: &Indicator, place: &[&str]) -> bool {
        !self.removed
            && self.scope.covers(indicator)
            && (self.units.is_empty() || self.units.iter().any(|u| place.contains(&u.as_str())))
    }
}

/// Whether the days `from..=to` touch `period`'s: the one rule for the chart's bands and the
/// exports' columns.
pub fn touches((from, to): (NaiveDate, NaiveDate), period: &Period) -> bool {
    from <= period.end() && period.start() <= to
}

/// The days as people write them: "06/09/2024 – 09/09/2024", or one day.
pub fn days((from, to): (NaiveDate, NaiveDate), lang: crate::model::i18n::Lang) -> String {
    if from == to {
        lang.date(from)
    } else {
        format!("{} – {}", lang.date(from), lang.date(to))
    }
}

/// A note as a form sends it (a new one when `id` is 0).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    pub id: i64,
    #[serde(default)]
    pub version: i64,
    /// `YYYY-MM-DD`.
    pub from: String,
    /// `YYYY-MM-DD`; empty: the same day as `from`.
    #[serde(default)]
    pub to: String,
    pub text: String,
    /// `all`, `field:<field>` or `indicator:<code>`.
    pub scope: String,
    /// Unit codes separated by commas; empty: every unit.
    #[serde(default)]
    pub units: String,
}

/// What a form's fields read as, before the catalogue is asked about codes.
#[derive(Clone, Debug, PartialEq)]
pub struct NoteDraft {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub text: String,
    pub scope: NoteScope,
    pub units: Vec<String>,
}

impl NoteForm {
    /// Reads the form: every problem in Vietnamese then English, joined; nothing else is asked.
    pub fn read(&self) -> Result<NoteDraft, String> {
        let mut problems = Vec::new();
        let day = |text: &str, what: &str, problems: &mut Vec<String>| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .map_err(|_| {
                    problems.push(format!(
                        "{what} viết dạng năm-tháng-ngày, ví dụ 2024-09-06 ({what_en} as YYYY-MM-DD)",
                        what_en = if what == "Ngày bắt đầu" { "the first day" } else { "the last day" }
                    ))
                })
                .ok()
        };
        let from = day(&self.from, "Ngày bắt đầu", &mut problems);
        let to = if self.to.trim().is_empty() {
            from
        } else {
            day(&self.to, "Ngày kết thúc", &mut problems)
        };
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                problems.push(
                    "Ngày kết thúc trước ngày bắt đầu (the range ends before it starts)".into(),
                );
            } else if (t - f).num_days() >= MAX_DAYS {
                problems.push(format!(
                    "Một ghi chú dài tối đa {MAX_DAYS} ngày (a note covers at most {MAX_DAYS} days)"
                ));
            }
        }
        let text = crate::model::text::check(("Ghi chú", "The note"), &self.text, MAX_TEXT, true)
            .map_err(|e| problems.push(e))
            .ok()
            .flatten();
        let scope = match self.scope.trim() {
            "all" | "" => Some(NoteScope::All),
            s => match s.split_once(':') {
                Some(("indicator", code)) if !code.trim().is_empty() => {
                    Some(NoteScope::Indicator(code.trim().to_string()))
                }
                Some(("field", f)) => match Field::parse(f.trim()) {
                    Some(f) => Some(NoteScope::Field(f)),
                    None => {
                        problems.push(format!("Không có lĩnh vực “{}” (no such field)", f.trim()));
                        None
                    }
                },
                _ => {
                    problems.push(
                        "Phạm vi là all, field:<lĩnh vực> hoặc indicator:<mã> (scope is all, field:… or indicator:…)"
                            .into(),
                    );
                    None
                }
            },
        };
        let mut units: Vec<String> = self
            .units
            .split([',', ' ', ';'])
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_string)
            .collect();
        units.sort();
        units.dedup();
        if units.len() > MAX_UNITS {
            problems.push(format!(
                "Tối đa {MAX_UNITS} đơn vị; để trống là mọi đơn vị (at most {MAX_UNITS} units; empty is every unit)"
            ));
        }
        match (from, to, scope, text) {
            (Some(from), Some(to), Some(scope), Some(text)) if problems.is_empty() => {
                Ok(NoteDraft {
                    from,
                    to,
                    text,
                    scope,
                    units,
                })
            }
            _ => Err(problems.join(" ")),
        }
    }
}

/// The notes touching an indicator's chart, as the indicator page and its CSV receive them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoteLine {
    pub id: i64,
    pub version: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub text: String,
    /// "Mọi chỉ tiêu", "Lĩnh vực Kinh tế vĩ mô", or the indicator's name: what it is about.
    pub about: (String, String),
    /// The units named, or empty for every unit.
    pub units: Vec<String>,
    pub written_by: String,
    pub scope: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(from: &str, to: &str, text: &str, scope: &str) -> NoteForm {
        NoteForm {
            from: from.into(),
            to: to.into(),
            text: text.into(),
            scope: scope.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_form_reads_a_range_a_day_and_a_scope() {
        let d = form("2024-09-06", "2024-09-09", " Bão Yagi ", "all")
            .read()
            .unwrap();
        assert_eq!(
            (d.from.to_string(), d.to.to_string()),
            ("2024-09-06".into(), "2024-09-09".into())
        );
        assert_eq!((d.text.as_str(), d.scope), ("Bão Yagi", NoteScope::All));
        let d = form("2026-02-17", "", "Tết", "field:trade").read().unwrap();
        assert_eq!((d.from, d.scope), (d.to, NoteScope::Field(Field::Trade)));
        let d = form("2026-02-17", "", "x", "indicator:CPI_YOY")
            .read()
            .unwrap();
        assert_eq!(d.scope, NoteScope::Indicator("CPI_YOY".into()));
    }

    #[test]
    fn a_bad_form_says_every_problem() {
        let e = form("2024-09-09", "2024-09-06", "", "field:weather")
            .read()
            .unwrap_err();
        for says in [
            "trước ngày bắt đầu",
            "Ghi chú: cần nhập",
            "lĩnh vực “weather”",
        ] {
            assert!(e.contains(says), "{says} in {e}");
        }
        let e = form("9/6/2024", "", "<b>x</b>", "all").read().unwrap_err();
        assert!(
            e.contains("năm-tháng-ngày") && e.contains("văn bản thường"),
            "{e}"
        );
        assert!(form("2024-01-01", "2025-06-01", "x", "all").read().is_err());
    }

    #[test]
    fn a_note_touches_the_periods_its_days_meet_and_applies_where_scoped() {
        let note = Note {
            id: 1,
            version: 1,
            from: NaiveDate::from_ymd_opt(2024, 9, 6).unwrap(),
            to: NaiveDate::from_ymd_opt(2024, 9, 9).unwrap(),
            text: "Bão Yagi".into(),
            scope: NoteScope::Field(Field::Agriculture),
            units: vec!["01".into()],
            written_by: "vanphong".into(),
            written_at: Utc::now(),
            removed: false,
        };
        for (p, touches) in [
            ("2024-09", true),
            ("2024-Q3", true),
            ("2024-08", false),
            ("2024-W37", true),
            ("2024-09-10", false),
        ] {
            assert_eq!(
                super::touches((note.from, note.to), &Period::parse(p).unwrap()),
                touches,
                "{p}"
            );
        }
        let rice = Indicator {
            code: "RICE".into(),
            field: Field::Agriculture,
            ..Default::default()
        };
        let cpi = Indicator {
            code: "CPI".into(),
            field: Field::Macro,
            ..Default::default()
        };
        assert!(note.applies(&rice, &["01"]));
        assert!(!note.applies(&rice, &["79"]));
        assert!(!note.applies(&cpi, &["01"]));
        // A commune of the province, and a commune of another.
        assert!(note.applies(&rice, &["00004", "01"]));
        assert!(!note.applies(&rice, &["26734", "79"]));
        assert!(
            !Note {
                removed: true,
                ..note
            }
            .applies(&rice, &["01"])
        );
    }
}
