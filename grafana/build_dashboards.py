#!/usr/bin/env python3
"""Writes grafana/dashboards/{overview,model-detail,operations}.json.

The JSON files are the artefacts Grafana loads (provisioning or import); this script is their
source, the way a monitoring mixin renders its dashboards from jsonnet. Edit here, run
`python3 grafana/build_dashboards.py`, commit both: tests/integration/dashboards_lint_test.sh fails
when the JSON differs from what this script writes.

Standard library only. Conventions (../shared/reference/prometheus.md §5): a `datasource`
variable (no __inputs), job/instance/model/... query variables, a unit and a description on every
panel, $__rate_interval in rate/increase ($__range for "over the dashboard's time range").
Only series that docs/metrics.md lists (and the recording rules of
deploy/prometheus/modelwatch-rules.yaml) are queried.
"""
import json
import os
import sys

DS = {"type": "prometheus", "uid": "${datasource}"}
SCHEMA_VERSION = 37
TAGS = ["modelwatch"]
# Matchers every modelwatch_* / process_* selector carries (dashboard-linter's job/instance rules).
S = 'job=~"$job", instance=~"$instance"'


def datasource_variable():
    return {
        "name": "datasource", "label": "Data source", "type": "datasource",
        "query": "prometheus", "current": {}, "hide": 0, "includeAll": False, "multi": False,
        "options": [], "refresh": 1, "regex": "", "skipUrlSync": False,
    }


def query_variable(name, label, query, multi=True, include_all=True):
    v = {
        "name": name, "label": label, "type": "query", "datasource": DS,
        "definition": query, "query": query, "refresh": 2, "regex": "", "sort": 1,
        "current": {}, "options": [], "hide": 0, "multi": multi, "includeAll": include_all,
        "skipUrlSync": False,
    }
    if include_all:
        v["allValue"] = ".+"
    return v


def job_instance_variables():
    return [
        query_variable("job", "Job", "label_values(modelwatch_build_info, job)"),
        query_variable("instance", "Instance",
                       'label_values(modelwatch_build_info{job=~"$job"}, instance)'),
    ]


def model_variable(multi):
    return query_variable(
        "model", "Model",
        'label_values(modelwatch_predictions_total{job=~"$job", instance=~"$instance"}, model)',
        multi=multi, include_all=multi)


def window_variable():
    return query_variable(
        "window", "Window",
        'label_values(modelwatch_window_records{job=~"$job", instance=~"$instance", '
        'model=~"$model"}, window)', multi=False, include_all=False)


def target(expr, legend="", instant=False, table=False):
    t = {"datasource": DS, "expr": expr, "legendFormat": legend, "range": not instant,
         "instant": instant}
    if table:
        t["format"] = "table"
    return t


