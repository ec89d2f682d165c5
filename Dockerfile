# syntax=docker/dockerfile:1
#
# atlassian-audit-receiver container image.
#
#   docker build -t atlassian-audit-receiver:0.1.0 .
#   docker run --read-only --tmpfs /tmp \
#     -v receiver-state:/var/lib/atlassian-audit-receiver \
#     -v "$PWD/config.yaml:/etc/atlassian-audit-receiver/config.yaml:ro" \
#     -e ATLASSIAN_ORG_API_KEY atlassian-audit-receiver:0.1.0
#
# The config must put its state on the volume (`state: {directory: /var/lib/atlassian-audit-receiver}`
# or a folder below it): the default, ./state next to the config file, is on a read-only path.
# At run time the process writes nowhere else, so the image runs with a read-only root
# filesystem (`--read-only`, Kubernetes `readOnlyRootFilesystem: true`).
#
# Pin the base image by digest in production: docker build --build-arg NODE_IMAGE=node:24-slim@sha256:…
ARG NODE_IMAGE=node:24-slim

# ---- build: compile TypeScript to dist/ --------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no dependency runs code at install; the build is the explicit step below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
RUN npm run build

# ---- runtime: production dependencies and dist/ only ------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && npm cache clean --force
COPY --from=build /app/dist ./dist
# State lives on the volume; the config is mounted read-only at /etc/atlassian-audit-receiver.
RUN mkdir -p /var/lib/atlassian-audit-receiver /etc/atlassian-audit-receiver \
  && chown 1000:1000 /var/lib/atlassian-audit-receiver \
  && chmod 0700 /var/lib/atlassian-audit-receiver
# The base image's unprivileged `node` user, by number so that Kubernetes `runAsNonRoot`
# can verify it without a runAsUser.
USER 1000:1000
VOLUME ["/var/lib/atlassian-audit-receiver"]
ENTRYPOINT ["node", "/app/dist/cli.js"]
CMD ["run", "--config", "/etc/atlassian-audit-receiver/config.yaml"]
