"""The benchmark: our API against its references, over growing data, on gunicorn and wrk.

For each N it regenerates the data, counts the queries of our list and detail in-process
(`measurement.api`, failing against its QUERY_BUDGET), starts gunicorn with several workers on a
free loopback port, warms up, and drives wrk at each endpoint for a fixed time. Then it measures
the reminder job. It prints a table and writes JSON. `manage.py benchmark` is the entry point.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection

from commitments.models import Commitment

from .generate import generate
from .measurement.api import (
    BARE_FLAT_LIST,
    BARE_LIST,
    LIST_FILTER,
    OUR_DETAIL,
    OUR_LIST,
    PATCH_FROM,
    PATCH_TO,
    PLAIN_LIST,
    STATUS_PATCH,
    bench_token,
    count_queries,
    over_budget,
    prepare_patch_pool,
)


@dataclass
class Options:
    sizes: tuple[int, ...] = (1_000, 10_000, 100_000)
    duration: int = 12
    rounds: int = 3
    warmup: int = 2
    connections: int = 8
    workers: int = 4
    threads: int = 2
    reminder_sizes: tuple[tuple[int, int], ...] = ((10_000, 1_000), (100_000, 10_000))
    briefing_items: int = 500  # 0: no briefing measured
    output: Path = field(default_factory=lambda: Path(settings.VAR_DIR) / "benchmark.json")
    seed: int = 42
    log: Callable[[str], None] = print


@dataclass
class LoadResult:
    endpoint: str
    n: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    error_detail: dict = field(default_factory=dict)
    rounds_rps: list[float] = field(default_factory=list)
    cpu_ms: float | None = None  # CPU of gunicorn + database backends per request


@dataclass
class Report:
    options: dict
    load: list[LoadResult] = field(default_factory=list)
    queries: dict[str, dict[str, int]] = field(default_factory=dict)
    reminders: list[dict] = field(default_factory=list)
    briefing: dict = field(default_factory=dict)
    generation: dict[str, dict] = field(default_factory=dict)
    ratios: dict[str, float] = field(default_factory=dict)
    targets: dict[str, dict] = field(default_factory=dict)
    budget_failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def result(self, endpoint: str, n: int) -> LoadResult | None:
        return next((r for r in self.load if r.endpoint == endpoint and r.n == n), None)


# --- Helpers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_command(port: int, workers: int, *extra: str) -> list[str]:
    """gunicorn serving the project on a loopback port (the tests that start it use this too)."""
    return [
        *(sys.executable, "-m", "gunicorn", "tracker.wsgi:application"),
        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers), *extra),
    ]


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError(
            "wrk is not installed: `make benchmark-deps` (apt-get install wrk) and run again."
        )
    return found


LUA = r"""
local ids = {%(ids)s}
local method = "%(method)s"
local path_tpl = "%(path)s"
local body_tpl = %(body)s
local token = "%(token)s"
local from_status, to_status = "%(from_status)s", "%(to_status)s"
local i = 0
local flipped = {}

request = function()
  i = i + 1
  -- wrk calls request() once on thread 0's state to check the script and never sends that one;
  -- a write there would leave the toggle out of step, so the first request is a harmless read.
  if i == 1 and body_tpl then
    local read = string.gsub(string.gsub(path_tpl, "{id}", tostring(ids[1])), "transitions/$", "")
    return wrk.format("GET", read, {["Authorization"] = "Token " .. token})
  end
  local id = ids[(i %% #ids) + 1]
  local path = string.gsub(path_tpl, "{id}", tostring(id))
  local headers = {["Authorization"] = "Token " .. token, ["Accept"] = "application/json"}
  local body = nil
  if body_tpl then
    local status = flipped[id] and from_status or to_status
    flipped[id] = not flipped[id]
    body = string.format(body_tpl, status)
    headers["Content-Type"] = "application/json"
  end
  return wrk.format(method, path, headers, body)
end

local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end

bad = ""
response = function(status, headers, body)
  if status >= 400 then
    local text = string.gsub(body or "", "[\r\n\"\\]", " ")
    bad = bad .. status .. ":" .. string.sub(text, 1, 600) .. "|"
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  local bodies = ""
  for _, t in ipairs(threads) do bodies = bodies .. (t:get("bad") or "") end
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, ' ..
    '"p99_us": %%d, "errors": %%d, "connect": %%d, "read": %%d, "write": %%d, ' ..
    '"timeout": %%d, "status": %%d, "bad": "%%s"}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect + e.read + e.write + e.timeout + e.status,
    e.connect, e.read, e.write, e.timeout, e.status, string.sub(bodies, 1, 2000)))
