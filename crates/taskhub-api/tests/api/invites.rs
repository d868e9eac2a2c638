//! Invites over HTTP alone (the email loop is tested with the worker).

use serde_json::json;
use taskhub_test_support::spawn_app;

#[tokio::test]
async fn an_invite_is_created_pending_without_any_token() {
    let app = spawn_app().await;
    let team = app.team().await;
    let response = app
        .post(
            &format!("/workspaces/{}/invites", team.workspace),
            &json!({"email": " New@Example.com "}),
            Some(&team.admin.access_token),
        )
        .await;
    assert_eq!(response.status, 201, "{}", response.text);
    let invite = response.json();
    assert_eq!(invite["status"], "PENDING");
    assert_eq!(invite["role"], "MEMBER");
    assert_eq!(invite["email"], "new@example.com");
    assert_eq!(invite["workspace_id"], team.workspace);
    assert!(invite["expires_at"].as_str().unwrap() > invite["created_at"].as_str().unwrap());
    let keys: Vec<_> = invite.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys.len(), 7, "{keys:?}");
    assert!(!response.text.to_lowercase().contains("token"));
}

#[tokio::test]
async fn who_may_invite_whom() {
    let app = spawn_app().await;
    let team = app.team().await;
    let outsider = app.signed_up_user("outsider@example.com").await;
    let ws = team.workspace;
    // (inviter token, email, role, expected)
    let cases = [
        (
            &team.owner.access_token,
            "a@example.com",
            json!("ADMIN"),
            201,
        ),
        (
            &team.admin.access_token,
            "b@example.com",
            json!("GUEST"),
            201,
        ),
        (
            &team.admin.access_token,
            "c@example.com",
            json!("ADMIN"),
            403,
        ),
        (
            &team.member.access_token,
            "d@example.com",
            json!("GUEST"),
            403,
        ),
        (
            &team.guest.access_token,
            "e@example.com",
            json!("GUEST"),
            403,
        ),
        (&outsider.access_token, "f@example.com", json!("GUEST"), 404),
        (
            &team.owner.access_token,
            "g@example.com",
            json!("OWNER"),
            422,
        ),
        (
            &team.owner.access_token,
            "not-an-email",
            json!("GUEST"),
            422,
        ),
        (
            &team.owner.access_token,
            team.member.email.as_str(),
            json!("GUEST"),
            409,
        ),
    ];
    for (token, email, role, expected) in cases {
        let response = app
            .post(
                &format!("/workspaces/{ws}/invites"),
                &json!({"email": email, "role": role}),
                Some(token),
            )
            .await;
        assert_eq!(
            response.status, expected,
            "{email} as {role}: {}",
            response.text
        );
    }
}

#[tokio::test]
async fn a_new_invite_for_the_same_email_replaces_the_pending_one() {
    let app = spawn_app().await;
    let team = app.team().await;
    let ws = team.workspace;
    let token = Some(team.owner.access_token.as_str());
    let first = app
        .post(
            &format!("/workspaces/{ws}/invites"),
            &json!({"email": "x@example.com"}),
            token,
        )
        .await
        .json();
    let second = app
        .post(
            &format!("/workspaces/{ws}/invites"),
            &json!({"email": "X@example.com", "role": "GUEST"}),
            token,
        )
        .await
        .json();
    let list = app
        .get(&format!("/workspaces/{ws}/invites"), token)
        .await
        .json();
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"][0]["id"], second["id"]);
    assert_eq!(list["items"][0]["status"], "PENDING");
    assert_eq!(list["items"][1]["id"], first["id"]);
    assert_eq!(list["items"][1]["status"], "REVOKED");

    let audit = app
        .get(
            &format!("/workspaces/{ws}/audit-logs?entity_type=invite"),
            token,
        )
        .await
        .json();
    let actions: Vec<_> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["action"].clone())
        .collect();
    assert_eq!(actions, ["MEMBER_INVITE", "INVITE_REVOKE", "MEMBER_INVITE"]);
}

#[tokio::test]
async fn listing_and_revoking_invites_is_for_owners_and_admins() {
    let app = spawn_app().await;
    let team = app.team().await;
    let ws = team.workspace;
    let invite = app
        .post(
            &format!("/workspaces/{ws}/invites"),
            &json!({"email": "r@example.com"}),
            Some(&team.owner.access_token),
        )
        .await
        .json();
    let path = format!("/workspaces/{ws}/invites/{}", invite["id"]);
    for user in [&team.member, &team.guest] {
        assert_eq!(
            app.get(
                &format!("/workspaces/{ws}/invites"),
                Some(&user.access_token)
            )
            .await
            .status,
            403
        );
        assert_eq!(
            app.delete(&path, Some(&user.access_token)).await.status,
            403
        );
    }
    assert_eq!(
        app.get(
            &format!("/workspaces/{ws}/invites"),
            Some(&team.admin.access_token)
        )
        .await
        .status,
        200
    );
    let revoked = app.delete(&path, Some(&team.admin.access_token)).await;
    assert_eq!(revoked.status, 204, "{}", revoked.text);
    assert_eq!(
        app.delete(&path, Some(&team.admin.access_token))
            .await
            .status,
        204,
        "idempotent"
    );
    let list = app
        .get(
            &format!("/workspaces/{ws}/invites"),
            Some(&team.owner.access_token),
        )
        .await
        .json();
    assert_eq!(list["items"][0]["status"], "REVOKED");
    let audit = app
        .get(
            &format!("/workspaces/{ws}/audit-logs?action=INVITE_REVOKE"),
            Some(&team.owner.access_token),
        )
        .await
        .json();
    assert_eq!(audit["total"], 1);
    assert_eq!(audit["items"][0]["entity_id"], invite["id"]);
    assert_eq!(audit["items"][0]["actor_id"], team.admin.id);

    let elsewhere = app.create_workspace(&team.owner, "Elsewhere").await;
    let foreign = app
        .delete(
            &format!("/workspaces/{elsewhere}/invites/{}", invite["id"]),
            Some(&team.owner.access_token),
        )
        .await;
    assert_eq!(
        foreign.status, 404,
        "an invite is only reachable through its own workspace"
    );
}

#[tokio::test]
async fn accepting_needs_a_login_and_a_known_token() {
    let app = spawn_app().await;
    let user = app.signed_up_user("someone@example.com").await;
    assert_eq!(
        app.post("/invites/accept", &json!({"token": "x"}), None)
            .await
            .status,
        401
    );
    let unknown = app
        .post(
            "/invites/accept",
            &json!({"token": "f".repeat(64)}),
            Some(&user.access_token),
        )
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.code(), "not_found");
}
