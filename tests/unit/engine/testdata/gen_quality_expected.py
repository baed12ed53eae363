#!/usr/bin/python3
# Writes quality_expected.txt: seeded rows and scikit-learn's metrics on them, for
# tests/unit/engine/quality_metrics_test.cc. Run once with Debian's python3-sklearn (1.2.1);
# never at test time.  Usage: /usr/bin/python3 gen_quality_expected.py > quality_expected.txt
import numpy as np
from sklearn import metrics as m

rng = np.random.default_rng(20261206)
out = []

def emit_rows(name, rows, expected):
    rows = list(rows)
    out.append(f"section {name} {len(rows)}")
    for r in rows:
        out.append(" ".join(repr(float(v)) if isinstance(v, (float, np.floating)) else str(int(v)) for v in r))
    for k, v in expected.items():
        out.append(f"metric {k} {float(v)!r}")

# Binary: calibrated scores, predicted = score >= 0.5, ties in the scores included.
n = 1500
score = np.round(rng.uniform(0, 1, n), 3)
score[:20] = 0.0
score[20:30] = 1.0
truth = (rng.uniform(0, 1, n) < score).astype(int)
pred = (score >= 0.5).astype(int)
emit_rows("binary", zip(truth, pred, score), {
    "accuracy": m.accuracy_score(truth, pred),
    "precision": m.precision_score(truth, pred, zero_division=0),
    "recall": m.recall_score(truth, pred, zero_division=0),
    "f1": m.f1_score(truth, pred, zero_division=0),
    "roc_auc": m.roc_auc_score(truth, score),
    "log_loss": m.log_loss(truth, score, labels=[0, 1]),
    "brier": m.brier_score_loss(truth, score),
})

# Multiclass: 5 classes; class 4 is never predicted and class 3 never true (zero_division).
n = 800
truth = rng.choice([0, 1, 2, 4], n, p=[0.4, 0.3, 0.2, 0.1])
pred = np.where(rng.uniform(0, 1, n) < 0.7, truth, rng.choice([0, 1, 2, 3], n))
pred = np.where(pred == 4, 0, pred)
emit_rows("multiclass", zip(truth, pred), {
    "accuracy": m.accuracy_score(truth, pred),
    "precision": m.precision_score(truth, pred, average="macro", zero_division=0),
    "recall": m.recall_score(truth, pred, average="macro", zero_division=0),
    "f1": m.f1_score(truth, pred, average="macro", zero_division=0),
})

# Regression: one zero truth (MAPE divides by eps there), heavy tails.
n = 600
truth = rng.normal(50, 12, n)
truth[5] = 0.0
truth[6] = -3.5
pred = truth + rng.standard_t(3, n) * 4
emit_rows("regression", zip(truth, pred), {
    "mae": m.mean_absolute_error(truth, pred),
    "rmse": np.sqrt(m.mean_squared_error(truth, pred)),
    "mape": m.mean_absolute_percentage_error(truth, pred),
    "r2": m.r2_score(truth, pred),
})
print("\n".join(out))
