#!/usr/bin/env python3
"""A distributed pass over a survey with Dask: one ethos accumulator per partition, merged in a tree.

    python examples/python/dask_survey.py [SURVEY.csv] [--workers 3] [--block-mb 32] [--group-by department]

The survey file (default: the bundled sample survey) is cut into blocks of bytes that end at line ends, so each
partition is a block of whole rows. Every worker reads its blocks, scores them and builds one
ethos.LikertAccumulator per construct of the bundled audit, grouped by a metadata column. The partitions travel
back as ethos's portable binary state (pickle), and are merged pairwise, in a tree, on the workers. The script
prints every construct's reliability, agreement and ICC. Then it repeats the pass in this one process, without
Dask, and prints `identical` when every count and every figure agrees to the bit (else `DIFFERENT` and exits 1).

Groups: a partition numbers the groups it sees in order of first appearance, so two partitions' code 0 need not be
the same label. Each partition therefore carries its labels, and a merge first regroups both sides onto the sorted
union of their labels (LikertAccumulator.regrouped), then adds them.

On a real cluster, pass the scheduler's address (--scheduler tcp://host:8786) and a path every worker can read (a
shared file system, or any URL fsspec opens, such as s3://bucket/survey.csv with s3fs installed); the code is the
same. Here a distributed.LocalCluster runs the workers as separate processes on 127.0.0.1.
"""
import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

import ethos

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample_survey.csv"


class Partial:
    """The accumulators of some rows, with the labels their group codes index."""

    def __init__(self, labels, accumulators, rows, state_bytes=0):
        self.labels = labels  # sorted, or in first-appearance order for a fresh partition
        self.accumulators = accumulators  # construct key -> LikertAccumulator
        self.rows = rows
        self.state_bytes = state_bytes


def read_block(path, offset, length, header):
    """The header line, then the whole lines of bytes [offset, offset + length) of `path` (a line belongs to the
    block it starts in), in one buffer that parse_responses reads in place."""
    import fsspec

    with fsspec.open(path, "rb") as f:
        if offset == 0:
            f.readline()  # the file's own header line
        else:
            f.seek(offset - 1)
            f.readline()  # the rest of a line that started in the previous block (or just its newline)
        start = f.tell()
        want = max(0, offset + length - start)
        data = bytearray(len(header) + want)
        data[: len(header)] = header
        got = f.readinto(memoryview(data)[len(header):]) or 0
        del data[len(header) + got:]
        if got and not data.endswith(b"\n"):
            data += f.readline()  # finish the last line
    return data


def keep_worker_memory(bytes_kept=256 * 1024 * 1024):
    """Let worker processes keep the memory they free, up to `bytes_kept`, for the next partition.

    Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536, so glibc gives every freed partition back to the
    system, and the next partition faults all of its pages in again. On virtual machines a fault can cost 10 us
    or more, and a 64 MB partition allocates about 150 MB. Tasks run on a worker thread, whose glibc arena maps
    large blocks and unmaps them on free whatever the thresholds; one arena (the main heap) keeps them. With the
    three settings, a worker runs its partitions as fast as one plain process (benchmarks/dask_scale.py: 16.0 s
    against 16.2 s for 10M rows; 28.5 s without the arena setting, 60.6 s with Dask's defaults). On a cluster
    started by other means, set the same variables in the workers' environment."""
    import dask

    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}))
    environ.update({"MALLOC_TRIM_THRESHOLD_": bytes_kept, "MALLOC_MMAP_THRESHOLD_": bytes_kept,
                    "MALLOC_ARENA_MAX": 1})
    dask.config.set({"distributed.nanny.pre-spawn-environ": environ})


def accumulate_block(path, offset, length, index, header, group_by):
    """One partition: parse its rows, and build one accumulator per construct with groups numbered locally."""
    instrument = ethos.service_culture_audit()
    data = read_block(path, offset, length, header)
    responses = ethos.parse_responses(data, instrument, name=f"{path} block {index}")
    labels = responses.group_codes(group_by)[1]
    accs = ethos.construct_accumulators(instrument, responses, group_by=group_by)
    return Partial(labels, accs, responses.rows)


def onto(partial, labels):
    """The partial's accumulators with their groups renumbered as `labels` (a superset) numbers them."""
    where = {label: i for i, label in enumerate(labels)}
    mapping = [where[label] for label in partial.labels]
    return {key: acc.regrouped(mapping, len(labels)) for key, acc in partial.accumulators.items()}


