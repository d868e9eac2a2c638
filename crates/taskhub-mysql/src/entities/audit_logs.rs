use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_logs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    pub actor_id: i64,
    pub action: String,
    pub entity_type: String,
    pub entity_id: i64,
    /// A JSON object of strings, kept as text here (MariaDB's JSON is text).
    #[sea_orm(column_type = "Text")]
    pub meta: String,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
