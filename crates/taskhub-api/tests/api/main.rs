//! Black-box API tests: the real application on a random port, spoken to
//! over HTTP. One binary, so the app code is compiled once for all tests.

mod audit;
mod auth;
mod errors;
mod health_and_docs;
mod invites;
mod members;
mod process;
mod rbac_matrix;
mod workspaces;
