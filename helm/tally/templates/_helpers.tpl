{{/*
Chart name, truncated to the 63 characters a Kubernetes name may have.
*/}}
{{- define "tally.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Release-prefixed name shared by every resource; the release name alone when it already contains the chart name.
*/}}
{{- define "tally.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version for the helm.sh/chart label.
*/}}
{{- define "tally.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every resource.
*/}}
{{- define "tally.labels" -}}
helm.sh/chart: {{ include "tally.chart" . }}
{{ include "tally.selectorLabels" . }}
app.kubernetes.io/version: {{ include "tally.imageTag" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tally
{{- end }}

{{/*
Labels that select the pods of this release; the component label keeps migration and test pods out of the Service.
*/}}
{{- define "tally.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tally.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "tally.gatewaySelectorLabels" -}}
{{ include "tally.selectorLabels" . }}
app.kubernetes.io/component: gateway
{{- end }}

{{/*
ServiceAccount of the serving pods.
*/}}
{{- define "tally.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tally.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image tag: the chart's appVersion unless overridden, so a chart version always pins an image.
*/}}
{{- define "tally.imageTag" -}}
{{- .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "tally.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (include "tally.imageTag" .) }}
{{- end }}
{{- end }}

{{/*
An environment variable read from the database Secret.
Usage: include "tally.secretEnv" (list "SPRING_DATASOURCE_URL" "url" .)
*/}}
{{- define "tally.secretEnv" -}}
{{- $root := index . 2 -}}
- name: {{ index . 0 }}
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.database.existingSecret }}
      key: {{ index $root.Values.database.secretKeys (index . 1) }}
{{- end }}

{{/*
Environment of a container that runs Flyway: the migration credentials, never the query ones.
*/}}
{{- define "tally.flywayEnv" -}}
{{ include "tally.secretEnv" (list "SPRING_FLYWAY_URL" "url" .) }}
{{ include "tally.secretEnv" (list "SPRING_FLYWAY_USER" "migrationUsername" .) }}
{{ include "tally.secretEnv" (list "SPRING_FLYWAY_PASSWORD" "migrationPassword" .) }}
{{- end }}

{{/*
The migrate-and-exit container, run by the hook Job or as an init container. Its data source also
uses the migration credentials, so the query password never reaches it.
*/}}
{{- define "tally.migrationContainer" -}}
- name: migrate
  image: {{ include "tally.image" . }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  args:
    - --spring.profiles.active=migrate
  env:
    {{- include "tally.secretEnv" (list "SPRING_DATASOURCE_URL" "url" .) | nindent 4 }}
    {{- include "tally.secretEnv" (list "SPRING_DATASOURCE_USERNAME" "migrationUsername" .) | nindent 4 }}
    {{- include "tally.secretEnv" (list "SPRING_DATASOURCE_PASSWORD" "migrationPassword" .) | nindent 4 }}
    - name: SPRING_FLYWAY_ENABLED
      value: "true"
    {{- include "tally.flywayEnv" . | nindent 4 }}
    - name: SPRING_CONFIG_ADDITIONAL_LOCATION
      value: optional:file:/config/
  securityContext:
    {{- toYaml .Values.securityContext | nindent 4 }}
  resources:
    {{- toYaml .Values.migrations.resources | nindent 4 }}
  volumeMounts:
    - name: config
      mountPath: /config
      readOnly: true
    - name: tmp
      mountPath: /tmp
{{- end }}

{{/*
application.yaml shared by the serving pods and the migration step: structured logs, actuator
probes and metrics, the tally.* settings, then extraConfig merged over them.
*/}}
{{- define "tally.applicationYaml" -}}
{{- $generated := dict
  "management" (dict
    "server" (dict "port" 8081)
    "endpoint" (dict "health" (dict "probes" (dict "enabled" true)))
    "endpoints" (dict "web" (dict "exposure" (dict "include" "health,prometheus"))))
  "tally" (dict
    "tenancy" (dict
      "required-scope" .Values.tally.tenancy.requiredScope
      "admin-role" .Values.tally.tenancy.adminRole
      "tenant-header" .Values.tally.tenancy.tenantHeader)
    "query" (dict "statement-timeout" .Values.tally.query.statementTimeout)
    "cache" (ternary (dict "max-bytes" .Values.tally.cache.maxBytes) (dict) (not (empty .Values.tally.cache.maxBytes)))
    "freshness" (dict "poll-interval" .Values.tally.freshness.pollInterval)) }}
{{- $logging := dict }}
{{- with .Values.logging.structuredFormat }}
{{- $_ := set $logging "structured" (dict "format" (dict "console" .)) }}
{{- end }}
{{- with .Values.logging.level }}
{{- $_ := set $logging "level" . }}
{{- end }}
{{- if $logging }}
{{- $_ := set $generated "logging" $logging }}
{{- end }}
{{- toYaml (mustMergeOverwrite $generated (deepCopy .Values.extraConfig)) }}
{{- end }}

{{/*
The writable /tmp a read-only root filesystem needs (JVM perf data, Tomcat work directory).
*/}}
{{- define "tally.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- end }}
