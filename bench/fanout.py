"""Fan-out benchmark: Bord against a bare `websockets.broadcast()` server, in the same run.

    python bench/fanout.py --screens 1000 --changes 50 [--spread] [--redis]
    python bench/fanout.py --screens 10000 --idle

Connects N lean screens (several client processes) to one board (or, with --spread, to N/10
boards), makes K changes through the HTTP API (a PATCH of an action's title carrying a marker)
and stamps when each screen receives the marker. The baseline takes a GET trigger and
broadcasts a frame of the same size to the same screens. With --redis, the change is made
through a second Bord instance and the screens listen on the first (two instances, one Redis).
With --idle, N screens connect (the connect storm), the memory per idle screen is measured and
one change must reach all of them. One unmeasured change goes first (--warmup): the first
request after a start is cold on both servers.

Reports for each: p50/p99 latency from request to every screen, p50/p99 time until the last
screen has a change, lost frames, server CPU per delivered frame and RSS per screen, and the
push's own CPU per frame: the changes go in blocks of ten, each followed by ten of the same to a
board (a room) nobody watches, and the push is what the watched blocks cost beyond the quiet
ones. Then the floor under Bord's push: reading and rendering what changed (the edited card, and
its whole section) on one bench board, in process, per change and per frame (the part of a push
the bare baseline has no counterpart for). The last line of output is one JSON object.
"""

import argparse
import json
import multiprocessing as mp
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from app.services import item_kinds, items

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from wsclient import client_process  # noqa: E402

MARKER = rb"bench-(\d+)-x"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def cpu_seconds(pid: int) -> float:
    """The CPU time of the process's threads so far, to the nanosecond (schedstat): clock ticks
    (10 ms, /proc/<pid>/stat) are too coarse for the baseline, whose whole run takes a few.
    A thread that ends between two readings takes its time with it; the servers measured here
    keep their threads."""
    total = 0.0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0]) / 1e9
        except (FileNotFoundError, ProcessLookupError):  # the thread ended just now
            continue
    return total


