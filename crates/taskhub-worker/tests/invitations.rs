//! The invitation loop end to end: the real API, the real worker library,
//! MariaDB, Redis and an in-process SMTP server.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use taskhub_domain::invite::{DeliveryOutcome, InvitationQueue};
use taskhub_test_support::{
    SmtpSink, TestApp, TestUser, invite_token_in, spawn_app, spawn_app_with, wait_until,
};
use taskhub_worker::{InMemoryMailer, Worker, WorkerConfig};

const DEADLINE: Duration = Duration::from_secs(10);

fn fast_config() -> WorkerConfig {
    WorkerConfig {
        max_attempts: 3,
        base_backoff: Duration::from_millis(50),
        claim_lease: Duration::from_secs(300),
        sweep_grace: Duration::from_secs(60),
        sweep_interval: Duration::from_millis(100),
        visibility_timeout: Duration::from_millis(300),
    }
}

async fn smtp_worker(app: &TestApp, sink: &SmtpSink, config: WorkerConfig) -> Worker {
    Worker::build(&app.worker_settings(Some(sink.url())), config)
        .await
        .expect("build the worker")
}

/// Runs the worker until it reports something other than `Idle`.
async fn next_outcome(worker: &Worker) -> DeliveryOutcome {
    let give_up = std::time::Instant::now() + DEADLINE;
    loop {
        match worker.try_execute_next().await.expect("worker step") {
            DeliveryOutcome::Idle if std::time::Instant::now() < give_up => continue,
            outcome => return outcome,
        }
    }
}

async fn invite(
    app: &TestApp,
    owner: &TestUser,
    ws: i64,
    email: &str,
    role: &str,
) -> serde_json::Value {
    let response = app
        .post(
            &format!("/workspaces/{ws}/invites"),
            &json!({"email": email, "role": role}),
            Some(&owner.access_token),
        )
        .await;
    assert_eq!(response.status, 201, "{}", response.text);
    response.json()
}

async fn accept(app: &TestApp, user: &TestUser, token: &str) -> taskhub_test_support::TestResponse {
    app.post(
        "/invites/accept",
        &json!({"token": token}),
        Some(&user.access_token),
    )
    .await
}

#[tokio::test]
async fn the_full_loop_from_invite_to_membership() {
    let app = spawn_app().await;
    let sink = SmtpSink::start().await;
    let worker = smtp_worker(&app, &sink, fast_config()).await;
    let owner = app.signed_up_user("owner@example.com").await;
    let ws = app.create_workspace(&owner, "Acme").await;

    let created = invite(&app, &owner, ws, "Grace@Example.com", "GUEST").await;
    assert_eq!(created["status"], "PENDING");
    assert_eq!(created["email"], "grace@example.com");
    assert_eq!(created["role"], "GUEST");
    assert!(created.get("token").is_none());

    assert!(matches!(
        next_outcome(&worker).await,
        DeliveryOutcome::Sent(_)
    ));
    let emails = sink.wait_for(1, DEADLINE).await;
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].to, ["<grace@example.com>"]);
    assert!(
        emails[0]
            .text()
            .contains("http://taskhub.test/invites/accept?token=")
    );
    let token = emails[0].invite_token().expect("a token in the email");
    assert!(token.len() >= 32, "{token}");

    let grace = app.signed_up_user("grace@example.com").await;
    let accepted = accept(&app, &grace, &token).await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    assert_eq!(
        accepted.json(),
        json!({"workspace_id": ws, "role": "GUEST"})
    );

    let members = app
        .get(
            &format!("/workspaces/{ws}/members"),
            Some(&grace.access_token),
        )
        .await
        .json();
    let grace_row = members["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user_id"] == grace.id)
        .cloned()
        .expect("grace is a member");
    assert_eq!(grace_row["role"], "GUEST");

    // The token is in no API response, and only its hash is stored.
    let invites = app
        .get(
            &format!("/workspaces/{ws}/invites"),
            Some(&owner.access_token),
        )
        .await;
    assert_eq!(invites.json()["items"][0]["status"], "ACCEPTED");
    let audit = app
        .get(
            &format!("/workspaces/{ws}/audit-logs"),
            Some(&owner.access_token),
        )
        .await;
    for response in [
        &created.to_string(),
        &invites.text,
        &audit.text,
        &accepted.text,
    ] {
        assert!(!response.contains(&token), "the token leaked: {response}");
    }
    let stored = app
        .query_i64(
            "SELECT COUNT(*) FROM invites WHERE token_hash = SHA2(?, 256)",
            vec![token.clone().into()],
        )
        .await;
    assert_eq!(stored, 1);
    let actions: Vec<_> = audit.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(actions[..2], ["MEMBER_JOIN", "MEMBER_INVITE"]);
}

