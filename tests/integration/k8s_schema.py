#!/usr/bin/python3
"""A small structural validator for the Kubernetes manifests of deploy/kubernetes/ (no cluster,
no network, no OpenAPI download): Debian's python3 and python3-yaml only.

  k8s_schema.py FILE...      exit 0 when every document is valid, else 1 with one line per problem

What it checks, for the kinds used here (Deployment, ConfigMap, PodMonitor, PrometheusRule,
Kustomization), as the API server's strict decoding and validation would:
  - apiVersion/kind pairs it knows; any other kind is an error (so nothing passes unchecked);
  - every field: known (unknown fields are errors, like `kubectl --validate=strict`), of the right
    type (string, integer, boolean, quantity, int-or-string, list, map of strings), required
    fields present (names, images, containerPort, mountPath, probe handlers, rule expr, ...);
  - names: metadata.name a DNS-1123 subdomain, container and volume names DNS-1123 labels, port
    names IANA service names (<= 15 chars), label keys/values in Kubernetes' syntax;
  - Deployment: the selector matches the pod template's labels; container names unique across
    containers and initContainers; restartPolicy only on init containers and only "Always" (a
    native sidecar), probes on init containers only for such sidecars; ports 1-65535; every
    volumeMount names a volume of the pod, absolute mountPath, none twice in one container; a
    probe has exactly one handler and a named port it uses exists in its container; a volume
    has exactly one source; a configMap volume names a ConfigMap given among the files;
  - ConfigMap: data keys valid file names, values strings, 1 MiB in all at most;
  - PodMonitor: its selector selects the pods of a Deployment given, and each endpoint's port
    is a named port of a container (or sidecar) of those pods;
  - PrometheusRule: group names unique, each rule exactly one of alert/record with a non-empty
    expr, `for` a Prometheus duration, labels and annotations maps of strings;
  - Kustomization: every listed resource exists (relative to it).
"""
import os
import re
import sys

import yaml

DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
IANA_SVC = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
LABEL_NAME = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$")
LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
QUANTITY = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(([KMGTPE]i)|[mkMGTPE]|[eE][+-]?[0-9]+)?$")
PROM_DURATION = re.compile(r"^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?"
                           r"(([0-9]+)s)?(([0-9]+)ms)?$")
CONFIGMAP_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")


class Obj:
    def __init__(self, fields, required=()):
        self.fields, self.required = fields, set(required)


class List:
    def __init__(self, item):
        self.item = item


class Map:  # string keys
    def __init__(self, value):
        self.value = value


class Enum:
    def __init__(self, *values):
        self.values = values


STR, INT, BOOL, QTY, INTSTR, ANY = "string", "integer", "boolean", "quantity", "int-or-string", "any"

LABELS = Map(STR)
META = Obj({"name": STR, "namespace": STR, "labels": LABELS, "annotations": Map(STR)}, ["name"])
SELECTOR = Obj({"matchLabels": LABELS,
                "matchExpressions": List(Obj({"key": STR, "operator": Enum("In", "NotIn", "Exists",
                                                                            "DoesNotExist"),
                                              "values": List(STR)}, ["key", "operator"]))})
HTTP_GET = Obj({"path": STR, "port": INTSTR, "host": STR, "scheme": Enum("HTTP", "HTTPS"),
                "httpHeaders": List(Obj({"name": STR, "value": STR}, ["name", "value"]))},
               ["port"])
PROBE = Obj({"httpGet": HTTP_GET,
             "tcpSocket": Obj({"port": INTSTR, "host": STR}, ["port"]),
             "exec": Obj({"command": List(STR)}),
             "grpc": Obj({"port": INT, "service": STR}, ["port"]),
             "initialDelaySeconds": INT, "periodSeconds": INT, "timeoutSeconds": INT,
             "successThreshold": INT, "failureThreshold": INT,
             "terminationGracePeriodSeconds": INT})
RESOURCES = Obj({"requests": Map(QTY), "limits": Map(QTY)})
CAPS = Obj({"add": List(STR), "drop": List(STR)})
SECCOMP = Obj({"type": Enum("RuntimeDefault", "Unconfined", "Localhost"), "localhostProfile": STR},
              ["type"])
