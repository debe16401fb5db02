"""The PostgreSQL extension against the C++ library (through the Python package, bit for bit), against R's reference
values, and against ethos-assess, in the throw-away server run_tests.sh starts (PGHOST, PGPORT, PGUSER set)."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python" / "tests"))
from conftest import Dataset, SAMPLE  # noqa: E402

import ethos  # noqa: E402

DATASETS = ["likert5", "likert7", "zerovar", "complete5", "two_items"]
SERIAL = "SET max_parallel_workers_per_gather = 0;"
# Parallel plans forced, as the issue asks: every scan is split over up to 4 workers and the leader.
PARALLEL = (
    "SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; "
    "SET max_parallel_workers_per_gather = 4; SET parallel_leader_participation = on;"
)
REPEATS = 40  # the sample, 40 times over, for the parallel plans: enough pages for every worker to get some


def psql(script, check=True):
    """Runs an SQL script in psql; returns (stdout lines, stderr). Tab-separated, unaligned, no headers."""
    p = subprocess.run(
        ["psql", "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1"],
        input=script,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if check and p.returncode != 0:
        raise AssertionError(f"psql failed ({p.returncode}):\n{p.stderr}\n--- script:\n{script}")
    return [line for line in p.stdout.splitlines() if line != ""], p.stderr


def one(script):
    lines, _ = psql(script)
    assert len(lines) == 1, lines
    return lines[0]


def sql_error(script):
    """The error message of a script that must fail; and the server must still answer afterwards."""
    lines, err = psql(script, check=False)
    assert "ERROR" in err, f"no error for:\n{script}\nstdout: {lines}"
    assert one("SELECT 1;") == "1", "the server did not survive"
    return err


def array_sql(items):
    return "ARRAY[" + ", ".join(items) + "]::smallint[]"


def bool_sql(flags):
    return "ARRAY[" + ", ".join("true" if f else "false" for f in flags) + "]"


def positions(k):
    return [str(i + 1) for i in range(k)]


@pytest.fixture(scope="session")
def audit():
    return ethos.service_culture_audit()


@pytest.fixture(scope="session")
def sample(audit):
    r = ethos.read_responses(str(SAMPLE), audit)
    assert r.invalid == 0
    return r


@pytest.fixture(scope="session")
def db(audit):
    """The extension, the sample survey (table survey, and survey_big: REPEATS copies) and the reference datasets."""
    header = SAMPLE.read_text(encoding="utf-8").splitlines()[0].split(",")
    text_columns = {"id", "department", "team", "tenure"}
    columns = ", ".join(f"{c} {'text' if c in text_columns else 'smallint'}" for c in header)
    script = [
        "DROP EXTENSION IF EXISTS ethos CASCADE;",
        "CREATE EXTENSION ethos;",
        "DROP TABLE IF EXISTS survey, survey_big;",
        f"CREATE TABLE survey ({columns});",
        f"\\copy survey FROM '{SAMPLE}' WITH (FORMAT csv, HEADER true)",
        f"CREATE TABLE survey_big AS SELECT s.* FROM survey s, generate_series(1, {REPEATS}) g ORDER BY g, s.id;",
        "ANALYZE survey; ANALYZE survey_big;",
    ]
    for name in DATASETS:
        d = Dataset(name)
        path = ROOT / "tests" / "reference" / "data" / f"{name}.csv"
        cols = (ROOT / "tests" / "reference" / "data" / f"{name}.csv").read_text().splitlines()[0].split(",")
        spec = ", ".join(f"{c} {'text' if c in ('id', 'group') else 'smallint'}" for c in cols)
        script += [
            f"DROP TABLE IF EXISTS ref_{name};",
            f'CREATE TABLE ref_{name} ({spec.replace("group text", "grp text")});',
            f"\\copy ref_{name} FROM '{path}' WITH (FORMAT csv, HEADER true)",
        ]
        assert d.items
    psql("\n".join(script) + "\n")
    return True


def construct_items(audit, key):
    items = audit.construct_items(key)
    return items, audit.reverse_keyed(items)


def python_state(answers, reverse, scale=(1, 5), groups=1, codes=None, min_answered=None):
    """The library's accumulator of the same rows, configured as ethos_likert_agg makes its states (one group)."""
    k = answers.shape[1]
    acc = ethos.LikertAccumulator(positions(k), scale=scale, reverse=reverse, groups=groups, min_answered=min_answered)
    if groups:
        acc.add(answers, np.zeros(len(answers), dtype=np.uint32) if codes is None else codes)
    else:
        acc.add(answers)
    return acc


