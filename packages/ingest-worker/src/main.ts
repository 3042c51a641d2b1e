#!/usr/bin/env node
// Pass 1 (TORRENT_INGEST): PostgreSQL row → Elasticsearch through the buffer → CLASSIFY if it needs enrichment.
import { runWorkerMain, startIngestWorker } from '@minato/core';

runWorkerMain('ingest-worker', startIngestWorker);
