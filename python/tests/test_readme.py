"""Every Python block of README.md marked `<!-- python -->` runs, from the repository's root, without an error."""
import re
import subprocess
import sys

from conftest import ROOT


def python_blocks():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "```python" and i > 0 and lines[i - 1].strip() == "<!-- python -->":
            end = lines.index("```", i + 1)
            yield i + 1, "\n".join(lines[i + 1:end])


def test_readme_python_blocks_run():
    blocks = list(python_blocks())
    assert blocks, "README.md has no <!-- python --> block"
    for line, code in blocks:
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, f"README.md:{line}: {out.stderr}"
        assert re.search(r"^590 0\.\d+$", out.stdout.splitlines()[0]), out.stdout
