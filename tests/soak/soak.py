#!/usr/bin/python3
"""Soak: a mixed load against one real server for a while, then proof that
nothing crept: resident memory flat, no descriptor leaked, every
acknowledged write still there (the model of tests/e2e/reliability_helpers).

    /usr/bin/python3 tests/soak/soak.py --duration 120         # the test command's run
    /usr/bin/python3 tests/soak/soak.py --duration 1800        # the 30-minute soak
    /usr/bin/python3 tests/soak/soak.py --duration 1800 --workers 8 --report soak.json

The load: --workers threads, each owning its secrets, in a mix of
GetSecretValue (read share), CreateSecret, PutSecretValue, DeleteSecret
(scheduled and forced) and RestoreSecret; one more thread lists and
describes.  The run has a warm-up (a fifth of it, at least 5 s) after which
the load pauses, the server settles (idle connections close) and the
baseline is taken; the main part runs, pauses and settles the same way and
is compared with the baseline:
- RSS: at most 10 % + 4 MiB above the baseline;
- descriptors: no more sockets than at the baseline, and no more files
  than the baseline plus what the SQLite connection pool may have opened;
- the model check: every secret as acknowledged, one AWSCURRENT each,
  nothing unknown listed; no request refused that the model allows; no 5xx
  or dropped connection at all.
Samples (RSS, descriptors, threads, requests) are printed every
--sample-seconds.  Exit status 0 when every check holds.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "e2e"))

import harness  # noqa: E402
from harness import Server, sesame_init  # noqa: E402
from reliability_helpers import (Worker, check_against_model,  # noqa: E402
                                 proc_fd_targets, proc_rss_kb, wait_until)

IDLE_TIMEOUT = 3
RSS_MARGIN_RATIO = 0.10
RSS_MARGIN_KB = 4096


def status_field(pid, name):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return -1


def fd_kinds(pid):
    sockets = files = other = 0
    for t in proc_fd_targets(pid):
        target = t.split("->", 1)[1]
        if target.startswith("socket:"):
            sockets += 1
        elif target.startswith("/"):
            files += 1
        else:
            other += 1
    return {"sockets": sockets, "files": files, "other": other,
            "total": sockets + files + other}


class Lister(threading.Thread):
    """ListSecrets pages and DescribeSecret of what they list."""

    def __init__(self, server, stop, seed):
        super().__init__(daemon=True, name="lister")
        self.server = server
        self.stop_event = stop
        self.rng = random.Random(seed)
        self.calls = 0
        self.errors = []

    def run(self):
        client = self.server.client()
        while not self.stop_event.is_set():
            try:
                page = client.list_secrets(MaxResults=20)
                self.calls += 1
                for s in page.get("SecretList", [])[:3]:
                    try:
                        client.describe_secret(SecretId=s["ARN"])
                        self.calls += 1
                    except client.exceptions.ResourceNotFoundException:
                        pass        # deleted meanwhile by a worker
            except Exception as e:      # noqa: BLE001 - reported, not hidden
                self.errors.append(repr(e))
                return
            self.stop_event.wait(self.rng.uniform(0.0, 0.05))


class Load:
    def __init__(self, server, workers, seed, read_share):
        self.server = server
        self.rng = random.Random(seed)
        self.models = [dict() for _ in range(workers)]
        self.read_share = read_share
        self.workers = []
        self.listers = []
        self.acked = {}
        self.lister_calls = 0
        self.stop = None
        self.finished_workers = []

    def start(self):
        self.stop = threading.Event()
        self.workers = [Worker(i, self.server.client, "soak", self.stop,
                               seed=self.rng.random(), models=self.models[i],
                               max_live=8, max_value_len=2048,
                               read_share=self.read_share)
                        for i in range(len(self.models))]
        self.listers = [Lister(self.server, self.stop, self.rng.random())]
        for t in self.workers + self.listers:
            t.start()

    def pause(self):
        self.stop.set()
        for t in self.workers + self.listers:
            t.join(timeout=120)
        for w in self.workers:
            for k, v in w.acked.items():
                self.acked[k] = self.acked.get(k, 0) + v
        self.lister_calls += sum(t.calls for t in self.listers)
        self.finished_workers = self.workers
        self.workers, self.listers = [], []

    def requests(self):
        """Answered requests so far (the running phase included)."""
        live = sum(sum(w.acked.values()) for w in self.workers) + \
            sum(t.calls for t in self.listers)
        return sum(self.acked.values()) + self.lister_calls + live

    def failures(self):
        out = []
        for w in self.finished_workers:
            if w.uncertain is not None:
                out.append(f"worker {w.wid}: {w.uncertain[2]} on "
                           f"{w.uncertain[0].name} got no answer or a 5xx")
            out.extend(w.unexpected)
        for t in self.listers:
            out.extend(t.errors)
        return out


def run_phase(load, pid, seconds, sample_seconds, samples, t_start, phase):
    load.start()
    end = time.monotonic() + seconds
    next_sample = time.monotonic()
    while time.monotonic() < end:
        if time.monotonic() >= next_sample:
            s = {"t": round(time.monotonic() - t_start, 1), "phase": phase,
                 "rss_kb": proc_rss_kb(pid), "fds": fd_kinds(pid)["total"],
                 "threads": status_field(pid, "Threads"),
                 "requests": load.requests()}
            samples.append(s)
            print(json.dumps(s), flush=True)
            next_sample += sample_seconds
        if any(not w.is_alive() for w in load.workers):
            break           # a worker met an uncertain result: stop now
        time.sleep(0.2)
    load.pause()
    return load.failures()


def settle(pid, want_sockets=None):
    """Wait until idle connections are closed by the server."""
    wait_until(lambda: fd_kinds(pid)["sockets"] <= (want_sockets or 2),
               timeout=IDLE_TIMEOUT + 15)
    time.sleep(0.5)
    return {"rss_kb": proc_rss_kb(pid), **fd_kinds(pid)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=120)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--read-share", type=float, default=0.4)
    ap.add_argument("--sample-seconds", type=float, default=0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--bin", default=os.environ.get("SESAME_BIN",
                                                    str(harness.REPO / "build/sesame")))
    ap.add_argument("--report", help="write the summary JSON here too")
    ap.add_argument("--keep", action="store_true", help="keep the data folder")
    args = ap.parse_args()

    harness.SESAME_BIN = Path(args.bin)
    seed = args.seed or time.time_ns() % 1_000_000
    sample_seconds = args.sample_seconds or max(2.0, args.duration / 30)
    tmp = Path(tempfile.mkdtemp(prefix="sesame-soak-"))
    dd = sesame_init(tmp / "data", account_id="111122223333")
    srv = Server(dd, tmp / "server.log", account_id="111122223333",
                 extra_args=["--idle-timeout-seconds", str(IDLE_TIMEOUT)])
    srv.start()
    pid = srv.proc.pid
    t_start = time.monotonic()
    samples, problems = [], []
    load = Load(srv, args.workers, seed, args.read_share)
    warmup = max(5.0, args.duration / 5)
    try:
        at_start = settle(pid)
        problems += run_phase(load, pid, warmup, sample_seconds, samples,
                              t_start, "warm-up")
        baseline = settle(pid)
        problems += run_phase(load, pid, args.duration - warmup, sample_seconds,
                              samples, t_start, "main")
        end = settle(pid)
        if srv.alive():
            problems += check_against_model(srv, load.finished_workers, "soak")
        else:
            problems.append(f"the server died (exit {srv.proc.poll()})")

        rss_limit = baseline["rss_kb"] * (1 + RSS_MARGIN_RATIO) + RSS_MARGIN_KB
        if end["rss_kb"] > rss_limit:
            problems.append(f"RSS grew from {baseline['rss_kb']} kB to "
                            f"{end['rss_kb']} kB (limit {rss_limit:.0f} kB)")
        if end["sockets"] > baseline["sockets"]:
            problems.append(f"sockets: {baseline['sockets']} -> {end['sockets']}: "
                            f"{proc_fd_targets(pid)}")
        # Each pooled SQLite connection holds the database and its WAL.
        file_limit = baseline["files"] + 2 * (args.workers + 2)
        if end["files"] > file_limit:
            problems.append(f"files: {baseline['files']} -> {end['files']} "
                            f"(limit {file_limit}): {proc_fd_targets(pid)}")
        log = srv.log_text()
        for marker in harness.SANITIZER_MARKERS:
            if marker in log:
                problems.append(f"sanitizer report in the server log: {marker}")
    finally:
        rc = srv.stop(check=False) if srv.proc is not None else None
    if rc not in (0, None):
        problems.append(f"exit status {rc} after SIGTERM")
    elapsed = time.monotonic() - t_start
    summary = {
        "duration_s": round(elapsed, 1), "workers": args.workers, "seed": seed,
        "binary": str(args.bin), "requests": load.requests(),
        "requests_per_s": round(load.requests() / max(elapsed, 1e-9), 1),
        "acknowledged": load.acked, "at_start": at_start, "baseline": baseline,
        "end": end, "rss_peak_kb": max(s["rss_kb"] for s in samples),
        "threads_peak": max(s["threads"] for s in samples),
        "problems": problems, "ok": not problems,
    }
    print(json.dumps(summary, indent=1))
    if args.report:
        Path(args.report).write_text(json.dumps({"summary": summary,
                                                 "samples": samples}, indent=1))
    if not args.keep:
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print(f"data folder kept: {tmp}")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