CONTAINER_SC = Obj({"allowPrivilegeEscalation": BOOL, "readOnlyRootFilesystem": BOOL,
                    "runAsNonRoot": BOOL, "runAsUser": INT, "runAsGroup": INT, "privileged": BOOL,
                    "capabilities": CAPS, "seccompProfile": SECCOMP})
POD_SC = Obj({"runAsNonRoot": BOOL, "runAsUser": INT, "runAsGroup": INT, "fsGroup": INT,
              "supplementalGroups": List(INT), "seccompProfile": SECCOMP,
              "fsGroupChangePolicy": Enum("OnRootMismatch", "Always")})
ENV = Obj({"name": STR, "value": STR, "valueFrom": ANY}, ["name"])
CONTAINER = Obj({
    "name": STR, "image": STR, "imagePullPolicy": Enum("Always", "IfNotPresent", "Never"),
    "command": List(STR), "args": List(STR), "workingDir": STR, "env": List(ENV),
    "ports": List(Obj({"name": STR, "containerPort": INT, "protocol": Enum("TCP", "UDP", "SCTP"),
                       "hostPort": INT}, ["containerPort"])),
    "resources": RESOURCES, "securityContext": CONTAINER_SC,
    "volumeMounts": List(Obj({"name": STR, "mountPath": STR, "readOnly": BOOL, "subPath": STR},
                             ["name", "mountPath"])),
    "livenessProbe": PROBE, "readinessProbe": PROBE, "startupProbe": PROBE,
    "restartPolicy": Enum("Always"), "terminationMessagePolicy": Enum("File",
                                                                       "FallbackToLogsOnError"),
}, ["name", "image"])
VOLUME = Obj({"name": STR,
              "emptyDir": Obj({"medium": Enum("", "Memory"), "sizeLimit": QTY}),
              "configMap": Obj({"name": STR, "optional": BOOL, "defaultMode": INT,
                                "items": List(Obj({"key": STR, "path": STR}, ["key", "path"]))},
                               ["name"]),
              "secret": Obj({"secretName": STR, "optional": BOOL, "defaultMode": INT}),
              "persistentVolumeClaim": Obj({"claimName": STR, "readOnly": BOOL}, ["claimName"])},
             ["name"])
POD_SPEC = Obj({"containers": List(CONTAINER), "initContainers": List(CONTAINER),
                "volumes": List(VOLUME), "securityContext": POD_SC,
                "serviceAccountName": STR, "terminationGracePeriodSeconds": INT,
                "nodeSelector": Map(STR), "priorityClassName": STR,
                "restartPolicy": Enum("Always")}, ["containers"])
DEPLOYMENT = Obj({"apiVersion": STR, "kind": STR, "metadata": META, "spec": Obj({
    "replicas": INT, "revisionHistoryLimit": INT, "minReadySeconds": INT, "selector": SELECTOR,
    "strategy": Obj({"type": Enum("RollingUpdate", "Recreate"),
                     "rollingUpdate": Obj({"maxSurge": INTSTR, "maxUnavailable": INTSTR})}),
    "template": Obj({"metadata": Obj({"labels": LABELS, "annotations": Map(STR)}),
                     "spec": POD_SPEC}, ["metadata", "spec"]),
}, ["selector", "template"])}, ["apiVersion", "kind", "metadata", "spec"])
CONFIGMAP = Obj({"apiVersion": STR, "kind": STR, "metadata": META, "data": Map(STR),
                 "binaryData": Map(STR), "immutable": BOOL}, ["apiVersion", "kind", "metadata"])
RELABEL = Obj({"action": Enum("replace", "keep", "drop", "labelmap", "labeldrop", "labelkeep",
                              "hashmod", "lowercase", "uppercase", "keepequal", "dropequal"),
               "sourceLabels": List(STR), "separator": STR, "targetLabel": STR, "regex": STR,
               "replacement": STR, "modulus": INT})
PODMONITOR = Obj({"apiVersion": STR, "kind": STR, "metadata": META, "spec": Obj({
    "selector": SELECTOR, "jobLabel": STR, "podTargetLabels": List(STR), "sampleLimit": INT,
    "namespaceSelector": Obj({"any": BOOL, "matchNames": List(STR)}),
    "podMetricsEndpoints": List(Obj({
        "port": STR, "path": STR, "scheme": Enum("http", "https"), "interval": STR,
        "scrapeTimeout": STR, "honorLabels": BOOL, "relabelings": List(RELABEL),
        "metricRelabelings": List(RELABEL)})),
}, ["selector", "podMetricsEndpoints"])}, ["apiVersion", "kind", "metadata", "spec"])
RULE = Obj({"alert": STR, "record": STR, "expr": STR, "for": STR, "keep_firing_for": STR,
            "labels": Map(STR), "annotations": Map(STR)}, ["expr"])
