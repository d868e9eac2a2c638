//! `JsonBody<T>`: a JSON request body with the error answers of API.md.
//!
//! - not `application/json` (or `+json`): 415 `unsupported_media_type`
//! - over 64 KiB: 413 `payload_too_large` (checked on the header and while reading)
//! - not JSON at all, or JSON that is not an object: 400 `bad_request`
//! - an object whose fields have the wrong type or are missing: 422
//!   `validation_failed` naming the field

use std::future::Future;
use std::pin::Pin;

use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_LENGTH;
use actix_web::mime;
use actix_web::web::BytesMut;
use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use taskhub_domain::validation::ValidationErrors;

use crate::error::ApiError;

pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A required JSON object body.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

/// A JSON object body that may be left out entirely (empty body); when
/// present it is checked like [`JsonBody`].
#[derive(Debug)]
pub struct OptionalJsonBody<T>(pub Option<T>);

type ExtractFuture<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = ExtractFuture<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = read_body(req, payload.take());
        Box::pin(async move {
            let bytes = body.await?;
            check_content_type(&bytes)?;
            parse(&bytes.bytes).map(JsonBody)
        })
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for OptionalJsonBody<T> {
    type Error = ApiError;
    type Future = ExtractFuture<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = read_body(req, payload.take());
        Box::pin(async move {
            let bytes = body.await?;
            if bytes.bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(OptionalJsonBody(None));
            }
            check_content_type(&bytes)?;
            parse(&bytes.bytes).map(|value| OptionalJsonBody(Some(value)))
        })
    }
}

struct RawBody {
    bytes: BytesMut,
    is_json: bool,
}

fn read_body(
    req: &HttpRequest,
    mut payload: Payload,
) -> impl Future<Output = Result<RawBody, ApiError>> + 'static {
    let is_json = req.mime_type().ok().flatten().is_some_and(|mime| {
        mime.type_() == mime::APPLICATION
            && (mime.subtype() == mime::JSON || mime.suffix() == Some(mime::JSON))
    });
    let declared_length = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    async move {
        if declared_length.is_some_and(|length| length > MAX_BODY_BYTES) {
            return Err(too_large());
        }
        let mut bytes = BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk =
                chunk.map_err(|err| ApiError::bad_request(format!("cannot read body: {err}")))?;
            if bytes.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(RawBody { bytes, is_json })
    }
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("the body exceeds {MAX_BODY_BYTES} bytes"),
    )
}

fn check_content_type(body: &RawBody) -> Result<(), ApiError> {
    if body.is_json {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "the body must be JSON sent as Content-Type: application/json",
        ))
    }
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|err| ApiError::bad_request(format!("malformed JSON: {err}")))?;
    if !value.is_object() {
        return Err(ApiError::bad_request("the body must be a JSON object"));
    }
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let message = inner.to_string();
        // serde reports a missing field at the parent's path; name the field.
        let field = match (path.as_str(), missing_field(&message)) {
            (".", Some(field)) => field.to_owned(),
            (".", None) => "body".to_owned(),
            (parent, Some(field)) => format!("{parent}.{field}"),
            (path, None) => path.to_owned(),
        };
        ApiError::validation(&ValidationErrors::single(&field, message))
    })
}

/// The field name in serde's "missing field `name`" message.
fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Login {
        email: String,
        password: String,
    }

    #[test]
    fn wrong_type_names_the_field() {
        let err = parse::<Login>(br#"{"email": 5, "password": "x"}"#).unwrap_err();
        assert_eq!(err.code(), "validation_failed");
        assert!(format!("{err:?}").contains("\"email\""), "{err:?}");
    }

    #[test]
    fn missing_field_names_the_field() {
        let err = parse::<Login>(br#"{"email": "a@b.c"}"#).unwrap_err();
        assert!(
            format!("{err:?}").contains("field: \"password\""),
            "{err:?}"
        );
    }

    #[test]
    fn non_objects_and_garbage_are_bad_requests() {
        for body in [&b"[1,2]"[..], b"\"text\"", b"{\"email\":", b"nope"] {
            assert_eq!(parse::<Login>(body).unwrap_err().code(), "bad_request");
        }
    }
}
