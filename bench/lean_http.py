"""A lean HTTP/1.1 client for timing one request at a time: one kept-alive socket, the request
sent as one write, the answer read by its Content-Length. Its own cost per request is a few
tens of microseconds, where httpx's was 0.4-0.7 ms on these machines, as much as a fifth of
the edit it timed (PERF.md: "use a light client").
"""

import json
import socket
from urllib.parse import urlsplit


class LeanHttp:
    def __init__(self, base_url: str, headers: dict[str, str] | None = None, timeout: float = 30):
        url = urlsplit(base_url)
        self._host = url.netloc
        self._socket = socket.create_connection((url.hostname, url.port or 80), timeout=timeout)
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._headers = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self._buffer = b""

    def close(self) -> None:
        self._socket.close()

    def __enter__(self) -> "LeanHttp":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(self, method: str, path: str, body: object = None) -> tuple[int, bytes]:
        """The status and body of one request; `body` is sent as JSON."""
        data = b"" if body is None else json.dumps(body).encode()
        head = f"{method} {path} HTTP/1.1\r\nHost: {self._host}\r\n{self._headers}"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
        self._socket.sendall(head.encode() + b"\r\n" + data)
        return self._answer()

    def json(self, method: str, path: str, body: object = None) -> dict:
        status, data = self.request(method, path, body)
        if not 200 <= status < 300:
            raise RuntimeError(f"{method} {path}: {status} {data[:200]!r}")
        return json.loads(data)

    def _answer(self) -> tuple[int, bytes]:
        while b"\r\n\r\n" not in self._buffer:
            self._read()
        head, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        fields = dict(line.split(":", 1) for line in lines[1:])
        length = next((v for k, v in fields.items() if k.strip().lower() == "content-length"), None)
        if length is None:
            raise RuntimeError(f"an answer without Content-Length: {lines[0]}")
        size = int(length)
        while len(self._buffer) < size:
            self._read()
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return status, data

    def _read(self) -> None:
        chunk = self._socket.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self._buffer += chunk
