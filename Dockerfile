# Builds both binaries with the command `just build-release` runs, then
# copies them into a small runtime image that runs as a non-root user.

FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --workspace --bins

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home taskhub
COPY --from=build /src/target/release/taskhub-api /src/target/release/taskhub-worker /usr/local/bin/
USER taskhub
EXPOSE 8080
CMD ["taskhub-api"]
