//! The services every handler reaches through `web::Data<AppState>`.

use std::sync::Arc;

use taskhub_domain::auth::AuthService;
use taskhub_domain::health::HealthService;

#[derive(Clone)]
pub struct AppState {
    pub health: Arc<HealthService>,
    pub auth: Arc<AuthService>,
}