/// The token in the `index`-th email an in-memory mailer holds.
fn token_in(mailer: &InMemoryMailer, index: usize) -> String {
    invite_token_in(&mailer.sent()[index].body).expect("an accept link")
}

async fn memory_worker(app: &TestApp) -> (Worker, Arc<InMemoryMailer>) {
    let mailer = Arc::new(InMemoryMailer::default());
    let worker =
        Worker::build_with_mailer(&app.worker_settings(None), fast_config(), mailer.clone())
            .await
            .expect("build the worker");
    (worker, mailer)
}

#[tokio::test]
async fn accepting_checks_the_email_reuse_and_revocation() {
    let app = spawn_app().await;
    let (worker, mailer) = memory_worker(&app).await;
    let owner = app.signed_up_user("owner@example.com").await;
    let ws = app.create_workspace(&owner, "Acme").await;

    invite(&app, &owner, ws, "ken@example.com", "MEMBER").await;
    assert!(matches!(
        next_outcome(&worker).await,
        DeliveryOutcome::Sent(_)
    ));
    let token = token_in(&mailer, 0);
    let ken = app.signed_up_user("ken@example.com").await;
    let intruder = app.signed_up_user("intruder@example.com").await;

    let wrong_email = accept(&app, &intruder, &token).await;
    assert_eq!(wrong_email.status, 403);
    assert_eq!(wrong_email.code(), "forbidden");
    assert_eq!(accept(&app, &ken, "not-a-real-token").await.status, 404);
    assert_eq!(accept(&app, &ken, &token).await.status, 200);
    let reused = accept(&app, &ken, &token).await;
    assert_eq!(reused.status, 409);
    assert_eq!(reused.code(), "conflict");

    let revoked = invite(&app, &owner, ws, "dennis@example.com", "MEMBER").await;
    assert!(matches!(
        next_outcome(&worker).await,
        DeliveryOutcome::Sent(_)
    ));
    let revoked_token = token_in(&mailer, 1);
    let response = app
        .delete(
            &format!("/workspaces/{ws}/invites/{}", revoked["id"]),
            Some(&owner.access_token),
        )
        .await;
    assert_eq!(response.status, 204);
    let dennis = app.signed_up_user("dennis@example.com").await;
    let gone = accept(&app, &dennis, &revoked_token).await;
    assert_eq!(gone.status, 410);
    assert_eq!(gone.code(), "invite_revoked");
}

#[tokio::test]
async fn an_invite_past_its_ttl_is_expired() {
    let app = spawn_app_with(|env| {
        env.insert("INVITE_TTL_SECS", "3".to_owned());
    })
    .await;
    let (worker, mailer) = memory_worker(&app).await;
    let owner = app.signed_up_user("owner@example.com").await;
    let ws = app.create_workspace(&owner, "Acme").await;
    invite(&app, &owner, ws, "late@example.com", "MEMBER").await;
    assert!(matches!(
        next_outcome(&worker).await,
        DeliveryOutcome::Sent(_)
    ));
    let token = token_in(&mailer, 0);
    let late = app.signed_up_user("late@example.com").await;

    // Polling the list, not accept: an accept before expiry would succeed.
    let list_path = format!("/workspaces/{ws}/invites");
    let expired = wait_until(DEADLINE, || async {
        let list = app.get(&list_path, Some(&owner.access_token)).await.json();
        list["items"][0]["status"] == "EXPIRED"
    })
    .await;
    assert!(expired, "the invite never expired");
    let response = accept(&app, &late, &token).await;
    assert_eq!(response.status, 410);
    assert_eq!(response.code(), "invite_expired");
    let members = app
        .query_i64(
            "SELECT COUNT(*) FROM workspace_members WHERE user_id = ?",
            vec![late.id.into()],
        )
        .await;
    assert_eq!(members, 0);
}

#[tokio::test]
async fn of_two_concurrent_accepts_exactly_one_succeeds() {
    let app = spawn_app().await;
    let (worker, mailer) = memory_worker(&app).await;
    let owner = app.signed_up_user("owner@example.com").await;
    let ws = app.create_workspace(&owner, "Acme").await;
    invite(&app, &owner, ws, "twin@example.com", "MEMBER").await;
    assert!(matches!(
        next_outcome(&worker).await,
        DeliveryOutcome::Sent(_)
    ));
    let token = token_in(&mailer, 0);
    let twin = app.signed_up_user("twin@example.com").await;

    let (first, second) = tokio::join!(accept(&app, &twin, &token), accept(&app, &twin, &token));
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{} / {}", first.text, second.text);
    let rows = app
        .query_i64(
            "SELECT COUNT(*) FROM workspace_members WHERE workspace_id = ? AND user_id = ?",
            vec![ws.into(), twin.id.into()],
        )
        .await;
    assert_eq!(rows, 1);
}

