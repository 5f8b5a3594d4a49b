"""A loopback HTTP server for a test's stand-in (a registry, an echo service): a free port, served
from a thread, stopped at once when the test is done (a short poll interval, so shutdown takes no
half second)."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator


@contextlib.contextmanager
def serving(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[int]:
    """Serve `handler` on 127.0.0.1; yields the port (a handler reads it as `self.server.server_address`)."""
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


def served_port(handler: http.server.BaseHTTPRequestHandler) -> int:
    """The port the handler's own server listens on (for URLs it hands out, such as a token realm)."""
    address = handler.server.server_address
    assert isinstance(address, tuple)
    return int(address[1])
