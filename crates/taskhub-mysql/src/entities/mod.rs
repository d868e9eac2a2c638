//! SeaORM entities: the shape of each table as this crate reads and writes it.
//! Private: the rest of the workspace only sees domain types.

pub(crate) mod users;
