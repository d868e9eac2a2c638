use serde_json::{Value, json};
use taskhub_test_support::{TestApp, spawn_app};

async fn audit_log(app: &TestApp, ws: i64, token: &str, query: &str) -> Value {
    let response = app
        .get(&format!("/workspaces/{ws}/audit-logs{query}"), Some(token))
        .await;
    assert_eq!(response.status, 200, "{}", response.text);
    response.json()
}

#[tokio::test]
async fn every_workspace_and_member_write_leaves_its_row() {
    let app = spawn_app().await;
    let team = app.team().await;
    let ws = team.workspace;
    let owner = team.owner.access_token.as_str();
    app.patch(
        &format!("/workspaces/{ws}"),
        &json!({"name": "Renamed"}),
        Some(owner),
    )
    .await;
    app.patch(
        &format!("/workspaces/{ws}/members/{}", team.member.id),
        &json!({"role": "ADMIN"}),
        Some(owner),
    )
    .await;
    app.delete(
        &format!("/workspaces/{ws}/members/{}", team.guest.id),
        Some(owner),
    )
    .await;

    let log = audit_log(&app, ws, owner, "").await;
    let items = log["items"].as_array().unwrap();
    let actions: Vec<_> = items
        .iter()
        .map(|item| item["action"].as_str().unwrap())
        .collect();
    // Newest first.
    assert_eq!(
        actions,
        [
            "MEMBER_REMOVE",
            "MEMBER_ROLE_UPDATE",
            "WORKSPACE_UPDATE",
            "WORKSPACE_CREATE"
        ]
    );
    assert!(
        items
            .iter()
            .all(|item| item["actor_id"] == team.owner.id && item["workspace_id"] == ws)
    );

    assert_eq!(items[0]["entity_type"], "member");
    assert_eq!(items[0]["entity_id"], team.guest.id);
    assert_eq!(items[1]["entity_type"], "member");
    assert_eq!(items[1]["entity_id"], team.member.id);
    assert_eq!(items[1]["meta"], json!({"from": "MEMBER", "to": "ADMIN"}));
    assert_eq!(items[2]["entity_type"], "workspace");
    assert_eq!(items[2]["entity_id"], ws);
    assert_eq!(items[2]["meta"]["name"], "Renamed");
    assert_eq!(items[3]["entity_id"], ws);
    assert!(items[3]["created_at"].as_str().unwrap().ends_with('Z'));
    let ids: Vec<i64> = items
        .iter()
        .map(|item| item["id"].as_i64().unwrap())
        .collect();
    assert!(ids.windows(2).all(|pair| pair[0] > pair[1]), "{ids:?}");
}

#[tokio::test]
async fn the_audit_log_filters_by_action_actor_and_entity_type() {
    let app = spawn_app().await;
    let team = app.team().await;
    let ws = team.workspace;
    let owner = team.owner.access_token.as_str();
    app.patch(
        &format!("/workspaces/{ws}"),
        &json!({"name": "By owner"}),
        Some(owner),
    )
    .await;
    app.patch(
        &format!("/workspaces/{ws}"),
        &json!({"name": "By admin"}),
        Some(&team.admin.access_token),
    )
    .await;
    app.delete(
        &format!("/workspaces/{ws}/members/{}", team.member.id),
        Some(&team.member.access_token),
    )
    .await;

    let updates = audit_log(&app, ws, owner, "?action=WORKSPACE_UPDATE").await;
    assert_eq!(updates["total"], 2);
    let by_admin = audit_log(&app, ws, owner, &format!("?actor_id={}", team.admin.id)).await;
    assert_eq!(by_admin["total"], 1);
    assert_eq!(by_admin["items"][0]["meta"]["name"], "By admin");
    let member_rows = audit_log(&app, ws, owner, "?entity_type=member").await;
    assert_eq!(member_rows["total"], 1);
    assert_eq!(member_rows["items"][0]["actor_id"], team.member.id);
    assert_eq!(member_rows["items"][0]["meta"]["reason"], "left");
    let paged = audit_log(&app, ws, owner, "?page=2&page_size=2").await;
    assert_eq!(paged["total"], 4);
    assert_eq!(paged["items"].as_array().unwrap().len(), 2);
    assert_eq!(paged["items"][1]["action"], "WORKSPACE_CREATE");

    for query in ["?action=NOPE", "?entity_type=planet"] {
        let response = app
            .get(&format!("/workspaces/{ws}/audit-logs{query}"), Some(owner))
            .await;
        assert_eq!(response.status, 422, "{query}");
    }
    let response = app
        .get(
            &format!("/workspaces/{ws}/audit-logs?actor_id=x"),
            Some(owner),
        )
        .await;
    assert_eq!(response.status, 400);
}

#[tokio::test]
async fn a_rejected_write_leaves_no_row() {
    let app = spawn_app().await;
    let team = app.team().await;
    let ws = team.workspace;
    let forbidden = app
        .patch(
            &format!("/workspaces/{ws}"),
            &json!({"name": "Nope"}),
            Some(&team.guest.access_token),
        )
        .await;
    assert_eq!(forbidden.status, 403);
    let log = audit_log(&app, ws, &team.owner.access_token, "").await;
    assert_eq!(log["total"], 1, "{log}");
}
