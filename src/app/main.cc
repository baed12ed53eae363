// The modelwatch binary: everything lives in mw_app; this file hands over argv after setting up
// the heap.
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

#include "app/cli.h"

namespace {

// Transparent huge pages for the heap, where the kernel offers them on request
// (/sys/kernel/mm/transparent_hugepage/enabled = madvise, the common default). Why: a page fault
// costs about 15 us on the virtual machines we measured on, and the daemon's state (window
// buckets, the reference profile, the line buffer: about 27 MiB) was faulted in 4 KiB at a time,
// about 7,200 faults. `perf stat -r 5 -e task-clock,page-faults` on the bench workload, this code
// against MODELWATCH_NO_HUGEPAGES=1 in the same minutes: start-up (a one-line log) 211 -> 94 ms
// of CPU and 7,232 -> 774 faults; 1,000,000 lines 1,726 -> 1,585 ms (a busy machine); peak
// RSS 27.5 -> 29-31 MiB (memory is now taken 2 MiB at a time; bench/memory.sh stays flat). glibc
// does the same with GLIBC_TUNABLES=glibc.malloc.hugetlb=1, which a program cannot set for itself.
// How: allocations up to 32 MiB come from the main heap (not from their own mmap, which would be
// faulted page by page and unmapped again when freed), the heap grows by 64 MiB at a time and is
// not trimmed on every free (StateKeeper's malloc_trim after a checkpoint still returns what is
// free), and its first 64 MiB are marked MADV_HUGEPAGE. Where malloc is not glibc's (a
// sanitizer's), the probe is not in the heap and nothing is marked. Set MODELWATCH_NO_HUGEPAGES=1
// to skip it all.
void UseHugePagesForTheHeap() {
  if (const char* off = std::getenv("MODELWATCH_NO_HUGEPAGES"); off && *off && *off != '0') return;
  constexpr std::size_t kPad = std::size_t{64} << 20;
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, static_cast<int>(kPad));
  // Larger than what is left at the top of the heap start-up made, so the heap grows now.
  void* probe = std::malloc(std::size_t{1} << 20);
  const auto at = reinterpret_cast<std::uintptr_t>(probe);
  const auto brk_end = reinterpret_cast<std::uintptr_t>(sbrk(0));
  if (probe != nullptr && brk_end != static_cast<std::uintptr_t>(-1) && at < brk_end &&
      brk_end - at <= 2 * kPad) {
    const std::uintptr_t first = (at + kHuge - 1) & ~(kHuge - 1);
    if (first < brk_end) {
      madvise(reinterpret_cast<void*>(first), brk_end - first, MADV_HUGEPAGE);  // advice only
    }
  }
  std::free(probe);
}

}  // namespace

int main(int argc, char** argv) {
  UseHugePagesForTheHeap();
  return modelwatch::app::Main(argc, argv);
}
