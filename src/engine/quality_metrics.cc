#include <modelwatch/engine/quality_metrics.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace modelwatch::engine {

using config::Task;

QualityBucket QualityBucket::Empty(const QualityShape& s) {
  QualityBucket b;
  if (s.task != Task::kRegression) {
    b.confusion.assign(static_cast<std::size_t>(s.classes) * static_cast<std::size_t>(s.classes),
                       0);
  }
  if (s.task == Task::kBinaryClassification && s.has_score) {
    b.score_pos.assign(kAucBins, 0);
    b.score_neg.assign(kAucBins, 0);
  }
  if (s.task == Task::kRegression) b.label_bins.assign(static_cast<std::size_t>(s.label_bins), 0);
  return b;
}

void QualityBucket::Clear() {
  labeled = scored = estimated = 0;
  log_loss = brier = abs_err = sq_err = ape = sum_y = sum_y2 = 0;
  label_below = label_above = tp = fp = fn = tn = 0;
  std::fill(confusion.begin(), confusion.end(), 0u);
  std::fill(score_pos.begin(), score_pos.end(), 0u);
  std::fill(score_neg.begin(), score_neg.end(), 0u);
  std::fill(label_bins.begin(), label_bins.end(), 0u);
}

void QualityBucket::AddTo(QualityBucket* o) const {
  o->labeled += labeled;
  o->scored += scored;
  o->estimated += estimated;
  o->log_loss += log_loss;
  o->brier += brier;
  o->abs_err += abs_err;
  o->sq_err += sq_err;
  o->ape += ape;
  o->sum_y += sum_y;
  o->sum_y2 += sum_y2;
  o->label_below += label_below;
  o->label_above += label_above;
  o->tp += tp;
  o->fp += fp;
  o->fn += fn;
  o->tn += tn;
  auto add = [](const std::vector<std::uint32_t>& a, std::vector<std::uint32_t>* b) {
    if (a.empty()) return;
    for (std::size_t i = 0; i < a.size() && i < b->size(); ++i) (*b)[i] += a[i];
  };
  add(confusion, &o->confusion);
  add(score_pos, &o->score_pos);
  add(score_neg, &o->score_neg);
  add(label_bins, &o->label_bins);
}

void QualityBucket::AddClassification(const QualityShape& s, int truth, int predicted,
                                      double score) {
  if (truth < 0 || predicted < 0 || truth >= s.classes || predicted >= s.classes) return;
  ++labeled;
  ++confusion[static_cast<std::size_t>(truth) * static_cast<std::size_t>(s.classes) +
              static_cast<std::size_t>(predicted)];
  if (s.task != Task::kBinaryClassification || !s.has_score || !std::isfinite(score)) return;
  const bool y = truth == s.positive;
  ++scored;
  const double p = std::clamp(score, kLogLossEps, 1 - kLogLossEps);
  log_loss -= y ? std::log(p) : std::log(1 - p);
  brier += (y ? 1 - score : score) * (y ? 1 - score : score);
  const int bin = std::clamp(static_cast<int>(std::floor(score * kAucBins)), 0, kAucBins - 1);
  ++(y ? score_pos : score_neg)[static_cast<std::size_t>(bin)];
}

void QualityBucket::AddRegression(double truth, double predicted, int label_bin) {
  ++labeled;
  const double e = truth - predicted;
  abs_err += std::fabs(e);
  sq_err += e * e;
  ape += std::fabs(e) / std::max(std::fabs(truth), kMapeEps);
  sum_y += truth;
  sum_y2 += truth * truth;
  if (label_bin >= 0 && static_cast<std::size_t>(label_bin) < label_bins.size()) {
    ++label_bins[static_cast<std::size_t>(label_bin)];
    if (label_bin == 0) label_below += truth;
    if (static_cast<std::size_t>(label_bin) + 1 == label_bins.size()) label_above += truth;
  }
}

void QualityBucket::AddEstimate(double p, bool predicted_positive) {
  ++estimated;
  if (predicted_positive) {
    tp += p;
    fp += 1 - p;
  } else {
    fn += p;
    tn += 1 - p;
  }
}

