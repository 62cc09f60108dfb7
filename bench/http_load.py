"""HTTP benchmark: Bord against a bare uvicorn + Starlette app serving the same bytes, in one run.

    python bench/http_load.py [--db sqlite|postgres|both] [--connections 1,16,64,256]
                              [--burst 200] [--gets 500] [--quick]

For each database: a fresh one (a SQLite file in a temporary folder, or a PostgreSQL database
created and dropped here), migrated, an administrator made with the `bord` command, then `bord
serve` as in production. Through the JSON API: a school, a team, a board of 100 actions (the read
board) and an empty board (the create board). Every request measured is a teacher's of the team
(an API token made with the `bord` command), who reaches the board as a school's teachers do. The
board's JSON and page are fetched once and handed to the baseline, which serves those very bytes.

1. **Throughput** (wrk): the board's JSON and page at each connection count, Bord then the
   baseline.
2. **Latency**, nobody watching: one `PATCH` of an action, then one `POST` of a success, one after
   the other on a kept-alive connection of a lean client (bench/lean_http.py: one socket, no
   HTTP library); its floor is its own `GET` of the baseline's `/ping`; server CPU per request
   from /proc.
3. **Bursts**: N concurrent GETs of the read board; N concurrent edits of one action, all made
   against the version read before (one lands, the rest are stale); N concurrent creates on the
   create board, by a client that honours `Retry-After` (afterwards every create is counted through
   the API: it must be there exactly once).

During every wrk run and burst a watcher (its own process) asks `/healthz` every 50 ms and records
the longest time without an answer. Every client call has a time-out; the servers are killed at
the end whatever happened. A 503 with `Retry-After` counts as refused, not failed. The last line of
output is one JSON object with every figure.
"""

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from fanout import (  # noqa: E402
    cpu_seconds,
    free_port,
    percentile,
    process_cpu_seconds,
    rss_bytes,
    wait_http,
)
from lean_http import LeanHttp  # noqa: E402

BIN = Path(sys.executable).parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
ADMIN_EMAIL = "bench@example.nl"
TEACHER_EMAIL = "leerkracht@example.nl"
SCHOOL_SLUG = "benchschool"
CARDS = 100
STATUSES = ("todo", "doing", "done")

WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, '
    .. '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


# --- servers ------------------------------------------------------------------------------------


