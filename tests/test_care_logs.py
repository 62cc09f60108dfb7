"""What the server writes to its logs while a care meeting runs: paths with ids, never a case's
contents (uvicorn's access log included, through a real server)."""

import logging
import socket
import threading
import time

import httpx
import uvicorn

from app.main import create_app
from tests.care_world import API, care_world

MARKER = "MARKER-LOG-5521"


def test_a_real_servers_logs_never_carry_case_contents(settings, factory, caplog):
    caplog.set_level(logging.DEBUG)
    cw = care_world(factory)
    headers = factory.api(cw.ib)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # an app of its own, not the one the factory's client runs: one app started twice at once
    # shares its background jobs, and its first run waits out their 10 s stop
    config = uvicorn.Config(
        create_app(settings),
        log_config=None,
        log_level="debug",
        access_log=True,
        ws="websockets-sansio",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, headers=headers) as http:
            made = http.post(
                f"{API}/boards/{cw.care.id}/cases",
                json={"pupil_code": "LOG-1", "concern": f"Zorg {MARKER}"},
            )
            assert made.status_code == 201
            case_id = made.json()["id"]
            http.post(f"{API}/cases/{case_id}/agreements", json={"title": f"Plan {MARKER}"})
            http.get(f"{API}/cases/{case_id}")
            http.get(f"{API}/cases/{case_id}/export")
            stale = http.patch(f"{API}/cases/{case_id}", json={"concern": MARKER, "version": 9})
            assert stale.status_code == 409
            bad = http.post(
                f"{API}/boards/{cw.care.id}/cases",
                json={"pupil_code": "LOG-2", "concern": MARKER * 50},
            )
            assert bad.status_code == 422 and MARKER not in bad.text
            garbled = http.post(
                f"{API}/boards/{cw.care.id}/cases",
                content=f'{{"pupil_code": "{MARKER}", "concern": ',
                headers={"Content-Type": "application/json"},
            )
            assert garbled.status_code in (400, 422) and MARKER not in garbled.text
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
    access = [r for r in caplog.records if r.name == "uvicorn.access"]
    assert access, "the access log was not captured: the check would prove nothing"
    assert any(f"/api/v1/cases/{case_id}/export" in r.getMessage() for r in access)
    assert MARKER not in caplog.text