def process_cpu_seconds(pid: int) -> float:
    """The CPU time of the whole process so far, ended threads included, in clock ticks
    (/proc/<pid>/stat: user and system time): for runs of seconds, across which worker threads
    may end (a burst's, after their idle time-out)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


# --- Bord ---------------------------------------------------------------------------------------


def seed_bord(db_url: str, boards: int) -> tuple[str, list[tuple[int, int]]]:
    """A school, a team, `boards` boards with one action each; returns a token and the actions."""
    from sqlmodel import Session

    from app.cli import migrate
    from app.config import Settings
    from app.db import Database
    from app.models import Board, Membership, Role, School, Team, TeamMember, User
    from app.models.action import ActionCreate
    from app.services import accounts

    settings = Settings(database_url=db_url)
    migrate(settings)
    db = Database(db_url)
    out: list[tuple[int, int]] = []
    with db.session() as s:
        s: Session
        school = School(name="Benchschool", slug="bench")
        s.add(school)
        s.flush()
        user = User(email="bench@example.nl", name="Bench", password_hash="-")
        s.add(user)
        team = Team(school_id=school.id, name="Team")
        s.add(team)
        s.flush()
        s.add(Membership(user_id=user.id, school_id=school.id, role=Role.teacher))
        s.add(TeamMember(team_id=team.id, user_id=user.id))
        token, _ = accounts.create_token(s, user)
        for i in range(boards):
            board = Board(team_id=team.id, title=f"Bord {i}")
            s.add(board)
            s.flush()
            action = items.create_item(
                s, user, item_kinds.ACTION, board.id, ActionCreate(title="start")
            )
            out.append((board.id, action.id))
        s.info.pop("outbox", None)
    db.dispose()
    return token, out


def start_bord(db_url: str, port: int, redis_url: str | None) -> subprocess.Popen:
    log = open(Path(tempfile.gettempdir()) / f"bord-bench-{port}.log", "wb")  # noqa: SIM115
    env = {**os.environ, "BORD_DATABASE_URL": db_url, "BORD_ENV": "development"}
    if redis_url:
        env["BORD_REDIS_URL"] = redis_url
    else:
        env.pop("BORD_REDIS_URL", None)
    bord = shutil.which("bord", path=str(Path(sys.executable).parent)) or "bord"
    proc = subprocess.Popen(
        [
            bord,
            "serve",
            "--no-migrate",
            "--log-level",
            os.environ.get("BENCH_LOG", "warning"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    wait_http(f"http://127.0.0.1:{port}/healthz")
    return proc


# --- the measurement ----------------------------------------------------------------------------


def connect(
    n: int, procs: int, port: int, paths: list[str], headers: dict[str, str], hello: bytes | None
):
    pipes, workers = [], []
    per = (n + procs - 1) // procs
    for p in range(procs):
        chunk = paths[p * per : (p + 1) * per]
        if not chunk:
            continue
        parent, child = mp.Pipe()
        w = mp.Process(
            target=client_process, args=(child, "127.0.0.1", port, chunk, headers, hello, MARKER)
        )
        w.start()
        pipes.append(parent)
        workers.append(w)
    for pipe in pipes:
        answer = pipe.recv()
        if answer != "ready":
            raise RuntimeError(f"a client process could not connect: {answer}")
    return pipes, workers


def collect(pipes, workers) -> list[tuple[dict, int, int]]:
    for pipe in pipes:
        pipe.send("stop")
    results = []
    for pipe in pipes:
        results += [row[1:] for row in pipe.recv()]
    for w in workers:
        w.join(timeout=10)
    return results


BLOCK = 10  # changes per block, watched and quiet in turn


def measure(
    name: str,
    *,
    n: int,
    changes: int,
    procs: int,
    port: int,
    paths: list[str],
    headers: dict[str, str],
    hello: bytes | None,
    server_pid: int,
    trigger,
    room_of_screen: list[int],
    pause: float,
    warmup: int,
    versions_now: Callable[[], list[int]] | None = None,
) -> dict:
    rss_idle = rss_bytes(server_pid)
    cpu_start = cpu_seconds(server_pid)
    started = time.monotonic()
    pipes, workers = connect(n, procs, port, paths, headers, hello)
    connect_s = time.monotonic() - started
    time.sleep(max(1.0, n / 5000))
    rss_connected = rss_bytes(server_pid)
    join_cpu = cpu_seconds(server_pid) - cpu_start
    sent: list[tuple[float, int]] = []
    # The changes go in blocks, each followed by as many changes of the same kind to a board
    # (a room) nobody watches: the same requests, the same pauses and the same idle server,
    # without the push. What the watched blocks cost beyond the quiet ones is the push itself;
    # alternating cancels the drift of a noisy machine (its idle load is of the same order as
    # the baseline's whole push).
    cpu = alone_cpu = 0.0
    blocks: list[tuple[int, float]] = []  # (changes, watched CPU - quiet CPU) per pair of blocks
    with httpx.Client(timeout=30) as http:
        for _ in range(warmup):  # not measured: the first request after a start is cold
            trigger(http, 0, "warm-up")
            trigger(http, 0, "warm-up", quiet=True)
            time.sleep(pause)
        for start in range(0, changes, BLOCK):
            block = range(start, min(start + BLOCK, changes))
            cpu_before = cpu_seconds(server_pid)
            for i in block:
                t0 = time.monotonic()
                room = trigger(http, i, f"bench-{i}-x")
                sent.append((t0, room))
                time.sleep(pause)
            watched = cpu_seconds(server_pid) - cpu_before
            cpu_before = cpu_seconds(server_pid)
            for i in block:
                trigger(http, i, f"quiet-{i}", quiet=True)
                time.sleep(pause)
            quiet = cpu_seconds(server_pid) - cpu_before
            cpu += watched
            alone_cpu += quiet
            blocks.append((len(block), watched - quiet))
    time.sleep(max(1.0, pause * 4))
    results = collect(pipes, workers)
    versions_then = versions_now() if versions_now else None

    latencies: list[float] = []
    last: list[float] = []
    lost = 0
    delivered = 0
    for i, (t0, room) in enumerate(sent):
        key = str(i).encode()
        arrivals = []
        for screen, (seen, *_) in enumerate(results):
            if room_of_screen[screen] != room:
                continue
            if key in seen:
                arrivals.append((seen[key] - t0) * 1000)
            else:
                lost += 1
        delivered += len(arrivals)
        latencies += arrivals
        if arrivals:
            last.append(max(arrivals))
    # The push per frame, block by block: a block's request costs swing by more than its push
    # (a noisy machine, a collection of garbage), and the median leaves those swings out.
    frames_per_change = delivered / max(len(sent), 1)
    push = [extra / max(count * frames_per_change, 1) * 1e6 for count, extra in blocks if count]
    frames = sum(r[2] for r in results)
    total_bytes = sum(r[3] for r in results)
    report = {
        "p50_ms": round(percentile(latencies, 50), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "last_p50_ms": round(percentile(last, 50), 2),
        "last_p99_ms": round(percentile(last, 99), 2),
        "lost": lost,
        "cpu_us_per_frame": round(cpu / max(delivered, 1) * 1e6, 1),
        "push_cpu_us_per_frame": round(max(percentile(push, 50), 0), 1),
        "push_cpu_us_p25_p75": [round(percentile(push, 25), 1), round(percentile(push, 75), 1)],
        "change_cpu_us": round(alone_cpu / max(changes, 1) * 1e6),
        "rss_kib_per_screen": round((rss_connected - rss_idle) / n / 1024, 1),
        "connect_s": round(connect_s, 2),
        "connect_retries": sum(r[4] for r in results),
        "join_cpu_us": round(join_cpu / n * 1e6),
        "frames_received": frames,
        "frame_bytes": total_bytes // max(frames, 1),
        "last_versions": sorted({r[1] for r in results}),
        "db_versions": versions_then,
    }
    if os.environ.get("BENCH_DEBUG"):
        print(f"{name} last per change (ms):", [round(x) for x in last], flush=True)
    print(
        f"{name:>9}: p50 {report['p50_ms']} ms, p99 {report['p99_ms']} ms, last-screen p99 "
        f"{report['last_p99_ms']} ms, lost {lost}, {report['cpu_us_per_frame']} µs CPU/frame "
        f"({report['push_cpu_us_per_frame']} µs without the changes' own requests, blocks' "
        f"p25-p75 {report['push_cpu_us_p25_p75']}, "
        f"{report['change_cpu_us']} µs each), "
        f"{report['rss_kib_per_screen']} KiB/screen; {n} screens connected in {connect_s:.1f} s "
        f"({report['join_cpu_us']} µs server CPU per join, {report['connect_retries']} retries)",
        flush=True,
    )
    return report


def render_floor(db_url: str, board_id: int, action_id: int, renders: int = 300) -> dict:
    """Server CPU (µs) of what every push must do before it sends, in process and with no
    network: read what changed on one bench board and render it, with the version marker, for
    one variant. `card`: the action's card alone, which the bench's title edits push;
    `section`: its whole section, which an edit that moves a card (or a new one) pushes."""
    from app.db import Database
    from app.realtime.channel import Variant
    from app.realtime.fragments import BoardRenderer
    from app.services.board_cards import action_card

    db = Database(db_url)
    renderer = BoardRenderer(db)
    renderer.warm_up()
    variants = [Variant("member", "nl")]
    version = renderer.board_version(board_id)
    floors = {}
    for name, changed in (
        ("card", item_kinds.ACTION.card_section(action_id)),
        ("section", item_kinds.ACTION.section),
    ):
        asked = (board_id, frozenset({changed}), variants, version - 1, version)

        def push(asked=asked) -> None:  # as the hub asks: on the event loop when it can be
            if renderer.changes_at_once(*asked) is None:
                renderer.changes(*asked)

        for _ in range(30):
            push()
        started = time.process_time()
        for _ in range(renders):
            push()
        floors[name] = (time.process_time() - started) / renders * 1e6
    # What the hub of the instance that made the edit does: render the card its change carried
    # (read in the edit's own transaction, so nothing is read here).
    cards = {item_kinds.ACTION.card_section(action_id): action_card(db, board_id, action_id)}
    for _ in range(30):
        renderer.carried(cards, variants, version - 1, version)
    started = time.process_time()
    for _ in range(renders):
        renderer.carried(cards, variants, version - 1, version)
    floors["carried"] = (time.process_time() - started) / renders * 1e6
    db.dispose()
    return floors


def run_baseline(args, size: int, room_of_screen: list[int], rooms: int) -> dict:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "baseline_server.py"),
            "--port",
            str(port),
            "--size",
            str(size),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    paths = [f"/ws/{room_of_screen[i]}" for i in range(args.screens)]

    def trigger(http: httpx.Client, i: int, text: str, quiet: bool = False) -> int:
        room = i % rooms
        target = room + rooms if quiet else room  # rooms from `rooms` on have no screens
        http.get(f"http://127.0.0.1:{port}/trigger", params={"room": target, "m": text})
        return room

    try:
        return measure(
            "baseline",
            n=args.screens,
            changes=args.changes,
            procs=args.procs,
            port=port,
            paths=paths,
            headers={},
            hello=None,
            server_pid=proc.pid,
            trigger=trigger,
            room_of_screen=room_of_screen,
            pause=args.pause,
            warmup=args.warmup,
        )
    finally:
        proc.terminate()
        proc.wait()


def run_bord(args, room_of_screen: list[int], rooms: int, workdir: Path) -> dict:
    db_url = f"sqlite:///{workdir / 'bench.db'}"
    token, seeded = seed_bord(db_url, 2 * rooms)
    board_actions, quiet_actions = seeded[:rooms], seeded[rooms:]  # nobody watches the latter
    redis_url = args.redis_url if args.redis else None
    port = free_port()
    server = start_bord(db_url, port, redis_url)
    write_port = free_port() if args.redis else port
    writer = start_bord(db_url, write_port, redis_url) if args.redis else server
    headers = {"Authorization": f"Bearer {token}"}
    paths = [f"/boards/{board_actions[room_of_screen[i]][0]}/ws" for i in range(args.screens)]
    versions = {action: 1 for _, action in seeded}

    def trigger(http: httpx.Client, i: int, text: str, quiet: bool = False) -> int:
        room = i % rooms
        action = (quiet_actions if quiet else board_actions)[room][1]
        r = http.patch(
            f"http://127.0.0.1:{write_port}/api/v1/actions/{action}",
            json={"title": text, "version": versions[action]},
            headers=headers,
        )
        r.raise_for_status()
        versions[action] = r.json()["version"]
        return room

    def db_versions() -> list[int]:
        from sqlmodel import col, select

        from app.db import Database
        from app.models import Board

        db = Database(db_url)
        watched = [board for board, _ in board_actions]
        with db.session(write=False) as s:
            boards = s.exec(select(Board).where(col(Board.id).in_(watched)))
            found = sorted({b.version for b in boards})
        db.dispose()
        return found

    try:
        report = measure(
            "bord",
            n=args.screens,
            changes=args.changes,
            procs=args.procs,
            port=port,
            paths=paths,
            headers=headers,
            hello=b'{"since": 1}',
            server_pid=server.pid,
            trigger=trigger,
            room_of_screen=room_of_screen,
            pause=args.pause,
            warmup=args.warmup,
            versions_now=db_versions,
        )
        report["screens_in_step"] = report["last_versions"] == report["db_versions"]
        floors = render_floor(db_url, *board_actions[0])
        report["render_us_per_change"] = round(floors["card"])
        report["section_render_us_per_change"] = round(floors["section"])
        report["carried_render_us_per_change"] = round(floors["carried"])
        return report
    finally:
        for proc in {server, writer}:
            proc.terminate()
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--screens", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--spread", action="store_true", help="N screens over N/10 boards")
    parser.add_argument("--redis", action="store_true", help="write through a second instance")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--procs", type=int, default=4, help="client processes")
    parser.add_argument("--pause", type=float, default=None, help="seconds between changes")
    parser.add_argument(
        "--warmup", type=int, default=1, help="unmeasured changes first (the first is cold)"
    )
    parser.add_argument(
        "--idle",
        action="store_true",
        help="N idle screens: the connect storm, memory per screen, then one change to all",
    )
    args = parser.parse_args()
    if args.idle:
        args.changes = 1
    if args.pause is None:
        args.pause = max(0.05, args.screens / 10000)
    rooms = max(1, args.screens // 10) if args.spread else 1
    room_of_screen = [i % rooms for i in range(args.screens)]

    workdir = Path(tempfile.mkdtemp(prefix="bord-bench-"))
    try:
        bord = run_bord(args, room_of_screen, rooms, workdir)
        baseline = run_baseline(args, bord["frame_bytes"], room_of_screen, rooms)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    screens_per_board = args.screens / rooms
    render_per_frame = bord["render_us_per_change"] / screens_per_board
    print(
        f"   render: {bord['render_us_per_change']} µs per change to read and render the edited "
        f"card (in process), {render_per_frame:.1f} µs per frame at {screens_per_board:g} "
        f"screens per board ({bord['carried_render_us_per_change']} µs to render the card its "
        f"change carried, {bord['section_render_us_per_change']} µs for its whole section); "
        f"2× the baseline's push leaves {baseline['push_cpu_us_per_frame']:.1f} µs per frame "
        f"for it",
        flush=True,
    )
    summary = {
        "screens": args.screens,
        "changes": args.changes,
        "mode": ("spread" if args.spread else "one-board")
        + ("+redis" if args.redis else "")
        + ("+idle" if args.idle else ""),
        **{
            k: bord[k]
            for k in (
                "p50_ms",
                "p99_ms",
                "last_p50_ms",
                "last_p99_ms",
                "lost",
                "cpu_us_per_frame",
                "push_cpu_us_per_frame",
                "push_cpu_us_p25_p75",
                "change_cpu_us",
                "rss_kib_per_screen",
                "screens_in_step",
                "frame_bytes",
                "connect_s",
                "connect_retries",
                "join_cpu_us",
                "render_us_per_change",
                "carried_render_us_per_change",
                "section_render_us_per_change",
            )
        },
        "render_us_per_frame": round(render_per_frame, 1),
        "baseline_rss_kib_per_screen": baseline["rss_kib_per_screen"],
        "baseline_connect_s": baseline["connect_s"],
        "baseline_connect_retries": baseline["connect_retries"],
        "baseline_p50_ms": baseline["p50_ms"],
        "baseline_p99_ms": baseline["p99_ms"],
        "baseline_last_p99_ms": baseline["last_p99_ms"],
        "baseline_cpu_us_per_frame": baseline["cpu_us_per_frame"],
        "baseline_push_cpu_us_per_frame": baseline["push_cpu_us_per_frame"],
        "baseline_push_cpu_us_p25_p75": baseline["push_cpu_us_p25_p75"],
        "baseline_change_cpu_us": baseline["change_cpu_us"],
        "baseline_lost": baseline["lost"],
        "ratio": round(bord["p99_ms"] / baseline["p99_ms"], 2) if baseline["p99_ms"] else None,
        "cpu_ratio": round(bord["cpu_us_per_frame"] / baseline["cpu_us_per_frame"], 2)
        if baseline["cpu_us_per_frame"]
        else None,
        "push_cpu_ratio": round(
            bord["push_cpu_us_per_frame"] / baseline["push_cpu_us_per_frame"], 2
        )
        if baseline["push_cpu_us_per_frame"]
        else None,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    mp.set_start_method("fork")
    main()