end
"""


def run_wrk(
    wrk: str,
    base_url: str,
    *,
    path: str,
    ids: list[int],
    token: str,
    seconds: int,
    connections: int,
    method: str = "GET",
    body: str | None = None,
) -> dict:
    if body is not None and len(ids) <= connections:
        raise ValueError("a status-change pool must be larger than the connections")
    script = LUA % {
        "ids": ", ".join(str(i) for i in ids) or "0",
        "method": method,
        "path": path,
        "body": json.dumps(body) if body is not None else "nil",
        "token": token,
        "from_status": PATCH_FROM,
        "to_status": PATCH_TO,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        proc = subprocess.run(  # noqa: S603
            [
                wrk,
                "-t1",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                handle.name,
                base_url,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        )
    finally:
        os.unlink(handle.name)
    line = next(x for x in proc.stdout.splitlines() if x.startswith("WRKJSON "))
    return json.loads(line.removeprefix("WRKJSON "))


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of one process (Linux /proc); 0 where it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    if int(handle.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def stack_cpu(master_pid: int) -> dict[int, float]:
    """CPU seconds used so far by gunicorn (master and workers) and this database's backends.

    Requests per second move with whatever else the machine runs; CPU per request hardly does,
    so the table shows both.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        backends = [row[0] for row in cursor.fetchall()]
    return {pid: _process_cpu(pid) for pid in [master_pid, *_children(master_pid), *backends]}


