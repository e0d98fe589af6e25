#!/usr/bin/env bash
# Runs the C++ tests and the Python tests under AddressSanitizer +
# UndefinedBehaviorSanitizer. The caching allocator is off in this build
# (EMBER_SANITIZE) so that use-after-free and overflows are caught.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-2}
export CCACHE_BASEDIR=$ROOT
# Ninja when installed, else CMake's default generator.
GEN=(); command -v ninja >/dev/null && GEN=(-G Ninja)

echo "== C++ tests under ASan+UBSan"
cmake -S . -B build/asan "${GEN[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEMBER_SANITIZE=ON \
      -DEMBER_BUILD_TESTS=ON -DEMBER_BUILD_PYTHON=ON >/dev/null
cmake --build build/asan -j "$JOBS"
(cd build/asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j "$JOBS")

echo "== Python tests under ASan+UBSan"
# A private venv holds the sanitized build, so that no installed Ember (an
# editable install's import hook included) can shadow it.
VENV=build/asan/venv
if [[ ! -x $VENV/bin/python ]]; then
  python -m venv "$VENV"
  "$VENV/bin/pip" install -q numpy scipy-openblas32 "pytest>=7" "hypothesis>=6"
fi
SITE=$("$VENV/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
rm -rf "$SITE/ember"
cp -r python/ember "$SITE/ember"
cp build/asan/_C*.so "$SITE/ember/"
mkdir -p "$SITE/ember/lib" && cp -P build/asan/libember.so* "$SITE/ember/lib/"
# Python itself is not built with ASan: preload the runtime, and skip leak
# checks (the interpreter keeps memory alive at exit by design).
export LD_PRELOAD=$(g++ -print-file-name=libasan.so):$(g++ -print-file-name=libubsan.so)
# allocator_may_return_null: the tests ask for 8 PiB on purpose and expect
# Ember's "out of memory" error, not ASan's abort.
# Reports go to files: pytest captures stderr, and a halting sanitizer would
# take its message down with the process.
REPORTS=$ROOT/build/asan/reports
rm -rf "$REPORTS" && mkdir -p "$REPORTS"
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:log_path=$REPORTS/asan
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$REPORTS/ubsan
"$VENV/bin/python" -c "import ember; print('sanitized ember from', ember._C.__file__)"
if ! "$VENV/bin/python" -m pytest tests/python -q -p no:cacheprovider -x; then
  cat "$REPORTS"/* 2>/dev/null
  exit 1
fi
