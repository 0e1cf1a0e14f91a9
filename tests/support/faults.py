"""Parts to break on purpose: a scripted SMTP server and a TCP proxy that can cut PostgreSQL.

Both listen on 127.0.0.1 only, run in daemon threads, and every wait in them is bounded.
"""

from __future__ import annotations

import collections
import contextlib
import os
import re
import socket
import socketserver
import threading
from pathlib import Path

RCPT = re.compile(rb"RCPT TO:\s*<([^>]*)>", re.IGNORECASE)


class ScriptedSMTP:
    """An SMTP server whose misbehaviour the test sets: a delay before the greeting, a refusal,
    a delay before answering DATA (354), a delay before answering the message (after the ".").

    `delivered` counts messages per recipient at the final ".": from there the server has the
    message, whether or not its answer reaches the client in time.
    """

    def __init__(self):
        self.greeting_delay = 0.0
        self.refuse: bytes | None = None
        self.data_delay = 0.0
        self.answer_delay = 0.0
        self.stall_first = False  # delays apply to the first connection / DATA only
        self.delivered: collections.Counter[str] = collections.Counter()
        self.events: list[str] = []
        self.stopping = threading.Event()
        self.server: socketserver.ThreadingTCPServer | None = None
        self.port = 0
        self.lock = threading.Lock()

    def _delay(self, seconds: float, event: str) -> None:
        with self.lock:
            first = event not in self.events
            self.events.append(event)
        if seconds and (first or not self.stall_first):
            self.stopping.wait(seconds)

    def start(self, port: int = 0) -> int:
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            timeout = 60

            def reply(self, line: bytes) -> None:
                self.wfile.write(line + b"\r\n")

            def handle(self):
                sink._delay(sink.greeting_delay, "greeting")
                if sink.refuse:
                    self.reply(sink.refuse)
                    return
                self.reply(b"220 sink ESMTP")
                rcpts: list[str] = []
                while not sink.stopping.is_set():
                    line = self.rfile.readline()
                    if not line:
                        return
                    verb = line[:4].upper()
                    if verb in (b"EHLO", b"HELO"):
                        self.reply(b"250 sink")
                    elif verb == b"MAIL":
                        rcpts = []
                        self.reply(b"250 ok")
                    elif verb == b"RCPT":
                        match = RCPT.search(line)
                        rcpts.append(match.group(1).decode() if match else "?")
                        self.reply(b"250 ok")
                    elif verb == b"DATA":
                        sink._delay(sink.data_delay, "data")
                        self.reply(b"354 go ahead")
                        while (chunk := self.rfile.readline()) and chunk != b".\r\n":
                            pass
                        if not chunk:
                            return  # the client went away before the ".": no message
                        with sink.lock:
                            sink.delivered.update(rcpts)
                        sink._delay(sink.answer_delay, "answer")
                        self.reply(b"250 accepted")
                    elif verb == b"QUIT":
                        self.reply(b"221 bye")
                        return
                    else:
                        self.reply(b"250 ok")

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self.port

    def stop(self) -> None:
        self.stopping.set()
        if self.server:
            self.server.shutdown()
            self.server.server_close()


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a server; `cut()` drops every connection and refuses new
    ones (they are accepted and closed at once) until `restore()`. `lose_next_answer()`: the
    server's next answer is thrown away and everything cut at once, so the client's statement
    ran (and, in autocommit, committed) but the client never learns it."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1"):
        self.target = (target_host, target_port)
        self.down = False
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.closed = False
        self.losing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def lose_next_answer(self) -> None:
        self.losing = True

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.down:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets.update((client, upstream))
            for a, b, answers in ((client, upstream, False), (upstream, client, True)):
                threading.Thread(target=self._pump, args=(a, b, answers), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, answers: bool = False) -> None:
        try:
            while data := source.recv(65536):
                if answers and self.losing:
                    self.losing = False
                    self.cut()  # the answer is dropped with every connection
                    return
                sink.sendall(data)
        except OSError:
            pass
        for s in (source, sink):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
            with self.lock:
                self.sockets.discard(s)

    def cut(self) -> None:
        self.down = True
        with self.lock:
            sockets, self.sockets = list(self.sockets), set()
        for s in sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def restore(self) -> None:
        self.down = False

    def close(self) -> None:
        self.closed = True
        self.cut()
        self.listener.close()


def pool_children(pid: int) -> list[int]:
    """The prefork pool's processes of a worker (Linux)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(p) for p in path.read_text().split()]
    except OSError:
        return []


def kill_pool_children(pid: int) -> list[int]:
    children = pool_children(pid)
    for child in children:
        os.kill(child, 9)
    return children
