"""Shared fixtures of the Python tests: the repository's data, the R reference fixtures, the tool."""
import csv
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "data" / "sample_survey.csv"
REFERENCE = ROOT / "tests" / "reference"


def close(ours, ref):
    """The C++ reference tests' tolerance: |a - b| <= 1e-9 |b| + 1e-14."""
    return abs(ours - ref) <= 1e-9 * abs(ref) + 1e-14


class Fixture:
    """A fixture written by tests/reference/make_fixtures*.R: '<key> <value>' lines, NA for a missing value."""

    def __init__(self, name):
        self.values = {}
        for line in (REFERENCE / "fixtures" / f"{name}.txt").read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                key, value = line.split(" ", 1)
                self.values[key] = value

    def has(self, key):
        return key in self.values

    def num(self, key):
        v = self.values[key]
        return None if v == "NA" else float(v)

    def check(self, ours, key):
        ref = self.num(key)
        if ref is None:
            assert ours is None, f"{key}: reference NA, ours {ours}"
        else:
            assert ours is not None, f"{key}: reference {ref}, ours None"
            assert close(ours, ref), f"{key}: reference {ref!r}, ours {ours!r}"


class Dataset:
    """A reference dataset (tests/reference/data) as the C++ reference tests read it: groups numbered by first
    appearance, empty cells missing (255)."""

    def __init__(self, name):
        import numpy as np

        self.f = Fixture(name)
        k = int(self.f.num("dataset.items"))
        self.items = [self.f.values[f"dataset.item[{i}]"] for i in range(1, k + 1)]
        self.reverse = [self.f.has(f"dataset.reverse[{i}]") for i in self.items]
        self.scale = (int(self.f.num("dataset.scale_min")), int(self.f.num("dataset.scale_max")))
        with open(REFERENCE / "data" / f"{name}.csv", newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        codes = {}
        self.groups = np.array([codes.setdefault(r["group"], len(codes)) for r in rows], dtype=np.uint32)
        self.group_names = list(codes)
        self.answers = np.array([[255 if r[i] == "" else int(r[i]) for i in self.items] for r in rows],
                                dtype=np.uint8)


@pytest.fixture(scope="session")
def audit():
    import ethos

    return ethos.service_culture_audit()


@pytest.fixture(scope="session")
def sample(audit):
    import ethos

    return ethos.read_responses(str(SAMPLE), audit)


def find_tool():
    """ethos-assess: the build's (ETHOS_ASSESS, set by ctest), else a release build's or an installed one."""
    for candidate in (os.environ.get("ETHOS_ASSESS"), ROOT / "build" / "release" / "examples" / "assess" /
                      "ethos-assess", shutil.which("ethos-assess"), "/opt/ethos/bin/ethos-assess"):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    return None


@pytest.fixture(scope="session")
def tool():
    path = find_tool()
    if path is None:
        if os.environ.get("ETHOS_BUILT_PACKAGE"):
            pytest.fail("ETHOS_ASSESS does not name the built tool")
        pytest.skip("no ethos-assess found (build the release preset, or set ETHOS_ASSESS)")
    return path
