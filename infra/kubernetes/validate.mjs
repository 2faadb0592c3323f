// Validates Kubernetes manifests offline against the Kubernetes API schemas.
//
//   node infra/kubernetes/validate.mjs --tools DIR [--namespace NS] FILE...
//
// FILE "-" reads standard input, e.g. `helm template`; NS is the namespace that objects without one are applied to
// (`kubectl -n NS`, `helm --namespace NS`), needed only to tell which Services a ServiceMonitor in another selects.
// DIR is an npm prefix holding kubernetes-models, @kubernetes-models/prometheus-operator, @kubernetes/client-node and
// yaml (infra/validate.sh installs them into infra/.tools/npm). Every YAML document must be an object of a known
// apiVersion/kind, and is checked three ways:
//   1. kubernetes-models: the JSON schema generated from the Kubernetes OpenAPI spec (types, required fields,
//      enums, formats); for Prometheus Operator's custom resources (monitoring.coreos.com), the one generated from
//      its CRDs;
//   2. @kubernetes/client-node: the field list of every API type, also generated from the OpenAPI spec, so that an
//      unknown field (a typo such as "replicass") is an error, as with `kubectl apply --validate=strict`. Custom
//      resources have no such list: only their metadata is checked this way;
//   3. a few consistency checks across the objects: names unique per kind, named ports used by probes and by
//      Services exist on the pods they point at, a ServiceMonitor selects a Service here that names its ports.
// Prints every error found and exits 1 if there is any.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const options = { "--tools": undefined, "--namespace": "" };
const files = [];
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  if (arg in options) options[arg] = process.argv[++i];
  else files.push(arg);
}
if (!options["--tools"] || options["--namespace"] === undefined) {
  console.error("usage: node validate.mjs --tools DIR [--namespace NS] FILE...");
  process.exit(2);
}
const modules = path.resolve(options["--tools"], "node_modules");
const defaultNamespace = options["--namespace"];
if (files.length === 0) {
  console.error("validate.mjs: no manifest given");
  process.exit(2);
}

const require = createRequire(path.join(modules, "noop.js"));
const YAML = require("yaml");
// Both packages are ES modules whose export maps hide these files; import them by path.
const clientModels = await import(
  pathToFileURL(path.join(modules, "@kubernetes/client-node/dist/gen/models/ObjectSerializer.js")).href
);

// The API groups of custom resources that these files use, and the npm package of their models (a directory per
// apiVersion, as in kubernetes-models).
const customResourcePackages = { "monitoring.coreos.com": "@kubernetes-models/prometheus-operator" };

const errors = [];
const objects = [];

for (const file of files) {
  const text = file === "-" ? readFileSync(0, "utf8") : readFileSync(file, "utf8");
  const name = file === "-" ? "<stdin>" : path.relative(process.cwd(), path.resolve(file));
  const documents = YAML.parseAllDocuments(text, { prettyErrors: true });
  documents.forEach((document, index) => {
    const where = `${name}#${index + 1}`;
    for (const error of document.errors) errors.push(`${where}: YAML: ${error.message}`);
    if (document.errors.length > 0) return;
    // uniqueKeys (the default) already rejects duplicate keys; strict mode rejects other YAML 1.1 surprises.
    for (const warning of document.warnings) errors.push(`${where}: YAML: ${warning.message}`);
    const value = document.toJS({ maxAliasCount: 0 });
    if (value === null || value === undefined) return; // an empty document, e.g. a trailing "---"
    objects.push({ where, value });
  });
}

for (const { where, value } of objects) {
  await validateObject(where, value);
}
crossCheck();

if (errors.length > 0) {
  for (const error of errors) console.error(`  error: ${error}`);
  console.error(`${errors.length} error(s) in ${objects.length} object(s)`);
  process.exit(1);
}
for (const { value } of objects) console.log(`  ok  ${value.apiVersion} ${value.kind} ${value.metadata.name}`);
console.log(`${objects.length} object(s) valid`);

async function validateObject(where, value) {
  if (typeof value !== "object" || Array.isArray(value)) {
    errors.push(`${where}: a manifest must be a YAML mapping`);
    return;
  }
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    errors.push(`${where}: apiVersion and kind are required`);
    return;
  }
  const label = `${where} ${kind}/${value.metadata?.name ?? "?"}`;
  if (!/^[A-Za-z0-9.-]*\/?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    errors.push(`${label}: unknown apiVersion/kind ${apiVersion} ${kind}`);
    return;
  }
  if (typeof value.metadata?.name !== "string" || value.metadata.name === "") {
    errors.push(`${label}: metadata.name is required`);
  }

  // 1. The JSON schema, through the model class of this apiVersion/kind.
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  const customResources = customResourcePackages[group];
  const modelFile = path.join(modules, customResources ?? "kubernetes-models", ...apiVersion.split("/"), `${kind}.js`);
  if (!existsSync(modelFile)) {
    errors.push(`${label}: unknown apiVersion/kind ${apiVersion} ${kind}`);
    return;
  }
  const Model = (await import(pathToFileURL(modelFile).href))[kind];
  try {
    new Model(value).validate();
  } catch (error) {
    for (const line of String(error.message).split(/\n|, (?=data\/)/)) errors.push(`${label}: ${line}`);
  }

  // 2. Unknown fields.
  if (customResources) {
    for (const key of Object.keys(value)) {
      if (!["apiVersion", "kind", "metadata", "spec"].includes(key)) errors.push(`${label}: unknown field "${key}"`);
    }
    checkFields(label, "metadata", value.metadata, "V1ObjectMeta");
    return;
  }
  const typeName = clientTypeName(apiVersion, kind);
  if (typeName === undefined) {
    errors.push(`${label}: no field list for ${apiVersion} ${kind}`);
    return;
  }
  checkFields(label, "", value, typeName);
}

