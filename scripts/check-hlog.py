#!/usr/bin/env python3
"""Checks a run directory's histograms.hlog with HdrHistogram's own Python reader (hdrh).

Reads every interval with hdrh.log.HistogramLogReader, adds each metric's intervals, and checks that
the per-interval counts add up to the run's count of that metric in summary.json, and that the
intervals are whole multiples of their length from the log's StartTime (so the logs of shards
started together line up).

    python3 -m venv /tmp/hdrh && /tmp/hdrh/bin/pip install hdrhistogram
    /tmp/hdrh/bin/python scripts/check-hlog.py runs/20261202T100000Z-ramp

Exit status: 0 when every metric adds up, 1 when one does not, 2 when hdrh is not installed
(the test that runs this script skips then).
"""
import json
import os
import sys

try:
    from hdrh.histogram import HdrHistogram
    from hdrh.log import HistogramLogReader
except ImportError:
    print("check-hlog: the hdrh module is missing (pip install hdrhistogram)", file=sys.stderr)
    sys.exit(2)


def main(run_dir):
    reader = HistogramLogReader(os.path.join(run_dir, "histograms.hlog"), HdrHistogram(1, 3_600_000_000, 3))
    totals, intervals, lengths = {}, {}, set()
    while True:
        histogram = reader.get_next_interval_histogram()
        if histogram is None:
            break
        tag = histogram.get_tag()
        totals[tag] = totals.get(tag, 0) + histogram.get_total_count()
        intervals[tag] = intervals.get(tag, 0) + 1
        start_ms = histogram.get_start_time_stamp() - reader.get_start_time_sec() * 1000
        length_ms = histogram.get_end_time_stamp() - histogram.get_start_time_stamp()
        lengths.add(round(length_ms))
        if length_ms <= 0 or abs(start_ms / length_ms - round(start_ms / length_ms)) > 1e-6:
            print(f"check-hlog: {tag}: an interval starts at {start_ms:.3f} ms, not a multiple of {length_ms:.3f} ms")
            return 1
    with open(os.path.join(run_dir, "summary.json"), encoding="utf-8") as handle:
        metrics = json.load(handle)["overall"]["metrics"]
    failed = False
    for key, figures in sorted(metrics.items()):
        tag = "output_tokens_per_s" if key == "request_output_tokens_per_s" else key
        expected = figures["count"]
        got = totals.get(tag, 0)
        status = "ok" if got == expected else "MISMATCH"
        failed |= got != expected
        print(f"{tag}: {intervals.get(tag, 0)} intervals, {got} values; the run: {expected} ({status})")
    print(f"interval lengths (ms): {sorted(lengths)}")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: check-hlog.py RUN_DIRECTORY", file=sys.stderr)
        sys.exit(64)
    sys.exit(main(sys.argv[1]))
