#!/usr/bin/env python3
"""Scale figures of the distributed accumulation (a benchmark, not a test).

    python benchmarks/dask_scale.py SURVEY.csv [--workers 1 2 4] [--block-mb 64] [--repeat 3]

SURVEY.csv is a survey of the bundled audit, for example 10 million respondents from the seeded generator:

    build/release/examples/assess/ethos_generate_survey --rows 10000000 --teams 20000 --departments 20 --seed 1 big.csv

For each worker count, the script runs examples/python/dask_survey.py's pass (blocks of whole rows, one accumulator
per construct and partition, grouped by department, a merge tree on the workers) on a fresh distributed.LocalCluster.
It also runs the single-process pass without Dask, in this process: the C++ reader, scorer and accumulators called
once on the whole file. It reports for each:
- wall time and throughput;
- the partitions' own time split into reading, parsing, scoring and accumulating, and serialising (the portable
  state of every accumulator);
- the bytes of state that travel, and the time Dask spent transferring and deserialising them (its task stream);
- the peak resident memory of every worker process (and of the single process).
Each configuration runs --repeat times; the median run is reported, with the range of the wall time.
"""
import argparse
import importlib.util
import os
import resource
import sys
import time
from pathlib import Path

import ethos

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("dask_survey", HERE.parent / "examples" / "python" / "dask_survey.py")
dask_survey = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dask_survey)


def timed_block(path, offset, length, index, header, group_by):
    """A partition as dask_survey.accumulate_block builds it, with its phases timed and its state measured."""
    t0 = time.perf_counter()
    data = dask_survey.read_block(path, offset, length, header)
    t1 = time.perf_counter()
    instrument = ethos.service_culture_audit()
    responses = ethos.parse_responses(data, instrument, name=f"{path} block {index}")
    t2 = time.perf_counter()
    labels = responses.group_codes(group_by)[1]
    accs = ethos.construct_accumulators(instrument, responses, group_by=group_by)
    t3 = time.perf_counter()
    state = sum(len(a.to_bytes()) for a in accs.values())
    t4 = time.perf_counter()
    partial = dask_survey.Partial(labels, accs, responses.rows, state)
    partial.phases = {"read": t1 - t0, "parse": t2 - t1, "accumulate": t3 - t2, "serialise": t4 - t3,
                      "bytes_in": len(data)}
    return partial


def phases_of(partial):
    return getattr(partial, "phases", None)


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_dask(path, workers, block_bytes, group_by, keep_memory):
    from dask.distributed import Client, LocalCluster, get_task_stream

    if keep_memory:
        dask_survey.keep_worker_memory()

    header, parts = dask_survey.blocks(path, block_bytes)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=40, memory_limit=0) as cluster, Client(cluster) as client:
        client.run(lambda: ethos.service_culture_audit().id)  # the workers' imports, before the clock
        with get_task_stream(client) as ts:
            t0 = time.perf_counter()
            futures = [client.submit(timed_block, path, off, length, i, header, group_by, pure=False)
                       for off, length, i in parts]
            phases = client.gather(client.map(phases_of, futures, pure=False))
            total = client.submit(dask_survey.sorted_partial, dask_survey.tree_reduce(client, futures),
                                  pure=False).result()
            wall = time.perf_counter() - t0
        peaks = sorted(client.run(peak_mb).values())
    stream = {"transfer": 0.0, "deserialize": 0.0, "compute": 0.0}
    for task in ts.data:
        for ss in task.get("startstops", []):
            if ss["action"] in stream:
                stream[ss["action"]] += ss["stop"] - ss["start"]
    sums = {k: sum(p[k] for p in phases) for k in ("read", "parse", "accumulate", "serialise", "bytes_in")}
    state = sum(len(a.to_bytes()) for a in total.accumulators.values())
    return {"wall": wall, "rows": total.rows, "partitions": len(parts), "phases": sums, "stream": stream,
            "peaks": peaks, "state_bytes": state, "total": total}


def digest(partial):
    """A fingerprint of every count of a merged result: equal digests, equal bits."""
    import hashlib

    h = hashlib.sha256("\n".join(partial.labels).encode())
    for key in sorted(partial.accumulators):
        h.update(partial.accumulators[key].to_bytes())
    return h.hexdigest()


