# Sourced by the quick-start scripts: installs the Debian packages that are missing, and only those.
# Usage: ethos_require_packages pkg...   (as root, or through sudo)

ethos_require_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo="sudo"
    else
      echo "ethos: missing Debian packages (${missing[*]}) and neither root nor sudo to install them" >&2
      return 1
    fi
  fi
  echo "ethos: installing missing Debian packages: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# What building the library and its tools needs.
ETHOS_BUILD_PACKAGES=(g++ cmake ninja-build pkg-config libboost-dev libeigen3-dev libfmt-dev nlohmann-json3-dev)
# What the whole test suite needs on top (second compiler, sanitizers, test and benchmark frameworks, format check,
# the SVG checks: xmllint validates, rsvg-convert rasterises, python3 counts the pixels; Doxygen for the reference;
# the Python package's build and tests: pybind11, NumPy, pytest, Dask; the PostgreSQL extension's build and its tests
# in a throw-away server; the HTML report's tests in a real browser: Chromium headless, poppler's pdfinfo and
# pdftotext for the printed PDF, and the DejaVu fonts the page names first, so that its layout is the same on
# every machine).
ETHOS_TEST_PACKAGES=(clang clang-format libclang-rt-14-dev catch2 libbenchmark-dev libxml2-utils librsvg2-bin python3
  doxygen python3-dev python3-venv python3-numpy python3-pybind11 pybind11-dev python3-pytest python3-dask
  python3-distributed postgresql-15 postgresql-server-dev-15 chromium poppler-utils fonts-dejavu-core)
