"""A lean WebSocket client for benchmarks: raw handshake, then a minimal frame reader.

Runs many connections per process; stamps the arrival time (CLOCK_MONOTONIC, shared by all
processes on the machine) of the first frame that carries each change's marker.
"""

import asyncio
import base64
import os
import random
import re
import struct
import time

# A screen whose connection is reset before its handshake completes tries again, as a browser
# does, up to this many times; the retries are counted and reported.
RETRIES = 6


def _mask(payload: bytes) -> bytes:
    key = os.urandom(4)
    masked = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", 0x81, 0x80 | length)
    else:
        header = struct.pack("!BBH", 0x81, 0x80 | 126, length)
    return header + key + masked


class Screen:
    def __init__(self, marker: re.Pattern[bytes]) -> None:
        self.marker = marker
        self.seen: dict[bytes, float] = {}
        self.last_to = 0
        self.frames = 0
        self.bytes = 0
        self.retries = 0  # connections refused or reset before the handshake completed

    async def _handshake(self, host: str, port: int, path: str, headers: dict[str, str]):
        reader, writer = await asyncio.open_connection(host, port)
        key = base64.b64encode(os.urandom(16)).decode()
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            f"Sec-WebSocket-Version: 13\r\n{extra}\r\n".encode()
        )
        try:
            response = await reader.readuntil(b"\r\n\r\n")
        except BaseException:
            writer.close()
            raise
        if b" 101 " not in response.split(b"\r\n", 1)[0]:
            raise RuntimeError(response.decode(errors="replace"))
        return reader, writer

    async def run(
        self,
        host: str,
        port: int,
        path: str,
        headers: dict[str, str],
        hello: bytes | None,
        ready: asyncio.Event,
        stop: asyncio.Event,
    ) -> None:
        for retry in range(RETRIES + 1):
            try:
                reader, writer = await self._handshake(host, port, path, headers)
                break
            except (ConnectionError, asyncio.IncompleteReadError):
                if retry == RETRIES:
                    raise
                # what a browser does (static/js/live.js): wait, with jitter, and try again
                self.retries += 1
                base = min(0.5 * 2**retry, 8.0)
                await asyncio.sleep(base / 2 + random.random() * base / 2)
        if hello:
            writer.write(_mask(hello))
        ready.set()
        to_pattern = re.compile(rb'data-to="(\d+)"')
        try:
            while not stop.is_set():
                head = await reader.readexactly(2)
                length = head[1] & 0x7F
                if length == 126:
                    length = struct.unpack("!H", await reader.readexactly(2))[0]
                elif length == 127:
                    length = struct.unpack("!Q", await reader.readexactly(8))[0]
                payload = await reader.readexactly(length)
                now = time.monotonic()
                opcode = head[0] & 0x0F
                if opcode == 0x9:  # ping: answer with a pong
                    writer.write(
                        struct.pack("!BB", 0x8A, 0x80 | len(payload)) + b"\0\0\0\0" + payload
                    )
                    continue
                if opcode != 0x1:
                    continue
                self.frames += 1
                self.bytes += len(payload)
                for m in self.marker.findall(payload):
                    self.seen.setdefault(m, now)
                found = to_pattern.search(payload[:200])
                if found:
                    self.last_to = max(self.last_to, int(found.group(1)))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def client_process(
    conn,
    host: str,
    port: int,
    paths: list[str],
    headers: dict[str, str],
    hello: bytes | None,
    marker: bytes,
) -> None:
    """Entry point of one client process: connect, report ready, collect, report results."""

    async def main() -> None:
        pattern = re.compile(marker)
        stop = asyncio.Event()
        screens = [Screen(pattern) for _ in paths]
        readies = [asyncio.Event() for _ in paths]
        tasks = []
        for i, (screen, path) in enumerate(zip(screens, paths, strict=True)):
            tasks.append(
                asyncio.create_task(screen.run(host, port, path, headers, hello, readies[i], stop))
            )
            if i % 50 == 49:
                await asyncio.sleep(0.01)  # do not storm the accept queue
        while not all(r.is_set() for r in readies):
            failed = [t for t in tasks if t.done() and t.exception()]
            if failed:
                conn.send(f"failed: {failed[0].exception()!r}")
                return
            await asyncio.sleep(0.05)
        conn.send("ready")
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # "stop"
        stop.set()
        results = [
            (i, s.seen, s.last_to, s.frames, s.bytes, s.retries) for i, s in enumerate(screens)
        ]
        conn.send(results)
        for t in tasks:
            t.cancel()

    asyncio.run(main())