#[tokio::test]
async fn a_job_whose_worker_died_mid_way_is_reclaimed_and_sent() {
    let app = spawn_app().await;
    let sink = SmtpSink::start().await;
    let owner = app.signed_up_user("owner@example.com").await;
    let ws = app.create_workspace(&owner, "Acme").await;
    invite(&app, &owner, ws, "lost@example.com", "MEMBER").await;

    // A worker takes the job and dies before acknowledging it.
    let pool = taskhub_redis::connect(&app.settings.redis.url).unwrap();
    let doomed = taskhub_redis::RedisInvitationQueue::new(
        pool,
        taskhub_redis::Keys::new(app.redis.prefix()),
        Duration::from_millis(300),
    );
    let taken = doomed.next().await.unwrap().expect("the job");
    drop(doomed);

    let survivor = smtp_worker(&app, &sink, fast_config()).await;
    match next_outcome(&survivor).await {
        DeliveryOutcome::Sent(job) => assert_eq!(job.job_id, taken.job_id),
        other => panic!("{other:?}"),
    }
    assert_eq!(sink.wait_for(1, DEADLINE).await.len(), 1);
}

#[tokio::test]
async fn smtp_failures_are_retried_with_backoff_then_dead_lettered() {
    let app = spawn_app().await;
    let sink = SmtpSink::start().await;
    let worker = smtp_worker(&app, &sink, fast_config()).await;
    let owner = app.signed_up_user("owner@example.com").await;
    let ws = app.create_workspace(&owner, "Acme").await;

    // One failure, then success.
    sink.refuse_next(1);
    invite(&app, &owner, ws, "flaky@example.com", "MEMBER").await;
    match next_outcome(&worker).await {
        DeliveryOutcome::Retrying { delay, job, .. } => {
            assert_eq!(delay, Duration::from_millis(50));
            assert_eq!(job.attempt, 1);
        }
        other => panic!("{other:?}"),
    }
    match next_outcome(&worker).await {
        DeliveryOutcome::Sent(job) => assert_eq!(job.attempt, 2),
        other => panic!("{other:?}"),
    }

    // Every attempt fails: 50 ms, 100 ms, then the dead-letter list.
    sink.refuse_next(usize::MAX);
    invite(&app, &owner, ws, "doomed@example.com", "MEMBER").await;
    let mut delays = Vec::new();
    let dead = loop {
        match next_outcome(&worker).await {
            DeliveryOutcome::Retrying { delay, .. } => delays.push(delay),
            DeliveryOutcome::DeadLettered { job, error } => break (job, error),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(
        delays,
        [Duration::from_millis(50), Duration::from_millis(100)]
    );
    assert_eq!(dead.0.attempt, 3);
    assert!(dead.1.contains("451"), "{}", dead.1);

    let mut redis = redis::Client::open(app.settings.redis.url.clone())
        .unwrap()
        .get_connection()
        .unwrap();
    let letters: Vec<String> = redis::cmd("LRANGE")
        .arg(format!("{}queue:{{invitations}}:dead", app.redis.prefix()))
        .arg(0)
        .arg(-1)
        .query(&mut redis)
        .unwrap();
    assert_eq!(letters.len(), 1);
    let letter: serde_json::Value = serde_json::from_str(&letters[0]).unwrap();
    assert_eq!(letter["attempts"], 3);
    assert!(letter["error"].as_str().unwrap().contains("451"));
    // A dead-lettered email is given up: the outbox sweep leaves it alone.
    assert_eq!(worker.sweep_outbox().await.unwrap(), 0);
}

#[tokio::test]
async fn the_outbox_sweep_delivers_an_email_whose_enqueue_was_lost() {
    let app = spawn_app().await;
    let (worker, mailer) = memory_worker(&app).await;
    let owner = app.signed_up_user("owner@example.com").await;
    let ws = app.create_workspace(&owner, "Acme").await;
    invite(&app, &owner, ws, "outbox@example.com", "MEMBER").await;

    // The enqueue after commit never reached Redis...
    let mut redis = redis::Client::open(app.settings.redis.url.clone())
        .unwrap()
        .get_connection()
        .unwrap();
    let _: () = redis::cmd("DEL")
        .arg(format!(
            "{}queue:{{invitations}}:stream",
            app.redis.prefix()
        ))
        .query(&mut redis)
        .unwrap();
    assert!(matches!(
        worker.try_execute_next().await.unwrap(),
        DeliveryOutcome::Idle
    ));
    // ...and nothing is swept before the grace period is over...
    assert_eq!(worker.sweep_outbox().await.unwrap(), 0);
    // ...but once it is, the email is queued exactly once and sent.
    app.execute_sql(
        "UPDATE invites SET email_due_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND",
        vec![],
    )
    .await;
    assert_eq!(worker.sweep_outbox().await.unwrap(), 1);
    assert_eq!(worker.sweep_outbox().await.unwrap(), 0);
    assert!(matches!(
        next_outcome(&worker).await,
        DeliveryOutcome::Sent(_)
    ));
    assert_eq!(mailer.sent().len(), 1);
    assert_eq!(mailer.sent()[0].to, "outbox@example.com");
}

#[tokio::test]
async fn no_email_for_an_invite_revoked_or_replaced_before_it_is_sent() {
    let app = spawn_app().await;
    let (worker, mailer) = memory_worker(&app).await;
    let owner = app.signed_up_user("owner@example.com").await;
    let ws = app.create_workspace(&owner, "Acme").await;

    let revoked = invite(&app, &owner, ws, "gone@example.com", "MEMBER").await;
    app.delete(
        &format!("/workspaces/{ws}/invites/{}", revoked["id"]),
        Some(&owner.access_token),
    )
    .await;
    invite(&app, &owner, ws, "twice@example.com", "MEMBER").await;
    invite(&app, &owner, ws, "twice@example.com", "GUEST").await;

    let mut outcomes = Vec::new();
    for _ in 0..3 {
        outcomes.push(next_outcome(&worker).await);
    }
    let sent: Vec<_> = outcomes
        .iter()
        .filter(|o| matches!(o, DeliveryOutcome::Sent(_)))
        .collect();
    assert_eq!(sent.len(), 1, "{outcomes:?}");
    assert_eq!(mailer.sent().len(), 1);
    assert!(
        mailer.sent()[0].body.contains("as GUEST"),
        "the replacement is the one sent"
    );
}

#[tokio::test]
async fn a_duplicate_job_for_a_sent_invite_sends_nothing() {
    let app = spawn_app().await;
    let (worker, mailer) = memory_worker(&app).await;
    let owner = app.signed_up_user("owner@example.com").await;
    let ws = app.create_workspace(&owner, "Acme").await;
    let created = invite(&app, &owner, ws, "once@example.com", "MEMBER").await;
    assert!(matches!(
        next_outcome(&worker).await,
        DeliveryOutcome::Sent(_)
    ));

    let pool = taskhub_redis::connect(&app.settings.redis.url).unwrap();
    let queue = taskhub_redis::RedisInvitationQueue::new(
        pool,
        taskhub_redis::Keys::new(app.redis.prefix()),
        Duration::from_secs(60),
    );
    queue
        .enqueue(
            taskhub_domain::ids::WorkspaceId(ws),
            taskhub_domain::ids::InviteId(created["id"].as_i64().unwrap()),
        )
        .await;
    assert!(matches!(
        next_outcome(&worker).await,
        DeliveryOutcome::Skipped(_)
    ));
    assert_eq!(mailer.sent().len(), 1);
}

/// Runs `worker` until the queue is empty; returns how many emails it sent.
async fn drain(worker: &Worker) -> usize {
    let mut sent = 0;
    loop {
        match worker.try_execute_next().await.unwrap() {
            DeliveryOutcome::Sent(_) => sent += 1,
            DeliveryOutcome::Idle => return sent,
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn several_workers_send_each_invite_exactly_once() {
    let app = spawn_app().await;
    let sink = SmtpSink::start().await;
    let owner = app.signed_up_user("owner@example.com").await;
    let ws = app.create_workspace(&owner, "Acme").await;
    for index in 0..6 {
        invite(
            &app,
            &owner,
            ws,
            &format!("person{index}@example.com"),
            "MEMBER",
        )
        .await;
    }
    let workers = [
        smtp_worker(&app, &sink, fast_config()).await,
        smtp_worker(&app, &sink, fast_config()).await,
        smtp_worker(&app, &sink, fast_config()).await,
    ];
    let (a, b, c) = tokio::join!(drain(&workers[0]), drain(&workers[1]), drain(&workers[2]));
    assert_eq!(a + b + c, 6);
    let emails = sink.wait_for(6, DEADLINE).await;
    let mut recipients: Vec<_> = emails.iter().map(|e| e.to[0].clone()).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 6, "{recipients:?}");
}