@dataclass
class Bord:
    token: str
    log: Path
    env: dict[str, str]
    url: str = ""
    proc: subprocess.Popen | None = None
    read_board: int = 0
    create_board: int = 0
    actions: list[int] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def bord_command(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [str(BIN / "bord"), *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bord {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.strip()


@contextmanager
def database(kind: str, workdir: Path):
    """A fresh database URL; a PostgreSQL database is dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'bord.db'}"
        return
    import psycopg

    name = f"bord_bench_{os.getpid()}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    try:
        base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def start_bord(db_url: str, workdir: Path) -> Bord:
    """Migrate, make an administrator and their token, then `bord serve` as in production."""
    env = {
        **os.environ,
        "BORD_DATABASE_URL": db_url,
        "BORD_ENV": "production",
        "BORD_SECRET_KEY": secrets.token_hex(32),
    }
    env.pop("BORD_REDIS_URL", None)
    bord_command(env, "db", "upgrade")
    password = secrets.token_urlsafe(16)
    bord_command(
        env, "user", "create", "--email", ADMIN_EMAIL, "--name", "Bench", "--admin", stdin=password
    )
    token = bord_command(env, "token", "create", "--email", ADMIN_EMAIL, "--label", "bench")
    bord = Bord(token=token, log=workdir / "bord.log", env=env)
    serve(bord, workdir)
    return bord


def serve(bord: Bord, workdir: Path) -> None:
    port = free_port()
    bord.proc = subprocess.Popen(
        [str(BIN / "bord"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=bord.env,
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=bord.log.open("ab"),
    )
    bord.url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{bord.url}/healthz", timeout=60)
    except Exception:
        stop(bord.proc)
        raise


def seed(bord: Bord) -> None:
    """A school, a team, a board of 100 actions and an empty board, through the JSON API; then
    a teacher of the team, whose token every measured request carries."""
    with httpx.Client(base_url=bord.url, headers=bord.headers, timeout=30) as http:

        def post(path: str, body: dict) -> dict:
            r = http.post(path, json=body)
            if r.status_code != 201:
                raise RuntimeError(f"POST {path}: {r.status_code} {r.text[:200]}")
            return r.json()

        school = post("/api/v1/schools", {"name": "Benchschool", "slug": SCHOOL_SLUG})
        team = post(f"/api/v1/schools/{school['id']}/teams", {"name": "Bovenbouw"})
        bord_command(
            bord.env,
            *("user", "create", "--email", TEACHER_EMAIL, "--name", "Leerkracht"),
            *("--school", SCHOOL_SLUG, "--role", "teacher"),
            stdin=secrets.token_urlsafe(16),
        )
        post(f"/api/v1/teams/{team['id']}/members", {"email": TEACHER_EMAIL})
        bord.read_board = post(
            f"/api/v1/teams/{team['id']}/boards", {"title": "Teambord", "kind": "team"}
        )["id"]
        bord.create_board = post(
            f"/api/v1/teams/{team['id']}/boards", {"title": "Drukte", "kind": "team"}
        )["id"]
        for i in range(CARDS):
            action = post(
                f"/api/v1/boards/{bord.read_board}/actions",
                {
                    "title": f"Actie {i + 1}: leerlingen geven elkaar feedback op hun werk",
                    "owner": ("Anna", "Bram", "Chris", "Dewi")[i % 4],
                    "status": STATUSES[i % 3],
                },
            )
            bord.actions.append(action["id"])
    bord.token = bord_command(bord.env, "token", "create", "--email", TEACHER_EMAIL)


def fetch_bytes(bord: Bord, path: str, headers: dict[str, str]) -> tuple[bytes, str | None]:
    """The body exactly as sent (no decoding) and its content-encoding."""
    with (
        httpx.Client(timeout=30) as http,
        http.stream("GET", bord.url + path, headers={**bord.headers, **headers}) as r,
    ):
        if r.status_code != 200:
            raise RuntimeError(f"GET {path}: {r.status_code}")
        return b"".join(r.iter_raw()), r.headers.get("content-encoding")


def start_baseline(workdir: Path, json_body: bytes, html_body: bytes, encoding: str | None):
    (workdir / "board.json").write_bytes(json_body)
    (workdir / "board.html").write_bytes(html_body)
    port = free_port()
    cmd = [sys.executable, str(ROOT / "bench" / "baseline_http.py"), "--port", str(port)]
    cmd += ["--json", str(workdir / "board.json"), "--html", str(workdir / "board.html")]
    if encoding:
        cmd += ["--encoding", encoding]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/ping")
    except Exception:
        stop(proc)
        raise
    return f"http://127.0.0.1:{port}", proc


# --- the /healthz watcher -----------------------------------------------------------------------


def _watch(url: str, stop_event, pipe, every: float) -> None:
    statuses: Counter = Counter()
    started = last = time.monotonic()
    longest = 0.0
    with httpx.Client(timeout=2) as http:
        while not stop_event.is_set():
            asked = time.monotonic()
            try:
                status = http.get(url).status_code
                now = time.monotonic()
                statuses[str(status)] += 1
                longest = max(longest, now - last)
                last = now
            except httpx.HTTPError:
                statuses["no answer"] += 1
            time.sleep(max(0.0, every - (time.monotonic() - asked)))
    ended = time.monotonic()
    longest = max(longest, ended - last)
    pipe.send({"longest_gap_ms": ms(longest), "statuses": dict(statuses), "s": ended - started})


class Watcher:
    """Asks /healthz every 50 ms from its own process; the longest time without any answer."""

    def __init__(self, base_url: str, every: float = 0.05):
        self.stop_event = mp.Event()
        self.parent, child = mp.Pipe()
        self.proc = mp.Process(
            target=_watch, args=(f"{base_url}/healthz", self.stop_event, child, every), daemon=True
        )

    def __enter__(self) -> "Watcher":
        self.proc.start()
        self.result: dict = {}
        return self

    def __exit__(self, *exc) -> None:
        self.stop_event.set()
        if self.parent.poll(15):
            self.result = self.parent.recv()
        else:
            self.result = {"longest_gap_ms": None, "statuses": {"watcher": "stuck"}}
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.kill()


def settle(bord: Bord, timeout: float = 120) -> float | str:
    """Wait until the server is idle again (it answers /healthz and its CPU is quiet for a
    second): requests left over from a run must not be counted in the next one. A server that
    does not recover in `timeout` seconds is restarted, and "restarted" is reported."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        cpu = cpu_seconds(bord.proc.pid)
        try:
            answered = httpx.get(f"{bord.url}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            answered = False
        time.sleep(1)
        if answered and cpu_seconds(bord.proc.pid) - cpu < 0.05:
            return round(time.monotonic() - started, 1)
    stop(bord.proc)
    serve(bord, bord.log.parent)
    return "restarted"


def idle(settled: float | str) -> str:
    return f"idle again after {settled} s" if settled != "restarted" else "stalled: restarted"


# --- throughput (wrk) ---------------------------------------------------------------------------


def wrk(url: str, connections: int, duration: float, headers: dict[str, str], script: Path):
    cmd = ["wrk", "-t", str(min(2, connections)), "-c", str(connections)]
    cmd += ["-d", f"{duration:g}s", "--timeout", "10s", "-s", str(script)]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    try:
        done = subprocess.run(
            [*cmd, url], capture_output=True, text=True, timeout=duration + 60, check=False
        )
    except subprocess.TimeoutExpired:
        return {"error": "wrk did not finish"}
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK ")), None)
    if line is None:
        return {"error": (done.stderr or done.stdout).strip()[-200:]}
    raw = json.loads(line[4:])
    seconds = raw["duration_us"] / 1e6
    failed = raw["status"] + raw["timeout"] + raw["connect"] + raw["read"] + raw["write"]
    return {
        "rps": round(raw["requests"] / seconds),
        "ok_rps": round(max(0, raw["requests"] - raw["status"]) / seconds),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "non_2xx": raw["status"],
        "socket_errors": failed - raw["status"],
        "timeouts": raw["timeout"],
    }


def throughput(args, bord: Bord, baseline_url: str, workdir: Path) -> dict:
    script = workdir / "report.lua"
    script.write_text(WRK_REPORT)
    paths = {
        "json": (f"/api/v1/boards/{bord.read_board}", "/json"),
        "html": (f"/boards/{bord.read_board}", "/html"),
    }
    out: dict = {}
    # Fewest connections first, both pages at each step: a run that stalls the server spoils
    # as little as possible of what follows.
    for conns in args.connections:
        for what, (bord_path, base_path) in paths.items():
            key = f"{what}_c{conns}"
            headers = {**bord.headers, **args.wrk_headers}
            with Watcher(bord.url) as watch:
                row = wrk(bord.url + bord_path, conns, args.duration, headers, script)
            row["healthz_gap_ms"] = watch.result["longest_gap_ms"]
            row["settle_s"] = settle(bord)
            base = wrk(baseline_url + base_path, conns, args.duration, args.wrk_headers, script)
            row["baseline_rps"] = base.get("rps")
            row["baseline_p99_ms"] = base.get("p99_ms")
            if row.get("ok_rps") is not None and base.get("rps"):
                row["ratio"] = round(row["ok_rps"] / base["rps"], 3)
            out[key] = row
            print(
                f"  {what:>4} {conns:>4} conn: Bord {row.get('ok_rps', '-')} req/s ok "
                f"(p50 {row.get('p50_ms', '-')} ms, p99 {row.get('p99_ms', '-')} ms, "
                f"{row.get('non_2xx', '-')} non-2xx, {row.get('socket_errors', '-')} socket "
                f"errors, /healthz silent {row['healthz_gap_ms']} ms)"
                f" · baseline {base.get('rps', base.get('error'))} req/s"
                f" · ratio {row.get('ratio', '-')} · {idle(row['settle_s'])}",
                flush=True,
            )
    return out


# --- latency, nobody watching -------------------------------------------------------------------


def latency(args, bord: Bord, baseline_url: str) -> dict:
    """One request at a time on a kept-alive connection of the lean client (bench/lean_http.py);
    the floor is the same client's GET of the baseline's /ping."""
    action = bord.actions[0]
    out: dict = {}
    with LeanHttp(bord.url, bord.headers) as http:
        board = http.json("GET", f"/api/v1/boards/{bord.read_board}")
        version = board["actions"][0]["version"]

        def patch(i: int) -> None:
            nonlocal version
            body = {"title": f"Feedback geven, ronde {i}", "version": version}
            version = http.json("PATCH", f"/api/v1/actions/{action}", body)["version"]

        def post(i: int) -> None:
            body = {"text": f"Iedereen deed mee, keer {i}"}
            http.json("POST", f"/api/v1/boards/{bord.create_board}/successes", body)

        for name, call in (("patch", patch), ("post", post)):
            for i in range(args.warmup):
                call(-i)
            times = []
            cpu = cpu_seconds(bord.proc.pid)
            for i in range(args.samples):
                t0 = time.perf_counter()
                call(i)
                times.append(time.perf_counter() - t0)
            cpu = cpu_seconds(bord.proc.pid) - cpu
            out[name] = {
                "p50_ms": ms(percentile(times, 50)),
                "p99_ms": ms(percentile(times, 99)),
                "server_cpu_ms": ms(cpu / args.samples),
            }
    with LeanHttp(baseline_url) as http:
        times = []
        for _ in range(args.samples):
            t0 = time.perf_counter()
            http.request("GET", "/ping")
            times.append(time.perf_counter() - t0)
        out["floor"] = {"p50_ms": ms(percentile(times, 50)), "p99_ms": ms(percentile(times, 99))}
    for name, row in out.items():
        print(
            f"  {name:>5}: p50 {row['p50_ms']} ms, p99 {row['p99_ms']} ms"
            + (f", server CPU {row['server_cpu_ms']} ms/request" if "server_cpu_ms" in row else "")
            + (" (the baseline's GET /ping: client and loopback)" if name == "floor" else ""),
            flush=True,
        )
    return out


# --- bursts -------------------------------------------------------------------------------------


def refused(r: httpx.Response) -> bool:
    return r.status_code == 503 and "retry-after" in r.headers


def retry_after(r: httpx.Response) -> float:
    try:
        return max(0.0, float(r.headers["retry-after"]))
    except ValueError:
        return 1.0


async def _burst(
    n: int, make, *, honour_retry_after: bool, request_timeout: float, deadline: float
):
    """N concurrent requests; per request: the final status, how long it took, refusals seen."""
    limits = httpx.Limits(max_connections=n + 10, max_keepalive_connections=n + 10)
    statuses: Counter = Counter()
    failed = refused_count = 0
    times: list[float] = []
    async with httpx.AsyncClient(limits=limits, timeout=request_timeout) as http:

        async def one(i: int) -> None:
            nonlocal failed, refused_count
            t0 = time.monotonic()
            while True:
                try:
                    r = await make(http, i)
                except httpx.ConnectError:
                    if time.monotonic() - t0 < request_timeout:
                        await asyncio.sleep(0.2)
                        continue
                    statuses["no connection"] += 1
                    return
                except httpx.TimeoutException:
                    statuses["time-out"] += 1
                    return
                except httpx.HTTPError as exc:
                    statuses[type(exc).__name__] += 1
                    return
                if refused(r):
                    refused_count += 1
                    if honour_retry_after and time.monotonic() - t0 < deadline:
                        await asyncio.sleep(retry_after(r) * (1 + secrets.randbelow(50) / 100))
                        continue
                elif r.status_code >= 500:
                    failed += 1
                statuses[str(r.status_code)] += 1
                times.append(time.monotonic() - t0)
                return

        started = time.monotonic()
        await asyncio.gather(*(one(i) for i in range(n)))
        wall = time.monotonic() - started
    return {
        "statuses": dict(sorted(statuses.items())),
        "5xx": failed,
        "refused_503": refused_count,
        "rps": round(n / wall, 1),
        "p50_ms": ms(percentile(times, 50)),
        "p99_ms": ms(percentile(times, 99)),
        "wall_s": round(wall, 2),
    }


def burst(bord: Bord, name: str, n: int, make, args, honour_retry_after: bool = False) -> dict:
    cpu = process_cpu_seconds(bord.proc.pid)  # worker threads may end during a burst
    with Watcher(bord.url) as watch:
        try:
            row = asyncio.run(
                asyncio.wait_for(
                    _burst(
                        n,
                        make,
                        honour_retry_after=honour_retry_after,
                        request_timeout=args.timeout,
                        deadline=args.retry_for,
                    ),
                    timeout=args.timeout + args.retry_for + 60,
                )
            )
        except TimeoutError:
            row = {"statuses": {"burst did not finish": n}, "5xx": None}
    row["server_cpu_s"] = round(process_cpu_seconds(bord.proc.pid) - cpu, 2)
    row["healthz_gap_ms"] = watch.result["longest_gap_ms"]
    row["healthz"] = watch.result["statuses"]
    row["settle_s"] = settle(bord)
    print(
        f"  {name:>6} ×{n}: {row['statuses']}, 5xx {row['5xx']}, refused {row.get('refused_503')}, "
        f"{row.get('rps')} req/s, p50 {row.get('p50_ms')} ms, p99 {row.get('p99_ms')} ms, "
        f"/healthz silent {row['healthz_gap_ms']} ms at most; {idle(row['settle_s'])}",
        flush=True,
    )
    return row


def bursts(args, bord: Bord) -> dict:
    headers = bord.headers
    out: dict = {}

    async def get(http: httpx.AsyncClient, i: int) -> httpx.Response:
        return await http.get(f"{bord.url}/api/v1/boards/{bord.read_board}", headers=headers)

    out["gets"] = burst(bord, "GETs", args.gets, get, args)

    action = bord.actions[1]

    def read_action() -> dict:
        r = httpx.get(f"{bord.url}/api/v1/boards/{bord.read_board}", headers=headers, timeout=60)
        return next(a for a in r.json()["actions"] if a["id"] == action)

    before = read_action()

    async def stale_edit(http: httpx.AsyncClient, i: int) -> httpx.Response:
        body = {"title": f"Gelijktijdig {i}", "version": before["version"]}
        return await http.patch(f"{bord.url}/api/v1/actions/{action}", json=body, headers=headers)

    out["edits"] = burst(bord, "edits", args.burst, stale_edit, args)
    after = read_action()
    out["edits"]["landed"] = int(after["version"] != before["version"])

    async def create(http: httpx.AsyncClient, i: int) -> httpx.Response:
        body = {"title": f"Drukte {i}"}
        return await http.post(
            f"{bord.url}/api/v1/boards/{bord.create_board}/actions", json=body, headers=headers
        )

    out["creates"] = burst(bord, "creates", args.burst, create, args, honour_retry_after=True)
    r = httpx.get(f"{bord.url}/api/v1/boards/{bord.create_board}", headers=headers, timeout=60)
    titles = Counter(a["title"] for a in r.json()["actions"])
    wanted = [f"Drukte {i}" for i in range(args.burst)]
    out["creates"]["landed"] = sum(1 for t in wanted if titles[t] >= 1)
    out["creates"]["duplicates"] = sum(titles[t] - 1 for t in wanted if titles[t] > 1)
    out["creates"]["exactly_once"] = all(titles[t] == 1 for t in wanted)
    print(
        f"  edits: {out['edits']['landed']} landed; creates: {out['creates']['landed']} of "
        f"{args.burst} landed, {out['creates']['duplicates']} twice or more",
        flush=True,
    )
    return out


# --- one database -------------------------------------------------------------------------------

LOG_SIGNS = {
    "tracebacks": "Traceback",
    "pool_timeouts": "QueuePool limit",
    "database_locked": "database is locked",
}


def run_db(kind: str, args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"bord-http-{kind}-"))
    bord = baseline = None
    try:
        with database(kind, workdir) as db_url:
            print(f"\n{kind}: seeding and serving", flush=True)
            bord = start_bord(db_url, workdir)
            seed(bord)
            json_body, encoding = fetch_bytes(
                bord, f"/api/v1/boards/{bord.read_board}", args.wrk_headers
            )
            html_body, html_encoding = fetch_bytes(
                bord, f"/boards/{bord.read_board}", args.wrk_headers
            )
            if html_encoding != encoding:
                encoding = None  # the baseline then answers plain bytes for both
            base_url, baseline = start_baseline(workdir, json_body, html_body, encoding)
            report: dict = {
                "json_bytes": len(json_body),
                "html_bytes": len(html_body),
                "encoding": encoding,
            }
            print(
                f"  board: {CARDS} actions, JSON {len(json_body):,} bytes, page "
                f"{len(html_body):,} bytes" + (f" ({encoding})" if encoding else ""),
                flush=True,
            )
            rss = rss_bytes(bord.proc.pid)
            report["throughput"] = throughput(args, bord, base_url, workdir)
            report["latency"] = latency(args, bord, base_url)
            report["bursts"] = bursts(args, bord)
            report["rss_mb"] = round(max(rss, rss_bytes(bord.proc.pid)) / 2**20)
            stop(bord.proc)
            text = bord.log.read_text(errors="replace")
            report["log"] = {key: text.count(sign) for key, sign in LOG_SIGNS.items()}
            print(f"  server log: {report['log']}", flush=True)
            return report
    finally:
        stop(bord.proc if bord else None)
        stop(baseline)
        shutil.rmtree(workdir, ignore_errors=True)


# --- targets ------------------------------------------------------------------------------------


def targets(report: dict) -> dict:
    """The issue's targets, checked against this run's figures."""
    checks: dict = {}
    for kind, db in report.items():
        b = db["bursts"]
        checks[f"{kind}_no_5xx_in_bursts"] = all(b[x]["5xx"] == 0 for x in b)
        gaps = [b[x]["healthz_gap_ms"] for x in b]
        checks[f"{kind}_healthz_within_1s"] = all(g is not None and g <= 1000 for g in gaps)
        checks[f"{kind}_creates_exactly_once"] = b["creates"].get("exactly_once", False)
        json64 = db["throughput"].get("json_c64")
        if json64:
            checks[f"{kind}_json_64_at_1000_rps"] = json64.get("ok_rps", 0) >= 1000
            checks[f"{kind}_json_64_fifth_of_baseline"] = (json64.get("ratio") or 0) >= 0.2
        checks[f"{kind}_edit_p50_3ms"] = db["latency"]["patch"]["p50_ms"] <= 3
    return checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument(
        "--connections",
        default="1,16,64,256",
        help="comma-separated connection counts for wrk (default 1,16,64,256)",
    )
    parser.add_argument("--duration", type=float, help="seconds per wrk run")
    parser.add_argument("--burst", type=int, help="concurrent creates and edits")
    parser.add_argument("--gets", type=int, help="concurrent GETs in the GET burst")
    parser.add_argument("--samples", type=int, help="edits and posts timed")
    parser.add_argument("--warmup", type=int, help="untimed edits and posts first")
    parser.add_argument("--timeout", type=float, help="seconds per burst request")
    parser.add_argument(
        "--retry-for", type=float, default=120, help="seconds a create may keep honouring 503s"
    )
    parser.add_argument("--gzip", action="store_true", help="ask for gzip (both servers)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="2 s per wrk run, bursts of 50 (100 GETs), 50 samples (default: 8 s, 200, 500, 300)",
    )
    args = parser.parse_args()
    args.connections = [int(c) for c in args.connections.split(",") if c.strip()]
    quick = {"duration": 2, "burst": 50, "gets": 100, "samples": 50, "warmup": 5, "timeout": 40}
    full = {"duration": 8, "burst": 200, "gets": 500, "samples": 300, "warmup": 20, "timeout": 90}
    for name, value in (quick if args.quick else full).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    # said either way: httpx, which fetches the bytes the baseline serves, asks for gzip by default
    args.wrk_headers = {"Accept-Encoding": "gzip" if args.gzip else "identity"}
    if shutil.which("wrk") is None:
        sys.exit(
            "wrk is not installed: it drives the throughput runs. "
            "Install it with `apt-get install -y wrk` (Debian) and run again."
        )

    kinds = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    report = {kind: run_db(kind, args) for kind in kinds}
    checks = targets(report)
    print("\ntargets:")
    for name, ok in checks.items():
        print(f"  {'met' if ok else 'NOT met':<8} {name}")
    settings = {
        k: getattr(args, k) for k in ("connections", "duration", "burst", "gets", "samples", "gzip")
    }
    print(json.dumps({"settings": settings, **report, "targets": checks}))


if __name__ == "__main__":
    mp.set_start_method("fork")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up the servers all the same
    main()
