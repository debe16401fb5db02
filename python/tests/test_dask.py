"""The distributed example: a LocalCluster of 3 worker processes agrees with one process to the bit."""
import os
import subprocess
import sys

from conftest import ROOT, SAMPLE


def test_dask_example_prints_identical():
    script = ROOT / "examples" / "python" / "dask_survey.py"
    # 20 KB blocks: the 590-row sample in 6 partitions, merged in a tree of depth 3 on 3 workers.
    out = subprocess.run([sys.executable, str(script), str(SAMPLE), "--workers", "3", "--block-mb", "0.02"],
                         capture_output=True, text=True, timeout=300, env=dict(os.environ))
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines[-1] == "identical", out.stdout
    assert "on 3 workers" in lines[0]
    assert int(lines[0].split()[1]) >= 4  # partitions
    assert lines[1].startswith("590 respondents, 8 groups")
