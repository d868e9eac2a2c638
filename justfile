# Taskhub tasks. `just` lists them.
#
# The Dockerfile runs the same build command as `build-release`, and the
# compose file runs the same binaries as `dev`.

set shell := ["bash", "-euo", "pipefail", "-c"]

# Settings for `dev` and `migrate` against the local MariaDB/Redis; any of
# them can be overridden from the environment.
export DATABASE_URL := env_var_or_default("DATABASE_URL", "mysql://root@127.0.0.1:3306/taskhub")
export REDIS_URL := env_var_or_default("REDIS_URL", "redis://127.0.0.1:6379/0")
export JWT_SECRET := env_var_or_default("JWT_SECRET", "dev-only-secret-change-me-0123456789abcdef")
export HTTP_ADDR := env_var_or_default("HTTP_ADDR", "127.0.0.1:8080")

default:
    @just --list

# Run the whole stack in Docker (MySQL, Redis, mailpit, api, worker).
up:
    docker compose up --build

# Run the api and the worker against the local MariaDB and Redis.
dev: build create-db
    #!/usr/bin/env bash
    set -euo pipefail
    target/debug/taskhub-worker &
    worker=$!
    trap 'kill -TERM $worker 2>/dev/null || true; wait $worker || true' EXIT
    target/debug/taskhub-api

# Build every crate (debug).
build:
    cargo build --workspace

# Build the release binaries (what the Dockerfile runs).
build-release:
    cargo build --release --locked --workspace --bins

# The test suite: unit, adapter and API tests (needs MariaDB and Redis).
test:
    cargo test --workspace --locked

# Formatting, clippy with warnings as errors, the compose file's schema and
# the OpenAPI document.
lint: check-compose
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets --locked -- -D warnings
    just check-openapi

# Format the code.
fmt:
    cargo fmt --all

# Validate docker-compose.yml against the compose-spec schema (offline).
check-compose:
    check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml
    if command -v docker-compose >/dev/null; then docker-compose -f docker-compose.yml config -q; fi

# Validate the OpenAPI document the api serves (openapi-spec-validator, offline).
check-openapi: build
    target/debug/taskhub-api openapi > target/openapi.json
    openapi-spec-validator target/openapi.json

# Apply migrations to DATABASE_URL (also: just migrate down / status / fresh).
# Built with --workspace like everything else, so features unify the same way.
migrate *args="up": build
    target/debug/migration {{args}}

# Create the local development database (for `dev`) if it does not exist.
create-db:
    mariadb -h 127.0.0.1 -u root -e 'CREATE DATABASE IF NOT EXISTS taskhub CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'
