use serde_json::json;
use taskhub_test_support::spawn_app;

#[tokio::test]
async fn creating_a_workspace_makes_the_caller_its_owner() {
    let app = spawn_app().await;
    let owner = app.signed_up_user("ada@example.com").await;
    let response = app
        .post(
            "/workspaces",
            &json!({"name": " Acme "}),
            Some(&owner.access_token),
        )
        .await;
    assert_eq!(response.status, 201, "{}", response.text);
    let workspace = response.json();
    assert_eq!(workspace["name"], "Acme");
    assert_eq!(workspace["owner_id"], owner.id);
    assert_eq!(workspace["role"], "OWNER");
    assert!(workspace["created_at"].as_str().unwrap().ends_with('Z'));

    let id = workspace["id"].as_i64().unwrap();
    let members = app
        .get(
            &format!("/workspaces/{id}/members"),
            Some(&owner.access_token),
        )
        .await
        .json();
    assert_eq!(members["total"], 1);
    assert_eq!(members["items"][0]["user_id"], owner.id);
    assert_eq!(members["items"][0]["role"], "OWNER");
}

#[tokio::test]
async fn creating_needs_a_name_and_a_login() {
    let app = spawn_app().await;
    let owner = app.signed_up_user("ada@example.com").await;
    let blank = app
        .post(
            "/workspaces",
            &json!({"name": "  "}),
            Some(&owner.access_token),
        )
        .await;
    assert_eq!(blank.status, 422);
    assert_eq!(blank.json()["errors"][0]["field"], "name");
    let anonymous = app.post("/workspaces", &json!({"name": "x"}), None).await;
    assert_eq!(anonymous.status, 401);
}

#[tokio::test]
async fn the_list_holds_only_the_callers_workspaces_with_their_roles_paginated() {
    let app = spawn_app().await;
    let me = app.signed_up_user("me@example.com").await;
    let other = app.signed_up_user("other@example.com").await;
    for name in ["One", "Two", "Three"] {
        app.create_workspace(&me, name).await;
    }
    let theirs = app.create_workspace(&other, "Theirs").await;
    app.add_member(theirs, me.id, "GUEST").await;
    app.create_workspace(&other, "Private").await;

    let first = app
        .get("/workspaces?page=1&page_size=3", Some(&me.access_token))
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    let first = first.json();
    assert_eq!(first["total"], 4);
    assert_eq!(first["page"], 1);
    assert_eq!(first["page_size"], 3);
    let names: Vec<_> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].clone())
        .collect();
    assert_eq!(names, ["One", "Two", "Three"]);

    let second = app
        .get("/workspaces?page=2&page_size=3", Some(&me.access_token))
        .await
        .json();
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert_eq!(second["items"][0]["name"], "Theirs");
    assert_eq!(second["items"][0]["role"], "GUEST");
}

#[tokio::test]
async fn page_parameters_out_of_range_are_422_and_non_numbers_400() {
    let app = spawn_app().await;
    let me = app.signed_up_user("me@example.com").await;
    for query in [
        "page=0",
        "page_size=0",
        "page_size=101",
        "page=-1",
        "page=9223372036854775807",
    ] {
        let response = app
            .get(&format!("/workspaces?{query}"), Some(&me.access_token))
            .await;
        assert_eq!(response.status, 422, "{query}: {}", response.text);
        assert_eq!(response.code(), "validation_failed");
    }
    for query in ["page=abc", "page_size=1.5"] {
        let response = app
            .get(&format!("/workspaces?{query}"), Some(&me.access_token))
            .await;
        assert_eq!(response.status, 400, "{query}: {}", response.text);
        assert_eq!(response.code(), "bad_request");
    }
}

#[tokio::test]
async fn rename_ignores_fields_a_client_may_not_set() {
    let app = spawn_app().await;
    let owner = app.signed_up_user("owner@example.com").await;
    let intruder = app.signed_up_user("intruder@example.com").await;
    let id = app.create_workspace(&owner, "Before").await;
    let before = app
        .get(&format!("/workspaces/{id}"), Some(&owner.access_token))
        .await
        .json();

    let response = app
        .patch(
            &format!("/workspaces/{id}"),
            &json!({"name": "After", "owner_id": intruder.id, "id": 999, "created_at": "2000-01-01T00:00:00Z"}),
            Some(&owner.access_token),
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.text);
    let after = response.json();
    assert_eq!(after["name"], "After");
    assert_eq!(after["id"], id);
    assert_eq!(after["owner_id"], owner.id);
    assert_eq!(after["created_at"], before["created_at"]);

    let unchanged = app
        .patch(
            &format!("/workspaces/{id}"),
            &json!({}),
            Some(&owner.access_token),
        )
        .await;
    assert_eq!(unchanged.status, 200);
    assert_eq!(unchanged.json()["name"], "After");
}

