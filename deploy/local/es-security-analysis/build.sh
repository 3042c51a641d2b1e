#!/usr/bin/env bash
# Builds the plugin zip from src/ against an Elasticsearch home's lib/ jars.
# Usage: build.sh ES_HOME JAVA_HOME OUT_ZIP   (Elasticsearch version read from ES_HOME's server jar)
set -euo pipefail
es_home="$1" java_home="$2" out_zip="$3"
here="$(cd "$(dirname "$0")" && pwd)"
server_jar=$(ls "$es_home"/lib/elasticsearch-[0-9]*.jar)
es_version=$(basename "$server_jar" .jar); es_version="${es_version#elasticsearch-}"

work="$out_zip.build"
rm -rf "$work" && mkdir -p "$work/classes" "$work/zip"
mapfile -t sources < <(find "$here/src" -name '*.java')
"$java_home/bin/javac" --release 21 -Xlint:all -cp "$es_home/lib/*" -d "$work/classes" "${sources[@]}"
"$java_home/bin/jar" --create --file "$work/zip/minato-security-analysis.jar" -C "$work/classes" .
cat >"$work/zip/plugin-descriptor.properties" <<PROPS
name=minato-security-analysis
description=The analysis-common components the .security index needs, for the integ-test-zip distribution
version=$es_version
classname=minato.es.analysis.SecurityAnalysisPlugin
java.version=21
elasticsearch.version=$es_version
PROPS
rm -f "$out_zip"
"$java_home/bin/jar" --create --no-manifest --file "$out_zip" -C "$work/zip" .
rm -rf "$work"
