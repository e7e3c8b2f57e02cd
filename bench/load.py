"""Load benchmark: Painmap against the smallest FastAPI app, on 127.0.0.1.

Starts one uvicorn worker of each (Painmap with ``painmap serve``, the
reference with uvicorn's defaults), warms both, then drives them with wrk
(2 threads, 32 connections) in pairs of runs, reference then Painmap, so
that machine noise hits both alike. Prints per endpoint the medians of
req/s, p50 and p99 over the pairs and the median of each pair's ratio to
the reference, then cold start (median of three, beside the reference's),
first database build and memory. Only ratios mean anything on a shared
machine, and even they move by a tenth or more between pairs.

The headline is new questions: every request a different lay question (two
places from data/regions.yaml × sides × phrasings, about two million of
them, each run starting where the last stopped), so no cache helps. Repeated
questions, a muscle record and a body map are measured after it.

    python bench/load.py [--seconds 5] [--rounds 3] [--soak 60]

--soak N additionally runs N seconds of new questions at 64 connections and
fails on any error answer, socket error or memory growth.
Needs wrk (apt-get install wrk). Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
HEADACHE = "/v1/pain-sources?q=" + quote("where might a headache be coming from")
NEW_QUESTIONS = "#new-questions"
ENDPOINTS = [
    ("lookup: new questions", NEW_QUESTIONS),
    ("lookup: repeated, headache", HEADACHE),
    (
        "lookup: repeated, jaw neck shoulder",
        "/v1/pain-sources?q=" + quote("pain in my left jaw, neck and shoulder"),
    ),
    ("muscle detail", "/v1/muscles/infraspinatus"),
    ("body map", "/v1/body-map.svg?muscle=infraspinatus"),
]
SIDES = ["", "left ", "right ", "both "]
PHRASINGS = [
    "pain in my {side}{a} and {b}",
    "my {side}{a} hurts and my {b} aches",
    "{side}{a} pain spreading to my {b}",
    "why does my {side}{a} ache when my {b} is sore",
    "sore {side}{a}, also my {b}",
    "I get a dull ache in my {side}{a} that goes into my {b}",
    "sharp pain in the {side}{a} and {b} after work",
    "{side}{a} and {b} hurt when I sit at my desk",
    "throbbing in my {side}{a} and a tight {b}",
    "my {side}{a} has been sore for a week, now my {b} too",
    "aching {side}{a} and {b} since I started running",
    "where could pain in my {side}{a} and {b} come from?",
]
# One wrk script for every new-question run: each request composes the next
# question of the sequence; threads interleave, and a run starts at OFFSET.
NEW_QUESTIONS_LUA = """
local places = {%(places)s}
local sides = {%(sides)s}
local phrasings = {%(phrasings)s}
local threads_started = 0
function setup(thread)
  thread:set("id", threads_started)
  threads_started = threads_started + 1
end
local counter = 0
local function encode(text)
  return (text:gsub("[^%%w]", function(c) return string.format("%%%%%%02X", string.byte(c)) end))
end
request = function()
  local n = %(offset)d + counter * 2 + id
  counter = counter + 1
  local a = n %% #places; n = math.floor(n / #places)
  local b = n %% #places; n = math.floor(n / #places)
  local s = n %% #sides; n = math.floor(n / #sides)
  local p = n %% #phrasings
  local text = phrasings[p + 1]:gsub("{side}", sides[s + 1]):gsub("{a}", places[a + 1]):gsub("{b}", places[b + 1])
  return wrk.format("GET", "/v1/pain-sources?q=" .. encode(text))
end
"""
# Requests a new-question run can make, at most: the next run starts past them.
MAX_REQUESTS_PER_SECOND = 20_000


@dataclass
class Run:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    non_2xx: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_ready(url: str, timeout: float = 30) -> float:
    started = time.perf_counter()
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            pass
        if time.perf_counter() - started > timeout:
            raise TimeoutError(url)
        time.sleep(0.01)


def serve(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Painmap as operators run it: ``painmap serve`` (its HTTP protocol,
    limits and event loop), one worker, without the per-request log line
    (the reference writes none either)."""
    command = [sys.executable, "-m", "app", "serve", "--host", HOST, "--port", str(port)]
    return subprocess.Popen(command, cwd=ROOT, env={**env, "PAINMAP_LOG_LEVEL": "warning"})


