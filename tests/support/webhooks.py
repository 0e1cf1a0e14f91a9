"""A webhook receiver on 127.0.0.1 for the tests (records every request, answers as told), and
the README's verification snippet that receivers are told to use."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.conf import settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    path: str
    event_id: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


class Receiver:
    """`status` is the answer's code; `delay` seconds before answering; `reply` its body."""

    def __init__(self, port: int | None = None, *, status: int = 200, delay: float = 0.0):
        self.port = port or free_port()
        self.status = status
        self.delay = delay
        self.reply = b"ok"
        self.extra_headers: dict[str, str] = {}
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver would
            wbufsize = 64 * 1024  # the answer in one write, as a real server sends it

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver.received.append(
                        Received(
                            self.path,
                            self.headers.get("Tracker-Event-Id", ""),
                            dict(self.headers.items()),
                            body,
                        )
                    )
                if receiver.delay:
                    time.sleep(receiver.delay)
                self.send_response(receiver.status)
                for name, value in receiver.extra_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(receiver.reply)))
                self.end_headers()
                self.wfile.write(receiver.reply)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def ids(self, path: str = "/hook") -> list[str]:
        with self._lock:
            return [r.event_id for r in self.received if r.path == path]

    def unique_ids(self, path: str = "/hook") -> list[str]:
        """Event ids in order of first arrival: what a receiver deduplicating by id keeps."""
        seen: dict[str, None] = {}
        for event_id in self.ids(path):
            seen.setdefault(event_id, None)
        return list(seen)


def readme_verify():
    """The verification snippet exactly as the README shows it."""
    text = (Path(settings.BASE_DIR) / "README.md").read_text()
    block = re.search(
        r"<!-- webhook-verify:start -->\n```python\n(.*?)```\n<!-- webhook-verify:end -->",
        text,
        re.S,
    )
    namespace: dict = {}
    exec(block.group(1), namespace)  # noqa: S102 (our own README)
    return namespace["verify"]
