// Writing the window rings of a ModelEngine checkpoint, shared by the aggregates (persist.cc)
// and the latency section (latency_persist.cc). Private to the engine.
#ifndef MODELWATCH_ENGINE_PERSIST_RINGS_H_
#define MODELWATCH_ENGINE_PERSIST_RINGS_H_

#include <cstdint>
#include <vector>

#include <modelwatch/config/config.h>
#include <modelwatch/core/bytes.h>

namespace modelwatch::engine {

// Per ring: the window's label, length and bucket count, the number of buckets holding records,
// then write(index, bucket) for each of those.
template <typename Ring, typename Fn>
void WriteRings(ByteWriter& w, const std::vector<Ring>& rings,
                const std::vector<config::Window>& windows, Fn&& write) {
  w.Var(rings.size());
  for (std::size_t ri = 0; ri < rings.size(); ++ri) {
    const Ring& ring = rings[ri];
    w.Str(windows[ri].label);
    w.F64(ring.window_seconds());
    w.Var(static_cast<std::uint64_t>(ring.buckets()));
    std::uint64_t n = 0;
    ring.ForEachSlot([&](std::int64_t, const auto& b) { n += b.records > 0; });
    w.Var(n);
    ring.ForEachSlot([&](std::int64_t index, const auto& b) {
      if (b.records > 0) write(index, b);
    });
  }
}

}  // namespace modelwatch::engine

#endif  // MODELWATCH_ENGINE_PERSIST_RINGS_H_
