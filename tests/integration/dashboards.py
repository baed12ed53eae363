#!/usr/bin/env python3
"""Checks the Grafana dashboards (standard library only; Debian's python3).

  dashboards.py lint FILE...          the conventions of ../shared/reference/prometheus.md §5.1
                                      (rule names after grafana/dashboard-linter), exit 1 on any
  dashboards.py runbooks RUNBOOK_DIR FILE...
                                      every panel a runbook's "First checks" names in italics
                                      (*Panel title*) is a panel of the dashboards, so that the
                                      runbooks follow renamed panels
  dashboards.py query PROM_URL FILE...
                                      runs every target's PromQL, variables substituted by the
                                      values below, as an instant query; exit 1 when one fails or
                                      returns nothing (except the documented ALLOW_EMPTY panels)
  dashboards.py query --unexposed-ok METRICS RULES PROM_URL FILE...
                                      the same, for a stack whose configuration does not enable
                                      every feature (no ground truth, model server, GPU or cost):
                                      a query may also return nothing when it reads a modelwatch_*
                                      series that the exposition METRICS (a /metrics scrape of the
                                      daemon) does not hold, directly or through a recording rule
                                      of the rule files RULES (comma-separated)
"""
import glob
import json
import os
import re
import sys
import urllib.parse
import urllib.request

# Concrete values for the template variables when a query is sent to a real Prometheus (the
# `modelwatch demo` model). Multi-value variables render as Grafana renders a multi selection in a
# regex matcher: (a|b). $feature holds a numeric and a categorical feature, so that panels on
# categories have data too.
SUBSTITUTIONS = [
    ("$__rate_interval", "1m"), ("$__range", "1h"), ("$__interval", "15s"),
    ("$model_version", ".+"), ("$model", "fraud-detector"), ("$feature", "(amount|country)"),
    ("$output", "(score|predicted)"), ("$window", "5m"), ("$quality_window", "5m"),
    ("$metric", "(accuracy|f1|log_loss)"), ("$job", ".+"), ("$instance", ".+"),
]
# Grafana's own variables; every other $name in a query must be a variable of its dashboard.
BUILTIN_VARIABLES = {"__rate_interval", "__range", "__interval", "__range_s", "__interval_ms"}

# Panels whose queries may return nothing in the test stack (alertmanager_test.sh: modelwatch
# daemons with the fake NVML, a child process as the model server, a cost and a label log), and
# why. Only panels on Triton Inference Server's series may be here: they read the recording rules
# of deploy/prometheus/triton/triton-rules.yaml (Triton's nv_* series), which exist only where
# Prometheus scrapes a Triton server (docs/guides/triton.md); the test stack has none, and
# tests/integration/triton_rules_test.sh checks those rules instead. query() fails when an entry
# queries anything but triton:* / nv_* series, or names a panel that does not exist.
TRITON_REASON = "Triton series (triton:* rules over nv_*), absent without a Triton server"
ALLOW_EMPTY = {
    ("model-detail.json", "Triton requests"): TRITON_REASON,
    ("model-detail.json", "Triton failed requests"): TRITON_REASON,
    ("model-detail.json", "Triton: where the time goes"): TRITON_REASON,
    ("model-detail.json", "Triton batch size and log coverage"): TRITON_REASON,
}
TRITON_ONLY = re.compile(r"^(?:[^a-zA-Z_:]|\b(?:triton:[A-Za-z0-9_:]+|nv_[A-Za-z0-9_]+|by|"
                         r"without|on|ignoring|sum|max|min|avg|rate|model|le|gpu_uuid)\b|"
                         r'"[^"]*"|\$[a-z_]+)*$')

