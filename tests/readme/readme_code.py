#!/usr/bin/env python3
"""Every C++ block of README.md is compiled and tested (none can rot).

Each ```cpp block is preceded (on the line before the fence) by one of:
  <!-- program: NAME -->          a whole program: written to OUTDIR/NAME.cpp, built and run by the tests
  <!-- snippet: PATH#NAME -->     an excerpt of a compiled, tested file: the block must equal the lines between
                                  `// [readme:NAME]` and `// [readme:NAME end]` in PATH (indentation aside)

  readme_code.py README.md write OUTDIR    write the programs (at configure time)
  readme_code.py README.md check ROOT      check that every block is marked and every snippet matches its source
"""
import pathlib
import re
import sys

FENCE = re.compile(r"^```cpp\s*$")
MARK = re.compile(r"^<!--\s*(program|snippet):\s*(\S+)\s*-->\s*$")


def blocks(readme):
    lines = readme.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        if FENCE.match(lines[i]):
            start = i + 1
            j = start
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            prev = lines[i - 1] if i > 0 else ""
            yield i + 1, MARK.match(prev), lines[start:j]
            i = j + 1
        else:
            i += 1


def dedent(lines):
    body = [l.rstrip() for l in lines]
    while body and not body[0]:
        body.pop(0)
    while body and not body[-1]:
        body.pop()
    indent = min((len(l) - len(l.lstrip()) for l in body if l), default=0)
    return [l[indent:] for l in body]


def excerpt(path, name):
    text = path.read_text(encoding="utf-8").splitlines()
    begin = f"// [readme:{name}]"
    end = f"// [readme:{name} end]"
    starts = [k for k, l in enumerate(text) if l.strip() == begin]
    ends = [k for k, l in enumerate(text) if l.strip() == end]
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        return None
    return dedent(text[starts[0] + 1:ends[0]])


def main():
    readme = pathlib.Path(sys.argv[1])
    mode, target = sys.argv[2], pathlib.Path(sys.argv[3])
    failures = []
    programs = 0
    snippets = 0
    for line, mark, body in blocks(readme):
        where = f"{readme}:{line}"
        if not mark:
            failures.append(f"{where}: a cpp block without <!-- program: NAME --> or <!-- snippet: PATH#NAME -->")
            continue
        kind, ref = mark.groups()
        if kind == "program":
            programs += 1
            if mode == "write":
                target.mkdir(parents=True, exist_ok=True)
                out = target / f"{ref}.cpp"
                text = "\n".join(body) + "\n"
                if not out.exists() or out.read_text(encoding="utf-8") != text:
                    out.write_text(text, encoding="utf-8")
                print(ref)
        elif mode == "check":
            snippets += 1
            path, _, name = ref.partition("#")
            source = excerpt(target / path, name)
            if source is None:
                failures.append(f"{where}: {path} has no single '// [readme:{name}]' ... '// [readme:{name} end]'")
            elif source != dedent(body):
                shown = dedent(body)
                first = next((k for k in range(min(len(shown), len(source))) if shown[k] != source[k]),
                             min(len(shown), len(source)))
                failures.append(f"{where}: differs from {path}#{name} at its line {first + 1}:\n"
                                f"  README: {shown[first] if first < len(shown) else '(ends)'}\n"
                                f"  source: {source[first] if first < len(source) else '(ends)'}")
    for f in failures:
        print(f, file=sys.stderr)
    if mode == "check" and not failures:
        print(f"README: {programs} programs compiled by the tests, {snippets} snippets equal to their sources")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
