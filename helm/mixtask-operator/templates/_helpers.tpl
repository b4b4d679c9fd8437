{{/* Names, labels and images shared by the templates. */}}
{{- define "mixtask-operator.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mixtask-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "mixtask-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mixtask-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{- define "mixtask-operator.labels" -}}
{{ include "mixtask-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "mixtask-operator.serviceAccountName" -}}
{{- default (include "mixtask-operator.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}


{{- define "mixtask-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "mixtask-operator.workerImage" -}}
{{- $repo := default .Values.image.repository .Values.worker.image.repository -}}
{{- $tag := default (default .Chart.AppVersion .Values.image.tag) .Values.worker.image.tag -}}
{{- printf "%s:%s" $repo $tag -}}
{{- end -}}

{{/* The worker pods' ServiceAccount: the chart's (watchNamespaces listed), one named by the admin, or none ("default"). */}}
{{- define "mixtask-operator.workerServiceAccount" -}}
{{- if .Values.worker.serviceAccount.name -}}
{{- .Values.worker.serviceAccount.name -}}
{{- else if and .Values.worker.serviceAccount.create .Values.watchNamespaces -}}
mixtask-worker
{{- end -}}
{{- end -}}