// The client's type name: V1StatefulSet for apps/v1 StatefulSet, or AppsV1... where two groups share a kind name.
function clientTypeName(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["core", apiVersion];
  const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);
  const groupPrefix = capital(group.split(".")[0]);
  return [`${capital(version)}${kind}`, `${groupPrefix}${capital(version)}${kind}`].find(
    (candidate) => typeof clientModels[candidate]?.getAttributeTypeMap === "function",
  );
}

function checkFields(label, at, value, type) {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((item, i) => checkFields(label, `${at}[${i}]`, item, array[1]));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value === "object") for (const [key, item] of Object.entries(value)) checkFields(label, join(at, key), item, map[1]);
    return;
  }
  const model = clientModels[type];
  if (typeof model?.getAttributeTypeMap !== "function" || typeof value !== "object" || Array.isArray(value)) {
    return; // a scalar, IntOrString, a free-form object; types are the schema's business
  }
  const fields = new Map(model.getAttributeTypeMap().map((field) => [field.baseName, field.type]));
  for (const [key, item] of Object.entries(value)) {
    if (!fields.has(key)) {
      errors.push(`${label}: unknown field "${join(at, key)}"`);
    } else {
      checkFields(label, join(at, key), item, fields.get(key));
    }
  }
}

function join(at, key) {
  return at === "" ? key : `${at}.${key}`;
}

function crossCheck() {
  const seen = new Map();
  for (const { where, value } of objects) {
    const key = `${value.kind}/${value.metadata?.namespace ?? ""}/${value.metadata?.name}`;
    if (seen.has(key)) errors.push(`${where}: ${value.kind} ${value.metadata?.name} is also defined at ${seen.get(key)}`);
    else seen.set(key, where);
  }

  const workloads = objects
    .map(({ where, value }) => ({ where, value, pod: value.spec?.template }))
    .filter(({ pod }) => pod?.spec?.containers);
  for (const { where, value, pod } of workloads) {
    for (const container of pod.spec.containers) {
      const names = new Set((container.ports ?? []).map((port) => port.name));
      for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
        const port = container[probe]?.httpGet?.port ?? container[probe]?.tcpSocket?.port;
        if (typeof port === "string" && !names.has(port)) {
          errors.push(`${where} ${value.kind}/${value.metadata.name}: ${probe} uses port "${port}", which container ${container.name} does not name`);
        }
      }
    }
  }

  for (const { where, value } of objects.filter(({ value }) => value.kind === "Service" && value.spec?.selector)) {
    const selected = workloads.filter(({ pod }) =>
      Object.entries(value.spec.selector).every(([k, v]) => pod.metadata?.labels?.[k] === v),
    );
    if (selected.length === 0) {
      errors.push(`${where} Service/${value.metadata.name}: its selector matches no pod template here`);
      continue;
    }
    const portNames = new Set(selected.flatMap(({ pod }) => pod.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name))));
    for (const port of value.spec.ports ?? []) {
      if (typeof port.targetPort === "string" && !portNames.has(port.targetPort)) {
        errors.push(`${where} Service/${value.metadata.name}: targetPort "${port.targetPort}" is not a container port name`);
      }
    }
  }

  // Prometheus Operator scrapes the endpoints of the Services that a ServiceMonitor selects, on the ports it names.
  const services = objects.filter(({ value }) => value.kind === "Service");
  for (const { where, value } of objects.filter(({ value }) => value.kind === "ServiceMonitor")) {
    const label = `${where} ServiceMonitor/${value.metadata?.name}`;
    const namespaces = value.spec?.namespaceSelector;
    const inNamespace = (service) =>
      namespaces?.any === true || (namespaces?.matchNames ?? [namespaceOf(value)]).includes(namespaceOf(service));
    const selected = services.filter(({ value: service }) => inNamespace(service) && selects(value.spec?.selector, service.metadata?.labels));
    if (selected.length === 0) {
      errors.push(`${label}: its selector matches no Service here in the namespaces it selects`);
      continue;
    }
    for (const endpoint of value.spec.endpoints ?? []) {
      if (endpoint.port === undefined) continue; // a targetPort: the pods' port, which the Service need not name
      for (const { value: service } of selected) {
        if (!(service.spec?.ports ?? []).some((port) => port.name === endpoint.port)) {
          errors.push(`${label}: endpoint port "${endpoint.port}" is not a port name of Service ${service.metadata.name}, which it selects`);
        }
      }
    }
  }

  for (const { where, value } of objects.filter(({ value }) => value.kind === "StatefulSet")) {
    const service = value.spec?.serviceName;
    const headless = objects.find(({ value: v }) => v.kind === "Service" && v.metadata?.name === service);
    if (service && !headless) errors.push(`${where} StatefulSet/${value.metadata.name}: serviceName ${service} is not defined here`);
    else if (headless && headless.value.spec?.clusterIP !== "None") {
      errors.push(`${where} StatefulSet/${value.metadata.name}: Service ${service} must be headless (clusterIP: None)`);
    }
  }
}

function namespaceOf(value) {
  return value.metadata?.namespace ?? defaultNamespace;
}

// Whether a metav1.LabelSelector matches these labels; an empty selector matches everything, as in the API.
function selects(selector, labels = {}) {
  if (!selector) return false;
  const matchLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const matchExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case "In": return key in labels && values.includes(labels[key]);
      case "NotIn": return !(key in labels) || !values.includes(labels[key]);
      case "Exists": return key in labels;
      case "DoesNotExist": return !(key in labels);
      default: return false;
    }
  });
  return matchLabels && matchExpressions;
}
