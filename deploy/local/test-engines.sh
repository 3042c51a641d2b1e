#!/usr/bin/env bash
# The engine matrix (`make test-engines`): the files that touch the search engine, run on each engine and version
# in turn, each on a node of its own started by the project's scripts. Prints one line an engine and writes the
# table to .cache/test-engines.md (the README's "Search engines" quotes the last one).
# Usage: test-engines.sh FILE... ; ENGINES="opensearch-3.3.2 elasticsearch-8.19.6" picks some of the matrix.
source "$(dirname "$0")/lib.sh"
(($#)) || die "usage: test-engines.sh TEST_FILE..."

# engine-version  HTTP port  shift of the ports of a test's own nodes (test/support/local-services.ts)
MATRIX=(
  "elasticsearch-8.19.6 9242 42"
  "elasticsearch-9.5.4 9200 0"
  "opensearch-2.19.3 9241 41"
  "opensearch-3.3.2 9240 40"
)
wanted="${ENGINES:-}"
report="$CACHE/test-engines.md"
rows=()
failed=0
for entry in "${MATRIX[@]}"; do
  read -r name port shift <<<"$entry"
  [[ -z $wanted || " $wanted " == *" $name "* ]] || continue
  engine=${name%%-*} version=${name#*-}
  if [[ $engine == opensearch ]]; then
    OPENSEARCH_VERSION=$version "$ROOT/deploy/local/opensearch.sh" start --port "$port"
  else
    ES_VERSION=$version "$ROOT/deploy/local/elasticsearch.sh" start --port "$port"
  fi
  log "$name: $# files on port $port"
  out="$CACHE/test-engines-$name.log"
  set +e
  # The version also picks that of a test's own nodes (ES_VERSION, OPENSEARCH_VERSION).
  versions=(OPENSEARCH_VERSION="$version")
  [[ $engine == elasticsearch ]] && versions=(ES_VERSION="$version")
  env SEARCH_ENGINE="$engine" ELASTICSEARCH_NODE="http://127.0.0.1:$port" SEARCH_INDEX_REPLICAS=0 \
    OWN_PORT_SHIFT="$shift" "${versions[@]}" pnpm exec vitest run --config vitest.integration.config.ts "$@" 2>&1 | tee "$out"
  status=${PIPESTATUS[0]}
  set -e
  # "1 failed | 26 passed (27)": the bar would split the table's cell.
  tests=$(grep -E '^ +Tests ' "$out" | tail -1 | sed -E 's/^ +Tests +//; s/ \(.*//; s/ \| /, /g')
  rows+=("| $engine $version | $([[ $status == 0 ]] && echo green || echo red) | ${tests:-no result} |")
  ((status == 0)) || failed=1
done
{
  echo "| engine | result | tests |"
  echo "|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "$(date -u +%Y-%m-%d) · $(git -C "$ROOT" rev-parse --short HEAD) · $# files: $*"
} >"$report"
cat "$report"
exit "$failed"
