use async_trait::async_trait;
use chrono::{DateTime, NaiveDateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use taskhub_domain::PortError;
use taskhub_domain::auth::{Email, NewUser, User, UserCredentials, UserRepository};
use taskhub_domain::ids::UserId;

use crate::db;
use crate::entities::users;

pub struct MySqlUserRepository {
    db: DatabaseConnection,
}

impl MySqlUserRepository {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[async_trait]
impl UserRepository for MySqlUserRepository {
    async fn insert(&self, user: NewUser) -> Result<User, PortError> {
        let row = users::ActiveModel {
            email: Set(user.email.as_str().to_owned()),
            name: Set(user.name),
            password_hash: Set(user.password_hash),
            created_at: Set(user.created_at.naive_utc()),
            ..Default::default()
        };
        db::call(row.insert(&self.db)).await.map(into_user)
    }

    async fn find_credentials(&self, email: &Email) -> Result<UserCredentials, PortError> {
        let row = db::call(
            users::Entity::find()
                .filter(users::Column::Email.eq(email.as_str()))
                .one(&self.db),
        )
        .await?
        .ok_or(PortError::NotFound)?;
        let password_hash = row.password_hash.clone();
        Ok(UserCredentials {
            user: into_user(row),
            password_hash,
        })
    }

    async fn find(&self, id: UserId) -> Result<User, PortError> {
        db::call(users::Entity::find_by_id(id.0).one(&self.db))
            .await?
            .map(into_user)
            .ok_or(PortError::NotFound)
    }
}

fn into_user(row: users::Model) -> User {
    User {
        id: UserId(row.id),
        email: Email::from_trusted(row.email),
        name: row.name,
        created_at: utc(row.created_at),
    }
}

/// Columns are `DATETIME` holding UTC.
pub(crate) fn utc(value: NaiveDateTime) -> DateTime<Utc> {
    value.and_utc()
}
