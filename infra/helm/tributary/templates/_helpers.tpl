{{/* The base name of every object: the release name, or release-chart when the release name lacks the chart's. */}}
{{- define "tributary.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The headless Service that gives each broker its DNS name; kept short enough for the "-headless" suffix. */}}
{{- define "tributary.headless" -}}
{{- printf "%s-headless" (include "tributary.fullname" . | trunc 54 | trimSuffix "-") -}}
{{- end -}}

{{- define "tributary.secretName" -}}
{{- default (include "tributary.fullname" .) .Values.cluster.existingSecret -}}
{{- end -}}

{{- define "tributary.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: broker
{{- end -}}

{{- define "tributary.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Refuses values that cannot start a cluster, before anything is applied. */}}
{{- define "tributary.validateValues" -}}
{{- if not (has .Values.cluster.membership (list "Redis" "AzureTable")) -}}
{{- fail "cluster.membership must be Redis or AzureTable" -}}
{{- end -}}
{{- if and .Values.cluster.storage (not (has .Values.cluster.storage (list "Redis" "AzureBlob" "AzureTable"))) -}}
{{- fail "cluster.storage must be empty, Redis, AzureBlob or AzureTable" -}}
{{- end -}}
{{- if not (or .Values.cluster.existingSecret .Values.cluster.connectionString) -}}
{{- fail "set cluster.connectionString or cluster.existingSecret" -}}
{{- end -}}
{{- end -}}