def agg_sql(items, reverse, scale=(1, 5)):
    return f"ethos_likert_agg({array_sql(items)}, {scale[0]}, {scale[1]}, {bool_sql(reverse)})"


def explain_has_partial_and_finalize(query):
    plan = "\n".join(psql(PARALLEL + f"EXPLAIN (ANALYZE, COSTS off, TIMING off, SUMMARY off) {query};")[0])
    assert "Partial Aggregate" in plan and "Finalize Aggregate" in plan, plan
    launched = [int(x) for x in re.findall(r"Workers Launched: (\d+)", plan)]
    assert launched and max(launched) > 0, plan
    return plan


# -------------------------------------------------------------------------------------------------------------------
# Every statistic equals the library's, bit for bit, serial and parallel


@pytest.mark.parametrize("mode", ["serial", "serial_big", "parallel"])
def test_sample_states_and_reliability_are_the_librarys(db, audit, sample, mode):
    table = "survey" if mode == "serial" else "survey_big"
    settings = PARALLEL if mode == "parallel" else SERIAL
    aggs = []
    expected = []
    for key in audit.constructs:
        items, reverse = construct_items(audit, key)
        answers = sample.answers(items)
        if table == "survey_big":
            answers = np.asfortranarray(np.tile(answers, (REPEATS, 1)))
        acc = python_state(answers, reverse)
        aggs.append(agg_sql(items, reverse))
        expected.append(acc)
    states = ", ".join(f"{a} AS s{i}" for i, a in enumerate(aggs))
    query = f"SELECT {states} FROM {table}"
    if mode == "parallel":
        explain_has_partial_and_finalize(query)
    cols = ", ".join(f"s{i}::text, ethos_reliability(s{i})::text" for i in range(len(aggs)))
    row = one(settings + f"WITH t AS ({query}) SELECT {cols} FROM t;").split("\t")
    for i, acc in enumerate(expected):
        state_hex, reliability = row[2 * i], row[2 * i + 1]
        assert state_hex == "\\x" + acc.to_bytes().hex(), f"construct {i}: the state's bytes differ"
        assert json.loads(reliability) == acc.reliability(), f"construct {i}"


@pytest.mark.parametrize("mode", ["serial", "parallel"])
def test_agreement_icc_and_merge_by_team(db, audit, sample, mode):
    settings = SERIAL if mode == "serial" else PARALLEL
    teams_of, levels = sample.group_codes("team")
    order = sorted(range(len(levels)), key=lambda i: levels[i].encode())
    rank = np.empty(len(levels), dtype=np.uint32)
    rank[order] = np.arange(len(levels), dtype=np.uint32)
    for key in audit.constructs[:4]:
        items, reverse = construct_items(audit, key)
        answers = sample.answers(items)
        per_team = f"SELECT team, {agg_sql(items, reverse)} AS s FROM survey GROUP BY team"
        lines, _ = psql(
            settings
            + f"WITH t AS ({per_team}) SELECT team, ethos_agreement(s)::text FROM t ORDER BY team COLLATE \"C\";"
            + f"WITH t AS ({per_team}) SELECT ethos_icc(array_agg(team), array_agg(s))::text FROM t;"
            + f"WITH t AS ({per_team}) SELECT ethos_merge_agg(s)::text FROM t;"
            + f"SELECT ethos_agreement({agg_sql(items, reverse)})::text FROM survey;"
        )
        grouped = python_state(answers, reverse, groups=len(levels), codes=rank[teams_of])
        agreement = grouped.agreement()["groups"]
        sorted_levels = [levels[i] for i in order]
        assert [line.split("\t")[0] for line in lines[: len(levels)]] == sorted_levels
        for g, line in enumerate(lines[: len(levels)]):
            assert json.loads(line.split("\t")[1]) == agreement[g], sorted_levels[g]
        assert json.loads(lines[len(levels)]) == grouped.icc()
        whole = python_state(answers, reverse)
        assert lines[len(levels) + 1] == "\\x" + whole.to_bytes().hex(), "merged per-team states != all rows"
        assert json.loads(lines[len(levels) + 2]) == python_state(answers, reverse, groups=0).agreement()


