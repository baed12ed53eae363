#include <modelwatch/drift/score.h>

#include <cmath>
#include <limits>

#include <modelwatch/drift/p_values.h>

namespace modelwatch::drift {

double Score(config::DriftMethod m, const ScoreInputs& in) {
  using config::DriftMethod;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  switch (m) {
    case DriftMethod::kPsi:
      return Psi(in.p, in.q);
    case DriftMethod::kKl:
      return Kl(in.p, in.q);
    case DriftMethod::kJensenShannon:
      return JensenShannon(in.p, in.q, in.js_base);
    case DriftMethod::kHellinger:
      return Hellinger(in.p, in.q);
    case DriftMethod::kLinf:
      return Linf(in.p, in.q);
    case DriftMethod::kWasserstein:
      return in.numeric != nullptr ? WassersteinNormed(*in.numeric, in.fine) : kNaN;
    case DriftMethod::kKs:
      return in.numeric != nullptr ? KsPValue(in.ks_d, in.n_ref, in.n_cur) : kNaN;
    case DriftMethod::kChiSquare:
      return ChiSquarePValue(in.p, in.counts);
    case DriftMethod::kZ:
      // The share of the first drift bin (the first reference category / smallest value)
      // against everything else; shares are count / n_ref, so rounding recovers the count.
      return ZPValue(std::llround(in.p[0] * static_cast<double>(in.n_ref)), in.n_ref,
                     std::llround(in.counts[0]), in.n_cur);
    default:
      return kNaN;
  }
}

}  // namespace modelwatch::drift
