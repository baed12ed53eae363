#!/usr/bin/python3
"""Writes the log-shape samples (examples/<shape>/) and their flat equivalents
(tests/integration/shapes/<shape>/flat*.jsonl) from one set of predictions, so that
log_shapes_test.sh can show that each shape gives the same statistics as the flat log.
Run once by hand (Debian's python3, standard library only); the outputs are stored in the repo.
The line formats follow the public documentation cited in each guide (docs/guides/<shape>.md)."""
import base64
import datetime as dt
import json
import os
import random

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
EX = os.path.join(ROOT, "examples")
FLAT = os.path.join(ROOT, "tests", "integration", "shapes")
IRIS = ["setosa", "versicolor", "virginica"]
T0 = dt.datetime(2026, 11, 28, 12, 0, 0, tzinfo=dt.timezone.utc)


def iris_row(rng, shift=0.0):
    c = rng.randrange(3)
    base = [(5.0, 3.4, 1.5, 0.2), (5.9, 2.8, 4.3, 1.3), (6.6, 3.0, 5.6, 2.0)][c]
    return [round(b + rng.gauss(0, 0.3) + shift, 1) for b in base], c


def write(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        for line in lines:
            f.write(line if isinstance(line, str) else json.dumps(line, separators=(",", ":")))
            f.write("\n")


def iso(t, digits=7):
    s = t.strftime("%Y-%m-%dT%H:%M:%S")
    frac = f"{t.microsecond:06d}" + "0" * max(0, digits - 6)
    return s + "." + frac[:digits] + "Z"


def reference(path, n, rng, names, extra=None, output="predicted"):
    rows = []
    for _ in range(n):
        x, c = iris_row(rng)
        row = dict(zip(names, x))
        row[output] = IRIS[c] if extra is None else extra(c)
        rows.append(row)
    write(path, rows)


def kserve(rng):
    names = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    reference(f"{EX}/kserve/reference.jsonl", 300, random.Random(1), names, extra=lambda c: c)
    lines, flat_v1, flat_v2 = [], [], []
    t = T0
    for i in range(40):
        t += dt.timedelta(seconds=7)
        v2 = i % 2 == 1
        isvc = "iris-v2" if v2 else "sklearn-iris"
        rid = f"5b1c{i:04d}-0c1e-4a2f-9d4b-{i:012d}"
        rows = [iris_row(rng, 0.3 if i >= 20 else 0.0) for _ in range(1 + i % 3)]
        latency_ms = 3 + (i % 5) * 3  # clear of the bucket bounds
        t_resp = t + dt.timedelta(milliseconds=latency_ms)
        ce = {"specversion": "1.0", "id": rid, "source": "http://localhost:9081/",
              "inferenceservicename": isvc, "namespace": "default", "component": "predictor",
              "endpoint": "default", "datacontenttype": "application/json"}
        if not v2:
            req = dict(ce, type="org.kubeflow.serving.inference.request", time=iso(t),
                       data={"instances": [x for x, _ in rows]})
            resp = dict(ce, type="org.kubeflow.serving.inference.response", time=iso(t_resp),
                        data={"predictions": [c for _, c in rows]})
        else:
            flat = [v for x, _ in rows for v in x]
            data = flat if i % 4 == 1 else [x for x, _ in rows]  # flat or nested
            body = {"id": rid, "inputs": [{"name": "input-0", "shape": [len(rows), 4],
                                           "datatype": "FP32", "data": data}]}
            req = dict(ce, type="org.kubeflow.serving.inference.request", time=iso(t),
                       datacontenttype="application/octet-stream",
                       data_base64=base64.b64encode(json.dumps(body).encode()).decode())
            resp = dict(ce, type="org.kubeflow.serving.inference.response", time=iso(t_resp),
                        data={"model_name": "iris-v2", "model_version": "1", "id": rid,
                              "outputs": [{"name": "output-0", "shape": [len(rows)],
                                           "datatype": "INT64", "data": [c for _, c in rows]}]})
        # The logger's two events; a response now and then arrives before its request.
        lines += [resp, req] if i % 6 == 5 else [req, resp]
        for j, (x, c) in enumerate(rows):
            row_id = rid if len(rows) == 1 else f"{rid}-item-{j}"
            (flat_v2 if v2 else flat_v1).append(
                {"ts": iso(t), "request_id": row_id, "features": dict(zip(names, x)),
                 "predicted": c, "latency_s": latency_ms / 1000})
    # A request whose response never came (KServe logs no response on errors).
    t += dt.timedelta(seconds=7)
    x, _ = iris_row(rng)
    lines.append({"specversion": "1.0", "id": "lost-0001", "inferenceservicename": "sklearn-iris",
                  "type": "org.kubeflow.serving.inference.request", "time": iso(t),
                  "data": {"instances": [x]}})
    flat_v1.append({"ts": iso(t), "request_id": "lost-0001", "features": dict(zip(names, x))})
    write(f"{EX}/kserve/payload-logger.jsonl", lines)
    write(f"{FLAT}/kserve/flat-sklearn-iris.jsonl", flat_v1)
    write(f"{FLAT}/kserve/flat-iris-v2.jsonl", flat_v2)


def seldon(rng):
    names = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    reference(f"{EX}/seldon/reference.jsonl", 300, random.Random(2), names,
              extra=lambda c: round([0.9, 0.05, 0.05][c], 2), output="proba_setosa")
    lines, flat = [], []
    t = T0
    for i in range(40):
        t += dt.timedelta(seconds=5)
        puid = f"b9l8r3{i:04d}"
        rows = [iris_row(rng) for _ in range(1 + i % 2)]
        probs = [[round(0.9 if k == c else 0.05, 2) for k in range(3)] for _, c in rows]
        base = {"specversion": "1.0", "id": puid, "source": "seldon-iris-default",
                "requestid": puid, "modelid": "classifier", "inferenceservicename": "iris"}
        lines.append(dict(base, type="io.seldon.serving.inference.request", time=iso(t, 6),
                          data={"data": {"names": names, "ndarray": [x for x, _ in rows]}}))
        lines.append(dict(base, type="io.seldon.serving.inference.response",
                          time=iso(t + dt.timedelta(milliseconds=9), 6),
                          data={"data": {"names": ["t:0", "t:1", "t:2"], "ndarray": probs},
                                "meta": {"requestPath": {"classifier": "seldonio/sklearn-iris:0.3"}}}))
        if i % 10 == 9:  # feedback events share the file; they are another event type
            lines.append(dict(base, type="io.seldon.serving.feedback", time=iso(t, 6),
                              data={"reward": 1}))
        for j, ((x, c), p) in enumerate(zip(rows, probs)):
            flat.append({"ts": iso(t, 6), "request_id": puid if len(rows) == 1 else f"{puid}-item-{j}",
                         "features": dict(zip(names, x)), "proba_setosa": p[0],
                         "latency_ms": 9})
    write(f"{EX}/seldon/request-logger.jsonl", lines)
    write(f"{FLAT}/seldon/flat.jsonl", flat)


def sagemaker(rng):
    # Churn-style numeric features in (CSV, JSON or BASE64 bodies); out, a Linear Learner binary
    # classifier's JSON ({"predictions":[{"score":..,"predicted_label":..}]}, one per row).
    # Ground truth: Model Monitor's merge format, a CSV label per request; for a multi-row
    # request one CSV row per input row (read with ground_truth.record.batch).
    def row():
        return [rng.randrange(1, 200), round(rng.uniform(0, 350), 1), rng.randrange(0, 10),
                round(rng.uniform(0, 60), 2)]
    names = ["account_length", "day_mins", "cust_serv_calls", "day_charge"]
    ref = []
    r2 = random.Random(3)
    for k in range(300):
        x = [r2.randrange(1, 200), round(r2.uniform(0, 350), 1), r2.randrange(0, 10),
             round(r2.uniform(0, 60), 2)]
        score = round(r2.random(), 3)
        predicted = int(score > 0.5)
        ref.append(dict(zip(names, x), score=score, predicted=predicted,
                        churned=predicted if k % 6 else 1 - predicted))
    write(f"{EX}/sagemaker/reference.jsonl", ref)
    lines, flat, truth, flat_truth = [], [], [], []
    t = T0
    for i in range(45):
        t += dt.timedelta(seconds=11)
        rows = [row() for _ in range(1 + (i % 4 == 0))]
        scores = [round(rng.random(), 3) for _ in rows]
        predicted = [int(s > 0.5) for s in scores]
        csv_in = "\n".join(",".join(str(v) for v in x) for x in rows) + "\n"
        out = json.dumps({"predictions": [{"score": s, "predicted_label": p}
                                          for s, p in zip(scores, predicted)]})
        mode = i % 3
        if mode == 0:
            inp = {"observedContentType": "text/csv", "mode": "INPUT", "data": csv_in, "encoding": "CSV"}
        elif mode == 1:
            inp = {"observedContentType": "application/json", "mode": "INPUT",
                   "data": json.dumps(rows), "encoding": "JSON"}
        else:
            inp = {"observedContentType": "text/csv", "mode": "INPUT",
                   "data": base64.b64encode(csv_in.encode()).decode(), "encoding": "BASE64"}
        event = f"{i:08d}-aaaa-bbbb-cccc-{i:012d}"
        meta = {"eventId": event, "inferenceTime": t.strftime("%Y-%m-%dT%H:%M:%SZ")}
        if i % 5 == 0:
            meta["inferenceId"] = f"order-{i}"
        lines.append({"captureData": {"endpointInput": inp, "endpointOutput": {
            "observedContentType": "application/json", "mode": "OUTPUT",
            "data": out, "encoding": "JSON"}}, "eventMetadata": meta, "eventVersion": "0"})
        rid = meta.get("inferenceId", event)
        # The true class: the predicted one, wrong now and then.
        labels = [p if (i + j) % 5 != 2 else 1 - p for j, p in enumerate(predicted)]
        for j, (x, s, p, y) in enumerate(zip(rows, scores, predicted, labels)):
            row_id = rid if len(rows) == 1 else f"{rid}-item-{j}"
            flat.append({"ts": meta["inferenceTime"], "request_id": row_id,
                         "features": dict(zip(names, x)), "score": s, "predicted": p})
            flat_truth.append({"request_id": row_id, "label": y})
        data = "\n".join(str(y) for y in labels)
        if i % 7 == 3:  # the encoding field says how to read data
            gt = {"data": base64.b64encode(data.encode()).decode(), "encoding": "BASE64"}
        else:
            gt = {"data": data, "encoding": "CSV"}
        truth.append({"groundTruthData": gt, "eventMetadata": {"eventId": rid}, "eventVersion": "0"})
    write(f"{EX}/sagemaker/capture.jsonl", lines)
    write(f"{EX}/sagemaker/ground-truth.jsonl", truth)
    write(f"{FLAT}/sagemaker/flat.jsonl", flat)
    write(f"{FLAT}/sagemaker/flat-labels.jsonl", flat_truth)


def bentoml(rng):
    # The `target` role is the label, in the line; some requests have no label yet (the column
    # null, or not logged at all).
    names = ["sepal length", "sepal width", "petal length", "petal width"]
    keys = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    reference(f"{EX}/bentoml/reference.jsonl", 300, random.Random(4), keys)
    lines, flat, flat_labeled, flat_labels = [], [], [], []
    local = dt.timezone(dt.timedelta(hours=1))  # the service's local time (CET)
    t = dt.datetime(2026, 11, 28, 13, 0, 0, 781914)
    for i in range(30):
        t += dt.timedelta(seconds=13)
        rid = str(10655923893485958044 + i)
        batch = [iris_row(rng) for _ in range(1 + (i % 5 == 0) * 2)]  # log_batch: same id
        for j, (x, c) in enumerate(batch):
            target = IRIS[c if i % 7 else (c + 1) % 3]
            line = dict(zip(names, x))
            line["pred"] = IRIS[c]
            if i % 9 != 8:  # not logged at all on those
                line["target"] = None if i % 9 == 4 else target
            line.update({"timestamp": t.isoformat(), "request_id": rid})
            lines.append(line)
            ts = t.replace(tzinfo=local).isoformat()
            flat.append({"ts": ts, "request_id": rid, "features": dict(zip(keys, x)),
                         "pred": IRIS[c]})
            # The same predictions with one id each, and their labels in a log of their own.
            flat_labeled.append({"ts": ts, "request_id": f"{rid}-{j}",
                                 "features": dict(zip(keys, x)), "pred": IRIS[c]})
            if i % 9 not in (4, 8):
                flat_labels.append({"ts": ts, "request_id": f"{rid}-{j}", "label": target})
    write(f"{EX}/bentoml/data.0.log", lines)
    write(f"{FLAT}/bentoml/flat.jsonl", flat)
    write(f"{FLAT}/bentoml/flat-labeled.jsonl", flat_labeled)
    write(f"{FLAT}/bentoml/flat-labels.jsonl", flat_labels)


def python_service(rng):
    ref = []
    r2 = random.Random(5)
    for _ in range(300):
        ref.append({"amount": round(r2.lognormvariate(3, 1), 2), "country": r2.choice(["DE", "FR", "US"]),
                    "score": round(r2.random(), 3)})
    write(f"{EX}/python-service/reference.jsonl", ref)
    raw, flat = [], []
    t = dt.datetime(2026, 11, 28, 12, 0, 0)
    for i in range(50):
        t += dt.timedelta(seconds=3, microseconds=123000)
        amount = round(rng.lognormvariate(3, 1), 2)
        score = round(rng.random(), 3)
        country = rng.choice(["DE", "FR", "US"])
        # python-json-logger's asctime, numpy values through default=str, json.dumps's NaN.
        asctime = t.strftime("%Y-%m-%d %H:%M:%S") + f",{t.microsecond // 1000:03d}"
        amount_text = "NaN" if i % 9 == 4 else ("Infinity" if i % 17 == 8 else f'"{amount}"')
        score_text = "NaN" if i % 11 == 6 else str(score)
        pad = ""
        if i == 20:  # one long line: CRI splits it into P parts
            pad = ',"debug":"' + "x" * 40000 + '"'
        raw.append(f'{{"asctime":"{asctime}","levelname":"INFO","request_id":"req-{i}",'
                   f'"model":"fraud","features":{{"amount":{amount_text},"country":"{country}"}},'
                   f'"prediction":{{"score":{score_text}}},"latency_ms":"{8 + i % 7}.5"{pad}}}')
        flat.append({"ts": t.strftime("%Y-%m-%dT%H:%M:%S") + f".{t.microsecond // 1000:03d}Z",
                     "request_id": f"req-{i}",
                     "features": {"amount": amount if amount_text.startswith('"') else "NaN",
                                  "country": country},
                     "prediction": {"score": score if score_text != "NaN" else "NaN"},
                     "latency_ms": 8 + i % 7 + 0.5})
    write(f"{EX}/python-service/service.log", raw)
    write(f"{FLAT}/python-service/flat.jsonl", flat)
    # The same lines as a node's kubelet keeps them (CRI), with the long one in 16 KiB parts.
    cri = []
    for i, line in enumerate(raw):
        ts = (T0 + dt.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%S") + ".123456789Z"
        parts = [line[k:k + 16384] for k in range(0, len(line), 16384)]
        for k, part in enumerate(parts):
            cri.append(f"{ts} stdout {'F' if k == len(parts) - 1 else 'P'} {part}")
    write(f"{EX}/cri/fraud-7d9f-0_default_app-1234.log", cri)
    ref_cri = os.path.join(EX, "cri", "reference.jsonl")
    write(ref_cri, ref)


def main():
    rng = random.Random(42)
    kserve(rng)
    seldon(rng)
    sagemaker(rng)
    bentoml(rng)
    python_service(rng)


if __name__ == "__main__":
    main()
