#include "app/demo_traffic.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>

namespace modelwatch::app {
namespace {

template <std::size_t N>
constexpr std::array<double, N> Cumulative(const std::array<double, N>& weights) {
  std::array<double, N> c{};
  double sum = 0, total = 0;
  for (double w : weights) total += w;
  for (std::size_t i = 0; i < N; ++i) c[i] = (sum += weights[i]) / total;
  c[N - 1] = 1.0;
  return c;
}

constexpr std::array<std::string_view, 15> kCountries = {
    "US", "GB", "DE", "FR", "CA", "IN", "BR", "ES", "IT", "MX", "NL", "AU", "JP", "PL", "NG"};
constexpr int kRareCountry = 14;  // "NG": 0.5 % of clean traffic, 30 % once drifted
constexpr std::array<double, 15> kCountryWeights = {0.34, 0.11, 0.09, 0.07, 0.07, 0.06,  0.05, 0.04,
                                                    0.04, 0.03, 0.03, 0.03, 0.02, 0.015, 0.005};
constexpr std::array<double, 15> DriftedCountryWeights() {
  std::array<double, 15> w = kCountryWeights;
  for (int i = 0; i < 15; ++i) w[i] *= 0.70 / (1.0 - kCountryWeights[kRareCountry]);
  w[kRareCountry] = 0.30;
  return w;
}
constexpr std::array<double, 15> kCountryEffect = {0, 0,   0, 0, 0, 0.3, 0.4, 0,
                                                   0, 0.4, 0, 0, 0, 0.2, 2.0};

constexpr std::array<std::string_view, 10> kMerchants = {
    "grocery",     "restaurants",   "gas",    "online_retail", "travel",
    "electronics", "entertainment", "health", "utilities",     "jewelry"};
constexpr std::array<double, 10> kMerchantWeights = {0.25, 0.15, 0.12, 0.14, 0.05,
                                                     0.06, 0.07, 0.06, 0.08, 0.02};
constexpr std::array<double, 10> kMerchantEffect = {0, 0, 0, 0.3, 0.4, 0.6, 0, 0, 0, 1.0};

constexpr std::array<std::string_view, 3> kDevices = {"mobile", "desktop", "tablet"};
constexpr std::array<double, 3> kDeviceWeights = {0.62, 0.30, 0.08};
constexpr std::array<double, 3> kDeviceEffect = {0, 0.1, 0};

constexpr std::array<std::string_view, 4> kPayments = {"card", "wallet", "bank_transfer", "crypto"};
constexpr std::array<double, 4> kPaymentWeights = {0.70, 0.20, 0.08, 0.02};
constexpr std::array<double, 4> kPaymentEffect = {0, 0.2, 0, 1.6};

// The customer's local hour: drawn independently of the event time, so that a short window
// (all records of one wall-clock hour) does not look drifted against a whole-day reference.
constexpr std::array<double, 24> kHourWeights = {1.0, 0.7, 0.5, 0.4, 0.4, 0.6, 1.2, 2.5,
                                                 3.8, 4.5, 4.8, 5.0, 5.5, 5.3, 4.9, 4.8,
                                                 5.0, 5.4, 5.8, 5.6, 4.6, 3.6, 2.5, 1.6};

constexpr auto kCountryCdf = Cumulative(kCountryWeights);
constexpr auto kDriftedCountryCdf = Cumulative(DriftedCountryWeights());
constexpr auto kMerchantCdf = Cumulative(kMerchantWeights);
constexpr auto kDeviceCdf = Cumulative(kDeviceWeights);
constexpr auto kPaymentCdf = Cumulative(kPaymentWeights);
constexpr auto kHourCdf = Cumulative(kHourWeights);

template <std::size_t N>
int Pick(double u, const std::array<double, N>& cumulative) {
  return static_cast<int>(std::upper_bound(cumulative.begin(), cumulative.end() - 1, u) -
                          cumulative.begin());
}

int PoissonQuantile(double u, double mean) {
  double p = std::exp(-mean), cumulative = p;
  int k = 0;
  while (u > cumulative && k < 100) {
    p *= mean / ++k;
    cumulative += p;
  }
  return k;
}

// Standard normal quantile, u in (0, 1) (P. J. Acklam's rational approximation, rel. error
// 1.15e-9): plenty for synthetic data.
double InverseNormal(double u) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  if (u < kLow || u > 1 - kLow) {
    double q = std::sqrt(-2 * std::log(u < kLow ? u : 1 - u));
    double x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    return u < kLow ? x : -x;
  }
  double q = u - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

void AppendFixed(double v, int decimals, std::string* out) {
  char buf[48];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  out->append(buf, r.ptr);
}

void AppendInt(std::int64_t v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}

void AppendQuoted(std::string_view s, std::string* out) {
  out->push_back('"');
  out->append(s);
  out->push_back('"');
}

void PutDigits(std::int64_t v, int width, char* p) {
  for (int i = width - 1; i >= 0; --i, v /= 10) p[i] = static_cast<char>('0' + v % 10);
}

// RFC 3339 UTC with milliseconds; civil date from days since the epoch (H. Hinnant's algorithm).
void AppendTimestamp(double epoch_seconds, std::string* out) {
  std::int64_t ms = std::llround(epoch_seconds * 1000.0);
  std::int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
  std::int64_t ms_of_day = ms - days * 86400000;
  std::int64_t z = days + 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char b[25] = "0000-00-00T00:00:00.000Z";
  PutDigits(y, 4, b);
  PutDigits(m, 2, b + 5);
  PutDigits(d, 2, b + 8);
  PutDigits(ms_of_day / 3600000, 2, b + 11);
  PutDigits(ms_of_day / 60000 % 60, 2, b + 14);
  PutDigits(ms_of_day / 1000 % 60, 2, b + 17);
  PutDigits(ms_of_day % 1000, 3, b + 20);
  out->push_back('"');
  out->append(b, 24);
  out->push_back('"');
}

}  // namespace

TrafficGenerator::TrafficGenerator(TrafficOptions options) : options_(options), rng_(options.seed) {
  for (Stratified& s : streams_) {
    for (int i = 0; i < kStratum; ++i) s.order[i] = static_cast<std::uint8_t>(i);
  }
}

double TrafficGenerator::Uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

double TrafficGenerator::Strat(int stream) {
  Stratified& s = streams_[stream];
  if (s.next == kStratum) {  // new block: Fisher-Yates over the slices
    for (int i = kStratum - 1; i > 0; --i) {
      auto j = static_cast<int>(((rng_() >> 32) * static_cast<std::uint64_t>(i + 1)) >> 32);
      std::swap(s.order[i], s.order[j]);
    }
    s.next = 0;
  }
  double u = (s.order[s.next++] + Uniform()) / kStratum;
  return std::clamp(u, 0x1.0p-53, 1.0 - 0x1.0p-53);
}

double TrafficGenerator::Normal() {
  return InverseNormal(std::clamp(Uniform(), 0x1.0p-53, 1.0 - 0x1.0p-53));
}

TrafficGenerator::Sample TrafficGenerator::Draw(bool drifted) {
  enum {
    kAmount,
    kAge,
    kAccountAge,
    kTransactions,
    kDistance,
    kHour,
    kVelocity,
    kLimit,
    kCountry,
    kMerchant,
    kDevice,
    kPayment
  };
  Sample s;
  s.amount = std::max(0.01, std::exp(3.8 + 1.0 * InverseNormal(Strat(kAmount))));  // mean ≈ 74
  s.age = std::round(std::clamp(41.0 + 13.0 * InverseNormal(Strat(kAge)), 18.0, 90.0));
  s.account_age_days = std::round(std::min(9000.0, 1.0 - 900.0 * std::log(Strat(kAccountAge))));
  s.num_transactions_24h = PoissonQuantile(Strat(kTransactions), 3.2);
  s.distance_from_home_km = -15.0 * std::log(Strat(kDistance));
  s.hour_of_day = Pick(Strat(kHour), kHourCdf);
  s.velocity_1h = std::exp(-0.1 + 0.6 * InverseNormal(Strat(kVelocity)));  // mean ≈ 1.08
  s.credit_limit =
      std::max(500.0, std::round(std::exp(8.5 + 0.6 * InverseNormal(Strat(kLimit))) / 500) * 500);
  s.country = Pick(Strat(kCountry), drifted ? kDriftedCountryCdf : kCountryCdf);
  s.merchant_category = Pick(Strat(kMerchant), kMerchantCdf);
  s.device_type = Pick(Strat(kDevice), kDeviceCdf);
  s.payment_method = Pick(Strat(kPayment), kPaymentCdf);
  if (drifted) {
    s.amount *= 2.5;
    s.distance_from_home_km *= 3.0;
  }
  double z = -4.0 + 0.7 * (std::log(s.amount) - 3.8) + 0.025 * (s.distance_from_home_km - 15.0) +
             0.2 * (s.num_transactions_24h - 3.2) + 0.5 * (s.velocity_1h - 1.1) +
             (s.hour_of_day < 6 ? 0.9 : 0.0) - 0.0005 * (s.account_age_days - 900.0) -
             0.01 * (s.age - 41.0) + kCountryEffect[s.country] +
             kMerchantEffect[s.merchant_category] + kDeviceEffect[s.device_type] +
             kPaymentEffect[s.payment_method] + 0.7 * Normal();
  s.score = 1.0 / (1.0 + std::exp(-z));
  return s;
}

TrafficGenerator::Faults TrafficGenerator::DrawFaults() {
  Faults f;
  const double age = Uniform();
  f.age_null = age < kDemoAgeNullShare;
  f.age_out_of_range = !f.age_null && age < kDemoAgeNullShare + kDemoAgeOutOfRangeShare;
  f.no_device_type = Uniform() < kDemoDeviceMissingShare;
  f.credit_limit_text = Uniform() < kDemoCreditLimitTextShare;
  f.new_payment = Uniform() < kDemoNewPaymentShare;
  return f;
}

void TrafficGenerator::AppendInputs(const Sample& s, const Faults& f, std::string* out) {
  out->append("\"amount\":");
  AppendFixed(s.amount, 2, out);
  out->append(",\"age\":");
  if (f.age_null) {
    out->append("null");
  } else {
    AppendInt(static_cast<std::int64_t>(f.age_out_of_range ? kDemoAgeOutOfRangeValue : s.age), out);
  }
  out->append(",\"account_age_days\":");
  AppendInt(static_cast<std::int64_t>(s.account_age_days), out);
  out->append(",\"num_transactions_24h\":");
  AppendInt(static_cast<std::int64_t>(s.num_transactions_24h), out);
  out->append(",\"distance_from_home_km\":");
  AppendFixed(s.distance_from_home_km, 1, out);
  out->append(",\"hour_of_day\":");
  AppendInt(s.hour_of_day, out);
  out->append(",\"velocity_1h\":");
  AppendFixed(s.velocity_1h, 2, out);
  out->append(",\"credit_limit\":");
  if (f.credit_limit_text) out->push_back('"');
  AppendInt(static_cast<std::int64_t>(s.credit_limit), out);
  if (f.credit_limit_text) out->push_back('"');
  out->append(",\"country\":");
  AppendQuoted(kCountries[s.country], out);
  out->append(",\"merchant_category\":");
  AppendQuoted(kMerchants[s.merchant_category], out);
  if (!f.no_device_type) {
    out->append(",\"device_type\":");
    AppendQuoted(kDevices[s.device_type], out);
  }
  out->append(",\"payment_method\":");
  AppendQuoted(f.new_payment ? kDemoNewPayment : kPayments[s.payment_method], out);
}

void TrafficGenerator::AppendPredictionLine(double event_time, std::string* out) {
  bool drifted = options_.drift && event_time >= options_.drift_start;
  Sample s = Draw(drifted);
  // Drawn only when on, so that clean traffic stays the same sequence for a seed.
  const Faults faults =
      options_.quality && event_time >= options_.quality_start ? DrawFaults() : Faults{};
  double latency_ms = std::exp(2.4 + 0.35 * Normal());  // iid, median ≈ 11 ms
  // Drawn only when on, like the faults.
  if (options_.latency && event_time >= options_.latency_start) {
    if (const double slow = SlowLatencyMs(event_time); slow > 0) latency_ms = slow;
  }
  out->append("{\"ts\":");
  AppendTimestamp(event_time, out);
  char id[11] = "r000000000";
  PutDigits(static_cast<std::int64_t>(next_request_id_++ % 1000000000), 9, id + 1);
  out->append(",\"request_id\":\"");
  out->append(id, 10);
  out->append("\",\"model\":\"");
  out->append(kDemoModelName);
  out->append("\",\"model_version\":\"");
  out->append(kDemoModelVersion);
  out->append("\",\"latency_ms\":");
  AppendFixed(latency_ms, 1, out);
  out->append(",\"inputs\":{");
  AppendInputs(s, faults, out);
  out->append("},\"outputs\":{\"score\":");
  AppendFixed(s.score, 4, out);
  out->append(",\"label\":");
  AppendQuoted(s.score >= 0.5 ? "fraud" : "legit", out);
  out->append("}}\n");
}

double TrafficGenerator::SlowLatencyMs(double event_time) {
  const double phase = std::fmod(event_time - options_.latency_start, kDemoSpikePeriodSeconds);
  const double share = phase < kDemoSpikeSeconds ? kDemoSpikeSlowShare : kDemoSlowShare;
  const double u = Uniform();
  if (u >= share) return 0;
  // The same draw, rescaled to (0, 1], gives the Pareto tail by inverse CDF.
  const double v = 1 - u / share;
  return std::min(kDemoSlowCapMs, kDemoSlowMinMs / std::pow(v, 1 / kDemoSlowShape));
}

void TrafficGenerator::AppendReferenceRow(std::string* out) {
  Sample s = Draw(false);
  bool fraud = Uniform() < s.score;
  out->push_back('{');
  AppendInputs(s, Faults{}, out);
  out->append(",\"score\":");
  AppendFixed(s.score, 4, out);
  out->append(",\"predicted\":");
  AppendQuoted(s.score >= 0.5 ? "fraud" : "legit", out);
  out->append(",\"target\":");
  AppendQuoted(fraud ? "fraud" : "legit", out);
  out->append("}\n");
}

}  // namespace modelwatch::app
