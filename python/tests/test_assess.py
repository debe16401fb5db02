"""assess() and the accumulators against the C++ library's own output (ethos-assess) on the sample survey."""
import json
import subprocess

import numpy as np
import pytest

import ethos
from conftest import SAMPLE


def tool_json(tool, *args):
    out = subprocess.run([tool, "--format", "json", *args, str(SAMPLE)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize(
    "options, flags",
    [
        ({}, []),
        ({"group_by": "department", "unit_column": "team"}, ["--group-by", "department", "--unit-column", "team"]),
        ({"group_by": "tenure", "min_group_size": 10, "agreement_over": "all"},
         ["--group-by", "tenure", "--min-group-size", "10", "--agreement-over", "all"]),
        ({"group_by": "department", "unit_column": "team", "cut": "tenure"},
         ["--group-by", "department", "--unit-column", "team", "--cut", "tenure"]),
    ],
)
def test_assess_equals_the_tools_json(audit, sample, tool, options, flags):
    ours = ethos.assess(audit, sample, **options)
    theirs = tool_json(tool, *flags)
    assert ours["schema"] == "ethos.results/1"
    # The same dict: every key, every count, every float to the bit (JSON writes the shortest exact digits).
    assert ours == theirs


def test_construct_accumulators_give_assess_figures_bit_for_bit(audit, sample):
    report = ethos.assess(audit, sample, group_by="department", unit_column="team")
    accs = ethos.construct_accumulators(audit, sample, group_by="department")
    codes, levels = sample.group_codes("department")
    for c, key in enumerate(audit.constructs):
        published = report["constructs"][c]
        assert published["key"] == key
        ours = accs[key].reliability()
        theirs = published["reliability"]
        assert {k: v for k, v in ours.items() if k != "rows"} == theirs
        assert accs[key].rows == published["n"]
        # rwg(j) of every shown group, as the groups section publishes it
        agreement = accs[key].agreement()["groups"]
        for group in report["groups"]:
            cell = group.get("constructs", {}).get(key) if isinstance(group.get("constructs"), dict) else None
            if cell is None or cell.get("rwg_j") is None:
                continue
            assert agreement[levels.index(group["id"])]["rwg_j"] == cell["rwg_j"]


def test_score_gives_the_person_scores_behind_the_published_means(audit, sample):
    scores = ethos.score(audit, sample)
    report = ethos.assess(audit, sample)
    assert set(scores) == set(audit.constructs)
    for c, key in enumerate(audit.constructs):
        s = scores[key]
        assert s.dtype == np.float64 and s.shape == (sample.rows,)
        published = report["constructs"][c]
        assert int(np.isfinite(s).sum()) == published["n"]
        assert abs(float(np.nanmean(s)) - published["mean"]) <= 1e-12 * abs(published["mean"])
    stricter = ethos.score(audit, sample, min_answered=4)
    key = audit.constructs[0]
    assert np.isfinite(stricter[key]).sum() <= np.isfinite(scores[key]).sum()
