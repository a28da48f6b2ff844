//! Who may do what. The one copy of the permission rules, checked on the server for every
//! write; screens use the same rules only to decide which buttons to show.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages users, tokens, displays and the catalogue.
    Admin,
    /// Reads everything; writes only questions to units (explanation requests), decisions on
    /// their answers, and notes on the record.
    Leader,
    /// Government Office: manages meetings and tasks.
    Secretariat,
    /// Enters and corrects data for one unit; reports progress on that unit's tasks.
    Officer,
    /// Approves or returns one unit's submissions.
    Approver,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Leader,
        Role::Secretariat,
        Role::Officer,
        Role::Approver,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Leader => "leader",
            Role::Secretariat => "secretariat",
            Role::Officer => "officer",
            Role::Approver => "approver",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Officers and approvers act for one unit; the other roles for none in particular.
    pub fn is_unit_scoped(self) -> bool {
        matches!(self, Role::Officer | Role::Approver)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị hệ thống",
            Role::Leader => "Lãnh đạo",
            Role::Secretariat => "Văn phòng Chính phủ",
            Role::Officer => "Cán bộ báo cáo",
            Role::Approver => "Người phê duyệt",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Leader => "Leader",
            Role::Secretariat => "Government Office",
            Role::Officer => "Reporting officer",
            Role::Approver => "Approver",
        }
    }

    pub fn label(self, lang: crate::model::i18n::Lang) -> &'static str {
        lang.pick(self.label_vi(), self.label_en())
    }
}

/// One role a person holds, with its unit when the role is unit-scoped.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RoleGrant {
    pub role: Role,
    pub unit: Option<String>,
}

/// Everything that changes state, with the unit it is for where that matters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    ManageUsers,
    ManageTokens,
    ManageDisplays,
    ManageCatalogue,
    ReadAudit,
    ManageMeetings,
    ManageTasks,
    EnterData {
        unit: String,
    },
    ApproveData {
        unit: String,
    },
    ReportTaskProgress {
        unit: String,
    },
    /// Upload a document for a meeting or as a task's evidence.
    Attach,
    /// Ask a unit to explain a figure (yêu cầu giải trình).
    AskExplanation,
    /// Answer a request addressed to `unit`.
    Explain {
        unit: String,
    },
    /// Accept an answer or ask again; `own` when the person asked the request.
    DecideExplanation {
        own: bool,
    },
    /// Set the targets and plans of `unit` (the Government's, not the unit's own).
    SetTargets {
        unit: String,
    },
    /// Write, correct or take away a note on the record.
    WriteNotes,
    /// Read the data-quality list (values far from their history, provinces against the nation).
    ReviewDataQuality,
    /// Read the monthly brief for the Government's regular meeting.
    ReadBriefs,
    /// Compose a brief's draft, write its commentary, mark it final.
    PrepareBriefs,
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::ManageUsers => "manage_users",
            Action::ManageTokens => "manage_tokens",
            Action::ManageDisplays => "manage_displays",
            Action::ManageCatalogue => "manage_catalogue",
            Action::ReadAudit => "read_audit",
            Action::ManageMeetings => "manage_meetings",
            Action::ManageTasks => "manage_tasks",
            Action::EnterData { .. } => "enter_data",
            Action::ApproveData { .. } => "approve_data",
            Action::ReportTaskProgress { .. } => "report_task_progress",
            Action::Attach => "attach",
            Action::AskExplanation => "ask_explanation",
            Action::Explain { .. } => "explain",
            Action::DecideExplanation { .. } => "decide_explanation",
            Action::SetTargets { .. } => "set_targets",
            Action::WriteNotes => "write_notes",
            Action::ReviewDataQuality => "review_data_quality",
            Action::ReadBriefs => "read_briefs",
            Action::PrepareBriefs => "prepare_briefs",
        }
    }
}

/// Whether any of `grants` allows `action`.
pub fn is_allowed(grants: &[RoleGrant], action: &Action) -> bool {
    grants.iter().any(|g| grant_allows(g, action))
}

