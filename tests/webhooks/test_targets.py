"""The SSRF rule: only http(s) to public addresses, at registration (the admin's form) and
again right before each delivery; a setting lets tests use a local receiver."""

import socket
from unittest import mock

import pytest

from tests.admin_helpers import admin_url
from tests.factories import UserFactory
from tests.webhooks.conftest import webhook_settings
from webhooks import targets
from webhooks.models import Attempt, Delivery, Endpoint, Event
from webhooks.sending import send_delivery

pytestmark = pytest.mark.django_db

REFUSED = [
    "http://127.0.0.1/hook",
    "http://127.1.2.3:8080/hook",
    "http://10.0.0.5/hook",
    "http://172.16.0.1/hook",
    "http://192.168.1.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://[fe80::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://0.0.0.0/hook",
    "http://224.0.0.1/hook",
    "http://100.64.0.1/hook",
    "http://localhost:8000/hook",
]


def fake_dns(address: str):
    def getaddrinfo(host, port, *args, **kwargs):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    return mock.patch("webhooks.targets.socket.getaddrinfo", getaddrinfo)


@pytest.mark.parametrize("url", REFUSED)
def test_private_loopback_link_local_and_reserved_targets_are_refused(url):
    with pytest.raises(targets.TargetRefused, match="public addresses"):
        targets.resolve(url)


def test_a_hostname_resolving_to_loopback_is_refused():
    with fake_dns("127.0.0.1"), pytest.raises(targets.TargetRefused, match="127.0.0.1"):
        targets.resolve("https://hooks.example.com/in")


def test_a_hostname_with_one_private_address_among_public_ones_is_refused():
    def getaddrinfo(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port)),
        ]

    with (
        mock.patch("webhooks.targets.socket.getaddrinfo", getaddrinfo),
        pytest.raises(targets.TargetRefused, match="10.1.2.3"),
    ):
        targets.resolve("https://hooks.example.com/in")


def test_a_public_address_is_accepted_and_pinned():
    with fake_dns("93.184.216.34"):
        target = targets.resolve("https://hooks.example.com/in")
    assert (target.host, target.port, target.address) == ("hooks.example.com", 443, "93.184.216.34")


@pytest.mark.parametrize(
    "url", ["ftp://example.com/x", "file:///etc/passwd", "gopher://example.com", "http://"]
)
def test_only_http_and_https_are_accepted(url):
    with pytest.raises(targets.TargetRefused):
        targets.resolve(url)


def test_the_setting_allows_private_targets(settings):
    webhook_settings(settings, ALLOW_PRIVATE_TARGETS=True)
    assert targets.resolve("http://127.0.0.1:9/hook").address == "127.0.0.1"


def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_admin_refuses_to_register_a_private_target(client):
    response = staff_client(client).post(
        admin_url(Endpoint, "add"),
        {"url": "http://169.254.169.254/", "events": [Event.QUESTION_ASKED], "active": "on"},
    )
    assert response.status_code == 200
    assert "public addresses" in response.content.decode()
    assert not Endpoint.objects.exists()


def test_the_admin_registers_a_public_target_with_a_secret(client):
    with fake_dns("93.184.216.34"):
        response = staff_client(client).post(
            admin_url(Endpoint, "add"),
            {
                "url": "https://hooks.example.com/in",
                "events": [Event.QUESTION_ASKED, Event.FLAG_RAISED],
                "active": "on",
            },
        )
    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert endpoint.events == [Event.QUESTION_ASKED, Event.FLAG_RAISED]
    assert len(endpoint.secret) >= 40
    # The secret stays readable to staff on the endpoint's page.
    page = client.get(admin_url(Endpoint, "change", endpoint.pk))
    assert endpoint.secret in page.content.decode()


def test_a_target_that_turned_private_since_registration_is_refused_at_delivery():
    endpoint = Endpoint.objects.create(
        url="https://hooks.example.com/in", events=[Event.QUESTION_ASKED]
    )
    delivery = Delivery.objects.create(endpoint=endpoint, event=Event.QUESTION_ASKED, body="{}")
    with fake_dns("10.0.0.7"), mock.patch("webhooks.sending.requests.Session.post") as sent:
        send_delivery(delivery.pk)
    sent.assert_not_called()
    attempt = Attempt.objects.get()
    assert attempt.status_code is None
    assert "10.0.0.7" in attempt.error


def test_the_delivery_connects_to_the_checked_address():
    """The host is resolved once and that address is connected to: a DNS answer that changes
    between the check and the connection (DNS rebinding) is not followed."""
    endpoint = Endpoint.objects.create(
        url="https://hooks.example.com:8443/in", events=[Event.QUESTION_ASKED]
    )
    delivery = Delivery.objects.create(endpoint=endpoint, event=Event.QUESTION_ASKED, body="{}")
    with fake_dns("93.184.216.34"), mock.patch("webhooks.sending.requests.Session.post") as sent:
        sent.return_value.status_code = 204
        send_delivery(delivery.pk)
    (url,), kwargs = sent.call_args
    assert url == "https://93.184.216.34:8443/in"
    assert kwargs["headers"]["Host"] == "hooks.example.com:8443"
    assert kwargs["allow_redirects"] is False
    assert kwargs["timeout"] == (5, 5)
