"""A real HTTP server on loopback that receives webhook deliveries, for the tests: it keeps
every request and answers with the status codes it is told, then 200."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str = ""
    received: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)  # the next answers; then 200
    always: int | None = None  # answer this to everything

    def answer(self) -> int:
        if self.always is not None:
            return self.always
        return self.answers.pop(0) if self.answers else 200


@contextmanager
def receiver() -> Iterator[Receiver]:
    box = Receiver()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                box.received.append(Received(self.path, dict(self.headers.items()), body))
                status = box.answer()
            reply = b"ontvangen" if status < 400 else b"kapot: probeer later"
            self.send_response(status)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield box
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
