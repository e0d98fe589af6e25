#!/usr/bin/env bash
# The test command of the README: C++ tests (GoogleTest), a C++ program built
# against the installed package, then the Python tests against the installed
# package. Run it after `pip install .` (or an editable install).
#   bash scripts/test.sh              # everything
#   EMBER_SANITIZE=1 bash scripts/test.sh   # also the ASan+UBSan build
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-2}
export CCACHE_BASEDIR=$ROOT
# Ninja when installed, else CMake's default generator.
GEN=(); command -v ninja >/dev/null && GEN=(-G Ninja)

python -m pip install -q "pytest>=7" "hypothesis>=6" 2>/dev/null || python -m pip install "pytest>=7" "hypothesis>=6"

echo "== C++ tests (GoogleTest)"
cmake -S . -B build/cpp-tests "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release -DEMBER_BUILD_TESTS=ON \
      -DEMBER_BUILD_EXAMPLES=ON >/dev/null
cmake --build build/cpp-tests -j "$JOBS"
(cd build/cpp-tests && ctest --output-on-failure -j "$JOBS")
./build/cpp-tests/example_tour >/dev/null   # the README's C++ tour
# The digits CNN in C++ (built when zlib is installed): fails below 97% test
# accuracy or when the reloaded checkpoint predicts differently.
if [[ -x build/cpp-tests/example_digits ]]; then
  ./build/cpp-tests/example_digits --epochs 8 --out build/cpp-tests/digits | tail -2
else
  echo "example_digits was not built (zlib missing): skipped"
fi

echo "== C++ program against the installed package"
PREFIX=$(python -c "import ember.utils as u; print(u.cmake_prefix_path())")
cmake -S tests/cpp_install -B build/cpp-install "${GEN[@]}" -DCMAKE_PREFIX_PATH="$PREFIX" >/dev/null
cmake --build build/cpp-install -j "$JOBS"
./build/cpp-install/ember_install_check

if [[ "${EMBER_SANITIZE:-0}" == "1" ]]; then
  bash scripts/sanitize.sh
fi

echo "== Python tests"
cd "$ROOT"
python -m pytest tests/python -q -p no:cacheprovider
