use serde_json::json;
use taskhub_test_support::spawn_app;

#[tokio::test]
async fn members_are_listed_with_their_roles_in_join_order() {
    let app = spawn_app().await;
    let team = app.team().await;
    let response = app
        .get(
            &format!("/workspaces/{}/members", team.workspace),
            Some(&team.guest.access_token),
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.text);
    let body = response.json();
    assert_eq!(body["total"], 5);
    let roles: Vec<_> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].clone())
        .collect();
    assert_eq!(roles, ["OWNER", "ADMIN", "MEMBER", "GUEST", "GUEST"]);
    let first = &body["items"][0];
    assert_eq!(first["user_id"], team.owner.id);
    assert_eq!(first["email"], team.owner.email.as_str());
    assert!(first["joined_at"].is_string() && first["name"].is_string());
}

#[tokio::test]
async fn role_change_rules_over_http() {
    let app = spawn_app().await;
    let team = app.team().await;
    let ws = team.workspace;
    // (actor, target, new role, expected status)
    let cases = [
        (&team.admin, &team.member, "ADMIN", 403),
        (&team.admin, &team.owner, "GUEST", 409),
        (&team.member, &team.guest, "MEMBER", 403),
        (&team.owner, &team.owner, "ADMIN", 409),
        (&team.owner, &team.member, "OWNER", 422),
        (&team.owner, &team.member, "SUPERUSER", 422),
        (&team.admin, &team.member, "GUEST", 200),
        (&team.owner, &team.member, "ADMIN", 200),
        (&team.admin, &team.member, "GUEST", 403),
    ];
    for (actor, target, role, expected) in cases {
        let response = app
            .patch(
                &format!("/workspaces/{ws}/members/{}", target.id),
                &json!({"role": role}),
                Some(&actor.access_token),
            )
            .await;
        assert_eq!(
            response.status, expected,
            "{} sets {} to {role}: {}",
            actor.email, target.email, response.text
        );
        if expected == 200 {
            assert_eq!(response.json()["role"], role);
            assert_eq!(response.json()["user_id"], target.id);
        }
    }
}

#[tokio::test]
async fn changing_the_role_of_a_non_member_is_404() {
    let app = spawn_app().await;
    let team = app.team().await;
    let stranger = app.signed_up_user("stranger@example.com").await;
    let response = app
        .patch(
            &format!("/workspaces/{}/members/{}", team.workspace, stranger.id),
            &json!({"role": "GUEST"}),
            Some(&team.owner.access_token),
        )
        .await;
    assert_eq!(response.status, 404);
}

#[tokio::test]
async fn a_demotion_takes_effect_on_the_very_next_request() {
    let app = spawn_app().await;
    let team = app.team().await;
    let ws = team.workspace;
    let rename = |name: &'static str| {
        let app = &app;
        let token = team.admin.access_token.clone();
        async move {
            app.patch(
                &format!("/workspaces/{ws}"),
                &json!({"name": name}),
                Some(&token),
            )
            .await
            .status
        }
    };
    // The first request caches ADMIN in Redis.
    assert_eq!(rename("By admin").await, 200);
    assert!(
        app.redis
            .keys()
            .iter()
            .any(|key| key.contains(&format!("perm:ws:{ws}:user:{}", team.admin.id)))
    );

    let demoted = app
        .patch(
            &format!("/workspaces/{ws}/members/{}", team.admin.id),
            &json!({"role": "MEMBER"}),
            Some(&team.owner.access_token),
        )
        .await;
    assert_eq!(demoted.status, 200, "{}", demoted.text);
    assert_eq!(rename("Again").await, 403);
}

#[tokio::test]
async fn a_removal_takes_effect_on_the_very_next_request() {
    let app = spawn_app().await;
    let team = app.team().await;
    let ws = team.workspace;
    let path = format!("/workspaces/{ws}");
    assert_eq!(
        app.get(&path, Some(&team.member.access_token)).await.status,
        200
    );
    let removed = app
        .delete(
            &format!("/workspaces/{ws}/members/{}", team.member.id),
            Some(&team.admin.access_token),
        )
        .await;
    assert_eq!(removed.status, 204, "{}", removed.text);
    assert_eq!(
        app.get(&path, Some(&team.member.access_token)).await.status,
        404
    );
}

#[tokio::test]
async fn members_can_leave_but_the_owner_cannot_leave_or_be_removed() {
    let app = spawn_app().await;
    let team = app.team().await;
    let ws = team.workspace;
    for leaver in [&team.guest, &team.member, &team.admin] {
        let response = app
            .delete(
                &format!("/workspaces/{ws}/members/{}", leaver.id),
                Some(&leaver.access_token),
            )
            .await;
        assert_eq!(
            response.status, 204,
            "{} leaving: {}",
            leaver.email, response.text
        );
        assert_eq!(
            app.get(&format!("/workspaces/{ws}"), Some(&leaver.access_token))
                .await
                .status,
            404
        );
    }
    let owner_leaves = app
        .delete(
            &format!("/workspaces/{ws}/members/{}", team.owner.id),
            Some(&team.owner.access_token),
        )
        .await;
    assert_eq!(owner_leaves.status, 409);
    assert_eq!(owner_leaves.code(), "conflict");
}

#[tokio::test]
async fn an_admin_cannot_remove_the_owner_or_another_admin() {
    let app = spawn_app().await;
    let team = app.team().await;
    let ws = team.workspace;
    let second_admin = app.signed_up_user("admin2@example.com").await;
    app.add_member(ws, second_admin.id, "ADMIN").await;
    let owner = app
        .delete(
            &format!("/workspaces/{ws}/members/{}", team.owner.id),
            Some(&team.admin.access_token),
        )
        .await;
    assert_eq!(owner.status, 409);
    let admin = app
        .delete(
            &format!("/workspaces/{ws}/members/{}", second_admin.id),
            Some(&team.admin.access_token),
        )
        .await;
    assert_eq!(admin.status, 403);
    assert_eq!(admin.code(), "forbidden");
}
