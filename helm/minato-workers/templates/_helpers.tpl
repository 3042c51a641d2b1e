{{/* The chart name, for the app.kubernetes.io/name label. */}}
{{- define "minato.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The prefix of every resource: the release name, so that a worker's Deployment is `<release>-<worker>`
(`kubectl scale deployment/<release>-enrichment`), as the README promises.
*/}}
{{- define "minato.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- end }}

{{- define "minato.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "minato.selectorLabels" -}}
app.kubernetes.io/name: {{ include "minato.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "minato.labels" -}}
helm.sh/chart: {{ include "minato.chart" . }}
{{ include "minato.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: minato
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* `annotations:` from commonAnnotations at the metadata level, starting with a newline, or nothing. */}}
{{- define "minato.annotations" -}}
{{- with .Values.commonAnnotations }}
{{ printf "annotations:\n%s" (toYaml . | indent 2) | indent 2 }}
{{- end }}
{{- end }}

{{/* Selector labels of one worker; call with (dict "root" $ "name" "ingest"). */}}
{{- define "minato.workerSelectorLabels" -}}
{{ include "minato.selectorLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "minato.workerLabels" -}}
{{ include "minato.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/*
Labels of a pod: the recommended set plus the chart's and podLabels. Call with (dict "root" $ "name" "ingest").
*/}}
{{- define "minato.podLabels" -}}
{{ include "minato.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- with .root.Values.podLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The BullMQ queue a worker consumes: fixed by the code (packages/core/src/queues), so not a value. */}}
{{- define "minato.queueName" -}}
{{- get (dict "ingest" "TORRENT_INGEST" "enrichment" "CLASSIFY" "sync" "ES_SYNC") . }}
{{- end }}

{{/* The Deployment (and HPA, ScaledObject, PDB) name of one worker: `<release>-<worker>`. */}}
{{- define "minato.workerName" -}}
{{- printf "%s-%s" (include "minato.fullname" .root) .name }}
{{- end }}

{{- define "minato.configMapName" -}}
{{- printf "%s-config" (include "minato.fullname" .) }}
{{- end }}

{{- define "minato.secretName" -}}
{{- default (printf "%s-secrets" (include "minato.fullname" .)) .Values.existingSecret }}
{{- end }}

{{- define "minato.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "minato.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* `registry/repository:tag`; call with (dict "root" $ "repository" "minato/ingest-worker"). */}}
{{- define "minato.image" -}}
{{- $tag := .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- if .root.Values.image.registry }}
{{- printf "%s/%s:%s" .root.Values.image.registry .repository $tag }}
{{- else }}
{{- printf "%s:%s" .repository $tag }}
{{- end }}
{{- end }}

{{/*
The non-secret environment, one source for the ConfigMap and the migration Job (which runs before the ConfigMap
exists). Values are strings, as a ConfigMap requires.
*/}}
{{- define "minato.configEnv" -}}
{{- $c := .Values.config }}
REDIS_HOST: {{ $c.redis.host | quote }}
REDIS_PORT: {{ $c.redis.port | toString | quote }}
{{- /* Empty is unset: the mode is the one whose values are given (docs/redis.md). */}}
REDIS_URL: {{ $c.redis.url | quote }}
REDIS_USERNAME: {{ $c.redis.username | quote }}
REDIS_SENTINELS: {{ join "," $c.redis.sentinel.nodes | quote }}
{{- if $c.redis.sentinel.nodes }}
REDIS_SENTINEL_NAME: {{ required "config.redis.sentinel.masterName is required with config.redis.sentinel.nodes" $c.redis.sentinel.masterName | quote }}
{{- else }}
REDIS_SENTINEL_NAME: {{ $c.redis.sentinel.masterName | quote }}
{{- end }}
REDIS_CLUSTER_NODES: {{ join "," $c.redis.cluster.nodes | quote }}
REDIS_TLS: {{ $c.redis.tls | toString | quote }}
{{- with $c.redis.caFile }}
REDIS_CA_FILE: {{ . | quote }}
{{- end }}
{{- with $c.elasticsearch.caFile }}
ELASTICSEARCH_CA_FILE: {{ . | quote }}
{{- end }}
DATABASE_POOL_MAX: {{ $c.database.poolMax | toString | quote }}
DATABASE_PREPARED_STATEMENTS: {{ $c.database.preparedStatements | toString | quote }}
ELASTICSEARCH_NODE: {{ $c.elasticsearch.node | quote }}
ELASTICSEARCH_INDEX: {{ $c.elasticsearch.index | quote }}
SEARCH_NODES: {{ join "," $c.elasticsearch.nodes | quote }}
SEARCH_ENGINE: {{ $c.elasticsearch.engine | quote }}
SEARCH_INDEX_REPLICAS: {{ $c.elasticsearch.indexReplicas | toString | quote }}
QUEUE_PREFIX: {{ $c.queuePrefix | quote }}
TMDB_BASE_URL: {{ $c.tmdb.baseUrl | quote }}
TMDB_TIMEOUT_MS: {{ $c.tmdb.timeoutMs | toString | quote }}
TMDB_RATE_CAPACITY: {{ $c.tmdb.rateCapacity | toString | quote }}
TMDB_RATE_REFILL_PER_SEC: {{ $c.tmdb.rateRefillPerSec | toString | quote }}
ES_BUFFER_MAX_DOCS: {{ $c.esBuffer.maxDocs | toString | quote }}
ES_BUFFER_MAX_WAIT_MS: {{ $c.esBuffer.maxWaitMs | toString | quote }}
ES_BUFFER_IDLE_MS: {{ $c.esBuffer.idleMs | toString | quote }}
ES_BUFFER_MAX_PENDING_DOCS: {{ $c.esBuffer.maxPendingDocs | toString | quote }}
RECONCILE_EVERY_MS: {{ $c.reconcileEveryMs | int64 | toString | quote }}
RECONCILE_FULL_EVERY_MS: {{ $c.reconcileFullEveryMs | int64 | toString | quote }}
DELETION_POLL_MS: {{ $c.deletionPollMs | toString | quote }}
DELETION_KEEP_MS: {{ $c.deletionKeepMs | int64 | toString | quote }}
JOB_LOCK_MS: {{ $c.jobs.lockMs | toString | quote }}
JOB_MAX_STALLED: {{ $c.jobs.maxStalled | toString | quote }}
WORKER_STUCK_AFTER_MS: {{ $c.jobs.stuckAfterMs | toString | quote }}
FEED: {{ $c.feed | quote }}
METRICS_PORT: {{ $c.metricsPort | toString | quote }}
LOG_LEVEL: {{ $c.logLevel | quote }}
LOG_FORMAT: {{ $c.logFormat | quote }}
SHUTDOWN_TIMEOUT_MS: {{ .Values.shutdown.timeoutMs | toString | quote }}
{{- end }}

{{/* The Secret's data, one source for the workers' Secret and the migration Job's hook Secret. */}}
{{- define "minato.secretData" -}}
REDIS_PASSWORD: {{ .Values.secrets.redisPassword | b64enc | quote }}
REDIS_SENTINEL_PASSWORD: {{ .Values.secrets.redisSentinelPassword | b64enc | quote }}
DATABASE_URL: {{ .Values.secrets.databaseUrl | b64enc | quote }}
DATABASE_LISTEN_URL: {{ .Values.secrets.databaseListenUrl | b64enc | quote }}
ELASTICSEARCH_API_KEY: {{ .Values.secrets.elasticsearchApiKey | b64enc | quote }}
TMDB_API_KEY: {{ .Values.secrets.tmdbApiKey | b64enc | quote }}
{{- range $name, $w := .Values.workers }}
{{- with ($w.secrets | default dict).elasticsearchApiKey }}
{{ printf "ELASTICSEARCH_API_KEY_%s" (upper $name) }}: {{ . | b64enc | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/*
A worker's secret variables that come from another key of the release's Secret than their own name: its own
Elasticsearch key (workers.<name>.secrets.elasticsearchApiKey, stored as ELASTICSEARCH_API_KEY_<NAME>), and any
workers.<name>.secretKeys mapping (variable → key, for an existingSecret). Call with the worker context.
*/}}
{{- define "minato.workerSecretEnv" -}}
{{- $keys := deepCopy (.worker.secretKeys | default dict) }}
{{- if and (not .root.Values.existingSecret) (.worker.secrets | default dict).elasticsearchApiKey }}
{{- $_ := set $keys "ELASTICSEARCH_API_KEY" (printf "ELASTICSEARCH_API_KEY_%s" (upper .name)) }}
{{- end }}
{{- range $variable, $key := $keys }}
- name: {{ $variable }}
  valueFrom:
    secretKeyRef:
      name: {{ include "minato.secretName" $.root }}
      key: {{ $key }}
{{- end }}
{{- end }}

{{/*
Checksum of an existingSecret's data as the cluster holds it, so that `helm upgrade` after a change of that Secret
rolls the pods; empty where helm cannot read the cluster (helm template, --dry-run). Refuses, where it can read
it, a Secret without DATABASE_URL, or without TMDB_API_KEY while the enrichment worker is enabled.
*/}}
{{- define "minato.existingSecretChecksum" -}}
{{- $secret := lookup "v1" "Secret" .Release.Namespace .Values.existingSecret }}
{{- if $secret }}
{{- $data := $secret.data | default dict }}
{{- if not (hasKey $data "DATABASE_URL") }}
{{- fail (printf "existingSecret %s has no key DATABASE_URL, which every worker and the migration need" .Values.existingSecret) }}
{{- end }}
{{- if and .Values.workers.enrichment.enabled (not (hasKey $data "TMDB_API_KEY")) }}
{{- fail (printf "existingSecret %s has no key TMDB_API_KEY, which the enrichment worker needs (or set workers.enrichment.enabled=false)" .Values.existingSecret) }}
{{- end }}
{{- range $name, $w := .Values.workers }}
{{- range $variable, $key := ($w.secretKeys | default dict) }}
{{- if and $w.enabled (not (hasKey $data $key)) }}
{{- fail (printf "existingSecret %s has no key %s, which workers.%s.secretKeys.%s names" $.Values.existingSecret $key $name $variable) }}
{{- end }}
{{- end }}
{{- end }}
{{- $data | toJson | sha256sum }}
{{- end }}
{{- end }}

{{/*
A worker's settings for a feature: the global block with the worker's own keys laid over it, key by key.
(Sprig's merge would treat a worker's `enabled: false` or `minReplicaCount: 0` as unset and keep the global value.)
Call with (dict "defaults" .Values.keda "override" $w.keda); returns YAML for fromYaml.
*/}}
{{- define "minato.overlay" -}}
{{- $out := deepCopy .defaults }}
{{- range $key, $value := (.override | default dict) }}
{{- $_ := set $out $key $value }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/* "true" when this worker's replicas belong to KEDA; call with (dict "root" $ "worker" $w). */}}
{{- define "minato.kedaEnabled" -}}
{{- $keda := fromYaml (include "minato.overlay" (dict "defaults" .root.Values.keda "override" .worker.keda)) }}
{{- if $keda.enabled }}true{{- end }}
{{- end }}

{{/* "true" when a HorizontalPodAutoscaler of the chart manages this worker (KEDA makes its own HPA, so it wins). */}}
{{- define "minato.hpaEnabled" -}}
{{- $auto := fromYaml (include "minato.overlay" (dict "defaults" .root.Values.autoscaling "override" .worker.autoscaling)) }}
{{- if and $auto.enabled (not (include "minato.kedaEnabled" .)) }}true{{- end }}
{{- end }}

{{/*
Refuses a grace period that the drain could outlast: Kubernetes counts the preStop hook inside
terminationGracePeriodSeconds, then SIGKILLs, which would drop the documents still in the Elasticsearch buffer.
*/}}
{{- define "minato.checkGracePeriod" -}}
{{- $graceMs := mul .Values.shutdown.terminationGracePeriodSeconds 1000 }}
{{- $flushMs := add .Values.config.esBuffer.maxWaitMs .Values.shutdown.flushAllowanceMs }}
{{- $needMs := max .Values.shutdown.timeoutMs $flushMs }}
{{- if le (int64 $graceMs) (int64 $needMs) }}
{{- fail (printf "shutdown.terminationGracePeriodSeconds must exceed %dms (the larger of shutdown.timeoutMs and config.esBuffer.maxWaitMs + shutdown.flushAllowanceMs), got %ds" (int64 $needMs) (int64 .Values.shutdown.terminationGracePeriodSeconds)) }}
{{- end }}
{{- end }}

{{/*
Refuses settings the workers would crash-loop on, at install time rather than in a pod's log: the workers need a
PostgreSQL URL, and the enrichment worker a TMDB key, from the chart's Secret or an existing one.
*/}}
{{- define "minato.checkSecrets" -}}
{{- if not .Values.existingSecret }}
{{- if not .Values.secrets.databaseUrl }}
{{- fail "secrets.databaseUrl is required (postgres://user:password@host:5432/db), or name a Secret holding DATABASE_URL in existingSecret" }}
{{- end }}
{{- if and .Values.workers.enrichment.enabled (not .Values.secrets.tmdbApiKey) }}
{{- fail "secrets.tmdbApiKey is required while workers.enrichment.enabled is true (the enrichment worker refuses to start without a TMDB key), or name a Secret holding TMDB_API_KEY in existingSecret" }}
{{- end }}
{{- end }}
{{- end }}
