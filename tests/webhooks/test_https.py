"""HTTPS deliveries connect to the checked address yet verify the certificate of the URL's
host name (SNI and hostname check), so pinning the address costs no TLS safety."""

import datetime
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from webhooks import sending


class Handler(BaseHTTPRequestHandler):
    hosts: list[str] = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Handler.hosts.append(self.headers["Host"])
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def tls_server(tmp_path, allow_local):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hooks.example.com")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("hooks.example.com")]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    class TrustingSession(requests.Session):
        def __init__(self):
            super().__init__()
            self.verify = str(tmp_path / "cert.pem")

    def every_name_is_local(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    with (
        mock.patch("webhooks.targets.socket.getaddrinfo", every_name_is_local),
        mock.patch("webhooks.sending.requests.Session", TrustingSession),
    ):
        yield server.server_port
    server.shutdown()
    server.server_close()


def test_the_certificate_of_the_url_host_is_checked_on_the_pinned_address(tls_server):
    Handler.hosts = []
    response = sending.post(f"https://hooks.example.com:{tls_server}/in", body=b"{}", headers={})
    assert response.status_code == 204
    assert Handler.hosts == [f"hooks.example.com:{tls_server}"]

    with pytest.raises(requests.exceptions.SSLError):
        sending.post(f"https://other.example.com:{tls_server}/in", body=b"{}", headers={})
