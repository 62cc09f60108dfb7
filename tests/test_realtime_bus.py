"""The buses: in-process delivery, and Redis pub/sub between instances (real Redis)."""

import asyncio
import os
import subprocess

import pytest

from app.realtime.bus import MemoryBus, RedisBus
from app.realtime.changes import BoardChange

CHANNEL = f"bord:test:{os.getpid()}"


async def wait_for(predicate, timeout=5.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.01)


async def test_memory_bus_delivers_on_the_loop_even_from_a_thread():
    bus = MemoryBus()
    got: list[BoardChange] = []
    await bus.start(got.append, lambda: None)
    change = BoardChange(1, 2, ("actions",))
    await asyncio.to_thread(bus.publish, [change])
    await wait_for(lambda: got == [change])
    await bus.stop()


async def test_redis_bus_reaches_every_instance(redis_url):
    a, b = RedisBus(redis_url, CHANNEL), RedisBus(redis_url, CHANNEL)
    got_a: list[BoardChange] = []
    got_b: list[BoardChange] = []
    await a.start(got_a.append, lambda: None)
    await b.start(got_b.append, lambda: None)
    change = BoardChange(7, 3, ("ideas", "actions"), "action", 12, "promoted")
    await asyncio.to_thread(a.publish, [change])
    await wait_for(lambda: got_a == [change] and got_b == [change])
    await a.stop()
    await b.stop()


async def test_redis_bus_reconnects_and_asks_for_a_resync(redis_url):
    bus = RedisBus(redis_url, CHANNEL)
    got: list[BoardChange] = []
    resyncs: list[int] = []
    await bus.start(got.append, lambda: resyncs.append(1))
    killed = subprocess.run(
        ["redis-cli", "-u", redis_url.rsplit("/", 1)[0], "CLIENT", "KILL", "TYPE", "pubsub"],
        capture_output=True,
        text=True,
        check=False,
    )
    if killed.returncode != 0:
        pytest.skip("redis-cli not available")
    await wait_for(lambda: resyncs == [1])
    change = BoardChange(1, 1, ("goals",))
    bus.publish([change])
    await wait_for(lambda: got == [change])
    await bus.stop()
