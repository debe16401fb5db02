"""LikertAccumulator: the R reference fixtures, merging, pickling, input handling and memory."""
import pickle
import subprocess
import sys

import numpy as np
import pytest

import ethos
from conftest import Dataset

DATASETS = ["likert5", "likert7", "zerovar", "complete5", "two_items"]


def accumulate(d, rows=slice(None)):
    acc = ethos.LikertAccumulator(d.items, scale=d.scale, reverse=d.reverse, groups=len(d.group_names))
    acc.add(d.answers[rows], d.groups[rows])
    return acc


@pytest.mark.parametrize("name", DATASETS)
def test_reliability_matches_psych(name):
    d = Dataset(name)
    r = accumulate(d).reliability()
    f = d.f
    assert r["rows"] == int(f.num("alpha.n_obs"))
    f.check(r["alpha"], "alpha.raw")
    f.check(r["std_alpha"], "alpha.std")
    f.check(r["average_r"], "alpha.average_r")
    f.check(r["ase"], "alpha.ase")
    if f.num("alpha.feldt_lower") is None:
        assert r["alpha_ci"] is None and r["alpha_ci_reason"]
    else:
        f.check(r["alpha_ci"][0], "alpha.feldt_lower")
        f.check(r["alpha_ci"][1], "alpha.feldt_upper")
    for item in d.items:
        if f.has(f"alpha.deleted[{item}]"):
            assert item in r["item_reasons"]
            continue
        f.check(r["alpha_if_dropped"][item], f"alpha.drop.raw[{item}]")
        f.check(r["r_drop"][item], f"alpha.r_drop[{item}]")


@pytest.mark.parametrize("name", DATASETS)
def test_agreement_and_icc_match_multilevel(name):
    d = Dataset(name)
    acc = accumulate(d)
    a = acc.agreement()
    for g, group in enumerate(d.group_names):
        cell = a["groups"][g]
        assert cell["n"] == int(d.f.num(f"rwg_j.gsize[{group}]"))
        d.f.check(cell["rwg_j"], f"rwg_j[{group}]")
        d.f.check(cell["awg"], f"awg[{group}]")
        d.f.check(cell["ad_m"], f"ad_m[{group}]")
    d.f.check(a["rwg_j_mean"], "rwg_j.mean")
    d.f.check(a["rwg_j_median"], "rwg_j.median")
    assert a["groups_with_rwg_j"] == int(d.f.num("rwg_j.groups"))
    i = acc.icc()
    assert i["n"] == int(d.f.num("icc.n"))
    assert i["groups"] == int(d.f.num("icc.groups"))
    for key in ("msb", "msw", "icc1", "icc2"):
        d.f.check(i[key], f"icc.{key}")


def test_merging_is_exact_whatever_the_split_and_order():
    d = Dataset("likert5")
    whole = accumulate(d)
    rng = np.random.default_rng(7)
    for _ in range(5):
        cuts = sorted(set(rng.integers(0, len(d.groups), size=int(rng.integers(1, 9))).tolist()) | {0, len(d.groups)})
        parts = [accumulate(d, slice(a, b)) for a, b in zip(cuts, cuts[1:])]
        rng.shuffle(parts)
        merged = parts[0].copy()
        for p in parts[1:]:
            merged += p
        assert merged == whole
        assert merged.reliability() == whole.reliability()
        assert sum(parts[1:], parts[0]) == whole  # __add__ leaves its operands alone
    assert parts[0] != whole or len(parts) == 1


def test_pickle_and_bytes_round_trip_bit_for_bit():
    for name in DATASETS:
        d = Dataset(name)
        acc = accumulate(d)
        for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
            back = pickle.loads(pickle.dumps(acc, protocol=protocol))
            assert back == acc
            assert back.items == acc.items
            assert back.to_bytes() == acc.to_bytes()
            assert back.reliability() == acc.reliability()
        raw = acc.to_bytes()
        assert raw[:8] == b"\x89ETHOS\r\n"
        assert ethos.LikertAccumulator.from_bytes(raw) == acc
        # merge after decoding equals merging the originals
        half = len(d.groups) // 2
        a, b = accumulate(d, slice(0, half)), accumulate(d, slice(half, None))
        decoded = ethos.LikertAccumulator.from_bytes(a.to_bytes()) + pickle.loads(pickle.dumps(b))
        assert decoded == acc
        assert decoded.to_bytes() == acc.to_bytes()


def test_damaged_and_forged_states_raise_with_the_place():
    d = Dataset("likert5")
    raw = accumulate(d).to_bytes()
    with pytest.raises(ethos.Error, match=r"LikertAccumulator.from_bytes: byte 12 \(header\): truncated"):
        ethos.LikertAccumulator.from_bytes(raw[:-1])
    flipped = bytearray(raw)
    flipped[40] ^= 1
    with pytest.raises(ethos.Error, match=r"\(checksum\): CRC-32C .* the bytes were changed or damaged"):
        ethos.LikertAccumulator.from_bytes(bytes(flipped))
    with pytest.raises(ethos.Error, match=r"byte 0 \(header\): not an ethos state"):
        ethos.LikertAccumulator.from_bytes(b"not a state at all, but long enough")
    with pytest.raises(ethos.Error, match=r"pickled LikertAccumulator: byte 8 \(header\): format version 9"):
        bad = bytearray(raw)
        bad[8] = 9
        pickle.loads(pickle.dumps(accumulate(d)).replace(raw, bytes(bad)))


