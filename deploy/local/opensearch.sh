#!/usr/bin/env bash
# OpenSearch from Maven Central's integ-test-zip (no security plugin, no analysis-common, painless or reindex:
# docs/search-engines.md), on 127.0.0.1.
# Usage: opensearch.sh start|stop|cluster|cluster-stop|pid-file [--port 9240]
#   start/stop: one node (discovery.type=single-node) on the port, its cluster on port+100
#   cluster/cluster-stop: three nodes on port, port+1, port+2 (CLUSTER_HEAP each, 384m by default); a node killed
#   and `cluster` run again rejoins with its data. `pid-file` prints the pid file of node NODE_INDEX (0, 1, 2).
# OPENSEARCH_VERSION picks the version: 3.3.2 by default, 2.19.3 for the 2.x line.
source "$(dirname "$0")/lib.sh"
ENGINE=opensearch
ENGINE_VERSION="${OPENSEARCH_VERSION:-3.3.2}"
DEFAULT_PORT=9240
NODE_HEAP="${OPENSEARCH_HEAP:-${NODE_HEAP:-512m}}"
source "$(dirname "$0")/search-nodes.sh"
search_nodes_main "$@"
