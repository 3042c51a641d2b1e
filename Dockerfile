# One build, five small images: `docker build --target ingest|enrichment|sync|cli|console .` (`make images`).
# Each final image holds only its package's production dependencies, produced by `pnpm deploy`
# (pnpm-workspace.yaml sets injectWorkspacePackages, which pnpm 10 needs to deploy workspace packages).

# A supported LTS; the code also runs on Node 20, which the development machines have.
ARG NODE_IMAGE=node:24-bookworm-slim
ARG PNPM_VERSION=10.34.8

FROM ${NODE_IMAGE} AS build
ARG PNPM_VERSION
# Optional PEM certificates that npm and pnpm must trust besides Node's own bundle, for builds behind a TLS-inspecting
# proxy (`make images` passes the host's /usr/local/share/ca-certificates). Only this stage sees them.
ARG EXTRA_CA_CERTS=''
ENV CI=true \
    NODE_EXTRA_CA_CERTS=/tmp/extra-ca.pem
RUN printf '%s\n' "${EXTRA_CA_CERTS}" > /tmp/extra-ca.pem \
  && npm install --global --no-fund --no-audit "pnpm@${PNPM_VERSION}"
WORKDIR /src
# `pnpm fetch` needs only the lockfile, so this layer survives source edits and is rebuilt when dependencies change.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile \
  && pnpm -r build \
  && for worker in ingest enrichment sync; do \
       pnpm --filter "@minato/${worker}-worker" deploy --prod "/out/${worker}" || exit 1; \
     done \
  && pnpm --filter @minato/cli deploy --prod /out/cli \
  && pnpm --filter @minato/console deploy --prod /out/console

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    METRICS_PORT=9464 \
    LOG_FORMAT=json
WORKDIR /app
EXPOSE 9464
# The files stay owned by root, so the process cannot rewrite its own code. A numeric user lets Kubernetes'
# runAsNonRoot check it without a runAsUser (uid 1000 is the image's `node` user).
USER 1000:1000
# Node runs as PID 1 and handles SIGTERM itself: the worker drains, then exits 0. Semi-spaces of 8 MiB keep a
# worker inside 256 MiB under a large backlog (test/support/worker-processes.ts, WORKER_NODE_FLAGS).
CMD ["node", "--max-semi-space-size=8", "dist/main.js"]

FROM runtime AS ingest
COPY --from=build /out/ingest ./

FROM runtime AS enrichment
COPY --from=build /out/enrichment ./

FROM runtime AS sync
COPY --from=build /out/sync ./

# The operator command, used by the chart's migration Job: `docker run minato/cli migrate`.
FROM runtime AS cli
COPY --from=build /out/cli ./
ENTRYPOINT ["node", "dist/main.js"]
CMD ["--help"]

# The web console (docs/console.md): read-only unless CONSOLE_ALLOW_ACTIONS=true, behind CONSOLE_AUTH.
FROM runtime AS console
ENV CONSOLE_PORT=8080
EXPOSE 8080
COPY --from=build /out/console ./
CMD ["node", "dist/main.js"]