fn grant_allows(g: &RoleGrant, action: &Action) -> bool {
    let same_unit = |unit: &String| g.unit.as_ref() == Some(unit);
    match (g.role, action) {
        (Role::Admin, Action::ManageUsers | Action::ManageTokens | Action::ManageDisplays)
        | (Role::Admin, Action::ManageCatalogue | Action::ReadAudit) => true,
        (Role::Secretariat, Action::ManageMeetings | Action::ManageTasks | Action::Attach) => true,
        // The Government Office keeps the targets the Government sets, for every unit.
        (Role::Admin | Role::Secretariat, Action::SetTargets { .. }) => true,
        // The secretariat answers for the figures the Government reads; the admin for the
        // catalogue that says what is checked.
        (Role::Admin | Role::Secretariat, Action::ReviewDataQuality) => true,
        // The brief is written for the meeting: the leaders who sit in it and the office
        // that prepares it.
        (Role::Leader | Role::Secretariat, Action::ReadBriefs) => true,
        (Role::Secretariat, Action::PrepareBriefs) => true,
        (Role::Officer, Action::Attach) => true,
        (Role::Officer, Action::EnterData { unit } | Action::ReportTaskProgress { unit }) => {
            same_unit(unit)
        }
        (Role::Approver, Action::ApproveData { unit }) => same_unit(unit),
        // Leaders write questions to units, their decision on the answers, and notes on the
        // record.
        (Role::Leader | Role::Secretariat, Action::AskExplanation | Action::WriteNotes)
        | (Role::Secretariat, Action::DecideExplanation { .. })
        | (Role::Leader, Action::DecideExplanation { own: true }) => true,
        (Role::Officer, Action::Explain { unit }) => same_unit(unit),
        // Every other pair is refused.
        _ => false,
    }
}

/// The signed-in person as screens see them (never the password hash).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    /// The account's id: what its inbox is kept under (`inbox:<id>` on the live stream).
    #[serde(default)]
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<RoleGrant>,
}

impl Viewer {
    pub fn can(&self, action: &Action) -> bool {
        is_allowed(&self.roles, action)
    }

    /// The units this person enters or approves data for.
    pub fn reporting_units(&self) -> Vec<String> {
        self.roles
            .iter()
            .filter_map(|g| g.unit.clone())
            .filter(|unit| {
                self.can(&Action::EnterData { unit: unit.clone() })
                    || self.can(&Action::ApproveData { unit: unit.clone() })
            })
            .collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A machine client (the national reporting system), writing for its units.
    Api,
    /// A wall screen: reads, never writes.
    Display,
}

impl TokenKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Api => "api",
            TokenKind::Display => "display",
        }
    }
    pub fn parse(s: &str) -> Option<TokenKind> {
        match s {
            "api" => Some(TokenKind::Api),
            "display" => Some(TokenKind::Display),
            _ => None,
        }
    }
}

/// A machine authenticated by a token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenPrincipal {
    pub id: i64,
    pub name: String,
    pub kind: TokenKind,
    pub units: Vec<String>,
    /// The one display a display token is bound to.
    pub display_id: Option<i64>,
    /// An API token its administrator let set its units' targets and plans too.
    #[serde(default)]
    pub sets_targets: bool,
}