#[tokio::test]
async fn a_non_member_gets_the_same_404_as_for_a_workspace_that_does_not_exist() {
    let app = spawn_app().await;
    let owner = app.signed_up_user("owner@example.com").await;
    let outsider = app.signed_up_user("outsider@example.com").await;
    let id = app.create_workspace(&owner, "Secret").await;
    let token = Some(outsider.access_token.as_str());

    for workspace in [id, 987_654] {
        let responses = [
            app.get(&format!("/workspaces/{workspace}"), token).await,
            app.patch(
                &format!("/workspaces/{workspace}"),
                &json!({"name": "x"}),
                token,
            )
            .await,
            app.delete(&format!("/workspaces/{workspace}"), token).await,
            app.get(&format!("/workspaces/{workspace}/members"), token)
                .await,
            app.patch(
                &format!("/workspaces/{workspace}/members/{}", owner.id),
                &json!({"role": "GUEST"}),
                token,
            )
            .await,
            app.delete(
                &format!("/workspaces/{workspace}/members/{}", owner.id),
                token,
            )
            .await,
            app.delete(
                &format!("/workspaces/{workspace}/members/{}", outsider.id),
                token,
            )
            .await,
            app.get(&format!("/workspaces/{workspace}/audit-logs"), token)
                .await,
        ];
        for response in responses {
            assert_eq!(response.status, 404, "{}", response.text);
            assert_eq!(response.code(), "not_found");
            assert!(!response.text.contains("Secret"));
        }
    }
    let still_there = app
        .get(&format!("/workspaces/{id}"), Some(&owner.access_token))
        .await;
    assert_eq!(still_there.json()["name"], "Secret");
}

#[tokio::test]
async fn deleting_a_workspace_removes_everything_it_owns_and_nothing_else() {
    let app = spawn_app().await;
    let team = app.team().await;
    let kept = app.create_workspace(&team.owner, "Kept").await;
    let doomed = team.workspace;
    // Rows of every tenant table, so the cascade is checked for each.
    app.execute_sql(
        "INSERT INTO invites (workspace_id, email, role, invited_by, expires_at, created_at) \
         VALUES (?, 'x@example.com', 'MEMBER', ?, UTC_TIMESTAMP(), UTC_TIMESTAMP())",
        vec![doomed.into(), team.owner.id.into()],
    )
    .await;
    app.execute_sql(
        "INSERT INTO projects (workspace_id, name, description, created_at, updated_at) \
         VALUES (?, 'P', '', UTC_TIMESTAMP(), UTC_TIMESTAMP())",
        vec![doomed.into()],
    )
    .await;
    let project = app.query_i64("SELECT MAX(id) FROM projects", vec![]).await;
    app.execute_sql(
        "INSERT INTO tasks (workspace_id, project_id, title, description, created_by, created_at, updated_at) \
         VALUES (?, ?, 'T', '', ?, UTC_TIMESTAMP(), UTC_TIMESTAMP())",
        vec![doomed.into(), project.into(), team.owner.id.into()],
    )
    .await;
    let task = app.query_i64("SELECT MAX(id) FROM tasks", vec![]).await;
    app.execute_sql(
        "INSERT INTO task_comments (workspace_id, task_id, user_id, content, created_at, updated_at) \
         VALUES (?, ?, ?, 'c', UTC_TIMESTAMP(), UTC_TIMESTAMP())",
        vec![doomed.into(), task.into(), team.owner.id.into()],
    )
    .await;

    let response = app
        .delete(
            &format!("/workspaces/{doomed}"),
            Some(&team.owner.access_token),
        )
        .await;
    assert_eq!(response.status, 204, "{}", response.text);

    for table in [
        "workspace_members",
        "invites",
        "projects",
        "tasks",
        "task_comments",
        "audit_logs",
    ] {
        let left = app
            .query_i64(
                &format!("SELECT COUNT(*) FROM {table} WHERE workspace_id = ?"),
                vec![doomed.into()],
            )
            .await;
        assert_eq!(left, 0, "{table} still has rows of the deleted workspace");
    }
    assert_eq!(
        app.get(
            &format!("/workspaces/{doomed}"),
            Some(&team.owner.access_token)
        )
        .await
        .status,
        404
    );
    // A former member's cached permission is gone too.
    assert_eq!(
        app.get(
            &format!("/workspaces/{doomed}"),
            Some(&team.admin.access_token)
        )
        .await
        .status,
        404
    );
    assert_eq!(
        app.get(
            &format!("/workspaces/{kept}"),
            Some(&team.owner.access_token)
        )
        .await
        .status,
        200
    );
}
