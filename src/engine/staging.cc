// The staging bucket of ModelEngine (see model_engine.h). Every window's bucket width must be a
// whole multiple of the staging width (the shortest one) so that one staging period lies inside
// exactly one bucket of every window; otherwise staging stays off and records go straight to
// the windows.
#include <cmath>

#include <modelwatch/engine/model_engine.h>

namespace modelwatch::engine {

void ModelEngine::SetUpStaging() {
  staging_width_ = 0;
  if (rings_.empty()) return;
  double width = rings_.front().bucket_seconds();
  for (const auto& r : rings_) width = std::min(width, r.bucket_seconds());
  for (const auto& r : rings_) {
    const double ratio = r.bucket_seconds() / width;
    if (std::fabs(ratio - std::round(ratio)) > 1e-9 * ratio) return;
  }
  staging_width_ = width;
  staging_.track = true;
  staging_.touched.reserve(staging_.counts.size());
  staging_used_ = false;
}

void ModelEngine::Route(double t) {
  if (staging_width_ > 0) {
    const auto k = static_cast<std::int64_t>(std::floor(t / staging_width_));
    if (!staging_used_ || k > staging_index_) {
      FlushStaging();
      staging_index_ = k;
      staging_used_ = true;
    }
    if (k == staging_index_) {
      scratch_buckets_.assign(1, &staging_);
      return;
    }
  }
  // Staging off, or a record older than the staging period: straight to the windows.
  scratch_buckets_.resize(rings_.size());
  for (std::size_t w = 0; w < rings_.size(); ++w) scratch_buckets_[w] = rings_[w].At(t);
}

void ModelEngine::FlushStaging() {
  if (!staging_used_) return;
  if (staging_.records > 0) {
    // The middle of the period: clear of the edges whatever the rounding.
    const double mid = (static_cast<double>(staging_index_) + 0.5) * staging_width_;
    for (auto& ring : rings_) {
      if (Bucket* b = ring.At(mid)) staging_.AddTo(b);
    }
  }
  FlushLanes();  // split_by_version: the versions' staging buckets of the same period
  staging_.Clear();
}

bool ModelEngine::StagingInWindow(const window::WindowRing<Bucket>& ring, const Bucket& staging,
                                  double T) const {
  if (!staging_used_ || staging.records == 0) return false;
  const double mid = (static_cast<double>(staging_index_) + 0.5) * staging_width_;
  return ring.InWindow(mid, T);
}

}  // namespace modelwatch::engine