class Layout:
    """Places panels left to right, wrapping at 24 columns; rows start a new line."""

    def __init__(self):
        self.panels = []
        self.x = 0
        self.y = 0
        self.h = 0
        self.next_id = 1

    def _id(self):
        i = self.next_id
        self.next_id += 1
        return i

    def row(self, title):
        self._newline()
        self.panels.append({"type": "row", "title": title, "id": self._id(), "collapsed": False,
                            "panels": [], "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y}})
        self.y += 1

    def _newline(self):
        if self.x:
            self.y += self.h
            self.x = 0
            self.h = 0

    def panel(self, kind, title, description, unit, targets, w=12, h=8, options=None,
              custom=None, min_value=None, max_value=None, mappings=None):
        if self.x + w > 24:
            self._newline()
        refs = "ABCDEFGH"
        for i, t in enumerate(targets):
            t["refId"] = refs[i]
        defaults = {"unit": unit}
        if custom is not None:
            defaults["custom"] = custom
        if min_value is not None:
            defaults["min"] = min_value
        if max_value is not None:
            defaults["max"] = max_value
        if mappings is not None:
            defaults["mappings"] = mappings
        p = {
            "type": kind, "title": title, "description": description, "id": self._id(),
            "datasource": DS, "targets": targets,
            "fieldConfig": {"defaults": defaults, "overrides": []},
            "options": options or {},
            "gridPos": {"h": h, "w": w, "x": self.x, "y": self.y},
        }
        self.panels.append(p)
        self.x += w
        self.h = max(self.h, h)
        return p


def timeseries(layout, title, description, unit, targets, w=12, h=8, **kw):
    return layout.panel("timeseries", title, description, unit, targets, w, h,
                        options={"legend": {"displayMode": "table", "placement": "bottom",
                                            "showLegend": True, "calcs": ["lastNotNull", "max"]},
                                 "tooltip": {"mode": "multi", "sort": "desc"}}, **kw)


def stat(layout, title, description, unit, targets, w=6, h=5, **kw):
    return layout.panel("stat", title, description, unit, targets, w, h,
                        options={"reduceOptions": {"calcs": ["lastNotNull"], "fields": "",
                                                   "values": False},
                                 "colorMode": "value", "graphMode": "area",
                                 "textMode": "value_and_name"}, **kw)


def bargauge(layout, title, description, unit, targets, w=12, h=10, **kw):
    return layout.panel("bargauge", title, description, unit, targets, w, h,
                        options={"displayMode": "basic", "orientation": "horizontal",
                                 "reduceOptions": {"calcs": ["lastNotNull"], "fields": "",
                                                   "values": False},
                                 "showUnfilled": True}, **kw)


def table(layout, title, description, unit, targets, w=12, h=8, **kw):
    return layout.panel("table", title, description, unit, targets, w, h,
                        options={"showHeader": True, "footer": {"show": False}}, **kw)


def dashboard(uid, title, description, variables, layout, links=()):
    return {
        "__requires": [],
        "annotations": {"list": []},
        "description": description,
        "editable": False,
        "fiscalYearStartMonth": 0,
        "graphTooltip": 1,
        "id": None,
        "links": [{"type": "dashboards", "tags": TAGS, "asDropdown": True, "title": "modelwatch",
                   "includeVars": True, "keepTime": True}] + list(links),
        "panels": layout.panels,
        "refresh": "30s",
        "schemaVersion": SCHEMA_VERSION,
        "tags": TAGS,
        "templating": {"list": variables},
        "time": {"from": "now-6h", "to": "now"},
        "timepicker": {},
        "timezone": "",
        "title": title,
        "uid": uid,
        "version": 1,
    }


BOOL_MAPPING = [{"type": "value", "options": {
    "0": {"text": "no", "color": "green", "index": 0},
    "1": {"text": "yes", "color": "red", "index": 1}}}]


def overview():
    m = S + ', model=~"$model"'
    L = Layout()
    L.row("Drift")
    stat(L, "Drifted features",
         "Features whose deciding drift method flags drift in the selected window "
         "(modelwatch_feature_drift_detected), per model. Alert: FeatureDriftDetected.",
         "none", [target(f'sum by (model) (max by (model, feature) '
                         f'(modelwatch_feature_drift_detected{{{m}, window="$window"}}))',
                         "{{model}}")])
    stat(L, "Dataset drift share",
         "Share of the scored features that drift in the selected window; the dataset drifts at "
         "drift_share (default 50 %). Alert: DatasetDriftDetected.",
         "percentunit", [target(f'max by (model) (modelwatch_dataset_drift_share'
                                f'{{{m}, window="$window"}})', "{{model}}")],
         min_value=0, max_value=1)
    stat(L, "Drifted outputs",
         "Outputs (prediction drift) flagged in the selected window. Alert: "
         "PredictionDriftDetected.",
         "none", [target(f'sum by (model) (max by (model, output) '
                         f'(modelwatch_output_drift_detected{{{m}, window="$window"}}))',
                         "{{model}}")])
    stat(L, "Newest record age",
         "Time since the event time of the newest prediction record, per model. Alert: "
         "PredictionsStopped (over 10 minutes).",
         "s", [target(f'time() - max by (model) (modelwatch_source_last_record_timestamp_seconds'
                      f'{{{m}, source="predictions"}})', "{{model}}")])
    timeseries(L, "Drifted features by window",
               "Number of drifted features per model and window over time: a short window reacts "
               "first, a long one confirms.",
               "none", [target(f'sum by (model, window) (max by (model, feature, window) '
                               f'(modelwatch_feature_drift_detected{{{m}}}))',
                               "{{model}} {{window}}")])
    bargauge(L, "Fleet-wide PSI by feature (last hour)",
             "Population stability index of the whole fleet's last hour of traffic against the "
             "reference, from the bin counters of every replica (recording rule "
             "modelwatch:feature_psi:fleet_1h). Above 0.1: moderate shift; above 0.25: large.",
             "none", [target('max by (model, feature) (modelwatch:feature_psi:fleet_1h'
                             '{model=~"$model"})', "{{model}} {{feature}}", instant=True)],
             h=8)
    timeseries(L, "Prediction drift score",
               "Drift score of each output in the selected window, by method (distance: higher "
               "is more drift; p-value methods: lower is more drift).",
               "none", [target(f'max by (model, output, method) (modelwatch_output_drift_score'
                               f'{{{m}, window="$window"}})', "{{model}} {{output}} {{method}}")])
    bargauge(L, "Fleet-wide prediction PSI (last hour)",
             "PSI of the fleet's predictions over the last hour against the reference "
             "(modelwatch:output_psi:fleet_1h).",
             "none", [target('max by (model, output) (modelwatch:output_psi:fleet_1h'
                             '{model=~"$model"})', "{{model}} {{output}}", instant=True)], h=8)
    L.row("Data quality")
    timeseries(L, "Invalid share by feature and reason",
               "Share of the records in the selected window whose feature value is missing, "
               "null, NaN, empty, of the wrong type, out of range or an unseen category. Alerts: "
               "DataQualityDegraded, UnseenCategoriesSurge.",
               "percentunit", [target(f'topk(10, max by (model, feature, reason) '
                                      f'(modelwatch_feature_invalid_ratio'
                                      f'{{{m}, window="$window"}}))',
                                      "{{model}} {{feature}} {{reason}}")])
    timeseries(L, "Rejected lines",
               "Share of the log lines that could not be parsed (invalid JSON, not an object, "
               "too long, invalid UTF-8, bad timestamp). Alert: LinesRejected (over 1 %).",
               "percentunit",
               [target(f'sum by (model) (rate(modelwatch_source_lines_rejected_total{{{m}}}'
                       f'[$__rate_interval])) / sum by (model) '
                       f'(rate(modelwatch_source_lines_total{{{m}}}[$__rate_interval]))',
                       "{{model}}")])
    timeseries(L, "Schema changes",
               "Fields under the feature objects that the configuration does not know, and "
               "values of the wrong type, per second. Alert: SchemaChanged.",
               "cps",
               [target(f'sum by (model) (rate(modelwatch_record_unexpected_fields_total{{{m}}}'
                       f'[$__rate_interval]))', "{{model}} unexpected fields"),
                target(f'sum by (model) (rate(modelwatch_feature_invalid_total'
                       f'{{{m}, reason="type_mismatch"}}[$__rate_interval]))',
                       "{{model}} type mismatches")])
    L.row("Model quality (models with ground truth)")
    timeseries(L, "Realised quality minus reference",
               "Quality from the joined labels (modelwatch_model_quality) minus the same metric "
               "over the reference rows, per model, metric and quality window. For scores "
               "(accuracy, precision, recall, f1, roc_auc, r2) below 0 is worse; for errors "
               "(log_loss, brier, mae, rmse, mape) above 0 is worse. Alert: ModelQualityDropped.",
               "none",
               [target(f'max by (model, window, metric) (modelwatch_model_quality{{{m}}}) '
                       f'- on (model, metric) group_left () max by (model, metric) '
                       f'(modelwatch_model_quality_reference{{{m}}})',
                       "{{model}} {{metric}} {{window}}")], w=8)
    timeseries(L, "Estimated quality minus reference (no labels)",
               "Quality expected from the calibrated scores of every prediction (CBPE, "
               "modelwatch_model_quality_estimated) minus the reference's: it moves before the "
               "labels arrive, and only with the inputs. Alert: EstimatedQualityDropped.",
               "none",
               [target(f'max by (model, window, metric) (modelwatch_model_quality_estimated{{{m}}})'
                       f' - on (model, metric) group_left () max by (model, metric) '
                       f'(modelwatch_model_quality_reference{{{m}}})',
                       "{{model}} {{metric}} {{window}}")], w=8)
    timeseries(L, "Labels joined",
               "Share of the arriving labels that joined a prediction, per model. Alerts: "
               "LabelJoinRateLow, LabelsStopped.",
               "percentunit",
               [target(f'sum by (model) (rate(modelwatch_labels_joined_total{{{m}}}'
                       f'[$__rate_interval])) / sum by (model) (rate(modelwatch_labels_total'
                       f'{{{m}}}[$__rate_interval]))', "{{model}}")], w=8,
               min_value=0, max_value=1)
    L.row("Latency and cost")
    timeseries(L, "p99 latency across replicas",
               "99th percentile of the prediction latency of all replicas together, from the "
               "summed histogram buckets over 5 minutes (recording rule "
               "modelwatch:prediction_latency_seconds:p99_rate5m), with each model's "
               "latency.objective. Alert: LatencyHigh (per replica).",
               "s",
               [target('modelwatch:prediction_latency_seconds:p99_rate5m{model=~"$model"}',
                       "{{model}} p99"),
                target(f'max by (model) (modelwatch_latency_objective_seconds{{{m}}})',
                       "{{model}} objective")], w=8)
    timeseries(L, "Cost per 1,000 predictions",
               "The model servers' cost_per_hour summed over the replicas that have one, over "
               "their predictions in the last 5 minutes, per 1,000 predictions (recording rule "
               "modelwatch:cost_per_1000_predictions:rate5m), in the configured currency.",
               "none",
               [target('modelwatch:cost_per_1000_predictions:rate5m{model=~"$model"}',
                       "{{model}} {{currency}}")], w=8)
    timeseries(L, "Cost per hour",
               "cost_per_hour of every replica of each model added up (modelwatch_cost_per_hour, "
               "from the configuration), in the configured currency.",
               "none",
               [target(f'sum by (model, currency) (modelwatch_cost_per_hour{{{m}}})',
                       "{{model}} {{currency}}")], w=8)
    L.row("Traffic and freshness")
    timeseries(L, "Predictions per second by version",
               "Prediction records read per second, per model and model version.",
               "reqps", [target(f'sum by (model, model_version) (rate(modelwatch_predictions_total'
                                f'{{{m}}}[$__rate_interval]))', "{{model}} {{model_version}}")])
    timeseries(L, "Records in each window",
               "Records inside each sliding window; drift is scored once a feature has "
               "min_samples valid values in a window.",
               "short", [target(f'max by (model, window) (modelwatch_window_records{{{m}}})',
                                "{{model}} {{window}}")])
    timeseries(L, "Log lag",
               "Bytes written to the logs but not yet read. Alert: LogLagHigh.",
               "bytes", [target(f'max by (model, source) (modelwatch_source_lag_bytes{{{m}}})',
                                "{{model}} {{source}}")])
    timeseries(L, "Sidecars up",
               "modelwatch targets Prometheus scrapes successfully. Alert: ModelwatchDown.",
               "none", [target('sum by (job) (up{job=~"$job", instance=~"$instance"})',
                               "{{job}}")])
    variables = [datasource_variable()] + job_instance_variables() + [
        model_variable(multi=True), window_variable()]
    return dashboard("modelwatch-overview", "modelwatch / Overview",
                     "Every monitored model at a glance: drift, data quality, model quality "
                     "against the reference, latency, cost, traffic and freshness.", variables, L)


def model_detail():
    m = S + ', model=~"$model"'
    f = m + ', feature=~"$feature"'
    o = m + ', output=~"$output"'
    L = Layout()
    L.row("Feature drift")
    timeseries(L, "Feature drift score and threshold ($window)",
               "The drift statistic of each selected feature in the selected window, by method "
               "(extra_methods included), with the deciding method's threshold. Distances drift "
               "at or above the threshold; p-values (ks, chisquare, z) at or below it.",
               "none",
               [target(f'max by (feature, method) (modelwatch_feature_drift_score'
                       f'{{{f}, window="$window"}})', "{{feature}} {{method}}"),
                target(f'max by (feature, method) (modelwatch_feature_drift_threshold'
                       f'{{{f}, window="$window"}})', "{{feature}} {{method}} threshold")])
    table(L, "Drift decision across windows",
          "1 where the deciding method flags the feature as drifted, per window (0 below "
          "min_samples).",
          "none", [target(f'max by (feature, window) (modelwatch_feature_drift_detected{{{f}}})',
                          instant=True, table=True)], mappings=BOOL_MAPPING)
    bargauge(L, "Current vs reference share per bin",
             "Share of each reference drift bin in the traffic of the dashboard's time range "
             "(summed over replicas) next to its share in the reference. Bin edges: "
             "/api/v1/status.",
             "percentunit",
             [target(f'sum by (feature, bin) (increase(modelwatch_feature_bin_observations_total'
                     f'{{{f}}}[$__range])) / on (feature) group_left () sum by (feature) '
                     f'(increase(modelwatch_feature_bin_observations_total{{{f}}}[$__range]))',
                     "{{feature}} {{bin}} current", instant=True),
              target(f'max by (feature, bin) (modelwatch_feature_baseline_bin_ratio{{{f}}})',
                     "{{feature}} {{bin}} reference", instant=True)], h=12)
    timeseries(L, "Fleet-wide PSI and Jensen-Shannon (last hour)",
               "Drift of the whole fleet's last hour of traffic, from every replica's bin counters "
               "(recording rules modelwatch:feature_psi:fleet_1h and "
               "modelwatch:feature_jensenshannon:fleet_1h).",
               "none",
               [target('modelwatch:feature_psi:fleet_1h{model=~"$model", feature=~"$feature"}',
                       "{{feature}} PSI"),
                target('modelwatch:feature_jensenshannon:fleet_1h'
                       '{model=~"$model", feature=~"$feature"}', "{{feature}} JS")], h=12)
    timeseries(L, "Valid values per window",
               "Valid values of each feature inside each window: a window below min_samples is "
               "not scored.",
               "short", [target(f'max by (feature, window) (modelwatch_feature_window_values'
                                f'{{{f}}})', "{{feature}} {{window}}")])
    bargauge(L, "Categories in the time range",
             "Observations per category of the selected categorical features in the dashboard's "
             "time range; categories beyond the series cap are counted as __other__.",
             "short", [target(f'sum by (feature, category) (increase('
                              f'modelwatch_feature_category_observations_total{{{f}}}'
                              f'[$__range]))', "{{feature}} {{category}}", instant=True)])
    L.row("Data quality")
    timeseries(L, "Invalid share by reason ($window) and in the reference",
               "Share of the records in the selected window with an invalid value, by reason, "
               "and the same share in the reference. Alert: DataQualityDegraded (5 points above "
               "the reference).",
               "percentunit",
               [target(f'max by (feature, reason) (modelwatch_feature_invalid_ratio'
                       f'{{{f}, window="$window"}})', "{{feature}} {{reason}}"),
                target(f'max by (feature, reason) (modelwatch_feature_invalid_ratio_reference'
                       f'{{{f}}})', "{{feature}} {{reason}} reference")])
    timeseries(L, "Invalid values per second by reason",
               "Invalid feature values counted per second, by reason.",
               "cps", [target(f'sum by (feature, reason) (rate(modelwatch_feature_invalid_total'
                              f'{{{f}}}[$__rate_interval]))', "{{feature}} {{reason}}")])
    timeseries(L, "Output invalid share by reason ($window)",
               "Share of the records in the selected window with an invalid output value.",
               "percentunit", [target(f'max by (output, reason) (modelwatch_output_invalid_ratio'
                                      f'{{{o}, window="$window"}})', "{{output}} {{reason}}")])
    timeseries(L, "Schema and identity problems",
               "Unexpected fields, duplicate request ids and category overflow, per second. "
               "Alerts: SchemaChanged, CardinalityOverflow.",
               "cps",
               [target(f'sum(rate(modelwatch_record_unexpected_fields_total{{{m}}}'
                       f'[$__rate_interval]))', "unexpected fields"),
                target(f'sum(rate(modelwatch_duplicate_request_ids_total{{{m}}}'
                       f'[$__rate_interval]))', "duplicate request ids"),
                target(f'sum by (feature) (rate(modelwatch_category_overflow_total{{{f}}}'
                       f'[$__rate_interval]))', "{{feature}} category overflow")])
    L.row("Predictions")
    timeseries(L, "Prediction drift score and threshold ($window)",
               "Drift statistic of each selected output in the selected window, with the deciding "
               "method's threshold. Alert: PredictionDriftDetected.",
               "none",
               [target(f'max by (output, method) (modelwatch_output_drift_score'
                       f'{{{o}, window="$window"}})', "{{output}} {{method}}"),
                target(f'max by (output, method) (modelwatch_output_drift_threshold'
                       f'{{{o}, window="$window"}})', "{{output}} {{method}} threshold")])
    bargauge(L, "Prediction distribution: current vs reference",
             "Share of each output drift bin in the traffic of the dashboard's time range next "
             "to its share in the reference.",
             "percentunit",
             [target(f'sum by (output, bin) (increase(modelwatch_output_bin_observations_total'
                     f'{{{o}}}[$__range])) / on (output) group_left () sum by (output) '
                     f'(increase(modelwatch_output_bin_observations_total{{{o}}}[$__range]))',
                     "{{output}} {{bin}} current", instant=True),
              target(f'max by (output, bin) (modelwatch_output_baseline_bin_ratio{{{o}}})',
                     "{{output}} {{bin}} reference", instant=True)], h=12)
    timeseries(L, "Predictions per second by version",
               "Prediction records read per second for each selected model version.",
               "reqps", [target(f'sum by (model_version) (rate(modelwatch_predictions_total'
                                f'{{{m}, model_version=~"$model_version"}}[$__rate_interval]))',
                                "{{model_version}}")])
    timeseries(L, "Fleet-wide prediction PSI and Jensen-Shannon (last hour)",
               "Drift of the fleet's predictions over the last hour (recording rules "
               "modelwatch:output_psi:fleet_1h, modelwatch:output_jensenshannon:fleet_1h).",
               "none",
               [target('modelwatch:output_psi:fleet_1h{model=~"$model", output=~"$output"}',
                       "{{output}} PSI"),
                target('modelwatch:output_jensenshannon:fleet_1h'
                       '{model=~"$model", output=~"$output"}', "{{output}} JS")])
    q = m + ', metric=~"$metric"'
    L.row("Model quality (with ground truth)")
    timeseries(L, "Realised quality and reference ($quality_window)",
               "Quality over the joined (labelled) predictions of the selected quality window "
               "(modelwatch_model_quality, from ground_truth.min_samples rows) and the same metric "
               "over the reference rows. Alert: ModelQualityDropped (scores 0.05 below, errors "
               "20 % above the reference, from 200 labelled rows).",
               "none",
               [target(f'max by (metric) (modelwatch_model_quality'
                       f'{{{q}, window="$quality_window"}})', "{{metric}}"),
                target(f'max by (metric) (modelwatch_model_quality_reference{{{q}}})',
                       "{{metric}} reference")])
    timeseries(L, "Estimated (CBPE) and realised quality ($quality_window)",
               "Quality expected from the calibrated scores of every prediction of the window, "
               "labelled or not (modelwatch_model_quality_estimated, binary models with a score), "
               "next to the realised quality: realised falling alone is concept drift (the "
               "relation between inputs and labels changed); both falling is covariate shift. "
               "Alert: EstimatedQualityDropped.",
               "none",
               [target(f'max by (metric) (modelwatch_model_quality_estimated'
                       f'{{{q}, window="$quality_window"}})', "{{metric}} estimated"),
                target(f'max by (metric) (modelwatch_model_quality'
                       f'{{{q}, window="$quality_window"}})', "{{metric}} realised")])
    timeseries(L, "Labelled rows per quality window",
               "Joined rows credited to each quality window (modelwatch_window_labeled_records): "
               "quality is computed from min_samples of them, and alerted on from 200.",
               "short", [target(f'max by (window) (modelwatch_window_labeled_records{{{m}}})',
                                "{{window}}")], w=8)
    timeseries(L, "Label drift ($quality_window)",
               "Drift of the joined labels against the reference target (modelwatch_"
               "label_drift_score), with the method's threshold: a changed base rate.",
               "none",
               [target(f'max by (method) (modelwatch_label_drift_score'
                       f'{{{m}, window="$quality_window"}})', "{{method}}"),
                target(f'max by (method) (modelwatch_label_drift_threshold'
                       f'{{{m}, window="$quality_window"}})', "{{method}} threshold")], w=8)
    timeseries(L, "Label delay",
               "Time from a prediction to its label (label time minus prediction time of the "
               "joined labels; 0 when the label came first), median and 90th percentile, from "
               "modelwatch_label_delay_seconds. A delay near join_ttl loses labels.",
               "s",
               [target(f'histogram_quantile(0.5, sum by (le) (rate('
                       f'modelwatch_label_delay_seconds_bucket{{{m}}}[$__rate_interval])))',
                       "p50"),
                target(f'histogram_quantile(0.9, sum by (le) (rate('
                       f'modelwatch_label_delay_seconds_bucket{{{m}}}[$__rate_interval])))',
                       "p90")], w=8)
    L.row("Label join")
    timeseries(L, "Label join rates",
               "Share of the arriving labels that joined a prediction, and share of the "
               "predictions that left the join without a label (join_ttl passed or max_pending "
               "reached). Alert: LabelJoinRateLow.",
               "percentunit",
               [target(f'sum(rate(modelwatch_labels_joined_total{{{m}}}[$__rate_interval])) / '
                       f'sum(rate(modelwatch_labels_total{{{m}}}[$__rate_interval]))',
                       "labels joined"),
                target(f'sum(rate(modelwatch_predictions_unlabeled_total{{{m}}}'
                       f'[$__rate_interval])) / sum(rate(modelwatch_predictions_total{{{m}}}'
                       f'[$__rate_interval]))', "predictions left unlabelled")], w=8,
               min_value=0, max_value=1)
    timeseries(L, "Labels per second",
               "Label lines with a request id per second, those joined, and those that joined "
               "nothing, by reason (unknown_request, duplicate, evicted, invalid_label). Alert: "
               "LabelsStopped.",
               "cps",
               [target(f'sum(rate(modelwatch_labels_total{{{m}}}[$__rate_interval]))',
                       "labels"),
                target(f'sum(rate(modelwatch_labels_joined_total{{{m}}}[$__rate_interval]))',
                       "joined"),
                target(f'sum by (reason) (rate(modelwatch_labels_unmatched_total{{{m}}}'
                       f'[$__rate_interval]))', "unmatched {{reason}}"),
                target(f'sum by (reason) (rate(modelwatch_predictions_unlabeled_total{{{m}}}'
                       f'[$__rate_interval]))', "predictions unlabelled {{reason}}")], w=8)
    timeseries(L, "Waiting in the join",
               "Predictions waiting for their label and labels waiting for their prediction "
               "(bounded by max_pending and max_pending_labels).",
               "short",
               [target(f'sum(modelwatch_pending_predictions{{{m}}})', "predictions"),
                target(f'sum(modelwatch_pending_labels{{{m}}})', "labels")], w=8)
    L.row("Versions and latency")
    table(L, "Versions seen",
          "Every model version seen inside the longest window, per instance "
          "(modelwatch_model_info).",
          "none", [target(f'max by (instance, model_version) (modelwatch_model_info{{{m}}})',
                          instant=True, table=True)], w=8)
    timeseries(L, "Version changes",
               "New versions that appeared (not seen inside the longest window), per instance "
               "(modelwatch_model_version_changes_total). Alert: ModelVersionChanged (info).",
               "short", [target(f'sum by (instance) (increase('
                                f'modelwatch_model_version_changes_total{{{m}}}'
                                f'[$__rate_interval]))', "{{instance}}")], w=8)
    timeseries(L, "Latency percentiles ($window) and objective",
               "Percentiles of the logged latency in the selected window, per instance "
               "(modelwatch_prediction_latency_percentile_seconds, within 0.5 %), and "
               "latency.objective. Alert: LatencyHigh (histogram p99 over 5m above the objective).",
               "s",
               [target(f'max by (instance, percentile) (modelwatch_prediction_latency_'
                       f'percentile_seconds{{{m}, window="$window"}})',
                       "{{instance}} p{{percentile}}"),
                target(f'max(modelwatch_latency_objective_seconds{{{m}}})', "objective")], w=8)
    timeseries(L, "p99 latency by version",
               "99th percentile of the latency of each selected version, all replicas together, "
               "from the histogram buckets (modelwatch_prediction_latency_seconds): compare a "
               "canary with the version it replaces.",
               "s",
               [target(f'histogram_quantile(0.99, sum by (model_version, le) (rate('
                       f'modelwatch_prediction_latency_seconds_bucket'
                       f'{{{m}, model_version=~"$model_version"}}[$__rate_interval])))',
                       "{{model_version}}")], w=8)
    timeseries(L, "Invalid latencies",
               "Predictions whose latency field was missing, null, NaN, empty or not a "
               "non-negative number, per second: they are left out of the latency panels.",
               "cps", [target(f'sum by (reason) (rate(modelwatch_prediction_latency_invalid_total'
                              f'{{{m}}}[$__rate_interval]))', "{{reason}}")], w=8)
    # Triton's own series (docs/guides/triton.md, deploy/prometheus/triton/triton-rules.yaml),
    # next to ours when the model server is Triton: empty otherwise (dashboards.py ALLOW_EMPTY).
    L.row("Triton (when the model server is Triton Inference Server)")
    timeseries(L, "Triton requests",
               "Requests Triton answered per second (recording rule triton:requests:rate5m of "
               "deploy/prometheus/triton/triton-rules.yaml), to read next to Predictions per "
               "second. Empty unless Triton is scraped.",
               "reqps", [target('triton:requests:rate5m{model=~"$model"}', "requests")], w=6)
    timeseries(L, "Triton failed requests",
               "Share of Triton's requests that failed (triton:request_failure_ratio:rate5m). "
               "Empty unless Triton is scraped.",
               "percentunit",
               [target('triton:request_failure_ratio:rate5m{model=~"$model"}', "failed")], w=6)
    timeseries(L, "Triton: where the time goes",
               "Mean time a request waits in Triton's scheduler queue and computes (input, "
               "inference, output), over 5 minutes. Empty unless Triton is scraped.",
               "s",
               [target('triton:queue_duration_seconds:mean5m{model=~"$model"}', "queue"),
                target('triton:compute_duration_seconds:mean5m{model=~"$model"}', "compute")],
               w=6)
    timeseries(L, "Triton batch size and log coverage",
               "Mean inferences per execution (the batches the dynamic batcher forms) and the "
               "predictions modelwatch read per request Triton answered: below 1 the prediction "
               "log misses requests and drift sees part of the traffic. Empty unless Triton is "
               "scraped.",
               "none",
               [target('triton:batch_size:mean5m{model=~"$model"}', "batch size"),
                target('triton:logged_predictions:ratio_rate5m{model=~"$model"}',
                       "logged / answered")], w=6)
    variables = [datasource_variable()] + job_instance_variables() + [
        model_variable(multi=False),
        query_variable("model_version", "Version",
                       f'label_values(modelwatch_predictions_total{{{m}}}, model_version)'),
        query_variable("feature", "Feature",
                       f'label_values(modelwatch_feature_values_total{{{m}}}, feature)'),
        query_variable("output", "Output",
                       f'label_values(modelwatch_output_window_values{{{m}}}, output)'),
        window_variable(),
        query_variable("quality_window", "Quality window",
                       f'label_values(modelwatch_window_labeled_records{{{m}}}, window)',
                       multi=False, include_all=False),
        query_variable("metric", "Quality metric",
                       f'label_values(modelwatch_model_quality_reference{{{m}}}, metric)')]
    return dashboard("modelwatch-model-detail", "modelwatch / Model detail",
                     "One model: drift per feature across windows and bins, data quality by "
                     "reason, the prediction distribution, realised and estimated quality, "
                     "labels and their join, versions and latency.", variables, L)


def operations():
    L = Layout()
    L.row("Sidecar")
    stat(L, "Targets up", "modelwatch targets scraped successfully. Alert: ModelwatchDown.",
         "none", [target('sum(up{job=~"$job", instance=~"$instance"})', "up")])
    stat(L, "Configuration loaded",
         "1 when the last configuration load succeeded (modelwatch_config_last_reload_successful,"
         " the lowest over the selected instances).",
         "none", [target(f'min(modelwatch_config_last_reload_successful{{{S}}})', "loaded")],
         mappings=[{"type": "value", "options": {
             "0": {"text": "failed", "color": "red", "index": 0},
             "1": {"text": "ok", "color": "green", "index": 1}}}])
    stat(L, "Uptime", "Time since the daemon started, per instance.",
         "s", [target(f'time() - process_start_time_seconds{{{S}}}', "{{instance}}")])
    stat(L, "Series held back",
         "Series left out of the exposition by limits.max_series in the dashboard's time range. "
         "Alert: CardinalityOverflow.",
         "short", [target(f'sum(increase(modelwatch_series_dropped_total{{{S}}}[$__range]))',
                          "held back")])
    timeseries(L, "CPU", "CPU time of the daemon per second of wall time (1 = one core).",
               "percentunit", [target(f'rate(process_cpu_seconds_total{{{S}}}'
                                      f'[$__rate_interval])', "{{instance}}")], w=8)
    timeseries(L, "Resident memory", "Resident set size of the daemon.",
               "bytes", [target(f'process_resident_memory_bytes{{{S}}}', "{{instance}}")], w=8)
    timeseries(L, "File descriptors", "Open file descriptors as a share of the limit.",
               "percentunit", [target(f'process_open_fds{{{S}}} / process_max_fds{{{S}}}',
                                      "{{instance}}")], w=8)
    table(L, "Build", "Version, revision and compiler of every selected instance.",
          "none", [target(f'max by (instance, version, revision, compiler) '
                          f'(modelwatch_build_info{{{S}}})', instant=True, table=True)])
    timeseries(L, "Scrape duration", "How long Prometheus takes to scrape /metrics.",
               "s", [target('scrape_duration_seconds{job=~"$job", instance=~"$instance"}',
                            "{{instance}}")])
    L.row("Log sources")
    timeseries(L, "Lines read per second", "Complete non-blank log lines read per second.",
               "cps", [target(f'sum by (instance, model, source) (rate('
                              f'modelwatch_source_lines_total{{{S}}}[$__rate_interval]))',
                              "{{instance}} {{model}} {{source}}")], w=8)
    timeseries(L, "Bytes read per second", "Log bytes read per second.",
               "Bps", [target(f'sum by (instance, model, source) (rate('
                              f'modelwatch_source_bytes_total{{{S}}}[$__rate_interval]))',
                              "{{instance}} {{model}} {{source}}")], w=8)
    timeseries(L, "Rejected lines per second", "Lines that could not be parsed, by reason. "
               "Alert: LinesRejected.",
               "cps", [target(f'sum by (model, source, reason) (rate('
                              f'modelwatch_source_lines_rejected_total{{{S}}}'
                              f'[$__rate_interval]))', "{{model}} {{source}} {{reason}}")], w=8)
    timeseries(L, "Log lag", "Bytes written but not yet read. Alert: LogLagHigh.",
               "bytes", [target(f'modelwatch_source_lag_bytes{{{S}}}',
                                "{{instance}} {{model}} {{source}}")], w=8)
    timeseries(L, "Newest record age",
               "Time since the newest record's event time. Alert: PredictionsStopped.",
               "s", [target(f'time() - modelwatch_source_last_record_timestamp_seconds{{{S}}}',
                            "{{instance}} {{model}} {{source}}")], w=8)
    timeseries(L, "Bytes lost", "Bytes deleted or truncated before they could be read. "
               "Alert: BytesLost.",
               "bytes", [target(f'sum by (model, source, reason) (increase('
                                f'modelwatch_source_bytes_lost_total{{{S}}}[$__rate_interval]))',
                                "{{model}} {{source}} {{reason}}")], w=8)
    timeseries(L, "Rotations and truncations", "Log rotations and truncations detected.",
               "short",
               [target(f'sum by (model, source) (increase(modelwatch_source_rotations_total'
                       f'{{{S}}}[$__rate_interval]))', "{{model}} {{source}} rotations"),
                target(f'sum by (model, source) (increase(modelwatch_source_truncations_total'
                       f'{{{S}}}[$__rate_interval]))', "{{model}} {{source}} truncations")], w=8)
    timeseries(L, "Records outside the windows",
               "Records too late or too far in the future to enter a window, per second.",
               "cps", [target(f'sum by (model, reason) (rate('
                              f'modelwatch_records_outside_windows_total{{{S}}}'
                              f'[$__rate_interval]))', "{{model}} {{reason}}")], w=8)
    timeseries(L, "Open log files", "Files currently matched and open, per source.",
               "short", [target(f'modelwatch_source_files{{{S}}}',
                                "{{instance}} {{model}} {{source}}")], w=8)
    L.row("Checkpoints")
    stat(L, "Last checkpoint age",
         "Time since the last checkpoint was written (state.directory). Alert: CheckpointFailing.",
         "s", [target(f'time() - modelwatch_checkpoint_last_success_timestamp_seconds{{{S}}}',
                      "{{instance}}")], w=8)
    timeseries(L, "Checkpoint errors", "Checkpoints that could not be written or loaded, by "
               "operation. Alert: CheckpointFailing.",
               "short", [target(f'sum by (instance, op) (increase('
                                f'modelwatch_checkpoint_errors_total{{{S}}}[$__rate_interval]))',
                                "{{instance}} {{op}}")], w=8)
    timeseries(L, "Publishing live",
               "1 while checkpoints keep failing and uncommitted statistics are published "
               "(counters may go back after a crash).",
               "none", [target(f'modelwatch_checkpoint_publishing_live{{{S}}}', "{{instance}}")],
               w=8)
    M = S + ', model=~"$model"'
    L.row("Model server")
    stat(L, "Model server up",
         "1 while the model server of the model's `process:` setting (a process, or a cgroup "
         "with processes) is found. Alert: ModelServerDown.",
         "none", [target(f'min by (model) (modelwatch_model_server_up{{{M}}})', "{{model}}")],
         mappings=[{"type": "value", "options": {
             "0": {"text": "down", "color": "red", "index": 0},
             "1": {"text": "up", "color": "green", "index": 1}}}])
    table(L, "Model server process",
          "The process read for each model (a cgroup: its oldest process): pid, executable "
          "name and cgroup v2 path (modelwatch_model_server_info).",
          "none", [target(f'max by (instance, model, pid, comm, cgroup) '
                          f'(modelwatch_model_server_info{{{M}}})', instant=True, table=True)],
          w=18, h=5)
    timeseries(L, "Model server CPU",
               "CPU time of the model server per second of wall time (1 = one core), and the "
               "time its cgroup's CPU quota held it back (cgroup v2 throttling).",
               "percentunit",
               [target(f'rate(modelwatch_model_server_cpu_seconds_total{{{M}}}'
                       f'[$__rate_interval])', "{{instance}} {{model}} used"),
                target(f'rate(modelwatch_model_server_cpu_throttled_seconds_total{{{M}}}'
                       f'[$__rate_interval])', "{{instance}} {{model}} throttled")], w=8)
    timeseries(L, "Model server memory and limit",
               "Resident memory of the model server (a cgroup: memory.current, page cache "
               "included) and its cgroup v2 memory.max (absent without a limit). Alert: "
               "ModelServerMemoryHigh (above 90 % of the limit).",
               "bytes",
               [target(f'modelwatch_model_server_resident_memory_bytes{{{M}}}',
                       "{{instance}} {{model}} resident"),
                target(f'modelwatch_model_server_memory_limit_bytes{{{M}}}',
                       "{{instance}} {{model}} limit"),
                target(f'modelwatch_model_server_virtual_memory_bytes{{{M}}}',
                       "{{instance}} {{model}} virtual")], w=8)
    timeseries(L, "Model server threads and descriptors",
               "Threads and open file descriptors of the model server (a cgroup: summed over "
               "its processes).",
               "short",
               [target(f'modelwatch_model_server_threads{{{M}}}', "{{instance}} {{model}} threads"),
                target(f'modelwatch_model_server_open_fds{{{M}}}',
                       "{{instance}} {{model}} open fds")], w=8)
    timeseries(L, "Model server storage I/O",
               "Bytes the model server reads from and writes to storage per second "
               "(/proc/<pid>/io, or the cgroup's io.stat).",
               "Bps",
               [target(f'rate(modelwatch_model_server_read_bytes_total{{{M}}}'
                       f'[$__rate_interval])', "{{instance}} {{model}} read"),
                target(f'rate(modelwatch_model_server_written_bytes_total{{{M}}}'
                       f'[$__rate_interval])', "{{instance}} {{model}} written")], w=8)
    timeseries(L, "Model server read errors",
               "Parts of the model server's reading that exist but could not be read, by file "
               "(pid_file, stat, fd, io, cgroup): those series are absent meanwhile.",
               "cps",
               [target(f'sum by (instance, model, file) (rate('
                       f'modelwatch_model_server_read_errors_total{{{M}}}[$__rate_interval]))',
                       "{{instance}} {{model}} {{file}}")], w=8)
    L.row("GPU")
    timeseries(L, "GPU utilization",
               "Share of NVML's last sample period in which a kernel ran, per GPU "
               "(resources.gpu; absent without NVML).",
               "percentunit",
               [target(f'modelwatch_gpu_utilization_ratio{{{S}}}', "{{instance}} GPU {{gpu}}")],
               w=8, min_value=0, max_value=1)
    timeseries(L, "GPU memory used",
               "Share of each GPU's memory in use. Alert: GpuMemoryHigh (above 95 %).",
               "percentunit",
               [target(f'modelwatch_gpu_memory_used_bytes{{{S}}} / '
                       f'modelwatch_gpu_memory_total_bytes{{{S}}}', "{{instance}} GPU {{gpu}}")],
               w=8, min_value=0, max_value=1)
    timeseries(L, "GPU memory",
               "Memory used and total per GPU, in bytes.",
               "bytes",
               [target(f'modelwatch_gpu_memory_used_bytes{{{S}}}', "{{instance}} GPU {{gpu}} used"),
                target(f'modelwatch_gpu_memory_total_bytes{{{S}}}',
                       "{{instance}} GPU {{gpu}} total")], w=8)
    timeseries(L, "GPU power",
               "Power draw per GPU (absent on boards that do not report it).",
               "watt", [target(f'modelwatch_gpu_power_watts{{{S}}}', "{{instance}} GPU {{gpu}}")],
               w=8)
    timeseries(L, "GPU temperature", "Die temperature per GPU.",
               "celsius", [target(f'modelwatch_gpu_temperature_celsius{{{S}}}',
                                  "{{instance}} GPU {{gpu}}")], w=8)
    timeseries(L, "GPU read errors",
               "NVML queries that failed per second (not supported, GPU lost): their series "
               "are absent meanwhile.",
               "cps", [target(f'rate(modelwatch_gpu_read_errors_total{{{S}}}[$__rate_interval])',
                              "{{instance}}")], w=8)
    L.row("Disk")
    timeseries(L, "Free space",
               "Share of each filesystem of resources.filesystems (the state directory, the "
               "log volume) an unprivileged process can still write.",
               "percentunit",
               [target(f'modelwatch_filesystem_free_bytes{{{S}}} / '
                       f'modelwatch_filesystem_size_bytes{{{S}}}', "{{instance}} {{path}}")],
               min_value=0, max_value=1)
    timeseries(L, "Filesystem read errors",
               "statvfs failures per second (the path is missing or unreachable).",
               "cps", [target(f'rate(modelwatch_filesystem_read_errors_total{{{S}}}'
                              f'[$__rate_interval])', "{{instance}} {{path}}")])
    variables = [datasource_variable()] + job_instance_variables() + [
        model_variable(multi=True)]
    return dashboard("modelwatch-operations", "modelwatch / Operations",
                     "The sidecar and what it runs beside: process resources, scrapes, log "
                     "reading, lag and losses, checkpoints, the model server's resources, GPUs "
                     "and disks.", variables, L)


DASHBOARDS = {"overview.json": overview, "model-detail.json": model_detail,
              "operations.json": operations}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "dashboards")
    os.makedirs(out, exist_ok=True)
    for name, build in DASHBOARDS.items():
        with open(os.path.join(out, name), "w", encoding="utf-8") as fh:
            json.dump(build(), fh, indent=2, sort_keys=True)
            fh.write("\n")


if __name__ == "__main__":
    main()
