//! The OpenAPI document's frame: title, security scheme, shared schemas.
//! Paths are collected from the handlers' `#[utoipa::path]` by
//! utoipa-actix-web as routes are registered.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::error::{FieldProblem, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Taskhub API",
        description = "Multi-tenant team task management. Errors are RFC 9457 problem details \
                       (`application/problem+json`) with a stable `code`.",
    ),
    components(schemas(Problem, FieldProblem)),
    modifiers(&BearerSecurity),
    tags(
        (name = "service", description = "Health and documentation"),
        (name = "auth", description = "Accounts and login sessions"),
        (name = "workspaces", description = "Workspaces: the tenants"),
        (name = "members", description = "Workspace members and their roles"),
        (name = "invites", description = "Invitations by email"),
        (name = "audit", description = "The audit log of every write in a workspace"),
    )
)]
pub(crate) struct ApiDoc;

struct BearerSecurity;

impl Modify for BearerSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}
