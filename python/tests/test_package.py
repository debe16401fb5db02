"""Reading instruments and responses, the arrays they give, and the errors of bad input."""
import json

import numpy as np
import pytest

import ethos
from conftest import ROOT, SAMPLE


def test_instrument_from_json_equals_the_bundled_one(audit):
    read = ethos.read_instrument(str(ROOT / "examples" / "data" / "service_culture_audit.json"))
    assert read.items == audit.items
    assert read.constructs == audit.constructs
    assert read.scale == (1, 5)
    assert read.nps_item == audit.nps_item == "enps"
    assert len(audit.constructs) == 12
    assert json.loads(audit.to_json())["schema"] == "ethos.instrument/1"
    key = audit.constructs[0]
    items = audit.construct_items(key)
    assert len(items) == 4
    assert audit.reverse_keyed(items) == [False] * 4 or any(audit.reverse_keyed(items))
    with pytest.raises(ethos.Error, match="no construct 'nope'"):
        audit.construct_items("nope")
    import pickle

    back = pickle.loads(pickle.dumps(read))
    assert back.to_json() == read.to_json() and back.items == read.items


def test_responses_arrays(audit, sample):
    assert sample.rows == len(sample) == 590
    assert sample.group_columns == ["department", "team", "tenure"]
    a = sample.answers()
    assert a.dtype == np.uint8 and a.shape == (590, len(audit.items))
    assert a.flags["F_CONTIGUOUS"]
    items = audit.construct_items(audit.constructs[1])
    part = sample.answers(items)
    assert part.shape == (590, 4)
    for j, item in enumerate(items):
        assert (part[:, j] == a[:, audit.items.index(item)]).all()
    likert = part[part != ethos.MISSING]
    assert likert.min() >= 1 and likert.max() <= 5
    codes, levels = sample.group_codes("department")
    assert codes.dtype == np.uint32 and len(codes) == 590
    assert codes.max() == len(levels) - 1
    with open(SAMPLE, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split(",")
        first = f.readline().rstrip("\n").split(",")
    assert levels[codes[0]] == first[header.index("department")]
    assert sample.respondent_ids[0] == first[header.index("id")]
    with pytest.raises(ethos.Error, match=r"no metadata column 'site' \(the columns are: department, team, tenure\)"):
        sample.group_codes("site")
    with pytest.raises(ethos.Error, match=r"no item column 'zz'"):
        sample.answers(["zz"])


def test_parse_responses_from_bytes_equals_reading_the_file(audit, sample):
    parsed = ethos.parse_responses(SAMPLE.read_bytes(), audit, name="sample.csv")
    assert (parsed.answers() == sample.answers()).all()
    assert parsed.respondent_ids == sample.respondent_ids


def test_bad_files_raise_with_file_line_and_column(audit, tmp_path):
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[3].split(",")
    row[header.index("csl2")] = "9"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([lines[0], lines[1], lines[2], ",".join(row)]) + "\n", encoding="utf-8")
    column = sum(len(x) + 1 for x in row[: header.index("csl2")]) + 1
    with pytest.raises(ethos.Error) as e:
        ethos.read_responses(str(bad), audit)
    assert str(e.value).startswith(f"{bad}:4:{column}: ")
    assert "csl2" in str(e.value)
    skipped = ethos.read_responses(str(bad), audit, skip_invalid=True)
    assert skipped.rows == 2 and skipped.invalid == 1 and skipped.rows_read == 3
    assert skipped.invalid_messages[0].startswith(f"{bad}:4:{column}: ")
    with pytest.raises(ethos.Error, match=r"part 7:2:"):
        ethos.parse_responses(("\n".join([lines[0], "x,,"]) + "\n").encode(), audit, name="part 7")
    with pytest.raises(ethos.Error, match=r"cannot open"):
        ethos.read_responses(str(tmp_path / "missing.csv"), audit)
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema": "ethos.instrument/1", "id": ', encoding="utf-8")
    with pytest.raises(ethos.Error, match=r"broken.json"):
        ethos.read_instrument(str(broken))


def test_version_and_constants():
    assert ethos.__version__.count(".") == 2
    assert ethos.STATE_FORMAT_VERSION == 1
    assert ethos.MISSING == 255
    assert issubclass(ethos.Error, ValueError)
