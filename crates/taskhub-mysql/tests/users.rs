//! `MySqlUserRepository` against a real, throwaway MariaDB database: checks
//! the `# Errors` contract of `UserRepository`.

use chrono::{SubsecRound, Utc};
use taskhub_domain::PortError;
use taskhub_domain::auth::{Email, NewUser, UserRepository};
use taskhub_domain::ids::UserId;
use taskhub_mysql::MySqlUserRepository;
use taskhub_test_support::TestDatabase;

fn new_user(email: &str) -> NewUser {
    NewUser {
        email: Email::parse(email).unwrap(),
        name: "Ada".into(),
        password_hash: "$2b$04$hash".into(),
        created_at: Utc::now().trunc_subsecs(0),
    }
}

#[tokio::test]
async fn inserted_users_are_found_by_email_and_id() {
    let (_db, connection) = TestDatabase::migrated().await;
    let users = MySqlUserRepository::new(connection);
    let user = users.insert(new_user("ada@example.com")).await.unwrap();
    assert!(user.id.0 > 0);

    let credentials = users
        .find_credentials(&Email::parse("ADA@example.com").unwrap())
        .await
        .unwrap();
    assert_eq!(credentials.user, user);
    assert_eq!(credentials.password_hash, "$2b$04$hash");
    assert_eq!(users.find(user.id).await.unwrap(), user);
}

#[tokio::test]
async fn a_duplicate_email_is_a_conflict() {
    let (_db, connection) = TestDatabase::migrated().await;
    let users = MySqlUserRepository::new(connection);
    users.insert(new_user("grace@example.com")).await.unwrap();
    let err = users
        .insert(new_user("grace@example.com"))
        .await
        .unwrap_err();
    assert!(matches!(err, PortError::Conflict), "{err:?}");
}

#[tokio::test]
async fn a_missing_user_is_not_found() {
    let (_db, connection) = TestDatabase::migrated().await;
    let users = MySqlUserRepository::new(connection);
    assert!(matches!(
        users.find(UserId(424242)).await,
        Err(PortError::NotFound)
    ));
    let unknown = Email::parse("nobody@example.com").unwrap();
    assert!(matches!(
        users.find_credentials(&unknown).await,
        Err(PortError::NotFound)
    ));
}

#[tokio::test]
async fn an_unreachable_server_is_unavailable_promptly() {
    let connection = taskhub_mysql::connect("mysql://root@127.0.0.1:1/taskhub")
        .await
        .unwrap();
    let users = MySqlUserRepository::new(connection);
    let started = std::time::Instant::now();
    let err = users.find(UserId(1)).await.unwrap_err();
    assert!(matches!(err, PortError::Unavailable(_)), "{err:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[tokio::test]
async fn migrations_go_down_and_up_again() {
    use migration::{Migrator, MigratorTrait};
    let (_db, connection) = TestDatabase::migrated().await;
    Migrator::down(&connection, None).await.unwrap();
    assert!(
        Migrator::get_applied_migrations(&connection)
            .await
            .unwrap()
            .is_empty()
    );
    Migrator::up(&connection, None).await.unwrap();
    assert_eq!(
        Migrator::get_pending_migrations(&connection)
            .await
            .unwrap()
            .len(),
        0
    );
}