def start(app: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A bare ASGI app under uvicorn's defaults, one worker."""
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        "1",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def started_three_times(
    launch: Callable[[], subprocess.Popen[bytes]], url: str
) -> tuple[subprocess.Popen[bytes], float]:
    """Starts a server three times; the last one, left running, and the median
    seconds from spawn to its first answer at ``url``."""
    seconds = []
    for attempt in range(3):
        spawn = time.perf_counter()
        process = launch()
        try:
            wait_ready(url)
        except BaseException:
            process.terminate()
            raise
        seconds.append(time.perf_counter() - spawn)
        if attempt < 2:
            process.terminate()
            process.wait(timeout=10)
    return process, statistics.median(seconds)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def places() -> list[str]:
    """Lay names of places, from the region tree (names and synonyms)."""
    import yaml

    found: list[str] = []

    def visit(nodes: list[dict]) -> None:
        for node in nodes:
            for text in [node["name"], *node.get("synonyms", [])[:2]]:
                text = text.lower()
                if text.replace(" ", "").replace("-", "").isalpha() and text not in found:
                    found.append(text)
            visit(node.get("children", []))

    visit(yaml.safe_load((ROOT / "data" / "regions.yaml").read_text(encoding="utf-8")))
    return found


class NewQuestions:
    """Writes the wrk script for each new-question run, never reusing a question."""

    def __init__(self) -> None:
        self.offset = 0
        self.folder = Path(tempfile.mkdtemp(prefix="painmap-questions-"))
        self.places = places()
        self.count = len(self.places) ** 2 * len(SIDES) * len(PHRASINGS)

    def script(self, seconds: int) -> Path:
        def lua_list(items: list[str]) -> str:
            return ", ".join('"' + item.replace('"', "") + '"' for item in items)

        path = self.folder / f"questions-{self.offset}.lua"
        path.write_text(
            NEW_QUESTIONS_LUA
            % {
                "places": lua_list(self.places),
                "sides": lua_list(SIDES),
                "phrasings": lua_list(PHRASINGS),
                "offset": self.offset,
            }
        )
        self.offset += seconds * MAX_REQUESTS_PER_SECOND
        if self.offset > self.count:
            raise RuntimeError("the benchmark ran out of new questions: lengthen PHRASINGS")
        return path


QUESTIONS: NewQuestions | None = None


def wrk(url: str, seconds: int, connections: int = 32) -> Run:
    global QUESTIONS
    # A request counts as failed after 10 s (wrk's 2 s would count queueing
    # behind 64 connections on two shared cores as errors).
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    if url.endswith(NEW_QUESTIONS):
        QUESTIONS = QUESTIONS or NewQuestions()
        command += ["-s", str(QUESTIONS.script(seconds))]
        url = url.removesuffix(NEW_QUESTIONS) + "/"
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Run(
        rps,
        _ms(*p50.groups()),
        _ms(*p99.groups()),
        sum(int(n) for n in errors.groups()) if errors else 0,
        int(non_2xx.group(1)) if non_2xx else 0,
    )


def _row(name: str, runs: list[Run], pairs: list[tuple[Run, Run]] | None = None) -> str:
    """Medians of the runs; with ``pairs``, the median ratios to the reference
    run just before each, and every pair's throughput ratio."""
    row = (
        f"{name:32} {statistics.median(r.requests_per_second for r in runs):9.0f} "
        f"{statistics.median(r.p50_ms for r in runs):8.2f} "
        f"{statistics.median(r.p99_ms for r in runs):8.2f}"
    )
    if pairs is None:
        return row
    throughput = [run.requests_per_second / ref.requests_per_second for ref, run in pairs]
    tail = [run.p99_ms / ref.p99_ms for ref, run in pairs]
    each = " ".join(f"{ratio:.2f}" for ratio in throughput)
    return f"{row} {statistics.median(throughput):12.2f} {statistics.median(tail):10.2f}   ({each})"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument(
        "--rounds", type=int, default=3, help="reference-then-Painmap run pairs per endpoint"
    )
    parser.add_argument("--soak", type=int, default=0, help="seconds of 64-connection soak")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="painmap-bench-"))
    env = {
        **os.environ,
        "PAINMAP_SQLITE_PATH": str(workdir / "bench.sqlite3"),
        "PAINMAP_RELOAD_INTERVAL": "0",
    }
    env.pop("DATABASE_URL", None)

    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "app", "load"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    build_seconds = time.perf_counter() - started

    ref_port, app_port = free_port(), free_port()
    # Cold start on its own (the reference starts once Painmap answers), and
    # the bare reference's own, for scale: what any FastAPI service pays on
    # this machine before doing anything.
    service: subprocess.Popen[bytes] | None = None
    reference: subprocess.Popen[bytes] | None = None
    try:
        service, cold_start = started_three_times(
            lambda: serve(app_port, env), f"http://{HOST}:{app_port}{HEADACHE}"
        )
        reference, reference_start = started_three_times(
            lambda: start("bench.reference_app:app", ref_port, env),
            f"http://{HOST}:{ref_port}/ping",
        )
        ref_url = f"http://{HOST}:{ref_port}/ping"
        for _, path in ENDPOINTS:  # warm-up
            wrk(f"http://{HOST}:{app_port}{path}", 1)
        wrk(ref_url, 1)

        print(
            f"{'endpoint':32} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'x ref req/s':>12} {'x ref p99':>10}"
        )
        failures = 0
        for name, path in ENDPOINTS:
            # Pairs of runs, reference then Painmap: each ratio compares runs a
            # few seconds apart, and the median of the pairs is reported.
            pairs = []
            for _ in range(args.rounds):
                ref = wrk(ref_url, args.seconds)
                run = wrk(f"http://{HOST}:{app_port}{path}", args.seconds)
                failures += run.errors + run.non_2xx
                pairs.append((ref, run))
            print(_row("reference /ping", [ref for ref, _ in pairs]))
            print(_row(name, [run for _, run in pairs], pairs))
        memory = rss_mb(service.pid)
        print(f"\nfirst database build   {build_seconds:6.2f} s   (target < 5 s)")
        print(
            f"cold start to a lookup {cold_start:6.2f} s   (target < 1.0 s; "
            f"the bare reference to its first answer: {reference_start:.2f} s)"
        )
        print(f"RSS after the runs     {memory:6.1f} MB  (target < 150 MB)")

        if args.soak:
            before = rss_mb(service.pid)
            soak = wrk(f"http://{HOST}:{app_port}{NEW_QUESTIONS}", args.soak, connections=64)
            after = rss_mb(service.pid)
            print(
                f"soak {args.soak} s at 64 connections: {soak.requests_per_second:.0f} req/s, "
                f"{soak.errors} socket errors, {soak.non_2xx} error answers, "
                f"RSS {before:.1f} -> {after:.1f} MB"
            )
            failures += soak.errors + soak.non_2xx + (after > before * 1.2 + 5)
        return 1 if failures else 0
    finally:
        for process in (service, reference):
            if process is None:
                continue
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
