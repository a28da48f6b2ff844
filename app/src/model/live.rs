//! The messages of `GET /ws`, shared by the server and the browser: one JSON object per text
//! message, with a `type` field (docs/api.md, "Stream").

use crate::model::{Observation, UnitCode};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The close code with which `/ws` tells a page of this site that it is not (or no longer)
/// signed in; the page stops listening instead of reconnecting (4000–4999 are for applications).
pub const CLOSE_SIGNED_OUT: u16 = 4401;

/// What a client can subscribe to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topic {
    /// National and provincial values.
    Overview,
    /// Every indicator of one unit.
    Unit(String),
    /// One indicator for every unit.
    Indicator(String),
    Tasks,
    /// Explanation requests asked, answered or decided.
    Explanations,
    Alerts,
    /// Reports changing state (saved, submitted, returned, approved, reopened).
    Reports,
    /// One wall screen's layout and playlist.
    Display(i64),
    /// The catalogue changing (an indicator added, edited, retired).
    Catalogue,
    /// One person's inbox: the count of what they have not read. Only that person may listen.
    Inbox(i64),
}

/// Longest topic name accepted (indicator codes are short; this bounds what a client can send).
pub const MAX_TOPIC_LEN: usize = 64;

impl Topic {
    /// Reads a topic name; the reason is in Vietnamese and English.
    pub fn parse(text: &str) -> Result<Topic, String> {
        let shown: String = text.chars().take(MAX_TOPIC_LEN).collect();
        let unknown = || {
            format!(
                "chủ đề không hợp lệ “{shown}”: dùng overview, unit:<mã>, indicator:<mã>, tasks, explanations, alerts, reports, catalogue, inbox:<số tài khoản> (unknown topic)"
            )
        };
        if text.len() > MAX_TOPIC_LEN {
            return Err(unknown());
        }
        // A stored row's id, written as such: positive, no sign, no leading zeros.
        let id = |digits: &str| {
            digits
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0 && n.to_string() == digits)
        };
        Ok(match text {
            "overview" => Topic::Overview,
            "tasks" => Topic::Tasks,
            "explanations" => Topic::Explanations,
            "reports" => Topic::Reports,
            "alerts" => Topic::Alerts,
            "catalogue" => Topic::Catalogue,
            _ => match text.split_once(':') {
                Some(("unit", code)) => Topic::Unit(
                    UnitCode::parse(code)
                        .map_err(|e| format!("{e}"))?
                        .as_str()
                        .to_string(),
                ),
                Some(("display", digits)) => Topic::Display(id(digits).ok_or_else(unknown)?),
                Some(("inbox", digits)) => Topic::Inbox(id(digits).ok_or_else(unknown)?),
                Some(("indicator", code))
                    if !code.is_empty()
                        && code
                            .bytes()
                            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_') =>
                {
                    Topic::Indicator(code.to_string())
                }
                _ => return Err(unknown()),
            },
        })
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Topic::Overview => f.write_str("overview"),
            Topic::Unit(c) => write!(f, "unit:{c}"),
            Topic::Indicator(c) => write!(f, "indicator:{c}"),
            Topic::Tasks => f.write_str("tasks"),
            Topic::Explanations => f.write_str("explanations"),
            Topic::Reports => f.write_str("reports"),
            Topic::Alerts => f.write_str("alerts"),
            Topic::Display(id) => write!(f, "display:{id}"),
            Topic::Catalogue => f.write_str("catalogue"),
            Topic::Inbox(id) => write!(f, "inbox:{id}"),
        }
    }
}

impl Serialize for Topic {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Topic {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Topic, D::Error> {
        let s = String::deserialize(d)?;
        Topic::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A message from a client. Topics stay text here so that one bad name is reported by name
/// while the good ones are still subscribed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    Subscribe {
        topics: Vec<String>,
        /// The last `seq` the client saw: it is sent exactly what came after, when the server
        /// still holds it, or a fresh snapshot.
        #[serde(default)]
        since: Option<i64>,
    },
    Unsubscribe {
        topics: Vec<String>,
    },
}

/// A message from the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// The whole current state of a topic as of `seq`; updates with a higher seq follow.
    Snapshot {
        topic: Topic,
        seq: i64,
        data: Vec<LiveItem>,
    },
    /// One change, in increasing `seq` (commit order).
    Update {
        topic: Topic,
        seq: i64,
        data: LiveItem,
    },
    Heartbeat {
        seq: i64,
        ts: String,
        /// The site build the server serves (absent when it serves no built site): a wall screen
        /// whose page came from another build reloads itself at a quiet moment.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        build: Option<String>,
    },
    Error {
        message: String,
    },
}

/// What a snapshot lists and an update carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LiveItem {
    /// First: its one field is required and no other is allowed, so nothing else reads as it.
    Inbox(crate::model::notification::InboxNotice),
    Observation(Observation),
    /// The catalogue changed: pages read what they show again.
    Catalogue(CatalogueNotice),
    Alert(Alert),
    Display(crate::model::display::DisplayConfig),
    Report(crate::model::report::ReportState),
    /// A task assigned or changed (screens count again).
    Task(crate::model::task::TaskNotice),
    /// An explanation request asked, answered or decided.
    Explanation(crate::model::explanation::ExplanationNotice),
}

/// Which indicators, regimes, units and targets a catalogue change created or changed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueNotice {
    pub changed_indicators: Vec<String>,
    #[serde(default)]
    pub changed_regimes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed_units: Vec<String>,
    /// Targets and plan points, as `GRDP_GROWTH/01/2026`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed_targets: Vec<String>,
    /// Notes on the record written, corrected or taken away, by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed_notes: Vec<i64>,
}

/// How bad a threshold crossing is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertLevel {
    /// Back within bounds (the alert ends).
    Cleared,
    Warning,
    Critical,
}

/// What an alert is about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// A value past an admin's warning or critical threshold.
    #[default]
    Threshold,
    /// A value that arrived far from its own history (published, and flagged).
    Outlier,
}

/// A threshold crossed by a value, or a value far from its history (cảnh báo).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub alert: AlertLevel,
    #[serde(default)]
    pub kind: AlertKind,
    pub indicator: String,
    pub unit: String,
    pub period: crate::model::Period,
    pub value: f64,
    pub threshold: Option<f64>,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_round_trip_and_bad_ones_are_named() {
        for t in [
            "overview",
            "unit:01",
            "unit:BTC",
            "indicator:CPI_YOY",
            "tasks",
            "explanations",
            "alerts",
        ] {
            assert_eq!(Topic::parse(t).unwrap().to_string(), t);
        }
        assert!(Topic::parse("unit:1").is_err());
        assert!(Topic::parse("display:03").is_err());
        assert!(Topic::parse("display:-1").is_err());
        assert!(
            Topic::parse("indicator:<script>")
                .unwrap_err()
                .contains("<script>")
        );
        assert!(Topic::parse(&"x".repeat(10_000)).unwrap_err().len() < 300);
    }

    #[test]
    fn client_messages_parse_and_unknown_fields_are_refused() {
        let m: ClientMessage =
            serde_json::from_str(r#"{"type":"subscribe","topics":["overview"],"since":12}"#)
                .unwrap();
        assert_eq!(
            m,
            ClientMessage::Subscribe {
                topics: vec!["overview".into()],
                since: Some(12)
            }
        );
        assert!(serde_json::from_str::<ClientMessage>(r#"{"type":"dance"}"#).is_err());
        assert!(
            serde_json::from_str::<ClientMessage>(r#"{"type":"unsubscribe","topics":[],"x":1}"#)
                .is_err()
        );
    }
}