def test_window_running_state(db, audit, sample):
    """As a window aggregate the state is read after every row (flattened while it runs): the last row's is the
    whole table's, and the tenth row's the first ten rows'."""
    items, reverse = construct_items(audit, audit.constructs[2])
    lines, _ = psql(
        SERIAL + f"SELECT n, s::text FROM (SELECT row_number() OVER w AS n, {agg_sql(items, reverse)} OVER w AS s "
        "FROM survey_big WINDOW w AS (ORDER BY ctid)) t WHERE n IN (10, 5000);"
        f"SELECT {agg_sql(items, reverse)}::text FROM survey_big;"
    )
    answers = np.asfortranarray(np.tile(sample.answers(items), (REPEATS, 1)))
    assert lines[0] == "10\t\\x" + python_state(answers[:10], reverse).to_bytes().hex()
    assert lines[1] == "5000\t\\x" + python_state(answers[:5000], reverse).to_bytes().hex()
    assert lines[2] == "\\x" + python_state(answers, reverse).to_bytes().hex()


def test_merge_agg_of_stored_states_runs_in_parallel(db, audit, sample):
    items, reverse = construct_items(audit, audit.constructs[0])
    psql(
        "DROP TABLE IF EXISTS team_states;"
        f"CREATE TABLE team_states AS SELECT team, g, {agg_sql(items, reverse)} AS s "
        f"FROM survey, generate_series(1, {REPEATS}) g GROUP BY team, g;"
        "ANALYZE team_states;"
    )
    query = "SELECT ethos_merge_agg(s) FROM team_states"
    explain_has_partial_and_finalize(query)
    answers = np.asfortranarray(np.tile(sample.answers(items), (REPEATS, 1)))
    expected = "\\x" + python_state(answers, reverse).to_bytes().hex()
    assert one(PARALLEL + query + ";") == expected
    assert one(SERIAL + query + ";") == expected


@pytest.mark.parametrize("name", DATASETS)
def test_reference_datasets_match_r_and_the_library(db, name):
    d = Dataset(name)
    agg = agg_sql(d.items, d.reverse, scale=d.scale)
    lines, _ = psql(
        SERIAL
        + f"SELECT ethos_reliability({agg})::text, ethos_agreement({agg})::text FROM ref_{name};"
        + f"WITH t AS (SELECT grp, {agg} AS s FROM ref_{name} GROUP BY grp) "
        + "SELECT ethos_icc(array_agg(grp), array_agg(s))::text FROM t;"
        + f"SELECT grp, ethos_agreement({agg})::text FROM ref_{name} GROUP BY grp ORDER BY grp COLLATE \"C\";"
    )
    reliability, whole_agreement = (json.loads(x) for x in lines[0].split("\t"))
    icc = json.loads(lines[1])
    acc = python_state(d.answers, d.reverse, scale=d.scale)
    assert reliability == acc.reliability()
    assert whole_agreement == python_state(d.answers, d.reverse, scale=d.scale, groups=0).agreement()
    # R's values (psych::alpha, multilevel::rwg.j, awg, ad.m, ICC1, ICC2) to the reference tests' tolerance.
    f = d.f
    assert reliability["rows"] == int(f.num("alpha.n_obs"))
    f.check(reliability["alpha"], "alpha.raw")
    f.check(reliability["std_alpha"], "alpha.std")
    f.check(reliability["average_r"], "alpha.average_r")
    f.check(reliability["ase"], "alpha.ase")
    for i, item in enumerate(d.items):
        if not f.has(f"alpha.deleted[{item}]"):
            f.check(reliability["alpha_if_dropped"][str(i + 1)], f"alpha.drop.raw[{item}]")
            f.check(reliability["r_drop"][str(i + 1)], f"alpha.r_drop[{item}]")
    for line in lines[2:]:
        group, text = line.split("\t")
        cell = json.loads(text)
        assert cell["n"] == int(f.num(f"rwg_j.gsize[{group}]"))
        f.check(cell["rwg_j"], f"rwg_j[{group}]")
        f.check(cell["awg"], f"awg[{group}]")
        f.check(cell["ad_m"], f"ad_m[{group}]")
    assert icc["n"] == int(f.num("icc.n"))
    assert icc["groups"] == int(f.num("icc.groups"))
    f.check(icc["icc1"], "icc.icc1")
    f.check(icc["icc2"], "icc.icc2")
    # The same groups in one grouped accumulator, bit for bit.
    order = sorted(range(len(d.group_names)), key=lambda g: d.group_names[g].encode())
    rank = np.empty(len(order), dtype=np.uint32)
    rank[order] = np.arange(len(order), dtype=np.uint32)
    grouped = python_state(d.answers, d.reverse, scale=d.scale, groups=len(order), codes=rank[d.groups])
    assert icc == grouped.icc()