def cpu_between(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU used between two `stack_cpu` readings by the processes alive at the second one (a
    database connection closed in between takes its share with it: a slight undercount)."""
    return sum(max(cpu - before.get(pid, 0.0), 0.0) for pid, cpu in after.items())


@contextlib.contextmanager
def gunicorn(port: int, options: Options) -> Iterator[tuple[str, int]]:
    env = {
        **os.environ,
        # The reference views live in the lab, which production settings leave out: put it back.
        "TRACKER_PERF_LAB": "true",
        "BENCHMARK_REFERENCE_VIEWS": "true",
        # Production settings, served over plain HTTP on loopback.
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "benchmark-" + "x" * 40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_DEBUG": "false",
        # The load generator is one user: lift the per-user throttle but keep its code path. A
        # one-second window keeps DRF's per-user request history (pickled into the cache on every
        # request) as short as a real user's; a day-long one would grow with the run.
        "API_THROTTLE_USER": "100000/second",
        "LOG_LEVEL": "WARNING",
    }
    command = gunicorn_command(
        port,
        options.workers,
        *("--worker-class", "gthread", "--threads", str(options.threads), "--log-level", "warning"),
    )
    # Production refuses to serve without collectstatic's manifest (tracker/checks.py).
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env,
        cwd=settings.BASE_DIR,
        check=True,
    )
    proc = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + BARE_LIST, timeout=2)  # noqa: S310
                break
            except urllib.error.HTTPError:
                break  # 401: up and answering
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        yield base, proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- The run ------------------------------------------------------------------------------------


def measure_api(n: int, options: Options, report: Report, wrk: str) -> None:
    generate_data(n, options, report)
    token = bench_token()
    ids = list(Commitment.objects.order_by("?").values_list("id", flat=True)[:500])
    warm_pool, measure_pool = patch_pools(options.connections)
    record_query_counts(n, token, ids[0], options, report)
    endpoints = load_endpoints(ids, measure_pool)
    runs = drive_load(endpoints, warm_pool, token, options, wrk)
    record_load(n, endpoints, runs, options, report)


def generate_data(n: int, options: Options, report: Report) -> None:
    options.log(f"[N={n}] generating data")
    gen = generate(commitments=n, flush=True, seed=options.seed, users=min(1000, max(10, n // 10)))
    report.generation[str(n)] = {"seconds": round(gen.seconds, 2), "summary": gen.summary()}
    options.log(f"[N={n}] {gen.summary()}")


def patch_pools(connections: int) -> tuple[list[int], list[int]]:
    """The status-change pool in two halves, one to warm up on and one to measure.

    The Lua toggle assumes every id starts at PATCH_FROM, and the warm-up leaves its ids in either
    status, so the measured run needs ids the warm-up never touched.
    """
    pool = prepare_patch_pool(2 * max(200, 4 * connections))
    half = len(pool) // 2
    return pool[:half], pool[half:]


def record_query_counts(
    n: int, token: str, detail_id: int, options: Options, report: Report
) -> None:
    counts = count_queries(token, detail_id)
    report.queries[str(n)] = counts
    report.budget_failures += over_budget(counts, n)
    options.log(f"[N={n}] queries per request: {counts}")


def load_endpoints(detail_ids: list[int], patch_ids: list[int]) -> list[tuple[str, dict]]:
    """(name, run_wrk arguments) of each endpoint, in the order the report lists them."""
    query = "&".join(f"{k}={v}" for k, v in LIST_FILTER.items())
    return [
        ("our_list", {"path": f"{OUR_LIST}?{query}", "ids": []}),
        ("plain_drf_list", {"path": f"{PLAIN_LIST}?{query}", "ids": []}),
        ("bare_values_list", {"path": f"{BARE_LIST}?{query}", "ids": []}),
        ("bare_flat_list", {"path": f"{BARE_FLAT_LIST}?{query}", "ids": []}),
        ("our_detail", {"path": OUR_DETAIL, "ids": detail_ids}),
        (
            "our_status_change",
            {
                "path": STATUS_PATCH.path,
                "ids": patch_ids,
                "method": STATUS_PATCH.method,
                "body": STATUS_PATCH.body,
            },
        ),
    ]


# One wrk run against the server: (seconds, run_wrk arguments) -> wrk's figures.
LoadRun = Callable[[int, dict], dict]


def drive_load(
    endpoints: list[tuple[str, dict]],
    warm_pool: list[int],
    token: str,
    options: Options,
    wrk: str,
) -> dict[str, list[dict]]:
    """wrk's figures for each endpoint, one per round, from a gunicorn started for them."""
    common = {"token": token, "connections": options.connections}
    with gunicorn(free_port(), options) as (base, pid):

        def load(seconds: int, spec: dict) -> dict:
            return run_wrk(wrk, base, seconds=seconds, **common, **spec)

        def measured(seconds: int, spec: dict) -> dict:
            before = stack_cpu(pid)
            raw = load(seconds, spec)
            raw["cpu_s"] = cpu_between(before, stack_cpu(pid))
            return raw

        if options.warmup:
            warm_up(load, endpoints, warm_pool, options.warmup)
        return measure_endpoints(measured, endpoints, options)


def warm_up(
    load: LoadRun, endpoints: list[tuple[str, dict]], warm_pool: list[int], seconds: int
) -> None:
    for _, spec in endpoints:
        warm_spec = {**spec, "ids": warm_pool} if "body" in spec else spec
        load(seconds, warm_spec)


def measure_endpoints(
    measured: LoadRun, endpoints: list[tuple[str, dict]], options: Options
) -> dict[str, list[dict]]:
    lists = [e for e in endpoints if e[0].endswith("_list")]
    others = [e for e in endpoints if not e[0].endswith("_list")]
    runs: dict[str, list[dict]] = {}
    # The lists are compared with each other, so they take turns, round after round: a burst
    # of load from elsewhere on the machine then falls on all of them alike.
    per_round = max(1, round(options.duration / options.rounds))
    for _ in range(options.rounds):
        for name, spec in lists:
            runs.setdefault(name, []).append(measured(per_round, spec))
    for name, spec in others:
        runs[name] = [measured(options.duration, spec)]
    return runs


def record_load(
    n: int,
    endpoints: list[tuple[str, dict]],
    runs: dict[str, list[dict]],
    options: Options,
    report: Report,
) -> None:
    for name, _ in endpoints:
        result = combine(name, n, runs[name])
        report.load.append(result)
        options.log(
            f"[N={n}] {name:<18} {result.rps:>8.1f} req/s  p50 {result.p50_ms:>7.2f} ms  "
            f"p95 {result.p95_ms:>7.2f} ms  errors {result.errors}"
        )


def combine(endpoint: str, n: int, runs: list[dict]) -> LoadResult:
    """Throughput over all rounds; latency percentiles as the median of the rounds' percentiles."""
    requests = sum(r["requests"] for r in runs)
    seconds = sum(r["duration_us"] for r in runs) / 1e6
    return LoadResult(
        endpoint=endpoint,
        n=n,
        requests=requests,
        seconds=round(seconds, 2),
        rps=round(requests / seconds, 1) if seconds else 0.0,
        p50_ms=round(statistics.median(r["p50_us"] for r in runs) / 1000, 2),
        p95_ms=round(statistics.median(r["p95_us"] for r in runs) / 1000, 2),
        p99_ms=round(statistics.median(r["p99_us"] for r in runs) / 1000, 2),
        errors=sum(r["errors"] for r in runs),
        rounds_rps=[round(r["requests"] / (r["duration_us"] / 1e6), 1) for r in runs],
        cpu_ms=round(sum(r["cpu_s"] for r in runs) * 1000 / requests, 2)
        if requests and all("cpu_s" in r for r in runs)
        else None,
        error_detail={
            k: sum(r.get(k, 0) for r in runs)
            for k in ("connect", "read", "write", "timeout", "status")
            if any(r.get(k) for r in runs)
        }
        | (
            {"responses": [r["bad"] for r in runs if r.get("bad")]}
            if any(r.get("bad") for r in runs)
            else {}
        ),
    )


def measure_reminders(options: Options, report: Report) -> None:
    """The reminder job at each (stale commitments, recipients) size.

    The data come from the generator (every commitment stale, responsible users spread over
    `recipients` users, one in twenty with none so its owner's coordinators get it); the job runs
    in a fresh process through the reminders' own measurement (`measure_reminders --existing
    --rss`), so its wall time is taken without tracemalloc and its peak memory is the resident
    growth of a process that did nothing else. Its work is rolled back.
    """
    for stale, recipients in options.reminder_sizes:
        options.log(f"[reminders {stale}/{recipients}] generating data")
        generate(
            commitments=stale, stale_share=1.0, users=recipients, flush=True, seed=options.seed
        )
        options.log(f"[reminders {stale}/{recipients}] running the job")
        proc = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "measure_reminders",
                "--existing",
                "--rss",
                "--json",
            ],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "LOG_LEVEL": "WARNING"},
        )
        m = json.loads(proc.stdout.strip().splitlines()[-1])
        result = {
            "stale": m["commitments"],
            "recipients": m["recipients"],
            "digests": m["digests"],
            "emails": m["emails_sent"],
            "batch_size": m["batch_size"],
            "seconds": m["wall_seconds"],
            "queries": m["queries"],
            "queries_per_digest": round(m["queries"] / max(m["digests"], 1), 2),
            "peak_mb": round(m["peak_memory_bytes"] / 1024 / 1024, 1),
        }
        report.reminders.append(result)
        options.log(f"[reminders {stale}/{recipients}] {result}")


