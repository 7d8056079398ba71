"""The security headers on every kind of response (docs/architecture.md, "Security
headers"), and the Content-Security-Policy's directives."""

import pytest
from django.test import Client

from core.security import origin_of
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

EXPECTED_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'report-sample'"],
    "style-src": ["'self'", "'report-sample'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'", "https://github.com", "https://accounts.google.com"],
}
DENIED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "serial", "midi"]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        assert name not in parsed, f"{name} twice in {policy}"
        parsed[name] = sources
    return parsed


def assert_security_headers(response) -> None:
    assert directives(response) == EXPECTED_CSP
    assert "Content-Security-Policy-Report-Only" not in response
    features = dict(
        item.strip().split("=", 1) for item in response["Permissions-Policy"].split(",")
    )
    for feature in DENIED_FEATURES:
        assert features[feature] == "()", feature
    assert "publickey-credentials-get" not in features  # passkeys stay possible
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def failing_client(settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    return Client(raise_request_exception=False)


def test_a_page_has_them(client):
    question = QuestionFactory()
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.parametrize(
    ("logged_in", "url", "status"),
    [
        pytest.param(True, "/", 200, id="a-logged-in-page"),
        pytest.param(False, "/no/such/page/", 404, id="a-missing-page"),
        pytest.param(False, "/questions/ask/", 302, id="a-redirect"),
    ],
)
def test_each_kind_of_page_has_them(client, logged_in, url, status):
    if logged_in:
        client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code == status
    assert_security_headers(response)


def test_a_server_error_page_has_them(failing_client):
    response = failing_client.get("/failing/")
    assert response.status_code == 500
    assert_security_headers(response)


def test_a_refusal_and_a_bad_request_have_them(client):
    client.force_login(UserFactory(reputation=1))
    assert_security_headers(client.get("/moderation/"))
    response = client.get("/questions/%00/")
    assert response.status_code == 400
    assert_security_headers(response)


def test_the_https_redirect_has_them(settings):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert_security_headers(response)


def test_a_json_answer_has_them(client):
    response = client.get("/health/")
    assert_security_headers(response)


def test_the_policy_allows_nothing_inline_and_no_plugins(client):
    policy = client.get("/")["Content-Security-Policy"]
    for word in ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "nonce-", "sha256-", "*"]:
        assert word not in policy


@pytest.mark.parametrize(
    ("media_url", "origin"),
    [
        ("/media/", None),
        ("media/", None),
        ("", None),
        ("https://bucket.s3.amazonaws.com/media/", "https://bucket.s3.amazonaws.com"),
        ("http://127.0.0.1:9000/m/", "http://127.0.0.1:9000"),
        ("//cdn.example/uploads/", "https://cdn.example"),
    ],
)
def test_images_may_come_from_an_absolute_media_url(client, settings, media_url, origin):
    settings.MEDIA_URL = media_url
    assert origin_of(media_url) == origin
    img_src = directives(client.get("/"))["img-src"]
    assert img_src == (["'self'", "data:", origin] if origin else ["'self'", "data:"])


def test_only_the_rq_dashboards_pages_may_run_inline_code(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    dashboard = client.get("/django-rq/")
    assert dashboard.status_code == 200
    policy = directives(dashboard)
    assert "'unsafe-inline'" in policy["script-src"] and "'unsafe-inline'" in policy["style-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    stats = client.get("/django-rq/stats.json/")
    assert "'unsafe-inline'" not in stats["Content-Security-Policy"]
    assert_security_headers(client.get("/admin/"))