# -------------------------------------------------------------------------------------------------------------------
# eNPS and the protected groups against ethos-assess


def tool_json(*args, survey=SAMPLE):
    tool = os.environ["ETHOS_ASSESS"]
    out = subprocess.run([tool, "--format", "json", *args, str(survey)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("mode", ["serial", "parallel"])
def test_enps_equals_the_tool(db, mode):
    settings = SERIAL if mode == "serial" else PARALLEL
    if mode == "parallel":
        explain_has_partial_and_finalize("SELECT ethos_enps_agg(enps) FROM survey_big")
    got = json.loads(one(settings + "SELECT ethos_enps_agg(enps)::text FROM survey;"))
    assert got == tool_json()["enps"]


def flat_teams(tmp_path):
    """The sample with its teams as flat labels ('Sales - Bids', column squad): the tool reads path labels
    ('Sales/Bids') as a unit tree and publishes the departments too, whose joint protection with the teams hides more
    than the flat rules; the SQL function protects one flat grouping, so it is compared on one."""
    import csv

    rows = list(csv.reader(SAMPLE.open(newline="", encoding="utf-8")))
    i = rows[0].index("team")
    rows[0][i] = "squad"
    for row in rows[1:]:
        row[i] = row[i].replace("/", " - ")
    path = tmp_path / "squads.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


GROUPINGS = {"department": "department", "tenure": "tenure", "squad": "replace(team, '/', ' - ')"}


@pytest.mark.parametrize("column,k", [("department", 5), ("squad", 5), ("tenure", 5), ("squad", 8), ("department", 30)])
def test_protected_groups_equal_the_tools_group_table(db, audit, column, k, tmp_path):
    survey = flat_teams(tmp_path) if column == "squad" else SAMPLE
    report = tool_json("--group-by", column, "--min-group-size", str(k), survey=survey)
    groups = {g["id"]: g for g in report["groups"]}
    assert report["min_group_size"] == k
    for key in audit.constructs:
        items, reverse = construct_items(audit, key)
        lines, _ = psql(
            f"WITH t AS (SELECT {GROUPINGS[column]} AS g, {agg_sql(items, reverse)} AS s FROM survey GROUP BY 1) "
            f"SELECT p.* FROM (SELECT array_agg(g) AS d, array_agg(s) AS s FROM t) a, "
            f"ethos_protected_groups({k}, a.d, a.s) p;"
        )
        assert [line.split("\t")[0] for line in lines] == sorted(groups, key=str.encode)
        for line in lines:
            group, n, status, result = line.split("\t")
            tool = groups[group]
            assert int(n) == tool["n"], group
            cell = None if tool["suppressed"] else tool["constructs"][key]
            shown = cell is not None and cell.get("status", "none") == "none"
            if not shown:
                assert result == "", f"{group}: a hidden group carries a result"
                tool_status = tool.get("suppressed_reason") if tool["suppressed"] else cell["status"]
                assert status != "none"
                if tool["suppressed"]:
                    assert ethos_reason(status, k) == tool_status, group
                else:
                    assert status == tool_status, group
                continue
            assert status == "none", group
            got = json.loads(result)
            assert got["n"] == cell["n"]
            assert got["favorable"] == cell["favorable"], group
            assert got["rwg_j"] == cell["rwg_j"], group
            # The tool's group mean is a running (Welford) mean of the person scores; ours is the exact sum divided
            # once. They agree to the last bits, not always the last one.
            assert abs(got["mean"] - cell["mean"]) <= 1e-13 * abs(cell["mean"]), group
    # The groupings exercise the rules: groups too small (all but tenure's), a group hidden so that none can be had by
    # subtraction (departments), construct cells hidden in a shown group (squads).
    reasons = {g["suppressed_reason"] for g in report["groups"] if g["suppressed"]}
    assert (f"fewer than {k} respondents" in reasons) == (column != "tenure")
    if column == "department":
        assert "hidden so that a smaller group cannot be derived by subtraction" in reasons
    if column == "squad":
        assert any(c.get("status") for g in report["groups"] if not g["suppressed"] for c in g["constructs"].values())


def ethos_reason(status, k):
    return {
        "too_small": f"fewer than {k} respondents",
        "secondary": "hidden so that a smaller group cannot be derived by subtraction",
    }[status]


def test_the_readmes_sql_runs(db):
    """The README's SQL block, on the table postgres/example.sql loads (the README's CI runs example.sql itself)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## PostgreSQL") :]
    block = section.split("```sql\n", 1)[1].split("```", 1)[0]
    example = (ROOT / "postgres" / "example.sql").read_text(encoding="utf-8")
    setup = example[: example.index("-- 1.")]
    lines, _ = psql(setup + block + "DROP TABLE example_team_voice, example_answers;\n")
    assert any("Legal and Compliance\t4\ttoo_small\t" in line for line in lines), lines


# -------------------------------------------------------------------------------------------------------------------
# States in and out: text, binary COPY, bytea from the Python package


def test_state_round_trips_and_python_bytes(db, audit, sample, tmp_path):
    items, reverse = construct_items(audit, audit.constructs[1])
    acc = python_state(sample.answers(items), reverse)
    hex_state = "\\x" + acc.to_bytes().hex()
    binary = tmp_path / "states.bin"
    binary.touch()
    os.chmod(tmp_path, 0o777)
    lines, _ = psql(
        "DROP TABLE IF EXISTS st, st2; CREATE TABLE st (s ethos_likert_state); CREATE TABLE st2 (s ethos_likert_state);"
        f"INSERT INTO st SELECT {agg_sql(items, reverse)} FROM survey;"
        f"\\copy st TO '{binary}' WITH (FORMAT binary)\n"
        f"\\copy st2 FROM '{binary}' WITH (FORMAT binary)\n"
        "SELECT s::text FROM st2;"
        "SELECT (s::text::ethos_likert_state)::text = s::text FROM st;"
        f"SELECT ('\\x{acc.to_bytes().hex()}'::bytea::ethos_likert_state)::bytea = s::bytea FROM st;"
        "SELECT ethos_state_info(s)::text FROM st;"
    )
    assert lines[0] == hex_state
    assert lines[1] == "t" and lines[2] == "t"
    info = json.loads(lines[3])
    assert info["items"] == 4 and info["rows"] == sample.rows and info["groups"] == 1
    assert info["reverse"] == reverse


# -------------------------------------------------------------------------------------------------------------------
# Bad input: an SQL error that names what is wrong, and the server lives on


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def forged(state, offset, value):
    """A state with one payload byte changed and its CRC-32C made right again: only the field checks can refuse it."""
    b = bytearray(state[:-4])
    b[offset] = value
    return bytes(b) + crc32c(bytes(b)).to_bytes(4, "little")


BAD_INPUTS = [
    (
        "SELECT ethos_likert_agg(a, 1, 5) FROM (VALUES (ARRAY[1,2,3]::smallint[]), (ARRAY[1,2]::smallint[])) t(a);",
        "answers has 2 elements in this row, 3 in the rows before it",
    ),
    (
        "SELECT ethos_likert_agg(ARRAY[1,9,2]::smallint[], 1, 5);",
        "answer 9 at position 2 is outside the scale 1..5",
    ),
    ("SELECT ethos_likert_agg(ARRAY[0]::smallint[], 1, 5);", "answer 0 at position 1 is outside the scale 1..5"),
    ("SELECT ethos_likert_agg(ARRAY[]::smallint[], 1, 5);", "answers is empty"),
    ("SELECT ethos_likert_agg(ARRAY[[1,2],[3,4]]::smallint[], 1, 5);", "one-dimensional"),
    ("SELECT ethos_likert_agg(ARRAY[1,2]::smallint[], 5, 1);", "scale"),
    ("SELECT ethos_likert_agg(ARRAY[1,2]::smallint[], NULL, 5);", "scale_min must not be NULL"),
    (
        "SELECT ethos_likert_agg(ARRAY[1,2]::smallint[], 1, 5, ARRAY[true]);",
        "reverse has 1 elements, answers has 2",
    ),
    (
        "SELECT ethos_likert_agg(a, 1, s) FROM (VALUES (ARRAY[1,2]::smallint[], 5), (ARRAY[1,2]::smallint[], 7)) t(a, s);",
        "the scale changed from 1..5 to 1..7",
    ),
    (
        "SELECT ethos_merge_agg(s) FROM (SELECT ethos_likert_agg(ARRAY[1,2,3]::smallint[], 1, 5) "
        "UNION ALL SELECT ethos_likert_agg(ARRAY[1,2]::smallint[], 1, 5)) t(s);",
        "a state of another design cannot be merged in (3 items on 1..5",
    ),
    (
        "SELECT ethos_merge_agg(s) FROM (SELECT ethos_likert_agg(ARRAY[1,2]::smallint[], 1, 5) "
        "UNION ALL SELECT ethos_likert_agg(ARRAY[1,2]::smallint[], 1, 5, ARRAY[true, false])) t(s);",
        "reverse-keyed items: 1",
    ),
    ("SELECT '\\x0102'::ethos_likert_state;", "ethos_likert_state: byte"),
    ("SELECT 'nonsense'::ethos_likert_state;", "the text form is \\x followed by"),
    ("SELECT '\\x0g'::ethos_likert_state;", "not a hex digit"),
    ("SELECT '\\xdeadbeef'::bytea::ethos_likert_state;", "bytea cast to ethos_likert_state"),
    ("SELECT ethos_enps_agg(x) FROM (VALUES (9::smallint), (11::smallint)) t(x);", "answer 11 is outside the NPS"),
    ("SELECT ethos_enps_agg(-1::smallint);", "answer -1 is outside the NPS scale 0..10"),
    ("SELECT * FROM ethos_protected_groups(2, ARRAY[]::text[], ARRAY[]::ethos_likert_state[]);", "k is 2"),
    (
        "SELECT * FROM ethos_protected_groups(5, ARRAY['a','b'], ARRAY[NULL::ethos_likert_state]);",
        "2 keys for 1 states",
    ),
    (
        "SELECT * FROM ethos_protected_groups(5, ARRAY['a'], ARRAY[NULL::ethos_likert_state]);",
        "state 1 is NULL",
    ),
    (
        "SELECT ethos_icc(ARRAY['a','b'], ARRAY[(SELECT ethos_likert_agg(ARRAY[1,2]::smallint[], 1, 5)), "
        "(SELECT ethos_likert_agg(ARRAY[1,2,3]::smallint[], 1, 5))]);",
        "another design",
    ),
    ("SELECT ethos_likert_trans(NULL, ARRAY[1]::smallint[], 1, 5);", "is an aggregate's transition function"),
]


@pytest.mark.parametrize("script,message", BAD_INPUTS)
def test_bad_input_is_an_error_naming_it(db, script, message):
    err = sql_error(script)
    assert message in err, err


def test_forged_and_truncated_states_are_refused(db, audit, sample):
    items, reverse = construct_items(audit, audit.constructs[0])
    state = python_state(sample.answers(items), reverse).to_bytes()
    cases = {
        "truncated": state[: len(state) // 2],
        "bad checksum": state[:-1] + bytes([state[-1] ^ 1]),
        "forged rows": forged(state, 20, state[20] ^ 0x01),
        "other kind": forged(state, 11, 2),
        "empty": b"",
    }
    for what, value in cases.items():
        for use in ("SELECT ethos_reliability('\\x{}'::bytea::ethos_likert_state);",
                    "SELECT '\\x{}'::ethos_likert_state;"):
            err = sql_error(use.format(value.hex()))
            assert re.search(r"byte \d+|truncated|checksum|kind|state", err), f"{what}: {err}"
    # A valid state merged with one of another design, inside the aggregate, by message.
    other = python_state(sample.answers(items[:3]), reverse[:3]).to_bytes()
    err = sql_error(
        f"SELECT ethos_merge_agg(s) FROM (VALUES ('\\x{state.hex()}'::ethos_likert_state), "
        f"('\\x{other.hex()}'::ethos_likert_state)) t(s);"
    )
    assert "another design" in err
