# Minato workers. On a fresh machine `make test` and `make dev` install and start whatever is missing.
SHELL := /usr/bin/env bash
export PATH := $(CURDIR)/.cache/bin:$(PATH)

.PHONY: setup services services-stop build lint typecheck test test-unit test-integration test-deploy dev bench images cluster cluster-stop clean

setup: ## install pnpm, node modules, helm and prometheus when missing
	deploy/local/tools.sh

services: ## start Redis, PostgreSQL and Elasticsearch locally (idempotent)
	deploy/local/services.sh start

services-stop:
	deploy/local/services.sh stop

build: setup
	pnpm -r build

lint: setup
	pnpm exec eslint --max-warnings 0 .
	pnpm exec prettier --check . --log-level warn

typecheck: setup
	pnpm exec tsc -p tsconfig.json

test-unit: setup
	pnpm exec vitest run --config vitest.config.ts

test-integration: setup services build
	pnpm exec vitest run --config vitest.integration.config.ts

test: setup services build lint typecheck test-unit test-integration test-deploy ## everything CI runs

dev: setup services build ## the whole pipeline locally, with demo data
	deploy/local/dev.sh

bench: setup services build ## prints the benchmark report
	node --import tsx bench/run.ts

images: ## the four images (three workers and cli), tagged as the chart expects; loaded into the local cluster when it runs
	deploy/local/images.sh

cluster: ## a one-node Kubernetes from source (cached in .cache/kube): KUBECONFIG=.cache/kube/config
	deploy/local/cluster.sh start

cluster-stop: ## stops the local cluster and removes everything it set up on the host
	deploy/local/cluster.sh stop

# The chart on the local cluster (README "Deploy"): install with hooks, traffic, scale, drain, upgrade, KEDA,
# uninstall.
test-deploy: setup services cluster images
	deploy/local/cluster.sh keda
	pnpm exec vitest run --config test/deploy/vitest.config.ts

clean:
	rm -rf packages/*/dist node_modules
