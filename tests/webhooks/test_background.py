"""Without a worker, a try runs in a background thread after the commit: a receiver that
hangs never slows the request."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.factories import UserFactory
from threads import services as threads_services
from webhooks.models import Delivery, DeliveryState, Endpoint, Event


class Hanging(BaseHTTPRequestHandler):
    release = threading.Event()

    def do_POST(self):  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.release.wait(10)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.django_db(transaction=True)
def test_a_hanging_receiver_does_not_slow_the_action(allow_local, monkeypatch):
    monkeypatch.setattr("webhooks.queue.IN_THREAD", True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hanging)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        Endpoint.objects.create(
            url=f"http://127.0.0.1:{server.server_port}/", events=[Event.QUESTION_ASKED]
        )
        author = UserFactory(reputation=1000)
        started = time.monotonic()
        threads_services.question_create(
            author=author,
            title="Why does my thread never return?",
            body="The receiver hangs and I wonder whether the site waits for it. " * 2,
            tags=["python"],
        )
        assert time.monotonic() - started < 2  # the receiver holds its answer for 10 s
        Hanging.release.set()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if Delivery.objects.filter(state=DeliveryState.DELIVERED).exists():
                break
            time.sleep(0.05)
        assert Delivery.objects.get().state == DeliveryState.DELIVERED
    finally:
        Hanging.release.set()
        server.shutdown()
        server.server_close()