def run_single(path, group_by):
    t0 = time.perf_counter()
    instrument = ethos.service_culture_audit()
    responses = ethos.read_responses(path, instrument)
    t1 = time.perf_counter()
    accs = ethos.construct_accumulators(instrument, responses, group_by=group_by)
    t2 = time.perf_counter()
    labels = responses.group_codes(group_by)[1]
    total = dask_survey.sorted_partial(dask_survey.Partial(labels, accs, responses.rows))
    return {"wall": t2 - t0, "read": t1 - t0, "accumulate": t2 - t1, "rows": total.rows, "total": total}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("survey")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--block-mb", type=float, default=64.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--group-by", default="department")
    parser.add_argument("--dask-malloc", action="store_true",
                        help="leave Dask's worker malloc settings (trim at 64 kB) instead of the example's")
    args = parser.parse_args()
    size = os.path.getsize(args.survey)
    block = int(args.block_mb * 1024 * 1024)
    print(f"{args.survey}: {size / 1e6:.0f} MB, blocks of {args.block_mb:g} MB, {os.cpu_count()} cores")

    # The single process, in a child so that its peak memory is its own.
    import json
    import subprocess

    single_runs = []
    for _ in range(args.repeat):
        out = subprocess.run([sys.executable, __file__, "--single", args.survey, args.group_by], check=True,
                             capture_output=True, text=True)
        single_runs.append(json.loads(out.stdout))
    single = sorted(single_runs, key=lambda r: r["wall"])[len(single_runs) // 2]
    # The same partitions one after another in one process (no Dask), with the workers' malloc settings.
    env = dict(os.environ)
    if not args.dask_malloc:
        env.update({"MALLOC_TRIM_THRESHOLD_": str(256 << 20), "MALLOC_MMAP_THRESHOLD_": str(256 << 20),
                    "MALLOC_ARENA_MAX": "1"})
    block_runs = sorted((json.loads(subprocess.run([sys.executable, __file__, "--blocks", args.survey, args.group_by,
                                                    str(block)], check=True, capture_output=True, text=True,
                                                   env=env).stdout) for _ in range(args.repeat)),
                        key=lambda r: r["wall"])
    blocked = block_runs[len(block_runs) // 2]
    walls = [r["wall"] for r in single_runs]
    print(f"\nsingle process (no Dask): {single['rows']} rows, wall {single['wall']:.2f} s "
          f"(range {min(walls):.2f}-{max(walls):.2f}), read+parse {single['read']:.2f} s, "
          f"score+accumulate {single['accumulate']:.2f} s, {single['rows'] / single['wall'] / 1e6:.2f} M rows/s, "
          f"peak {single['peak_mb']:.0f} MB")
    print(f"the same partitions one after another, one process (no Dask): wall {blocked['wall']:.2f} s (range "
          f"{block_runs[0]['wall']:.2f}-{block_runs[-1]['wall']:.2f}), {blocked['rows'] / blocked['wall'] / 1e6:.2f} "
          f"M rows/s, peak {blocked['peak_mb']:.0f} MB")
    assert blocked["digest"] == single["digest"]

    print(f"\n{'workers':>7} {'wall s':>7} {'range':>11} {'M rows/s':>8} {'vs 1 proc':>9} {'read':>6} {'parse':>6} "
          f"{'accum':>6} {'serial':>6} {'state MB':>8} {'transfer':>8} {'deser':>6} {'peak MB per worker':>20}")
    for w in args.workers:
        runs = [run_dask(args.survey, w, block, args.group_by, not args.dask_malloc) for _ in range(args.repeat)]
        runs.sort(key=lambda r: r["wall"])
        r = runs[len(runs) // 2]
        p, s = r["phases"], r["stream"]
        # State that travels: every partition's accumulators once to a merge, then every merge's result once more.
        moved = r["state_bytes"] * (2 * r["partitions"] - 1) / 1e6
        print(f"{w:>7} {r['wall']:>7.2f} {runs[0]['wall']:>5.2f}-{runs[-1]['wall']:<5.2f} "
              f"{r['rows'] / r['wall'] / 1e6:>8.2f} {single['wall'] / r['wall']:>9.2f} {p['read']:>6.2f} "
              f"{p['parse']:>6.2f} {p['accumulate']:>6.2f} {p['serialise']:>6.3f} {moved:>8.2f} "
              f"{s['transfer']:>8.3f} {s['deserialize']:>6.3f} {' '.join(f'{m:.0f}' for m in r['peaks']):>20}")
        assert r["rows"] == single["rows"], (r["rows"], single["rows"])
        assert all(digest(x["total"]) == single["digest"] for x in runs), "the Dask result differs from one process"
    print(f"\n{r['partitions']} partitions; one merged state (12 constructs) is {r['state_bytes'] / 1e3:.1f} kB; "
          "every run's counts equal the single process's to the bit")


def run_blocks(path, group_by, block_bytes):
    """The Dask pass's partitions one after another in one process, without Dask: what Dask adds is the difference."""
    t0 = time.perf_counter()
    header, parts = dask_survey.blocks(path, block_bytes)
    total = None
    for off, length, i in parts:
        part = timed_block(path, off, length, i, header, group_by)
        total = part if total is None else dask_survey.merge(total, part)
    total = dask_survey.sorted_partial(total)
    wall = time.perf_counter() - t0
    return {"wall": wall, "read": 0.0, "accumulate": 0.0, "rows": total.rows, "total": total}


def single_main(path, group_by, block_bytes=0):
    import json

    r = run_blocks(path, group_by, block_bytes) if block_bytes else run_single(path, group_by)
    print(json.dumps({"wall": r["wall"], "read": r["read"], "accumulate": r["accumulate"], "rows": r["rows"],
                      "peak_mb": peak_mb(), "digest": digest(r["total"])}))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--single":
        single_main(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "--blocks":
        single_main(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