PROMRULE = Obj({"apiVersion": STR, "kind": STR, "metadata": META, "spec": Obj({
    "groups": List(Obj({"name": STR, "interval": STR, "limit": INT, "rules": List(RULE)},
                       ["name", "rules"]))}, ["groups"])}, ["apiVersion", "kind", "metadata", "spec"])
KUSTOMIZATION = Obj({"apiVersion": STR, "kind": STR, "resources": List(STR), "namespace": STR,
                     "commonLabels": Map(STR), "images": List(ANY)}, ["resources"])

KINDS = {("apps/v1", "Deployment"): DEPLOYMENT, ("v1", "ConfigMap"): CONFIGMAP,
         ("monitoring.coreos.com/v1", "PodMonitor"): PODMONITOR,
         ("monitoring.coreos.com/v1", "PrometheusRule"): PROMRULE,
         ("kustomize.config.k8s.io/v1beta1", "Kustomization"): KUSTOMIZATION}


class Checker:
    def __init__(self):
        self.errors = []

    def err(self, where, msg):
        self.errors.append(f"{where}: {msg}")

    def shape(self, v, t, where):
        """Checks v against the schema t; unknown fields and wrong types are errors."""
        if t == ANY:
            return
        if t == STR:
            if not isinstance(v, str):
                self.err(where, f"must be a string, not {type(v).__name__} {v!r}")
        elif t == INT:
            if not isinstance(v, int) or isinstance(v, bool):
                self.err(where, f"must be an integer, not {v!r}")
        elif t == BOOL:
            if not isinstance(v, bool):
                self.err(where, f"must be true or false, not {v!r}")
        elif t == QTY:
            if isinstance(v, bool) or not (isinstance(v, int) or
                                           (isinstance(v, str) and QUANTITY.match(v))):
                self.err(where, f"must be a quantity (e.g. 64Mi, 250m), not {v!r}")
        elif t == INTSTR:
            if isinstance(v, bool) or not isinstance(v, (int, str)):
                self.err(where, f"must be an integer or a string, not {v!r}")
        elif isinstance(t, Enum):
            if v not in t.values:
                self.err(where, f"must be one of {', '.join(map(str, t.values))}, not {v!r}")
        elif isinstance(t, List):
            if not isinstance(v, list):
                self.err(where, f"must be a list, not {type(v).__name__}")
                return
            for i, item in enumerate(v):
                self.shape(item, t.item, f"{where}[{i}]")
        elif isinstance(t, Map):
            if not isinstance(v, dict):
                self.err(where, f"must be a mapping, not {type(v).__name__}")
                return
            for k, item in v.items():
                if not isinstance(k, str):
                    self.err(where, f"key {k!r} must be a string")
                self.shape(item, t.value, f"{where}.{k}")
        elif isinstance(t, Obj):
            if not isinstance(v, dict):
                self.err(where, f"must be a mapping, not {type(v).__name__}")
                return
            for k in sorted(t.required - set(v)):
                self.err(where, f"required field {k!r} missing")
            for k, item in v.items():
                if k not in t.fields:
                    self.err(f"{where}.{k}", f"unknown field (known: {', '.join(sorted(t.fields))})")
                else:
                    self.shape(item, t.fields[k], f"{where}.{k}")

    def labels(self, labels, where):
        for k, v in (labels or {}).items():
            name = k.split("/", 1)[-1]
            prefix = k.split("/", 1)[0] if "/" in k else ""
            if not LABEL_NAME.match(name) or len(name) > 63 or (prefix and not DNS_SUBDOMAIN.match(prefix)):
                self.err(where, f"label key {k!r} is not a valid label name")
            if not isinstance(v, str) or len(v) > 63 or not LABEL_VALUE.match(v):
                self.err(where, f"label {k!r}: value {v!r} is not a valid label value (quote \"true\")")


def matches(selector, labels):
    return all(labels.get(k) == v for k, v in (selector.get("matchLabels") or {}).items())


