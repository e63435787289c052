# confluence-auth-mock: a fake of Confluence Cloud's auth, for integration tests.
# Build: docker build -t confluence-auth-mock .   Run: docker compose up
# scripts/container-smoke.sh rebuilds and runs this image without a container engine; it reads
# every instruction and refuses one it does not reproduce (README.md, "What is verified, and how").
ARG SWIFT_VERSION=6.3

FROM swift:${SWIFT_VERSION}-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libssl-dev pkg-config && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The manifest names every target, tests and benchmarks included, so all their folders are copied.
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
COPY benchmarks ./benchmarks
RUN swift build -c release --product confluence-auth-mock --static-swift-stdlib \
 && install -m 755 "$(swift build -c release --show-bin-path)/confluence-auth-mock" /usr/local/bin/confluence-auth-mock

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libssl3 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin mock
COPY --from=build /usr/local/bin/confluence-auth-mock /usr/local/bin/confluence-auth-mock
COPY scenarios /scenarios
COPY certs /certs
USER mock
EXPOSE 8080 8443
# The binary checks its own health (no curl in the image).
HEALTHCHECK --interval=5s --timeout=2s --retries=5 CMD ["confluence-auth-mock", "health", "--url", "http://127.0.0.1:8080/__admin/health"]
ENTRYPOINT ["confluence-auth-mock"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080", "--tls-port", "8443", "--tls-cert", "/certs/server.pem", "--tls-key", "/certs/server-key.pem", "--scenario", "/scenarios/default.json"]
