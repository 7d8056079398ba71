"""A local HTTP receiver (http.server in a thread) and endpoints pointing at it."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from webhooks.models import Endpoint, Event


class Receiver:
    """Answers each POST with the next of ``statuses`` (then 200) and keeps what came."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "http://example.com/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def webhook_settings(settings, **changes) -> None:
    settings.QASITE = {**settings.QASITE, "WEBHOOKS": {**settings.QASITE["WEBHOOKS"], **changes}}


@pytest.fixture
def allow_local(settings):
    """The one setting that lets tests deliver to 127.0.0.1."""
    webhook_settings(settings, ALLOW_PRIVATE_TARGETS=True)


@pytest.fixture
def receiver(allow_local):
    with Receiver() as running:
        yield running


@pytest.fixture
def endpoint(receiver) -> Endpoint:
    return Endpoint.objects.create(url=receiver.url, events=[event.value for event in Event])


@pytest.fixture(autouse=True)
def _send_in_line(monkeypatch):
    """Tries run in the test's thread (and transaction) unless a test asks for the thread."""
    monkeypatch.setattr("webhooks.queue.IN_THREAD", False)
