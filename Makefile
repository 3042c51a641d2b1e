# Minato workers. On a fresh machine `make test` and `make dev` install and start whatever is missing.
SHELL := /usr/bin/env bash
export PATH := $(CURDIR)/.cache/bin:$(PATH)

.PHONY: setup services services-stop build browser lint typecheck test test-unit test-integration test-opensearch test-engines test-stress test-deploy dev bench bench-scale soak images cluster cluster-stop clean

# $(call prepared,TARGETS): TARGETS, or nothing under PREPARED=1. `make test` makes setup, services and build once
# and then runs the tiers with PREPARED=1; run alone, a tier makes whatever it needs.
prepared = $(if $(filter 1,$(PREPARED)),,$(1))

setup: ## install pnpm, node modules, helm and prometheus when missing
	deploy/local/tools.sh

services: ## start Redis, PostgreSQL and Elasticsearch locally (idempotent)
	deploy/local/services.sh start

services-stop:
	deploy/local/services.sh stop

build: setup
	pnpm -r build

# Each check keeps what it learnt in .cache, so that a second run reads only the files changed since (a new clone
# starts without it).
lint: $(call prepared,setup)
	pnpm exec eslint --max-warnings 0 --cache --cache-location .cache/eslint/ .
	pnpm exec prettier --check . --log-level warn --cache --cache-location .cache/prettier.json

typecheck: $(call prepared,setup)
	pnpm exec tsc -p tsconfig.json --incremental --tsBuildInfoFile .cache/tsc/typecheck.tsbuildinfo

browser: ## Debian's chromium, for the console's browser tests (no browser download)
	deploy/local/chromium.sh >/dev/null

test-unit: $(call prepared,setup)
	pnpm exec vitest run --config vitest.config.ts

test-integration: $(call prepared,setup services build browser)
	pnpm exec vitest run --config vitest.integration.config.ts $(addprefix --exclude ,$(CLUSTER_TESTS))

# The files that touch the search engine (pipeline, buffer outcomes and retries, reindex, reconciler, relevance,
# engine-down parking, versioned deletes, a restore's highest version and orphan sweep), run again on OpenSearch by
# `make test` and on every engine by `make test-engines`.
ENGINE_TESTS = $(addprefix test/integration/,pipeline-e2e.test.ts projection-consistency.test.ts \
  search-migration.test.ts reconciler-checkpoint.test.ts reconcile-unavailable-shards.test.ts \
  search-relevance.test.ts faults-park.test.ts faults-elasticsearch-down.test.ts deletions.test.ts \
  restore-from-backup.test.ts)
# The three-node cluster that loses a node: four node boots (three, then the lost one again) and 50,000 torrents,
# one to two minutes of both cores per engine, so only in the matrix (`make test-engines`, on all four engines), not
# in `make test`, whose warm run has 11 minutes.
CLUSTER_TESTS = test/integration/search-cluster-node-loss.test.ts
OPENSEARCH_VERSION ?= 3.3.2
OPENSEARCH_PORT ?= 9240

# The OpenSearch tier, on a node of its own; a test's own nodes go 40 ports up (test/support/local-services.ts).
# It leaves out the one file that stops and restarts a node of its own (three boots, a third of the tier's time):
# `make test-engines` runs it on every engine.
OPENSEARCH_TIER_TESTS = $(filter-out test/integration/faults-elasticsearch-down.test.ts,$(ENGINE_TESTS))
test-opensearch: $(call prepared,setup services build) ## the search-engine files on OpenSearch 3 (but the node-stopping one)
	OPENSEARCH_VERSION=$(OPENSEARCH_VERSION) deploy/local/opensearch.sh start --port $(OPENSEARCH_PORT)
	SEARCH_ENGINE=opensearch ELASTICSEARCH_NODE=http://127.0.0.1:$(OPENSEARCH_PORT) SEARCH_INDEX_REPLICAS=0 \
	  OWN_PORT_SHIFT=40 OPENSEARCH_VERSION=$(OPENSEARCH_VERSION) \
	  pnpm exec vitest run --config vitest.integration.config.ts $(OPENSEARCH_TIER_TESTS)

test-engines: setup services build ## the search-engine files and the node loss on ES 8 and 9, OpenSearch 2.19 and 3
	deploy/local/test-engines.sh $(ENGINE_TESTS) $(CLUSTER_TESTS)

test-stress: setup services build browser ## the integration tier while a busy loop keeps one core at 100%
	deploy/local/with-cpu-hog.sh pnpm exec vitest run --config vitest.integration.config.ts \
	  $(addprefix --exclude ,$(CLUSTER_TESTS))

# Everything CI runs, in two steps on two cores, so that waiting overlaps work: the checks and the OpenSearch tier
# beside the image builds and chromium's install, then the integration tier (which runs the images locked down)
# beside the cluster's start and the deploy tier.
test: setup services build ## everything CI runs, in two steps of targets run side by side
	$(MAKE) PREPARED=1 -j5 --output-sync=target lint typecheck test-unit images browser test-opensearch
	$(MAKE) PREPARED=1 -j2 --output-sync=line test-integration test-deploy

dev: setup services build ## the whole pipeline locally, with demo data
	deploy/local/dev.sh

bench: setup services build ## prints the benchmark report
	node --import tsx bench/run.ts

# The pipeline at N torrents (N=1000000 by default), on an Elasticsearch and a Redis of its own so that the shared
# ones stay usable: a million documents want a 2 GiB heap (README, Benchmarks at scale).
BENCH_N ?= 1000000
BENCH_ES_PORT ?= 9215
BENCH_REDIS_PORT ?= 6396
bench-scale: setup services build ## seeds N rows and prints the scale report (N=BENCH_N)
	ES_HEAP=2g deploy/local/elasticsearch.sh start --port $(BENCH_ES_PORT)
	REDIS_PORT=$(BENCH_REDIS_PORT) deploy/local/redis.sh start
	ELASTICSEARCH_NODE=http://127.0.0.1:$(BENCH_ES_PORT) REDIS_PORT=$(BENCH_REDIS_PORT) \
	  node --import tsx bench/scale.ts --n=$(BENCH_N)

SOAK_MINUTES ?= 10
SOAK_TORRENTS ?= 50000
soak: setup services build ## bounded chaos run on its own Redis/Elasticsearch/PostgreSQL; prints one summary line
	node --import tsx bench/soak/main.ts --minutes $(SOAK_MINUTES) --torrents $(SOAK_TORRENTS)

images: ## the four images (three workers and cli), tagged as the chart expects; loaded into the local cluster when it runs
	deploy/local/images.sh

cluster: ## a one-node Kubernetes from source (cached in .cache/kube): KUBECONFIG=.cache/kube/config
	deploy/local/cluster.sh start

cluster-stop: ## stops the local cluster and removes everything it set up on the host
	deploy/local/cluster.sh stop

# The chart on the local cluster (README "Deploy"): install with hooks, traffic, scale, drain, upgrade, KEDA,
# uninstall.
# KEDA's operator (built from source, tens of minutes cold) joins with DEPLOY_KEDA=1.
# `make test` builds the images in its first step, before the cluster runs (the integration tier tests them): they
# are loaded here.
test-deploy: $(call prepared,setup services images) cluster
	deploy/local/images.sh load
	$(if $(filter 1,$(DEPLOY_KEDA)),deploy/local/cluster.sh keda)
	DEPLOY_KEDA=$(DEPLOY_KEDA) pnpm exec vitest run --config test/deploy/vitest.config.ts

clean:
	rm -rf packages/*/dist node_modules
