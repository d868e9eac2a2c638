//! The roles matrix of API.md over HTTP, for every endpoint that exists:
//! every role x every action, with the expected status.

use serde_json::json;
use taskhub_test_support::{Team, TestApp, TestResponse, spawn_app};

const ROLES: [&str; 4] = ["OWNER", "ADMIN", "MEMBER", "GUEST"];

/// One action of the matrix, performed by `role` on a fresh team.
async fn perform(app: &TestApp, team: &Team, role: &str, action: &str) -> TestResponse {
    let ws = team.workspace;
    let token = Some(team.by_role(role).access_token.as_str());
    let me = team.by_role(role).id;
    let spare = team.spare_guest.id;
    match action {
        "read workspace" => app.get(&format!("/workspaces/{ws}"), token).await,
        "list members" => app.get(&format!("/workspaces/{ws}/members"), token).await,
        "rename workspace" => {
            app.patch(&format!("/workspaces/{ws}"), &json!({"name": "N"}), token)
                .await
        }
        "read audit log" => {
            app.get(&format!("/workspaces/{ws}/audit-logs"), token)
                .await
        }
        "change a guest's role" => {
            app.patch(
                &format!("/workspaces/{ws}/members/{spare}"),
                &json!({"role": "MEMBER"}),
                token,
            )
            .await
        }
        "remove a guest" => {
            app.delete(&format!("/workspaces/{ws}/members/{spare}"), token)
                .await
        }
        "leave" => {
            app.delete(&format!("/workspaces/{ws}/members/{me}"), token)
                .await
        }
        "delete workspace" => app.delete(&format!("/workspaces/{ws}"), token).await,
        other => panic!("unknown action {other}"),
    }
}

#[tokio::test]
async fn every_role_times_every_action() {
    // (action, expected status for OWNER, ADMIN, MEMBER, GUEST)
    let matrix: [(&str, [u16; 4]); 8] = [
        ("read workspace", [200, 200, 200, 200]),
        ("list members", [200, 200, 200, 200]),
        ("rename workspace", [200, 200, 403, 403]),
        ("read audit log", [200, 200, 403, 403]),
        ("change a guest's role", [200, 200, 403, 403]),
        ("remove a guest", [204, 204, 403, 403]),
        ("leave", [409, 204, 204, 204]),
        ("delete workspace", [204, 403, 403, 403]),
    ];
    let app = spawn_app().await;
    let mut failures = Vec::new();
    for (action, expected) in matrix {
        for (role, status) in ROLES.into_iter().zip(expected) {
            // A fresh team per cell: earlier writes cannot affect a later cell.
            let team = app.team().await;
            let response = perform(&app, &team, role, action).await;
            if response.status != status {
                failures.push(format!(
                    "{role} {action}: expected {status}, got {} {}",
                    response.status, response.text
                ));
            }
            if status == 403 {
                assert_eq!(response.code(), "forbidden");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
