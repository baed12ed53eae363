// BuildCategoricalReference: top categories plus "__other__" (statistics.md §2).
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <modelwatch/drift/binning.h>

namespace modelwatch::drift {

CategoricalReference BuildCategoricalReference(const std::vector<std::string>& values,
                                               int max_categories) {
  CategoryCounts counts;
  for (const std::string& v : values) counts.Add(v);
  return BuildCategoricalReferenceFromCounts(std::move(counts), max_categories);
}

CategoricalReference BuildCategoricalReferenceFromCounts(CategoryCounts counts,
                                                         int max_categories) {
  CategoricalReference ref;
  ref.count = counts.total;
  ref.all = std::move(counts.counts);

  std::vector<std::pair<std::string_view, std::int64_t>> by_count(ref.all.begin(), ref.all.end());
  std::sort(by_count.begin(), by_count.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  const std::size_t top =
      std::min(by_count.size(), static_cast<std::size_t>(std::max(max_categories, 0)));
  const double n = ref.count > 0 ? static_cast<double>(ref.count) : 1.0;
  std::int64_t other = 0;
  for (std::size_t i = 0; i < by_count.size(); ++i) {
    if (i < top) {
      ref.categories.emplace_back(by_count[i].first);
      ref.bin_of.emplace(by_count[i].first, static_cast<int>(i));
      ref.coarse_ref_share.push_back(static_cast<double>(by_count[i].second) / n);
    } else {
      other += by_count[i].second;
    }
  }
  ref.coarse_ref_share.push_back(static_cast<double>(other) / n);
  return ref;
}

int CategoricalReference::Bin(std::string_view v) const {
  const auto it = bin_of.find(v);
  return it != bin_of.end() ? it->second : static_cast<int>(categories.size());
}

bool CategoricalReference::Seen(std::string_view v) const { return all.find(v) != all.end(); }

}  // namespace modelwatch::drift