VALID_UNITS = {
    "none", "short", "percent", "percentunit", "s", "ms", "us", "ns", "m", "h", "d",
    "dtdurations", "dtdurationms", "bytes", "decbytes", "bits", "Bps", "binBps", "bps", "reqps",
    "ops", "cps", "rps", "wps", "iops", "dateTimeAsIso", "dateTimeFromNow", "watt", "celsius",
    "currencyUSD", "currencyEUR", "hertz", "bool", "bool_yes_no",
}
PANEL_TYPES_WITH_TARGETS = {"timeseries", "stat", "table", "gauge", "bargauge", "graph",
                            "barchart", "heatmap", "state-timeline", "piechart"}
SCOPED_METRIC = re.compile(r"\b((?:modelwatch|process|scrape)_[A-Za-z0-9_]*|up)\b(\s*\{[^}]*\})?")
RANGE_FUNC = re.compile(r"\b(rate|irate|increase|delta|deriv)\s*\(")
RANGE = re.compile(r"\[([^\]]*)\]")
RECORDING_RULE = re.compile(r"\bmodelwatch:[A-Za-z0-9_:]+")


def panels(dashboard):
    for p in dashboard.get("panels", []):
        yield p
        for q in p.get("panels", []):  # collapsed rows
            yield q


def targets(dashboard):
    for p in panels(dashboard):
        for t in p.get("targets", []):
            yield p, t


def strip_label_lists(expr):
    """Removes by (...) / without (...) / on (...) / ignoring (...) / group_x (...) label lists,
    which name labels, not metrics."""
    return re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", r"\1 ()", expr)


def lint_expr(expr):
    problems = []
    body = strip_label_lists(expr)
    for m in SCOPED_METRIC.finditer(body):
        name, matchers = m.group(1), m.group(2) or ""
        if body[m.end():].lstrip().startswith("(") and not matchers:
            continue  # a function name such as up(...) would be; none of ours
        # target-job-rule / target-instance-rule
        if 'job=~"$job"' not in matchers or 'instance=~"$instance"' not in matchers:
            problems.append(f"target-job-instance-rule: {name} lacks job=~\"$job\", "
                            f"instance=~\"$instance\"")
        # target-counter-agg-rule: counters only inside rate/irate/increase
        if name.endswith("_total"):
            before = body[:m.start()].rstrip()
            if not re.search(r"\b(rate|irate|increase)\s*\($", before):
                problems.append(f"target-counter-agg-rule: {name} outside rate/irate/increase")
    # target-rate-interval-rule
    for m in RANGE_FUNC.finditer(body):
        rest = body[m.end():]
        r = RANGE.search(rest)
        if not r or r.group(1) not in ("$__rate_interval", "$__range"):
            problems.append(f"target-rate-interval-rule: {m.group(1)}() without "
                            f"[$__rate_interval] (or [$__range])")
    if "${DS_" in expr:
        problems.append("target-datasource-rule: ${DS_...} input reference")
    return problems


