"""Builds ethos._ethos: the binding (src/module.cpp) and the C++ library's own sources (../src/*.cpp), compiled as
ethos::compiled is (ETHOS_SEPARATE_COMPILATION), on as many cores as the machine has (ETHOS_BUILD_JOBS overrides).
When this checkout has a release build of the library (build/release/libethos.a, which `scripts/run` makes) that is
newer than every source it is made from, the binding links it instead of compiling the sources again
(ETHOS_BUILD_LIBRARY=1 compiles them anyway).
Everything it needs is a Debian package: python3-dev, pybind11-dev and python3-pybind11, libboost-dev,
libeigen3-dev, libfmt-dev, nlohmann-json3-dev."""
import os
import re
import shutil
import subprocess
from pathlib import Path

from pybind11.setup_helpers import ParallelCompile, Pybind11Extension, build_ext
from setuptools import setup

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if not (ROOT / "include" / "ethos" / "ethos.hpp").is_file():
    raise SystemExit("ethos: setup.py builds from a checkout of the repository (../include and ../src not found)")


def version():
    text = (ROOT / "include" / "ethos" / "version.hpp").read_text(encoding="utf-8")
    return re.search(r'version_string = "([^"]+)"', text).group(1)


def eigen_include():
    if shutil.which("pkg-config"):
        out = subprocess.run(["pkg-config", "--cflags-only-I", "eigen3"], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            return [flag[2:] for flag in out.stdout.split()]
    return ["/usr/include/eigen3"]


LIBRARY = ["framework", "measure", "stats", "org", "models", "io", "report", "json"]


def prebuilt_library():
    """build/release/libethos.a when it holds every part of the library (JSON included) and no source is newer."""
    if os.environ.get("ETHOS_BUILD_LIBRARY") == "1":
        return None
    lib = ROOT / "build" / "release" / "libethos.a"
    cache = ROOT / "build" / "release" / "CMakeCache.txt"
    if not lib.is_file() or not cache.is_file() or not shutil.which("ar"):
        return None
    if "CMAKE_BUILD_TYPE:STRING=Release" not in cache.read_text(encoding="utf-8", errors="replace"):
        return None
    members = subprocess.run(["ar", "t", str(lib)], capture_output=True, text=True).stdout.split()
    if any(f"{name}.cpp.o" not in members for name in LIBRARY):
        return None
    sources = [*(ROOT / "include").rglob("*.[hi]pp"), *(ROOT / "src").glob("*.cpp"), ROOT / "CMakeLists.txt"]
    if max(p.stat().st_mtime for p in sources) > lib.stat().st_mtime:
        return None
    return lib


prebuilt = prebuilt_library()
if prebuilt is not None:
    print(f"ethos: linking the library's release build {prebuilt} (newer than every source; "
          "ETHOS_BUILD_LIBRARY=1 compiles the sources here instead)")
    sources = ["src/module.cpp"]
else:
    sources = ["src/module.cpp"] + [f"../src/{name}.cpp" for name in LIBRARY]
# A change to any header rebuilds the extension (setuptools compares these with the built module).
depends = [os.path.relpath(p, HERE) for p in sorted((ROOT / "include").rglob("*.[hi]pp"))]

ParallelCompile("ETHOS_BUILD_JOBS", default=0).install()

ext = Pybind11Extension(
    "ethos._ethos",
    sources=sources,
    depends=depends,
    include_dirs=[str(ROOT / "include")] + eigen_include(),
    define_macros=[("ETHOS_SEPARATE_COMPILATION", "1")],
    extra_objects=[str(prebuilt)] if prebuilt is not None else [],
    libraries=["fmt"],
    cxx_std=20,
    extra_compile_args=["-O2"],
)

setup(
    version=version(),
    ext_modules=[ext],
    cmdclass={"build_ext": build_ext},
    zip_safe=False,
)
