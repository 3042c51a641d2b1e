# Minato workers. On a fresh machine `make test` and `make dev` install and start whatever is missing.
SHELL := /usr/bin/env bash
export PATH := $(CURDIR)/.cache/bin:$(PATH)

.PHONY: setup services services-stop build lint typecheck test test-unit test-integration test-stress dev bench soak images clean

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

test-stress: setup services build ## the integration tier while a busy loop keeps one core at 100%
	deploy/local/with-cpu-hog.sh pnpm exec vitest run --config vitest.integration.config.ts

test: setup services build lint typecheck test-unit test-integration ## everything CI runs

dev: setup services build ## the whole pipeline locally, with demo data
	deploy/local/dev.sh

bench: setup services build ## prints the benchmark report
	node --import tsx bench/run.ts

SOAK_MINUTES ?= 10
SOAK_TORRENTS ?= 50000
soak: setup services build ## bounded chaos run on its own Redis/Elasticsearch/PostgreSQL; prints one summary line
	node --import tsx bench/soak/main.ts --minutes $(SOAK_MINUTES) --torrents $(SOAK_TORRENTS)

images: ## the three worker images (needs a Docker engine)
	for t in ingest enrichment sync; do docker build --target $$t -t minato/$$t-worker:dev . || exit 1; done

clean:
	rm -rf packages/*/dist node_modules
