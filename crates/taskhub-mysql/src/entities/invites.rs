use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invites")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    pub email: String,
    pub role: String,
    /// `PENDING`, `ACCEPTED` or `REVOKED` (expiry is derived).
    pub status: String,
    pub token_hash: Option<String>,
    pub invited_by: i64,
    pub expires_at: DateTime,
    pub created_at: DateTime,
    pub accepted_at: Option<DateTime>,
    pub revoked_at: Option<DateTime>,
    pub email_sent_at: Option<DateTime>,
    pub email_due_at: Option<DateTime>,
    pub email_claimed_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
