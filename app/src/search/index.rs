//! Search over units and indicators (server only). Names are compared folded: without
//! diacritics (`deunicode`, which also reads đ as d), in lower case, punctuation as spaces, so
//! "ha noi", "Hà Nội" and "HA NOI" find the same province. Every word of the query must appear;
//! codes match exactly.

use crate::model::search::{HitKind, MAX_HITS, MAX_QUERY_CHARS, SearchHit, SearchResults};
use crate::model::{Indicator, Succession, Unit, UnitKind};
use std::collections::HashMap;

/// Folds text for comparison: no diacritics, lower case, single spaces between words.
pub fn fold(text: &str) -> String {
    let plain = deunicode::deunicode(text).to_lowercase();
    plain
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A folded name without its administrative prefix.
fn bare(name: &str) -> &str {
    ["thanh pho ", "tinh ", "xa ", "phuong ", "dac khu ", "bo "]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .unwrap_or(name)
}

/// How well a folded name matches the folded query (lower is better), or `None`.
fn score(name: &str, words: &[&str], whole: &str) -> Option<u8> {
    if !words.iter().all(|w| name.contains(w)) {
        return None;
    }
    // Administrative prefixes are not what people type first.
    let bare = bare(name);
    Some(if name == whole || bare == whole {
        1
    } else if name.starts_with(whole) || bare.starts_with(whole) {
        2
    } else if name.split(' ').any(|w| w.starts_with(words[0])) {
        3
    } else {
        4
    })
}

fn kind_rank(kind: &HitKind) -> u8 {
    match kind {
        HitKind::Unit(UnitKind::National) => 0,
        HitKind::Unit(UnitKind::Province) => 1,
        HitKind::Unit(UnitKind::Ministry) => 2,
        HitKind::Indicator => 3,
        HitKind::Unit(UnitKind::Commune) => 4,
    }
}

/// The catalogue's names, folded once (the catalogue is fixed while the server runs), so a
/// query costs one pass over 3,400 short strings.
pub struct SearchIndex {
    units: Vec<(Unit, String, Option<String>)>,
    indicators: Vec<(Indicator, String, String)>,
    provinces: HashMap<String, String>,
    /// Former units, their folded names, and their successors' names.
    former: Vec<(Succession, String, String)>,
}

/// What people type for the biggest cities and what they mean (folded, without spaces):
/// "TP.HCM", "tphcm" and "Sài Gòn" are Hồ Chí Minh City.
const ABBREVIATIONS: [(&str, &str); 11] = [
    ("tphcm", "79"),
    ("hcm", "79"),
    ("hcmc", "79"),
    ("saigon", "79"),
    ("sg", "79"),
    ("hn", "01"),
    ("tphn", "01"),
    ("hp", "31"),
    ("tphp", "31"),
    ("tpdn", "48"),
    ("ct", "92"),
];

impl SearchIndex {
    pub fn new(
        units: &[Unit],
        indicators: &[Indicator],
        successions: &[Succession],
    ) -> SearchIndex {
        let name_of = |code: &str| {
            units
                .iter()
                .find(|u| u.code == code)
                .map(|u| crate::model::i18n::Lang::Vi.unit_name(u))
                .unwrap_or_else(|| code.to_string())
        };
        SearchIndex {
            former: successions
                .iter()
                .map(|s| (s.clone(), fold(&s.former_name), name_of(&s.successor)))
                .collect(),
            units: units
                .iter()
                .map(|u| (u.clone(), fold(&u.name_vi), u.name_en.as_deref().map(fold)))
                .collect(),
            indicators: indicators
                .iter()
                .map(|i| (i.clone(), fold(&i.name_vi), fold(&i.name_en)))
                .collect(),
            provinces: units
                .iter()
                .filter(|u| u.kind == UnitKind::Province)
                .map(|u| (u.code.clone(), u.name_vi.clone()))
                .collect(),
        }
    }

    /// Finds units and indicators for `query`, best first, as they are on `today`: a unit
    /// ended by then is found as a former unit, leading to its successor.
    pub fn search(&self, query: &str, today: chrono::NaiveDate) -> SearchResults {
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        let whole = fold(&query);
        let words: Vec<&str> = whole.split(' ').filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            return SearchResults {
                query,
                ..Default::default()
            };
        }
        let code_query = query.trim().to_uppercase();
        let mut scored: Vec<(u8, u8, SearchHit)> = Vec::new();
        // Units of the day: one not started yet is not found, one ended is found as a former
        // unit leading to its successor (below), or as itself when nothing took it over.
        for (u, vi, en) in self.units.iter().filter(|(u, _, _)| {
            u.in_force(today)
                || (u.started.is_none_or(|s| s <= today)
                    && !self.former.iter().any(|(s, _, _)| s.former_code == u.code))
        }) {
            let by_code = (u.code == code_query).then_some(0);
            let by_name = score(vi, &words, &whole)
                .or_else(|| en.as_deref().and_then(|en| score(en, &words, &whole)));
            let by_national = (u.kind == UnitKind::National)
                .then(|| score("toan quoc viet nam", &words, &whole))
                .flatten();
            if let Some(s) = by_code.or(by_name).or(by_national) {
                let kind = HitKind::Unit(u.kind);
                scored.push((
                    s,
                    kind_rank(&kind),
                    SearchHit {
                        kind,
                        code: u.code.clone(),
                        name_vi: crate::model::i18n::Lang::Vi.unit_name(u),
                        name_en: u.name_en.clone(),
                        context: match u.kind {
                            UnitKind::Commune => u
                                .parent
                                .as_deref()
                                .and_then(|p| self.provinces.get(p))
                                .cloned(),
                            _ => None,
                        },
                        href: if u.kind == UnitKind::National {
                            "/".into()
                        } else {
                            format!("/units/{}", u.code)
                        },
                    },
                ));
            }
        }
        // Former units lead to their successors, saying so; a former name that is the
        // successor's own (An Giang, formerly 89) adds nothing to the successor's hit.
        for (s, name, successor_name) in self.former.iter().filter(|(s, _, _)| s.effective <= today)
        {
            let by_code = (s.former_code == code_query
                && !self
                    .units
                    .iter()
                    .any(|(u, _, _)| u.code == code_query && u.in_force(today)))
            .then_some(0);
            if let Some(score) = by_code.or_else(|| score(name, &words, &whole))
                && !scored.iter().any(|(_, _, h)| {
                    h.code == s.successor
                        && fold(&h.name_vi) == fold(successor_name)
                        && fold(successor_name) == bare(name)
                })
            {
                let kind = self
                    .units
                    .iter()
                    .find(|(u, _, _)| u.code == s.successor)
                    .map_or(UnitKind::Province, |(u, _, _)| u.kind);
                scored.push((
                    score,
                    kind_rank(&HitKind::Unit(kind)),
                    SearchHit {
                        kind: HitKind::Unit(kind),
                        code: s.successor.clone(),
                        name_vi: s.former_name.clone(),
                        name_en: None,
                        context: Some(s.said(crate::model::i18n::Lang::Vi, successor_name)),
                        href: format!("/units/{}?former={}", s.successor, s.former_code),
                    },
                ));
            }
        }
        // Abbreviations: the whole query, without spaces and dots.
        let compact: String = whole.chars().filter(|c| *c != ' ').collect();
        for (short, code) in ABBREVIATIONS {
            if compact == short
                && let Some((u, _, _)) = self.units.iter().find(|(u, _, _)| u.code == code)
                && !scored
                    .iter()
                    .any(|(_, _, h)| h.code == code && h.href == format!("/units/{code}"))
            {
                scored.push((
                    1,
                    kind_rank(&HitKind::Unit(u.kind)),
                    SearchHit {
                        kind: HitKind::Unit(u.kind),
                        code: u.code.clone(),
                        name_vi: crate::model::i18n::Lang::Vi.unit_name(u),
                        name_en: u.name_en.clone(),
                        context: None,
                        href: format!("/units/{}", u.code),
                    },
                ));
            }
        }
        for (i, vi, en) in &self.indicators {
            let by_code = (i.code == code_query).then_some(0);
            let by_name = score(vi, &words, &whole).or_else(|| score(en, &words, &whole));
            if let Some(s) = by_code.or(by_name) {
                scored.push((
                    s,
                    kind_rank(&HitKind::Indicator),
                    SearchHit {
                        kind: HitKind::Indicator,
                        code: i.code.clone(),
                        name_vi: i.name_vi.clone(),
                        name_en: Some(i.name_en.clone()),
                        context: Some(i.measure_vi.clone()),
                        href: format!("/indicators/{}?unit=VN", i.code),
                    },
                ));
            }
        }
        scored.sort_by_key(|s| (s.0, s.1));
        let more = scored.len() > MAX_HITS;
        SearchResults {
            query,
            hits: scored
                .into_iter()
                .take(MAX_HITS)
                .map(|(_, _, h)| h)
                .collect(),
            more,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(code: &str, kind: UnitKind, name: &str, parent: Option<&str>) -> Unit {
        Unit {
            code: code.into(),
            kind,
            name_vi: name.into(),
            name_en: None,
            parent: parent.map(Into::into),
            ..Default::default()
        }
    }

    fn day() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
    }

    fn index() -> SearchIndex {
        SearchIndex::new(&units(), &[], &successions())
    }

    fn units() -> Vec<Unit> {
        vec![
            unit("VN", UnitKind::National, "Việt Nam", None),
            unit("01", UnitKind::Province, "Thành phố Hà Nội", Some("VN")),
            unit("48", UnitKind::Province, "Thành phố Đà Nẵng", Some("VN")),
            unit(
                "79",
                UnitKind::Province,
                "Thành phố Hồ Chí Minh",
                Some("VN"),
            ),
            unit("00070", UnitKind::Commune, "Phường Hoàn Kiếm", Some("01")),
            unit("20194", UnitKind::Commune, "Phường Hòa Khánh", Some("48")),
        ]
    }

    fn successions() -> Vec<Succession> {
        let on = chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
        let s = |code: &str, name: &str, successor: &str| Succession {
            former_code: code.into(),
            former_name: name.into(),
            successor: successor.into(),
            effective: on,
        };
        vec![
            s("49", "Tỉnh Quảng Nam", "48"),
            s("77", "Tỉnh Bà Rịa - Vũng Tàu", "79"),
        ]
    }

    #[test]
    fn a_reorganisation_recorded_ahead_is_found_as_it_is_on_the_day() {
        let day_of = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        let mut units = units();
        units[4].ended = Some(day_of);
        units.push(Unit {
            started: Some(day_of),
            ..unit("99970", UnitKind::Commune, "Phường Hồ Gươm", Some("01"))
        });
        let merged = Succession {
            former_code: "00070".into(),
            former_name: "Phường Hoàn Kiếm".into(),
            successor: "99970".into(),
            effective: day_of,
        };
        let index = SearchIndex::new(&units, &[], &[merged]);
        // Before the day: the ward as it is, and nothing of the new one.
        let hits = index.search("hoan kiem", day()).hits;
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].href, "/units/00070");
        assert!(index.search("ho guom", day()).hits.is_empty());
        // From it: the former name leads to the new ward, which is found by its own.
        let hits = index.search("hoan kiem", day_of).hits;
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].href, "/units/99970?former=00070");
        assert_eq!(hits[0].kind, HitKind::Unit(UnitKind::Commune));
        assert_eq!(index.search("ho guom", day_of).hits[0].href, "/units/99970");
    }

    #[test]
    fn a_former_province_leads_to_its_successor_saying_so() {
        for q in ["Quảng Nam", "quang nam", "49"] {
            let r = index().search(q, day());
            let hit = &r.hits[0];
            assert_eq!(hit.name_vi, "Tỉnh Quảng Nam", "{q}");
            assert_eq!(hit.href, "/units/48?former=49");
            assert!(
                hit.context
                    .as_deref()
                    .unwrap()
                    .contains("nay thuộc Thành phố Đà Nẵng"),
                "{:?}",
                hit.context
            );
        }
        let r = index().search("ba ria vung tau", day());
        assert_eq!(r.hits[0].href, "/units/79?former=77");
    }

    #[test]
    fn abbreviations_people_type_find_the_city() {
        for q in ["TP.HCM", "tphcm", "TP HCM", "Sài Gòn", "HCM"] {
            let r = index().search(q, day());
            assert_eq!(r.hits.first().map(|h| h.code.as_str()), Some("79"), "{q}");
        }
        for q in ["HN", "hn", "TP.HN"] {
            assert_eq!(index().search(q, day()).hits[0].code, "01", "{q}");
        }
    }

    #[test]
    fn diacritics_and_case_do_not_matter() {
        for q in ["ha noi", "Hà Nội", "HA NOI", "  hà   nội "] {
            let r = index().search(q, day());
            assert_eq!(r.hits.first().map(|h| h.code.as_str()), Some("01"), "{q}");
        }
        let r = index().search("da nang", day());
        assert_eq!(r.hits[0].code, "48", "đ is read as d");
    }

    #[test]
    fn codes_match_and_communes_say_their_province() {
        let r = index().search("00070", day());
        assert_eq!(r.hits[0].code, "00070");
        assert_eq!(r.hits[0].context.as_deref(), Some("Thành phố Hà Nội"));
        assert_eq!(r.hits[0].href, "/units/00070");
    }

    #[test]
    fn nothing_for_empty_or_markup_only_queries() {
        assert!(index().search("   ", day()).hits.is_empty());
        let r = index().search("<script>alert(1)</script>", day());
        assert!(r.hits.is_empty());
        assert_eq!(
            r.query, "<script>alert(1)</script>",
            "the query is kept as typed"
        );
    }

    #[test]
    fn long_queries_are_cut_not_refused() {
        let r = index().search(&"a".repeat(10_000), day());
        assert_eq!(r.query.chars().count(), MAX_QUERY_CHARS);
    }
}