def check_pod(c, spec, where, configmaps):
    volumes = {}
    for i, v in enumerate(spec.get("volumes") or []):
        n = v.get("name", "")
        if not DNS_LABEL.match(n):
            c.err(f"{where}.volumes[{i}]", f"name {n!r} is not a DNS-1123 label")
        if n in volumes:
            c.err(f"{where}.volumes[{i}]", f"volume {n!r} given twice")
        volumes[n] = v
        sources = [k for k in v if k != "name"]
        if len(sources) != 1:
            c.err(f"{where}.volumes[{i}]", f"needs exactly one source, has {sources}")
        cm = v.get("configMap")
        if cm is not None and configmaps is not None:
            if cm.get("name") not in configmaps and not cm.get("optional"):
                c.err(f"{where}.volumes[{i}]", f"ConfigMap {cm.get('name')!r} is not among the manifests")
            else:
                for item in cm.get("items") or []:
                    if item.get("key") not in configmaps.get(cm.get("name"), {}):
                        c.err(f"{where}.volumes[{i}]", f"ConfigMap has no key {item.get('key')!r}")
    names = set()
    for group in ("initContainers", "containers"):
        for i, ct in enumerate(spec.get(group) or []):
            w = f"{where}.{group}[{i}]"
            n = ct.get("name", "")
            if not DNS_LABEL.match(n) or len(n) > 63:
                c.err(w, f"name {n!r} is not a DNS-1123 label")
            if n in names:
                c.err(w, f"container name {n!r} used twice")
            names.add(n)
            sidecar = group == "initContainers" and ct.get("restartPolicy") == "Always"
            if group == "containers" and "restartPolicy" in ct:
                c.err(w, "restartPolicy is allowed on init containers only")
            if group == "initContainers" and not sidecar:
                for p in ("livenessProbe", "readinessProbe", "startupProbe"):
                    if p in ct:
                        c.err(w, f"{p} on an init container needs restartPolicy: Always")
            ports = {}
            for j, p in enumerate(ct.get("ports") or []):
                cp = p.get("containerPort")
                if isinstance(cp, int) and not 1 <= cp <= 65535:
                    c.err(f"{w}.ports[{j}]", f"containerPort {cp} out of 1-65535")
                if "name" in p:
                    if not IANA_SVC.match(p["name"]) or len(p["name"]) > 15 or \
                            not re.search("[a-z]", p["name"]):
                        c.err(f"{w}.ports[{j}]", f"port name {p['name']!r} is not an IANA service name")
                    ports[p["name"]] = cp
            mounts = set()
            for j, m in enumerate(ct.get("volumeMounts") or []):
                if m.get("name") not in volumes:
                    c.err(f"{w}.volumeMounts[{j}]", f"no volume named {m.get('name')!r} in the pod")
                mp = m.get("mountPath", "")
                if not isinstance(mp, str) or not mp.startswith("/"):
                    c.err(f"{w}.volumeMounts[{j}]", f"mountPath {mp!r} must be absolute")
                if mp in mounts:
                    c.err(f"{w}.volumeMounts[{j}]", f"mountPath {mp!r} used twice")
                mounts.add(mp)
            for p in ("livenessProbe", "readinessProbe", "startupProbe"):
                probe = ct.get(p)
                if probe is None:
                    continue
                handlers = [h for h in ("httpGet", "tcpSocket", "exec", "grpc") if h in probe]
                if len(handlers) != 1:
                    c.err(f"{w}.{p}", f"needs exactly one handler, has {handlers}")
                for h in ("httpGet", "tcpSocket"):
                    port = (probe.get(h) or {}).get("port")
                    if isinstance(port, str) and port not in ports:
                        c.err(f"{w}.{p}.{h}", f"port {port!r} is not a named port of the container")
                path = (probe.get("httpGet") or {}).get("path")
                if path is not None and not str(path).startswith("/"):
                    c.err(f"{w}.{p}.httpGet", f"path {path!r} must start with /")
    return names


