//! Request context: a request id on every request and response, a tracing
//! span that carries it, and one log line per request.

use std::time::Instant;

use actix_web::Error;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use tracing::Instrument;

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// A client-chosen id is echoed only if it is short printable ASCII, so it
/// cannot forge log lines or bloat headers.
const MAX_CLIENT_REQUEST_ID: usize = 128;

pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let request_id = req
        .headers()
        .get(&REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|id| !id.is_empty() && id.len() <= MAX_CLIENT_REQUEST_ID)
        .filter(|id| id.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());

    let method = req.method().to_string();
    let path = req.path().to_owned();
    let span = tracing::info_span!("request", request_id = %request_id);
    let started = Instant::now();

    // Handler and extractor errors arrive here already rendered as
    // responses; an `Err` would mean an inner middleware failed, which we
    // log and pass on for actix to render.
    let mut response = match next.call(req).instrument(span.clone()).await {
        Ok(response) => response.map_into_boxed_body(),
        Err(err) => {
            span.in_scope(
                || tracing::error!(%method, %path, error = %err, "request failed in middleware"),
            );
            return Err(err);
        }
    };

    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    let status = response.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| {
        tracing::info!(%method, %path, status, latency_ms, "request finished");
    });
    Ok(response)
}