def lint(path):
    problems = []
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    d = json.loads(text)
    say = lambda msg: problems.append(f"{path}: {msg}")
    if "__inputs" in d or "${DS_" in text:
        say("dashboard-no-inputs-rule: __inputs / ${DS_...} break file provisioning")
    for key in ("uid", "title", "tags", "description"):
        if not d.get(key):
            say(f"dashboard-{key}-rule: missing {key}")
    if not 36 <= d.get("schemaVersion", 0) <= 39:
        say(f"dashboard-schema-rule: schemaVersion {d.get('schemaVersion')} not in 36..39")
    if d.get("editable") is not False:
        say("dashboard-editable-rule: provisioned dashboards are not editable")
    if d.get("id") is not None:
        say("dashboard-id-rule: id must be null")
    variables = {v.get("name"): v for v in d.get("templating", {}).get("list", [])}
    ds = variables.get("datasource")
    if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        say("template-datasource-rule: no `datasource` variable of type datasource, prometheus")
    for name in ("job", "instance"):
        if name not in variables:
            say(f"template-{name}-rule: no {name} variable")
    for name, v in variables.items():
        if v.get("type") != "query":
            continue
        if v.get("datasource", {}).get("uid") != "${datasource}":
            say(f"template-on-datasource-rule: variable {name} not on $datasource")
        if v.get("refresh") != 2:
            say(f"template-refresh-rule: variable {name} must refresh on time range change")
        if not str(v.get("query", "")).startswith("label_values("):
            say(f"template-query-rule: variable {name} is not a label_values() query")
        if v.get("includeAll") and v.get("allValue") != ".+":
            say(f"template-all-value-rule: variable {name} needs allValue .+")
        if name in ("job", "instance") and not (v.get("multi") and v.get("includeAll")):
            say(f"template-{name}-rule: must be multi-select with All")
    uids = set()
    for p in panels(d):
        if p.get("type") == "row":
            continue
        title = p.get("title", "")
        where = f"panel {p.get('id')} {title!r}"
        if p.get("id") in uids:
            say(f"{where}: duplicate panel id")
        uids.add(p.get("id"))
        if not title or not p.get("description"):
            say(f"{where}: panel-title-description-rule: title and description required")
        unit = p.get("fieldConfig", {}).get("defaults", {}).get("unit")
        if unit not in VALID_UNITS:
            say(f"{where}: panel-units-rule: unit {unit!r} is not a known Grafana unit")
        if p.get("datasource", {}).get("uid") != "${datasource}":
            say(f"{where}: panel-datasource-rule: panel not on $datasource")
        if "gridPos" not in p:
            say(f"{where}: no gridPos")
        if p.get("type") in PANEL_TYPES_WITH_TARGETS and not p.get("targets"):
            say(f"{where}: panel-no-targets-rule: no target")
        for t in p.get("targets", []):
            if t.get("datasource", {}).get("uid") != "${datasource}":
                say(f"{where}: target-datasource-rule: target {t.get('refId')} not on $datasource")
            expr = t.get("expr", "")
            if not expr:
                say(f"{where}: target {t.get('refId')} has no expr")
            for var in re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", expr):
                if var not in variables and var not in BUILTIN_VARIABLES:
                    say(f"{where} target {t.get('refId')}: template-variable-rule: ${var} is "
                        f"not a variable of this dashboard")
            for problem in lint_expr(expr):
                say(f"{where} target {t.get('refId')}: {problem}")
    return problems


def substitute(expr):
    for var, value in SUBSTITUTIONS:
        expr = expr.replace("${" + var[1:] + "}", value).replace(var, value)
    return expr


def recording_rule_sources(rule_files):
    """{recorded name: the series names its expression reads}, from the rule files' text."""
    sources = {}
    for path in rule_files:
        name = None
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                m = re.match(r"\s*- (record|alert|name): *(\S+)", line)
                if m:
                    name = m.group(2) if m.group(1) == "record" else None
                    if name:
                        sources[name] = set()
                    continue
                if name and not line.lstrip().startswith("#"):
                    sources[name] |= set(re.findall(r"\bmodelwatch[_:][A-Za-z0-9_:]*", line))
    return sources


def unexposed(expr, exposed, rules, seen=None):
    """modelwatch_* series the expression reads (through recording rules too) that the daemon
    does not expose."""
    seen = set() if seen is None else seen
    missing = set()
    for name in re.findall(r"\bmodelwatch[_:][A-Za-z0-9_:]*", strip_label_lists(expr)):
        if name in seen:
            continue
        seen.add(name)
        if ":" in name:
            missing |= unexposed(" ".join(rules.get(name, ())), exposed, rules, seen)
        elif name not in exposed:
            missing.add(name)
    return missing