def validate(paths):
    c = Checker()
    docs = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                for i, d in enumerate(yaml.safe_load_all(f)):
                    if d is not None:
                        docs.append((f"{os.path.basename(path)}#{i}", path, d))
        except yaml.YAMLError as e:
            c.err(path, f"not YAML: {e}")
    configmaps = {d["metadata"]["name"]: d.get("data") or {} for _, _, d in docs
                  if isinstance(d, dict) and d.get("kind") == "ConfigMap"
                  and isinstance(d.get("metadata"), dict)}
    pods = []  # (labels, {port name}) of every Deployment's template
    for where, path, d in docs:
        if not isinstance(d, dict):
            c.err(where, "a manifest must be a mapping")
            continue
        schema = KINDS.get((d.get("apiVersion"), d.get("kind")))
        if schema is None:
            c.err(where, f"unknown apiVersion/kind {d.get('apiVersion')}/{d.get('kind')}")
            continue
        before = len(c.errors)
        c.shape(d, schema, where)
        if len(c.errors) > before:
            continue  # the semantic checks below assume the shape
        kind = d["kind"]
        if kind != "Kustomization":
            name = d["metadata"]["name"]
            if not DNS_SUBDOMAIN.match(name) or len(name) > 253:
                c.err(where, f"metadata.name {name!r} is not a DNS-1123 subdomain")
            c.labels(d["metadata"].get("labels"), f"{where}.metadata.labels")
        if kind == "Deployment":
            t = d["spec"]["template"]
            labels = t["metadata"].get("labels") or {}
            c.labels(labels, f"{where}.spec.template.metadata.labels")
            sel = d["spec"]["selector"]
            if not sel.get("matchLabels") or not matches(sel, labels):
                c.err(where, "spec.selector.matchLabels must match the pod template's labels")
            check_pod(c, t["spec"], f"{where}.spec.template.spec", configmaps)
            ports = {p["name"] for g in ("containers", "initContainers")
                     for ct in t["spec"].get(g) or [] for p in ct.get("ports") or [] if "name" in p}
            pods.append((labels, ports))
        elif kind == "ConfigMap":
            size = 0
            for k, v in (d.get("data") or {}).items():
                if not CONFIGMAP_KEY.match(k) or len(k) > 253:
                    c.err(f"{where}.data", f"key {k!r} is not a valid file name")
                size += len(k) + len(v.encode())
            if size > 1024 * 1024:
                c.err(where, f"{size} bytes of data; a ConfigMap holds at most 1 MiB")
        elif kind == "PodMonitor":
            sel = d["spec"]["selector"]
            selected = [p for p in pods if matches(sel, p[0])]
            if not selected:
                c.err(f"{where}.spec.selector", "selects no pod template of the Deployments given")
            for i, ep in enumerate(d["spec"]["podMetricsEndpoints"]):
                if "port" not in ep:
                    c.err(f"{where}.spec.podMetricsEndpoints[{i}]", "needs a port name")
                for labels, ports in selected:
                    if ep.get("port") not in ports:
                        c.err(f"{where}.spec.podMetricsEndpoints[{i}]",
                              f"port {ep.get('port')!r} is not a named port of the selected pods")
        elif kind == "PrometheusRule":
            seen = set()
            for i, g in enumerate(d["spec"]["groups"]):
                if g["name"] in seen:
                    c.err(f"{where}.spec.groups[{i}]", f"group {g['name']!r} given twice")
                seen.add(g["name"])
                for j, r in enumerate(g["rules"]):
                    w = f"{where}.spec.groups[{i}].rules[{j}]"
                    if ("alert" in r) == ("record" in r):
                        c.err(w, "needs exactly one of alert and record")
                    if not r["expr"].strip():
                        c.err(w, "empty expr")
                    if "for" in r and not (PROM_DURATION.match(r["for"]) and r["for"]):
                        c.err(w, f"for {r['for']!r} is not a Prometheus duration")
        elif kind == "Kustomization":
            base = os.path.dirname(path)
            for r in d["resources"]:
                if not os.path.exists(os.path.join(base, r)):
                    c.err(where, f"resource {r!r} does not exist")
    # PodMonitors are checked against Deployments given in any order.
    return c.errors, docs


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    # Deployments first, so a PodMonitor in an earlier file still finds its pods.
    order = sorted(argv, key=lambda p: 0 if "deployment" in os.path.basename(p) else 1)
    errors, docs = validate(order)
    for e in errors:
        print(e)
    if errors:
        return 1
    print(f"{len(docs)} manifest(s) valid: " + ", ".join(sorted(
        f"{d['kind']}" + (f" {d['metadata']['name']}" if "metadata" in d else "")
        for _, _, d in docs)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
