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
                     "Every monitored model at a glance: drift, data quality, traffic and "
                     "freshness.", variables, L)


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
    variables = [datasource_variable()] + job_instance_variables() + [
        model_variable(multi=False),
        query_variable("model_version", "Version",
                       f'label_values(modelwatch_predictions_total{{{m}}}, model_version)'),
        query_variable("feature", "Feature",
                       f'label_values(modelwatch_feature_values_total{{{m}}}, feature)'),
        query_variable("output", "Output",
                       f'label_values(modelwatch_output_window_values{{{m}}}, output)'),
        window_variable()]
    return dashboard("modelwatch-model-detail", "modelwatch / Model detail",
                     "One model: drift per feature across windows and bins, data quality by "
                     "reason, the prediction distribution and versions.", variables, L)


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
    variables = [datasource_variable()] + job_instance_variables()
    return dashboard("modelwatch-operations", "modelwatch / Operations",
                     "The sidecar itself: process resources, scrapes, log reading, lag and "
                     "losses.", variables, L)


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