def merge(a, b):
    """Two partials as one: both regrouped onto the sorted union of their labels, then added."""
    labels = sorted(set(a.labels) | set(b.labels))
    left, right = onto(a, labels), onto(b, labels)
    for key in left:
        left[key] += right[key]
    return Partial(labels, left, a.rows + b.rows)


def sorted_partial(partial):
    labels = sorted(partial.labels)
    return Partial(labels, onto(partial, labels), partial.rows)


def tree_reduce(client, futures):
    """Pairwise merges on the workers until one partial is left (depth log2 of the partitions)."""
    while len(futures) > 1:
        paired = [client.submit(merge, futures[i], futures[i + 1], pure=False) for i in range(0, len(futures) - 1, 2)]
        if len(futures) % 2 == 1:
            paired.append(futures[-1])
        futures = paired
    return futures[0]


def figures(partial):
    """Every construct's reliability, agreement and ICC, as dicts of plain numbers."""
    out = {}
    for key, acc in partial.accumulators.items():
        out[key] = {"reliability": acc.reliability(), "agreement": acc.agreement(), "icc": acc.icc()}
    return out


def bits(x):
    """A structure with every float replaced by its IEEE bits, so equality is equality to the bit."""
    if isinstance(x, float):
        return np.float64(x).view(np.uint64).item()
    if isinstance(x, dict):
        return {k: bits(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [bits(v) for v in x]
    return x


def blocks(path, block_bytes):
    import fsspec

    with fsspec.open(path, "rb") as f:
        header = f.readline()
        size = f.seek(0, os.SEEK_END)
    count = max(1, -(-size // block_bytes))
    return header, [(i * block_bytes, block_bytes, i) for i in range(count)]


def show(results, labels, rows):
    print(f"{rows} respondents, {len(labels)} groups")
    print(f"{'construct':34} {'alpha':>7} {'omega':>7} {'rwg(j)':>7} {'ICC(1)':>7} {'ICC(2)':>7}")

    def fmt(v):
        return f"{v:7.3f}" if isinstance(v, float) else f"{'-':>7}"

    for key, f in results.items():
        r, a, i = f["reliability"], f["agreement"], f["icc"]
        print(f"{key:34} {fmt(r['alpha'])} {fmt(r['omega_total'])} {fmt(a['rwg_j_mean'])} {fmt(i['icc1'])} "
              f"{fmt(i['icc2'])}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("survey", nargs="?", default=str(SAMPLE), help="responses CSV of the bundled audit")
    parser.add_argument("--workers", type=int, default=3, help="worker processes of the local cluster")
    parser.add_argument("--block-mb", type=float, default=32.0, help="megabytes of the file per partition")
    parser.add_argument("--group-by", default="department", help="metadata column of the groups")
    parser.add_argument("--scheduler", help="address of an existing Dask scheduler (default: a LocalCluster)")
    parser.add_argument("--no-check", action="store_true", help="skip the single-process run and the comparison")
    args = parser.parse_args(argv)

    from dask.distributed import Client, LocalCluster

    header, parts = blocks(args.survey, max(1, int(args.block_mb * 1024 * 1024)))
    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        keep_worker_memory()
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
    try:
        t0 = time.perf_counter()
        futures = [client.submit(accumulate_block, args.survey, off, length, i, header, args.group_by, pure=False)
                   for off, length, i in parts]
        total = client.submit(sorted_partial, tree_reduce(client, futures), pure=False).result()
        elapsed = time.perf_counter() - t0
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    results = figures(total)
    print(f"dask: {len(parts)} partitions on {args.workers if not args.scheduler else 'the'} workers, "
          f"{elapsed:.2f} s")
    show(results, total.labels, total.rows)
    if args.no_check:
        return 0

    instrument = ethos.service_culture_audit()
    responses = ethos.read_responses(args.survey, instrument)
    one = sorted_partial(Partial(responses.group_codes(args.group_by)[1],
                                 ethos.construct_accumulators(instrument, responses, group_by=args.group_by),
                                 responses.rows))
    same_counts = one.labels == total.labels and all(one.accumulators[k] == total.accumulators[k] for k in results)
    same_figures = bits(figures(one)) == bits(results)
    if same_counts and same_figures:
        print("identical")
        return 0
    print("DIFFERENT: " + ("figures" if same_counts else "counts") + " differ from the single-process run")
    return 1


if __name__ == "__main__":
    sys.exit(main())