namespace {

double Ratio(double a, double b) { return b > 0 ? a / b : 0; }  // zero_division=0

// Binned ROC AUC: Σ over bins of pos·(neg below) + ½·pos·neg (ties), over P·N.
double BinnedAuc(const QualityBucket& b) {
  double pos = 0, neg = 0, area = 0;
  for (std::size_t i = 0; i < b.score_pos.size(); ++i) {
    area += b.score_pos[i] * (neg + 0.5 * b.score_neg[i]);
    pos += b.score_pos[i];
    neg += b.score_neg[i];
  }
  return pos > 0 && neg > 0 ? area / (pos * neg) : std::nan("");
}

void Classification(const QualityShape& s, const QualityBucket& b,
                    std::vector<QualityMetric>* out) {
  const auto k = static_cast<std::size_t>(s.classes);
  auto at = [&](std::size_t t, std::size_t p) {
    return static_cast<double>(b.confusion[t * k + p]);
  };
  std::vector<double> row(k, 0), col(k, 0);
  double diag = 0;
  for (std::size_t t = 0; t < k; ++t) {
    for (std::size_t p = 0; p < k; ++p) {
      row[t] += at(t, p);
      col[p] += at(t, p);
    }
    diag += at(t, t);
  }
  const double n = static_cast<double>(b.labeled);
  out->push_back({"accuracy", diag / n});
  if (s.task == Task::kBinaryClassification) {
    const auto pos = static_cast<std::size_t>(s.positive);
    const double tp = at(pos, pos);
    const double fp = col[pos] - tp;
    const double fn = row[pos] - tp;
    out->push_back({"precision", Ratio(tp, tp + fp)});
    out->push_back({"recall", Ratio(tp, tp + fn)});
    out->push_back({"f1", Ratio(2 * tp, 2 * tp + fp + fn)});
    if (s.has_score && b.scored > 0) {
      const double auc = BinnedAuc(b);
      if (std::isfinite(auc)) out->push_back({"roc_auc", auc});
      out->push_back({"log_loss", b.log_loss / static_cast<double>(b.scored)});
      out->push_back({"brier", b.brier / static_cast<double>(b.scored)});
    }
    return;
  }
  // Macro averages over the classes present in the truth or the predictions (sklearn's labels).
  double precision = 0, recall = 0, f1 = 0;
  int present = 0;
  for (std::size_t c = 0; c < k; ++c) {
    if (row[c] == 0 && col[c] == 0) continue;
    ++present;
    const double tp = at(c, c);
    const double pr = Ratio(tp, col[c]);
    const double re = Ratio(tp, row[c]);
    precision += pr;
    recall += re;
    f1 += pr + re > 0 ? 2 * pr * re / (pr + re) : 0;
  }
  out->push_back({"precision", precision / present});
  out->push_back({"recall", recall / present});
  out->push_back({"f1", f1 / present});
}

}  // namespace

std::vector<QualityMetric> RealisedMetrics(const QualityShape& s, const QualityBucket& b) {
  std::vector<QualityMetric> out;
  if (b.labeled == 0) return out;
  if (s.task != Task::kRegression) {
    Classification(s, b, &out);
    return out;
  }
  const double n = static_cast<double>(b.labeled);
  out.push_back({"mae", b.abs_err / n});
  out.push_back({"rmse", std::sqrt(b.sq_err / n)});
  out.push_back({"mape", b.ape / n});
  const double ss_tot = std::max(0.0, b.sum_y2 - b.sum_y * b.sum_y / n);
  // sklearn's force_finite: a constant truth gives 1 when predicted exactly, else 0.
  const double r2 = ss_tot > 0 ? 1 - b.sq_err / ss_tot : (b.sq_err == 0 ? 1 : 0);
  out.push_back({"r2", r2});
  return out;
}

std::vector<QualityMetric> EstimatedMetrics(const QualityBucket& b) {
  std::vector<QualityMetric> out;
  if (b.estimated == 0) return out;
  out.push_back({"accuracy", (b.tp + b.tn) / static_cast<double>(b.estimated)});
  out.push_back({"precision", Ratio(b.tp, b.tp + b.fp)});
  out.push_back({"recall", Ratio(b.tp, b.tp + b.fn)});
  out.push_back({"f1", Ratio(b.tp, b.tp + 0.5 * (b.fp + b.fn))});
  return out;
}

void IsotonicCalibrator::Fit(std::vector<std::pair<double, double>> xy) {
  x_.clear();
  y_.clear();
  std::sort(xy.begin(), xy.end());
  // Unique x with the mean y and the count as weight, then pool adjacent violators.
  struct Block {
    double x_first, x_last, sum, weight;
  };
  std::vector<Block> blocks;
  for (std::size_t i = 0; i < xy.size();) {
    std::size_t j = i;
    double sum = 0;
    while (j < xy.size() && xy[j].first == xy[i].first) sum += xy[j++].second;
    Block b{xy[i].first, xy[i].first, sum, static_cast<double>(j - i)};
    while (!blocks.empty() && blocks.back().sum / blocks.back().weight >= b.sum / b.weight) {
      b.x_first = blocks.back().x_first;
      b.sum += blocks.back().sum;
      b.weight += blocks.back().weight;
      blocks.pop_back();
    }
    blocks.push_back(b);
    i = j;
  }
  std::size_t distinct = 0;
  for (std::size_t i = 0; i < xy.size(); ++i) distinct += i == 0 || xy[i].first != xy[i - 1].first;
  if (distinct < 2) return;
  // Within a block the fit is constant: its first and last x carry the whole curve.
  for (const Block& b : blocks) {
    const double v = b.sum / b.weight;
    x_.push_back(b.x_first);
    y_.push_back(v);
    if (b.x_last != b.x_first) {
      x_.push_back(b.x_last);
      y_.push_back(v);
    }
  }
}

double IsotonicCalibrator::Calibrate(double x) const {
  if (x_.empty() || !std::isfinite(x)) return x;
  if (x <= x_.front()) return y_.front();
  if (x >= x_.back()) return y_.back();
  const auto i = static_cast<std::size_t>(std::upper_bound(x_.begin(), x_.end(), x) - x_.begin());
  const double x0 = x_[i - 1], x1 = x_[i];
  return y_[i - 1] + (y_[i] - y_[i - 1]) * (x - x0) / (x1 - x0);
}

}  // namespace modelwatch::engine
