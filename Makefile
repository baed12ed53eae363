# modelwatch: `make demo` and `make test` work on a fresh Debian bookworm machine.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2
CTEST_JOBS ?= 2

# Every Debian package the build, the tests and the demo need.
DEB_PACKAGES := g++ cmake make ccache pkg-config ca-certificates curl procps util-linux \
  prometheus-cpp-dev libyaml-cpp-dev libspdlog-dev libfmt-dev libsimdjson-dev libboost-dev \
  libssl-dev zlib1g-dev libgtest-dev libgmock-dev libbenchmark-dev prometheus \
  prometheus-alertmanager python3

# Deployment (issue 11): the compose file check (docker-compose 1.29, no engine), the manifest
# schema test (python3-yaml), the Debian package (dpkg-dev: dpkg-shlibdeps, dpkg-deb).
DEB_PACKAGES += docker-compose python3-yaml dpkg-dev
# Security work (issue 10): libFuzzer/ASan (clang), bcrypt (libcrypt), TLS tests (openssl, curl),
# the unit check (systemd-analyze).
DEB_PACKAGES += clang libclang-rt-14-dev libcrypt-dev openssl systemd

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# What `make bench` and `make bench-all` need beyond the build (performance.md): mtail (the
# comparison row), /usr/bin/time (peak RSS), taskset (util-linux: pinning), curl, python3
# (bench/mwclient.py), Google Benchmark (mw_micro). Not installed by `make deps`/`make test`.
BENCH_PACKAGES := mtail time util-linux curl python3 libbenchmark-dev

.PHONY: all deps build test test-all demo bench format clean test-asan fuzz bench-deps bench-all

all: build

# $(call install_missing,NAME,PACKAGES): installs only the PACKAGES that are missing
# (idempotent: nothing to do when everything is present).
define install_missing
@missing=$$(for p in $(2); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "$(1): all $(words $(2)) packages present"; fi
endef

deps:
	$(call install_missing,deps,$(DEB_PACKAGES))

# The same for BENCH_PACKAGES.
bench-deps:
	$(call install_missing,bench-deps,$(BENCH_PACKAGES))

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_ARGS)

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS)

# The default suite: unit and integration tests (not those labelled slow).
test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(CTEST_JOBS) -LE slow

test-all: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(CTEST_JOBS)

demo: build
	./$(BUILD_DIR)/modelwatch demo $(if $(SCENARIO),--scenario $(SCENARIO),)

# Throughput against the floor and mtail (bench/run.sh).
bench: build bench-deps
	bash bench/run.sh ./$(BUILD_DIR)/modelwatch

# Every performance.md target, one script each (docs/performance.md): throughput and mtail,
# memory (10 M lines: about 4 GB in TMPDIR, deleted after), live overhead (60 s), scrape,
# start-up, `check` on 400,000 rows, then the micro-benchmarks. Takes about 15 minutes.
bench-all: build bench-deps
	bash bench/run.sh ./$(BUILD_DIR)/modelwatch
	bash bench/memory.sh ./$(BUILD_DIR)/modelwatch
	bash bench/overhead.sh ./$(BUILD_DIR)/modelwatch
	bash bench/scrape.sh ./$(BUILD_DIR)/modelwatch
	bash bench/startup.sh ./$(BUILD_DIR)/modelwatch
	bash bench/check.sh ./$(BUILD_DIR)/modelwatch
	$$(taskset -c 1 true 2>/dev/null && echo taskset -c 1) ./$(BUILD_DIR)/bench/mw_micro

format:
	find src include tests bench -name '*.cc' -o -name '*.h' | xargs clang-format -i

# The whole default suite built with ASan+UBSan, in its own build directory. clang, not GCC:
# with ASan+UBSan at -O2, GCC 12 took 32 CPU s for src/config/model_parser.cc, clang 14 9 s, and
# the CI budget (60 minutes on two cores) cannot afford the difference over ~185 files. The same build directory holds the libFuzzer targets (every library
# is built once, with ASan+UBSan and the fuzzer's coverage hooks, which cost the tests little), so
# CI builds the sources twice in all (build/ and build-asan/), not three times.
ASAN_BUILD_DIR ?= build-asan
test-asan: deps
	CC=clang CXX=clang++ cmake -S . -B $(ASAN_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DMODELWATCH_FUZZ=ON
	cmake --build $(ASAN_BUILD_DIR) -j$(JOBS)
	cd $(ASAN_BUILD_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  ctest --output-on-failure -j$(CTEST_JOBS) -LE slow

# libFuzzer targets (clang, ASan+UBSan), each run FUZZ_SECONDS from the seeds in tests/fuzz/corpus.
FUZZ_BUILD_DIR ?= $(ASAN_BUILD_DIR)
FUZZ_SECONDS ?= 60
fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DMODELWATCH_FUZZ=ON
	cmake --build $(FUZZ_BUILD_DIR) -j$(JOBS) --target line_splitter_fuzz record_parser_fuzz \
	  config_fuzz web_config_fuzz baseline_fuzz checkpoint_fuzz http_request_fuzz
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZ_BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)

# make install [PREFIX=/usr/local] [DESTDIR=...]: the binary, the example configuration as
# $(sysconfdir)/modelwatch/modelwatch.yaml (/etc with PREFIX=/usr), the systemd unit, rules,
# dashboards and docs (cmake/install.cmake). Builds the binary only, not the tests.
PREFIX ?= /usr/local
.PHONY: install package
install: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS) --target modelwatch
	DESTDIR=$(DESTDIR) cmake --install $(BUILD_DIR) --prefix $(PREFIX)

# The Debian package (modelwatch_<version>_<arch>.deb in $(BUILD_DIR)).
package: build
	cd $(BUILD_DIR) && cpack -G DEB
