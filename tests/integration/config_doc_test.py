#!/usr/bin/python3
"""docs/configuration.md against config/modelwatch.example.yaml and the loader itself.

  config_doc_test.py MODELWATCH ROOT WORKDIR

1. `check-config` accepts the example.
2. The keys the loader knows, asked of the loader: for every mapping of the example (and the
   `features: { infer: ... }` form it shows in a comment), a copy with one unknown key added is
   given to check-config, whose error lists the allowed keys there ("unknown key 'x' in P
   (expected one of: ...)"). So a key added to any parser shows up here without editing this test.
3. Every key of the example and every key the loader allows appears in configuration.md in a
   code span (`key`, `parent.key`, `{ key, ... }`) or a heading, and every allowed key appears in the example
   (as a key, or in its comments for the alternative forms).
"""
import copy
import os
import re
import subprocess
import sys

import yaml

PROBE = "zz_probe_key"


def main():
    mw, root, work = sys.argv[1:4]
    example = os.path.join(root, "config", "modelwatch.example.yaml")
    docs = open(os.path.join(root, "docs", "configuration.md"), encoding="utf-8").read()
    example_text = open(example, encoding="utf-8").read()
    failures = []

    r = subprocess.run([mw, "check-config", "--config", example], capture_output=True, text=True)
    if r.returncode != 0:
        failures.append(f"check-config rejects the example:\n{r.stdout}{r.stderr}")

    base = yaml.safe_load(example_text)
    # Every mapping in the example: (path in the document as a list of keys/indexes).
    mappings = []

    def walk(node, path):
        if isinstance(node, dict):
            mappings.append(path)
            for k, v in node.items():
                walk(v, path + [k])
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, path + [i])

    walk(base, [])
    example_keys = set()

    def keys_of(node):
        if isinstance(node, dict):
            for k, v in node.items():
                example_keys.add(str(k))
                keys_of(v)
        elif isinstance(node, list):
            for v in node:
                keys_of(v)

    keys_of(base)

    def probe(doc, where):
        path = os.path.join(work, "probe.yaml")
        with open(path, "w", encoding="utf-8") as f:
            yaml.safe_dump(doc, f, sort_keys=False)
        out = subprocess.run([mw, "check-config", "--config", path], capture_output=True,
                             text=True).stdout
        m = re.search(r"unknown key '" + PROBE + r"'[^(]*\(expected one of: ([^)]*)\)", out)
        if not m:
            failures.append(f"{where}: the loader did not report the unknown key:\n{out}")
            return []
        return [k.strip() for k in m.group(1).split(",")]

    def get(doc, path):
        for p in path:
            doc = doc[p]
        return doc

    allowed = {}  # key -> the first path where the loader allows it
    for path in mappings:
        if path and path[-1] == "thresholds":
            continue  # keyed by drift method: the methods are values, documented as such
        doc = copy.deepcopy(base)
        get(doc, path)[PROBE] = 1
        where = ".".join(map(str, path)) or "top level"
        for k in probe(doc, where):
            allowed.setdefault(k, where)
    # The alternative form of `features` shown in the example's comments.
    doc = copy.deepcopy(base)
    doc["models"][0]["features"] = {"infer": {"under": "/inputs", PROBE: 1}}
    for k in probe(doc, "models.0.features.infer"):
        allowed.setdefault(k, "models.0.features.infer")
    doc["models"][0]["features"] = {PROBE: 1}
    for k in probe(doc, "models.0.features (mapping form)"):
        allowed.setdefault(k, "models.0.features")

    # Code spans and section headings (`## models[]`, `## state, engine, ...`).
    spans = re.findall(r"`([^`]+)`", docs) + re.findall(r"(?m)^#+ (.*)$", docs)

    def documented(key):
        return any(re.search(r"(^|[^A-Za-z0-9_])" + re.escape(key) + r"($|[^A-Za-z0-9_])", s)
                   for s in spans)

    for k in sorted(example_keys):
        if not documented(k):
            failures.append(f"example key '{k}' is not in docs/configuration.md")
    for k, where in sorted(allowed.items()):
        if not documented(k):
            failures.append(f"loader key '{k}' (in {where}) is not in docs/configuration.md")
        if k not in example_keys and not re.search(r"\b" + re.escape(k) + r"\b", example_text):
            failures.append(f"loader key '{k}' (in {where}) is not in config/modelwatch.example.yaml")

    for f in failures:
        print("FAIL:", f)
    if failures:
        return 1
    print(f"PASS: {len(example_keys)} example keys and {len(allowed)} loader keys "
          f"({len(mappings)} mappings probed) documented; the example is valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
