//! Accounts, sessions and the audit log, on SQLite and on PostgreSQL.

use crate::common;

use crate::common::TestPg;
use app::model::auth::{Role, RoleGrant, TokenKind};
use app::store::{AuditEntry, AuditQuery, NewToken, NewUser, SharedStore, StoreError};
use chrono::{Duration, Utc};
use server::catalogue::Catalogue;
use server::config::DatabaseUrl;

fn audit(action: &str, actor: &str) -> AuditEntry {
    AuditEntry {
        actor: actor.into(),
        actor_kind: "user".into(),
        action: action.into(),
        ..Default::default()
    }
}

async fn story(store: SharedStore) {
    let c = Catalogue::load();
    store.seed_catalogue(&c.units, &c.indicators).await.unwrap();
    let user = NewUser {
        username: "canbo.hanoi".into(),
        display_name: "Cán bộ Hà Nội".into(),
        password_hash: "$argon2id$fake".into(),
        roles: vec![
            RoleGrant {
                role: Role::Officer,
                unit: Some("01".into()),
            },
            RoleGrant {
                role: Role::Leader,
                unit: None,
            },
        ],
        email: None,
    };
    let id = store
        .create_user(&user, &AuditEntry::system("user_create", "canbo.hanoi"))
        .await
        .unwrap();
    let again = store
        .create_user(&user, &AuditEntry::system("user_create", "canbo.hanoi"))
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict(_))),
        "a taken username is a conflict: {again:?}"
    );

    let found = store
        .user_by_username("canbo.hanoi")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, id);
    assert_eq!(found.display_name, "Cán bộ Hà Nội");
    assert_eq!(found.roles.len(), 2);
    assert!(store.user_by_username("nobody").await.unwrap().is_none());

    // Sessions: valid until expiry, ended one by one or all at once.
    let now = Utc::now();
    store
        .create_session(
            "h1",
            id,
            now + Duration::hours(8),
            Some("10.0.0.1"),
            &audit("sign_in", "canbo.hanoi"),
        )
        .await
        .unwrap();
    store
        .create_session(
            "h2",
            id,
            now + Duration::hours(8),
            None,
            &audit("sign_in", "canbo.hanoi"),
        )
        .await
        .unwrap();
    store
        .create_session(
            "old",
            id,
            now - Duration::seconds(1),
            None,
            &audit("sign_in", "canbo.hanoi"),
        )
        .await
        .unwrap();
    assert_eq!(store.session_user("h1", now).await.unwrap().unwrap().id, id);
    assert!(
        store.session_user("old", now).await.unwrap().is_none(),
        "an expired session is no session"
    );
    assert!(store.session_user("nope", now).await.unwrap().is_none());
    store
        .end_session("h1", false, &audit("sign_out", "canbo.hanoi"))
        .await
        .unwrap();
    assert!(store.session_user("h1", now).await.unwrap().is_none());
    assert!(store.session_user("h2", now).await.unwrap().is_some());
    let an_hour_ago = now - Duration::hours(1);
    assert!(
        store
            .session_user("old", an_hour_ago)
            .await
            .unwrap()
            .is_some(),
        "the expired session is still stored"
    );
    store
        .create_session(
            "h3",
            id,
            now + Duration::hours(8),
            None,
            &audit("sign_in", "canbo.hanoi"),
        )
        .await
        .unwrap();
    assert!(
        store
            .session_user("old", an_hour_ago)
            .await
            .unwrap()
            .is_none(),
        "the next sign-in deletes expired sessions"
    );
    store
        .end_session("h3", true, &audit("sign_out_everywhere", "canbo.hanoi"))
        .await
        .unwrap();
    assert!(
        store.session_user("h2", now).await.unwrap().is_none(),
        "sign-out everywhere ends every session"
    );

    // A new password ends every session too.
    store
        .create_session(
            "h4",
            id,
            now + Duration::hours(8),
            None,
            &audit("sign_in", "canbo.hanoi"),
        )
        .await
        .unwrap();
    store
        .set_password(
            id,
            "$argon2id$new",
            &audit("password_change", "canbo.hanoi"),
        )
        .await
        .unwrap();
    assert!(store.session_user("h4", now).await.unwrap().is_none());
    assert_eq!(
        store
            .user_by_username("canbo.hanoi")
            .await
            .unwrap()
            .unwrap()
            .password_hash,
        "$argon2id$new"
    );

    // Tokens: stored by hash with their units, revocable once, last use recorded.
    let new = NewToken {
        kind: TokenKind::Api,
        name: "Hà Nội".into(),
        token_hash: "th1".into(),
        units: vec!["01".into(), "79".into()],
        display_id: None,
        sets_targets: true,
        created_by: "admin".into(),
        expires_at: None,
    };
    let tid = store
        .create_token(&new, &audit("token_create", "admin"))
        .await
        .unwrap();
    let t = store.token_by_hash("th1", now).await.unwrap().unwrap();
    assert_eq!(
        (t.id, t.units.clone(), t.revoked_at, t.sets_targets),
        (tid, vec!["01".to_string(), "79".to_string()], None, true)
    );
    assert!(
        store
            .token_by_hash("th1", now)
            .await
            .unwrap()
            .unwrap()
            .last_used_at
            .is_some()
    );
    assert!(store.token_by_hash("nope", now).await.unwrap().is_none());
    assert!(
        store
            .revoke_token(tid, &audit("token_revoke", "admin"))
            .await
            .unwrap()
    );
    assert!(
        !store
            .revoke_token(tid, &audit("token_revoke", "admin"))
            .await
            .unwrap(),
        "revoked once"
    );
    assert!(
        store
            .token_by_hash("th1", now)
            .await
            .unwrap()
            .unwrap()
            .revoked_at
            .is_some()
    );
    assert_eq!(store.tokens().await.unwrap().len(), 1);
    assert!(store.display(12345).await.unwrap().is_none());
    assert_eq!(store.users().await.unwrap().len(), 1);

    // A display and its token, made together.
    let display_token = NewToken {
        kind: TokenKind::Display,
        name: "Phòng họp 1".into(),
        token_hash: "dh1".into(),
        units: vec![],
        sets_targets: false,
        ..new.clone()
    };
    let did = store
        .create_display(
            "Phòng họp 1",
            &display_token,
            &audit("display_create", "admin"),
        )
        .await
        .unwrap();
    assert!(matches!(
        store
            .create_display(
                "Phòng họp 1",
                &NewToken {
                    token_hash: "dh2".into(),
                    ..display_token.clone()
                },
                &audit("display_create", "admin")
            )
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store.display(did).await.unwrap().unwrap().name,
        "Phòng họp 1"
    );
    assert_eq!(store.displays().await.unwrap().len(), 1);
    let dt = store.token_by_hash("dh1", now).await.unwrap().unwrap();
    assert_eq!((dt.kind.as_str(), dt.display_id), ("display", Some(did)));
    assert!(
        store.token_by_hash("dh2", now).await.unwrap().is_none(),
        "a failed display creation leaves no token"
    );

    // The audit log has every write, newest first, and can be filtered.
    store
        .append_audit(&AuditEntry {
            before: Some("{\"a\":1}".into()),
            ..audit("sign_in_failed", "x")
        })
        .await
        .unwrap();
    let all = store
        .audit_entries(&AuditQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let actions: Vec<&str> = all.iter().map(|r| r.entry.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "sign_in_failed",
            "display_create",
            "token_revoke",
            "token_create",
            "password_change",
            "sign_in",
            "sign_out_everywhere",
            "sign_in",
            "sign_out",
            "sign_in",
            "sign_in",
            "sign_in",
            "user_create"
        ]
    );
    assert_eq!(
        all[0].entry.before.as_deref().map(|s| s.replace(' ', "")),
        Some("{\"a\":1}".into())
    );
    let failed = store
        .audit_entries(&AuditQuery {
            action: Some("sign_in_failed".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(failed.len(), 1);

    // A disabled account loses its sessions at once; enabled again, it signs in again.
    store
        .create_session(
            "h5",
            id,
            now + Duration::hours(8),
            None,
            &audit("sign_in", "canbo.hanoi"),
        )
        .await
        .unwrap();
    store
        .set_disabled(id, true, &audit("user_disable", "admin"))
        .await
        .unwrap();
    assert!(store.session_user("h5", now).await.unwrap().is_none());
    assert!(
        store
            .user_by_username("canbo.hanoi")
            .await
            .unwrap()
            .unwrap()
            .disabled
    );
    store
        .set_disabled(id, false, &audit("user_enable", "admin"))
        .await
        .unwrap();
    store
        .create_session(
            "h6",
            id,
            now + Duration::hours(8),
            None,
            &audit("sign_in", "canbo.hanoi"),
        )
        .await
        .unwrap();
    assert!(store.session_user("h6", now).await.unwrap().is_some());
    store.close().await;
}

async fn identity_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    story(common::open(&DatabaseUrl::Sqlite(dir.path().join("id.db"))).await).await;
}

async fn identity_on_postgres() {
    let pg = TestPg::create("identity").await;
    story(common::open(&pg.database_url()).await).await;
}

/// Nothing in the program may rewrite history: the database itself refuses.
async fn the_audit_log_refuses_updates_and_deletes_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let store = common::open(&DatabaseUrl::Sqlite(path.clone())).await;
    store.append_audit(&audit("sign_in", "x")).await.unwrap();
    store.close().await;
    drop(store);
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    assert!(
        sqlx::query("UPDATE audit_log SET actor = 'y'")
            .execute(&pool)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("DELETE FROM audit_log")
            .execute(&pool)
            .await
            .is_err()
    );
}

async fn the_audit_log_refuses_updates_and_deletes_on_postgres() {
    let pg = TestPg::create("auditlog").await;
    let store = common::open(&pg.database_url()).await;
    store.append_audit(&audit("sign_in", "x")).await.unwrap();
    store.close().await;
    let pool = sqlx::PgPool::connect(&pg.url).await.unwrap();
    assert!(
        sqlx::query("UPDATE audit_log SET actor = 'y'")
            .execute(&pool)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("DELETE FROM audit_log")
            .execute(&pool)
            .await
            .is_err()
    );
    pool.close().await;
    pool.close().await;
}

crate::harness::tests![
    tokio identity_on_sqlite,
    postgres identity_on_postgres,
    tokio the_audit_log_refuses_updates_and_deletes_on_sqlite,
    postgres the_audit_log_refuses_updates_and_deletes_on_postgres,
];