def test_answers_of_any_layout_and_integer_or_float_type_give_the_same_counts():
    d = Dataset("likert7")
    ref = accumulate(d)
    groups = len(d.group_names)
    variants = [
        np.ascontiguousarray(d.answers),  # row-major bytes: copied in blocks
        np.asfortranarray(d.answers),  # column-major bytes: read in place
        d.answers.astype(np.int64),
        d.answers.astype(np.uint16),
        np.where(d.answers == 255, np.nan, d.answers.astype(np.float64)),
        np.asfortranarray(d.answers)[:, :],
    ]
    for answers in variants:
        acc = ethos.LikertAccumulator(d.items, scale=d.scale, reverse=d.reverse, groups=groups)
        acc.add(answers, d.groups.astype(np.int64))
        assert acc == ref, answers.dtype


def test_bad_input_raises_and_adds_nothing():
    acc = ethos.LikertAccumulator(3, scale=(1, 5), groups=2)
    good = np.array([[1, 2, 3], [4, 5, 255]], dtype=np.uint8)
    acc.add(good, np.array([0, 1]))
    before = acc.to_bytes()
    with pytest.raises(ethos.Error, match=r"row 2, item 3: 6 is not an answer on the scale 1..5"):
        acc.add(np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int32), np.array([0, 1]))
    with pytest.raises(ethos.Error, match=r"likert accumulator: item 1 has 1 answer\(s\) outside 1..5"):
        acc.add(np.asfortranarray(np.array([[0, 2, 3]], dtype=np.uint8)), np.array([0]))
    with pytest.raises(ethos.Error, match=r"row 1, item 2: 2.5 is not an answer"):
        acc.add(np.array([[1.0, 2.5, 3.0]]), np.array([0]))
    with pytest.raises(ethos.Error, match=r"row 2 has group code 2; 2 groups are configured"):
        acc.add(good, np.array([0, 2]))
    with pytest.raises(ethos.Error, match=r"answers of shape 2 x 2; expected rows x 3"):
        acc.add(good[:, :2], np.array([0, 1]))
    with pytest.raises(ethos.Error, match=r"pass group_codes"):
        acc.add(good)
    with pytest.raises(ethos.Error, match=r"dtype '<U1'"):
        acc.add(np.array([["a", "b", "c"]]), np.array([0]))
    assert acc.to_bytes() == before
    other = ethos.LikertAccumulator(3, scale=(1, 7), groups=2)
    with pytest.raises(ethos.Error, match=r"cannot merge accumulators of different configurations"):
        acc += other
    with pytest.raises(ethos.Error, match=r"1..255 are supported"):
        ethos.LikertAccumulator(0)
    with pytest.raises(ethos.Error, match=r"scale 5..1 must satisfy"):
        ethos.LikertAccumulator(2, scale=(5, 1))


def test_regrouping_merges_partitions_numbered_by_first_appearance():
    d = Dataset("likert5")
    whole = accumulate(d)
    parts = []
    for rows in (slice(0, 100), slice(100, None)):
        local = {}
        codes = np.array([local.setdefault(g, len(local)) for g in d.groups[rows]], dtype=np.uint32)
        acc = ethos.LikertAccumulator(d.items, scale=d.scale, reverse=d.reverse, groups=len(local))
        acc.add(d.answers[rows], codes)
        parts.append(acc.regrouped(list(local), len(d.group_names)))
    assert parts[0] + parts[1] == whole


MEMORY_PROBE = r"""
import resource, sys
import numpy as np
import ethos
rows = 25_000_000
order = sys.argv[1]
answers = np.ones((rows, 4), dtype=np.uint8, order=order)  # 100 MB, every page touched
codes = np.zeros(rows, dtype=np.uint32)
acc = ethos.LikertAccumulator(4, groups=2)
acc.add(answers[:10], codes[:10])  # the accumulator's own tables, before the measurement
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
acc.add(answers, codes)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((after - before) // 1024, acc.rows)
"""


@pytest.mark.parametrize("order", ["F", "C"])
def test_add_copies_at_most_one_block_of_the_answers(order):
    """A column-major uint8 array is read in place; a row-major one is copied 4096 rows at a time. Either way the
    peak memory of adding 100 MB of answers grows by a few MB at most, not by the array's size."""
    out = subprocess.run([sys.executable, "-c", MEMORY_PROBE, order], capture_output=True, text=True, check=True)
    grown_mb, rows = map(int, out.stdout.split())
    assert rows == 25_000_010
    assert grown_mb < 8, f"adding 100 MB of {order}-order answers grew the peak by {grown_mb} MB"


def test_agreement_without_groups_treats_all_rows_as_one_group():
    d = Dataset("complete5")
    one = ethos.LikertAccumulator(d.items, scale=d.scale, reverse=d.reverse, groups=1)
    one.add(d.answers, np.zeros(len(d.groups), dtype=np.uint32))
    flat = ethos.LikertAccumulator(d.items, scale=d.scale, reverse=d.reverse)
    flat.add(d.answers)
    assert flat.agreement() == one.agreement()["groups"][0]
    with pytest.raises(ethos.Error, match=r"has no groups"):
        flat.icc()
