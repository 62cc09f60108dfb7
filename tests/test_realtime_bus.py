"""The buses: in-process delivery, and Redis pub/sub between instances (real Redis)."""

import asyncio
import json
import os
import subprocess

import pytest
from redis import Redis

from app.models.change import BoardChange
from app.realtime.bus import MemoryBus, RedisBus, publish_from_outside

CHANNEL = f"bord:test:{os.getpid()}"


async def wait_for(predicate):
    deadline = asyncio.get_running_loop().time() + 5.0
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.01)


async def test_memory_bus_delivers_on_the_loop_even_from_a_thread():
    bus = MemoryBus()
    got: list[list[BoardChange]] = []
    await bus.start(got.append, lambda: None)
    change = BoardChange(1, 2, ("actions",))
    await asyncio.to_thread(bus.publish, [change])
    await wait_for(lambda: got == [[change]])
    await bus.stop()


async def test_one_commit_is_delivered_as_one_message():
    bus = MemoryBus()
    got: list[list[BoardChange]] = []
    await bus.start(got.append, lambda: None)
    commit = [BoardChange(1, 4, ("actions",)), BoardChange(1, 5, ("goals",))]
    await asyncio.to_thread(bus.publish, commit)
    await wait_for(lambda: got == [commit])
    await bus.stop()


async def test_redis_bus_reaches_every_instance(redis_url):
    a, b = RedisBus(redis_url, CHANNEL), RedisBus(redis_url, CHANNEL)
    got_a: list[list[BoardChange]] = []
    got_b: list[list[BoardChange]] = []
    await a.start(got_a.append, lambda: None)
    await b.start(got_b.append, lambda: None)
    change = BoardChange(7, 3, ("ideas", "actions"), "action", 12, "promoted")
    await asyncio.to_thread(a.publish, [change])
    await wait_for(lambda: got_a == [[change]] and got_b == [[change]])
    await a.stop()
    await b.stop()


async def test_redis_carries_one_commit_as_one_message(redis_url):
    """Whoever publishes it (a server or a `bord` command), a commit's changes reach every
    instance together; a change published one per message, as before, is still read."""
    bus = RedisBus(redis_url, CHANNEL)
    got: list[list[BoardChange]] = []
    await bus.start(got.append, lambda: None)
    try:
        commit = [BoardChange(3, 8, ("actions",)), BoardChange(4, 2, ("actions",), "holiday_week")]
        await asyncio.to_thread(bus.publish, commit)
        await asyncio.to_thread(publish_from_outside, redis_url, CHANNEL, commit)
        old = BoardChange(3, 9, ("ideas",), "idea", 5, "created")
        client = Redis.from_url(redis_url)
        client.publish(CHANNEL, json.dumps(old.to_json()))
        client.close()
        # one delivery per message; three publishers, so in whatever order they reach Redis
        await wait_for(lambda: len(got) >= 3)
        assert sorted(got, key=repr) == sorted([commit, commit, [old]], key=repr)
    finally:
        await bus.stop()


async def test_redis_bus_reconnects_and_asks_for_a_resync(redis_url):
    bus = RedisBus(redis_url, CHANNEL)
    got: list[list[BoardChange]] = []
    resyncs: list[int] = []
    await bus.start(got.append, lambda: resyncs.append(1))
    killed = await asyncio.to_thread(
        subprocess.run,
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
    await wait_for(lambda: got == [[change]])
    await bus.stop()