# The bound for a briefing of 500 commitments as PDF.
BRIEFING_SECONDS = 30


def measure_briefing(options: Options, report: Report) -> None:
    """A briefing on `briefing_items` generated commitments as PDF, built in a fresh process by
    the lab's `measure_briefing --json` (gathering and WeasyPrint's rendering, wall and CPU)."""
    items = options.briefing_items
    if items <= 0:
        return
    options.log(f"[briefing {items}] generating data")
    generate(commitments=max(items, 1_000), flush=True, seed=options.seed)
    options.log(f"[briefing {items}] building the PDF")
    proc = subprocess.run(  # noqa: S603 (our own command, a number)
        [sys.executable, "manage.py", "measure_briefing", "--items", str(items), "--json"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
    )
    report.briefing = json.loads(proc.stdout.strip().splitlines()[-1])
    options.log(f"[briefing {items}] {report.briefing}")


def briefing_target(briefing: dict) -> dict[str, dict]:
    seconds = briefing["seconds"]
    name = f"briefing of {briefing['items']} commitments as PDF <= {BRIEFING_SECONDS} s"
    return {name: {"value": seconds, "met": seconds <= BRIEFING_SECONDS}}


def throughput_ratio(ours: LoadResult, other: LoadResult) -> float | None:
    """Median over the rounds of ours/other, each round's pair measured back to back.

    A burst of load from elsewhere on the machine moves both sides of a round alike, so the
    median of the rounds' ratios is steadier than the ratio of the totals.
    """
    pairs = [(a, b) for a, b in zip(ours.rounds_rps, other.rounds_rps, strict=False) if b]
    if not pairs:
        return round(ours.rps / other.rps, 3) if other.rps else None
    return round(statistics.median(a / b for a, b in pairs), 3)


def compute_ratios(report: Report, sizes: tuple[int, ...]) -> None:
    """Adds the ratios of this run to the report's and sets the targets from all of them."""
    for n in sizes:
        add_reference_ratios(report, n)
    low, high = min(sizes), max(sizes)
    add_latency_growth(report, low, high)
    report.targets = list_targets(report.ratios, low, high)
    if len(report.reminders) >= 2:
        report.targets |= reminder_targets(report.reminders[0], report.reminders[-1])
    if report.briefing:
        report.targets |= briefing_target(report.briefing)


def add_reference_ratios(report: Report, n: int) -> None:
    """Our list against each reference list at size n: throughput, and capacity by CPU."""
    ours = report.result("our_list", n)
    if ours is None:
        return
    for other, key in (
        ("bare_values_list", "ours_over_bare_rps"),
        ("plain_drf_list", "ours_over_plain_drf_rps"),
        ("bare_flat_list", "ours_over_bare_flat_rps"),  # for information: no target
    ):
        result = report.result(other, n)
        ratio = throughput_ratio(ours, result) if result else None
        if ratio is not None:
            report.ratios[f"{key}@{n}"] = ratio
        if result and result.cpu_ms and ours.cpu_ms:  # capacity: CPU per request, inverted
            cpu_key = key.replace("_rps", "_by_cpu")
            report.ratios[f"{cpu_key}@{n}"] = round(result.cpu_ms / ours.cpu_ms, 3)


def latency_growth_key(low: int, high: int) -> str:
    return f"our_list_p95@{high}_over_p95@{low}"


def add_latency_growth(report: Report, low: int, high: int) -> None:
    ours_low, ours_high = report.result("our_list", low), report.result("our_list", high)
    if ours_low and ours_high and low != high and ours_low.p95_ms:
        report.ratios[latency_growth_key(low, high)] = round(ours_high.p95_ms / ours_low.p95_ms, 3)


def list_targets(ratios: dict[str, float], low: int, high: int) -> dict[str, dict]:
    bare_ratios = [v for k, v in ratios.items() if k.startswith("ours_over_bare_rps")]
    plain_ratios = [v for k, v in ratios.items() if k.startswith("ours_over_plain_drf_rps")]
    targets = {
        "list >= 60% of bare .values() throughput": worst_ratio_target(bare_ratios, 0.6),
        "list >= 2x plain DRF throughput": worst_ratio_target(plain_ratios, 2.0),
    }
    if low != high:
        growth = ratios.get(latency_growth_key(low, high))
        targets[f"list p95 at {high} <= 1.5x p95 at {low}"] = {
            "value": growth,
            "met": growth is not None and growth <= 1.5,
        }
    return targets


def worst_ratio_target(ratios: list[float], floor: float) -> dict:
    """The smallest ratio over the sizes against its floor; missed when no size gave one."""
    worst = min(ratios) if ratios else None
    return {"value": worst, "met": worst is not None and worst >= floor}


def reminder_targets(small: dict, big: dict) -> dict[str, dict]:
    """The reminder job's smallest and largest sizes compared."""
    rows = big["stale"] / small["stale"]
    return {
        "reminder queries grow with batches, not rows": reminder_query_target(small, big, rows),
        "reminder time grows at most linearly": reminder_time_target(small, big, rows),
    }


def reminder_query_target(small: dict, big: dict, rows: float) -> dict:
    per_digest_small = small["queries"] / max(small["digests"], 1)
    per_digest_big = big["queries"] / max(big["digests"], 1)
    per_row_small = small["queries"] / small["stale"]
    per_row_big = big["queries"] / big["stale"]
    return {
        "value": (
            f"{small['queries']} -> {big['queries']} queries for {rows:.0f}x rows; "
            f"per digest {per_digest_small:.2f} -> {per_digest_big:.2f}; "
            f"per stale commitment {per_row_small:.3f} -> {per_row_big:.3f}"
        ),
        # The reading half must be batched (queries per stale commitment well under one)
        # and no digest may cost more as the data grow.
        "met": per_row_big < 1
        and per_row_big <= per_row_small * 1.1
        and per_digest_big <= per_digest_small * 1.1,
    }


def reminder_time_target(small: dict, big: dict, rows: float) -> dict:
    # Each size is one run of a minutes-long job on a shared machine, so "linear" allows 20%
    # of noise; anything worse than linear (n log n with a large table, let alone n²) would
    # still be far outside it at 10x the rows.
    time_ratio = big.get("seconds", 0) / max(small.get("seconds", 1e-9), 1e-9)
    return {"value": round(time_ratio, 2), "met": time_ratio <= rows * 1.2}


def render_table(report: Report) -> str:
    lines = [
        f"{'N':>8}  {'endpoint':<18} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6} "
        f"{'CPU ms/req':>10}",
        "-" * 75,
    ]
    for r in report.load:
        lines.append(
            f"{r.n:>8}  {r.endpoint:<18} {r.rps:>8.1f} {r.p50_ms:>8.2f} {r.p95_ms:>8.2f} "
            f"{r.errors:>6} {r.cpu_ms if r.cpu_ms is not None else '-':>10}"
        )
    if report.queries:
        lines += ["", "queries per request: " + json.dumps(report.queries)]
    if report.reminders:
        lines += [
            "",
            f"{'stale':>8} {'recipients':>10} {'digests':>8} {'seconds':>8} {'queries':>8} "
            f"{'q/digest':>8} {'peak MB':>8}",
        ]
        for r in report.reminders:
            lines.append(
                f"{r['stale']:>8} {r['recipients']:>10} {r.get('digests', 0):>8} "
                f"{r.get('seconds', 0):>8.2f} {r.get('queries', 0):>8} "
                f"{r.get('queries_per_digest', 0):>8} {r.get('peak_mb', 0):>8.1f}"
            )
    if report.briefing:
        b = report.briefing
        lines += [
            "",
            f"briefing: {b['items']} commitments as {b['format']}, {b['seconds']} s "
            f"({b['cpu_seconds']} s of CPU), {b['queries']} queries, {b.get('pages', '-')} pages",
        ]
    if report.ratios:
        lines += ["", "ratios:"] + [f"  {k}: {v}" for k, v in report.ratios.items()]
    if report.targets:
        lines += ["", "targets (they set the exit code only with --fail-on-targets):"] + [
            f"  [{'met' if t['met'] else 'MISSED'}] {name} ({t['value']})"
            for name, t in report.targets.items()
        ]
    if report.budget_failures:
        lines += ["", "QUERY BUDGET EXCEEDED:"] + [f"  {f}" for f in report.budget_failures]
    return "\n".join(lines)


def run(options: Options) -> Report:
    started = time.perf_counter()
    wrk = ensure_wrk()
    serialisable = {k: v for k, v in asdict(options).items() if k != "log"}
    report = Report(options={**serialisable, "output": str(options.output)})
    for n in options.sizes:
        measure_api(n, options, report, wrk)
    measure_reminders(options, report)
    measure_briefing(options, report)
    compute_ratios(report, options.sizes)
    report.seconds = round(time.perf_counter() - started, 1)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(asdict(report), indent=2, default=str))
    return report


__all__ = ["Options", "Report", "render_table", "run"]