def query(prom, files, exposition=None, rule_files=()):
    failures = []
    count = 0
    empty_allowed = 0
    unexposed_empty = 0
    exposed, rules = None, {}
    if exposition:
        with open(exposition, encoding="utf-8") as fh:
            exposed = {m.group(1) for m in re.finditer(r"^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]",
                                                       fh.read(), re.M)}
        rules = recording_rule_sources(rule_files)
    panels_seen = set()
    for path in files:
        with open(path, encoding="utf-8") as fh:
            d = json.load(fh)
        for p, t in targets(d):
            expr = substitute(t["expr"])
            count += 1
            name = path.rsplit("/", 1)[-1]
            where = f"{name} / {p.get('title')} / {t.get('refId')}"
            panels_seen.add((name, p.get("title")))
            if (name, p.get("title")) in ALLOW_EMPTY and not TRITON_ONLY.match(t["expr"]):
                failures.append(f"{where}: in ALLOW_EMPTY but queries more than Triton's "
                                f"series\n    {t['expr']}")
            url = prom + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
            try:
                with urllib.request.urlopen(url, timeout=10) as r:
                    body = json.load(r)
            except Exception as e:  # an HTTP 400 is a PromQL error: report the body
                detail = e.read().decode() if hasattr(e, "read") else str(e)
                failures.append(f"{where}: {detail}\n    {expr}")
                continue
            if body.get("status") != "success":
                failures.append(f"{where}: {body}\n    {expr}")
            elif not body["data"]["result"]:
                if (name, p.get("title")) in ALLOW_EMPTY:
                    empty_allowed += 1
                elif exposed is not None and unexposed(t["expr"], exposed, rules):
                    unexposed_empty += 1
                else:
                    failures.append(f"{where}: no data\n    {expr}")
    names = {path.rsplit("/", 1)[-1] for path in files}
    for key in ALLOW_EMPTY:
        if key[0] in names and key not in panels_seen:
            failures.append(f"ALLOW_EMPTY names {key}, which is no panel")
    for f in failures:
        print("FAIL:", f)
    unexposed_note = (f", {unexposed_empty} empty on series this daemon does not expose"
                      if exposed is not None else "")
    print(f"{count - len(failures) - empty_allowed - unexposed_empty}/{count} dashboard queries "
          f"returned data; {empty_allowed} empty as ALLOW_EMPTY allows (Triton panels)"
          f"{unexposed_note}")
    return not failures


def runbook_panels(runbook_dir, files):
    """Italic names (*...*) in the "First checks" section of every runbook that are not a panel
    or row title of the dashboards (without its "($var)" suffix), or its first words."""
    titles = set()
    for path in files:
        with open(path, encoding="utf-8") as fh:
            for p in panels(json.load(fh)):
                titles.add(re.sub(r"\s*\(\$[a-z_]+\)", "", p.get("title", "")).strip())
    problems = []
    count = 0
    for path in sorted(glob.glob(os.path.join(runbook_dir, "*.md"))):
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        m = re.search(r"^## First checks\n(.*?)(?=^## )", text, re.M | re.S)
        if not m:
            continue
        for name in re.findall(r"(?<![*\w])\*([^*\n]+)\*(?![*\w])", m.group(1)):
            count += 1
            if not any(t == name or t.startswith(name + " ") for t in titles):
                problems.append(f"{path}: *{name}* is no dashboard panel or row")
    return count, problems


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "runbooks":
        count, problems = runbook_panels(sys.argv[2], sys.argv[3:])
        for p in problems:
            print("FAIL:", p)
        print(f"{count - len(problems)}/{count} panels named in the runbooks exist")
        return 1 if problems or not count else 0
    if len(sys.argv) >= 3 and sys.argv[1] == "lint":
        problems = [p for f in sys.argv[2:] for p in lint(f)]
        for p in problems:
            print("FAIL:", p)
        return 1 if problems else 0
    if len(sys.argv) >= 7 and sys.argv[1:3] == ["query", "--unexposed-ok"]:
        return 0 if query(sys.argv[5], sys.argv[6:], sys.argv[3], sys.argv[4].split(",")) else 1
    if len(sys.argv) >= 4 and sys.argv[1] == "query" and not sys.argv[2].startswith("--"):
        return 0 if query(sys.argv[2], sys.argv[3:]) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
