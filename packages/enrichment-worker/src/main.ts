#!/usr/bin/env node
// Pass 2, enrichment (CLASSIFY): release name → TMDB match under the shared token bucket and lookup cache →
// PostgreSQL → ES_SYNC.
import { runWorkerMain, startEnrichmentWorker } from '@minato/core';

runWorkerMain('enrichment-worker', startEnrichmentWorker);
