//! `CurrentUser`: the authenticated caller, from `Authorization: Bearer`.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use taskhub_domain::auth::AccessGrant;
use taskhub_domain::ids::UserId;

use crate::error::ApiError;
use crate::state::AppState;

/// A caller whose access token is valid, of the right kind and not revoked
/// (the revocation state is checked in Redis on every request: if Redis
/// cannot answer, the request fails with 503 rather than trusting the token).
#[derive(Clone, Debug)]
pub struct CurrentUser(pub AccessGrant);

impl CurrentUser {
    pub fn id(&self) -> UserId {
        self.0.user_id
    }
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer_token(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let token = token?;
            let state = state.ok_or_else(ApiError::missing_state)?;
            let grant = state.auth.authenticate(&token).await?;
            Ok(CurrentUser(grant))
        })
    }
}

fn bearer_token(req: &HttpRequest) -> Result<String, ApiError> {
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .ok_or_else(ApiError::missing_credentials)?;
    let value = header
        .to_str()
        .map_err(|_| ApiError::unauthorized("malformed Authorization header"))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim().to_owned())
        }
        _ => Err(ApiError::unauthorized(
            "the Authorization header must be `Bearer <access_token>`",
        )),
    }
}