impl TokenPrincipal {
    /// An API token enters data for its own units, and sets their targets when it was made to;
    /// it does nothing else. A display token never writes.
    pub fn can(&self, action: &Action) -> bool {
        match (self.kind, action) {
            (TokenKind::Api, Action::EnterData { unit }) => self.units.contains(unit),
            (TokenKind::Api, Action::SetTargets { unit }) => {
                self.sets_targets && self.units.contains(unit)
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(role: Role, unit: Option<&str>) -> RoleGrant {
        RoleGrant {
            role,
            unit: unit.map(str::to_string),
        }
    }

    fn all_actions() -> Vec<Action> {
        vec![
            Action::ManageUsers,
            Action::ManageTokens,
            Action::ManageDisplays,
            Action::ManageCatalogue,
            Action::ReadAudit,
            Action::ManageMeetings,
            Action::ManageTasks,
            Action::EnterData { unit: "01".into() },
            Action::EnterData { unit: "79".into() },
            Action::ApproveData { unit: "01".into() },
            Action::ApproveData { unit: "79".into() },
            Action::ReportTaskProgress { unit: "01".into() },
            Action::ReportTaskProgress { unit: "79".into() },
            Action::AskExplanation,
            Action::Explain { unit: "01".into() },
            Action::Explain { unit: "79".into() },
            Action::DecideExplanation { own: true },
            Action::DecideExplanation { own: false },
            Action::SetTargets { unit: "01".into() },
            Action::SetTargets { unit: "79".into() },
            Action::WriteNotes,
            Action::ReviewDataQuality,
        ]
    }

    /// Every role against every action: the expected answer is written out in full.
    #[test]
    fn the_permission_matrix() {
        let cases: Vec<(RoleGrant, Vec<&str>)> = vec![
            (
                g(Role::Admin, None),
                vec![
                    "manage_users",
                    "manage_tokens",
                    "manage_displays",
                    "manage_catalogue",
                    "read_audit",
                    "set_targets:01",
                    "set_targets:79",
                    "review_data_quality",
                ],
            ),
            (
                g(Role::Leader, None),
                vec!["ask_explanation", "decide_explanation:own", "write_notes"],
            ),
            (
                g(Role::Secretariat, None),
                vec![
                    "manage_meetings",
                    "manage_tasks",
                    "ask_explanation",
                    "decide_explanation:own",
                    "decide_explanation:other",
                    "set_targets:01",
                    "set_targets:79",
                    "write_notes",
                    "review_data_quality",
                ],
            ),
            (
                g(Role::Officer, Some("01")),
                vec!["enter_data:01", "report_task_progress:01", "explain:01"],
            ),
            (g(Role::Approver, Some("01")), vec!["approve_data:01"]),
            // An officer without a unit may write for no unit.
            (g(Role::Officer, None), vec![]),
        ];
        for (grant, allowed) in cases {
            for action in all_actions() {
                let label = match &action {
                    Action::EnterData { unit }
                    | Action::ApproveData { unit }
                    | Action::ReportTaskProgress { unit }
                    | Action::Explain { unit }
                    | Action::SetTargets { unit } => {
                        format!("{}:{unit}", action.name())
                    }
                    Action::DecideExplanation { own } => {
                        format!("{}:{}", action.name(), if *own { "own" } else { "other" })
                    }
                    _ => action.name().to_string(),
                };
                let expected = allowed.contains(&label.as_str());
                assert_eq!(
                    is_allowed(std::slice::from_ref(&grant), &action),
                    expected,
                    "{grant:?} {label}"
                );
            }
        }
    }

    #[test]
    fn tokens_write_only_for_their_units_and_displays_never() {
        let api = TokenPrincipal {
            id: 1,
            name: "HN".into(),
            kind: TokenKind::Api,
            units: vec!["01".into()],
            display_id: None,
            sets_targets: false,
        };
        let planner = TokenPrincipal {
            sets_targets: true,
            ..api.clone()
        };
        let display = TokenPrincipal {
            kind: TokenKind::Display,
            sets_targets: true,
            ..api.clone()
        };
        for action in all_actions() {
            let enters = action == Action::EnterData { unit: "01".into() };
            let sets = action == Action::SetTargets { unit: "01".into() };
            assert_eq!(api.can(&action), enters, "api {action:?}");
            assert_eq!(planner.can(&action), enters || sets, "planner {action:?}");
            assert!(!display.can(&action), "display {action:?}");
        }
    }

    #[test]
    fn several_roles_add_up() {
        let grants = vec![g(Role::Officer, Some("01")), g(Role::Approver, Some("BTC"))];
        assert!(is_allowed(
            &grants,
            &Action::EnterData { unit: "01".into() }
        ));
        assert!(is_allowed(
            &grants,
            &Action::ApproveData { unit: "BTC".into() }
        ));
        assert!(!is_allowed(
            &grants,
            &Action::ApproveData { unit: "01".into() }
        ));
        assert!(!is_allowed(&[], &Action::ManageUsers));
    }
}
