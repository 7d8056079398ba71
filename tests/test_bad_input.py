"""Input the site cannot read is a 400 with the site's page, never a 500: form posts in
another charset or not in UTF-8, bodies that cannot be parsed, NUL characters (which
PostgreSQL cannot store) anywhere in a query string or form."""

import pytest
from django.test import Client

from tests.factories import DEMO_PASSWORD, QuestionFactory, UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"


def browser(user=None) -> Client:
    """A client that checks CSRF as the site does for browsers, holding a CSRF cookie."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    client.get("/accounts/password/reset/")  # a form for visitors and members alike
    return client


def post(client: Client, url: str, body: bytes, content_type: str):
    token = client.cookies["csrftoken"].value
    return client.generic("POST", url, body, content_type=content_type, HTTP_X_CSRFTOKEN=token)


def assert_bad_request_page(response):
    assert response.status_code == 400
    assert "Bad request" in text_of(response)
    assert 'class="topbar"' in response.content.decode()  # the site's layout


@pytest.fixture
def question():
    return QuestionFactory()


@pytest.fixture(params=["anonymous", "member"])
def client_of(request):
    def make():
        return browser(None if request.param == "anonymous" else UserFactory(reputation=500))

    return make


@pytest.mark.parametrize("charset", ["utf-16", "UTF-32", "latin-1", "bogus", "utf-8-sig"])
def test_it_refuses_a_form_post_in_another_charset(client_of, question, charset):
    client = client_of()
    for url in ("/accounts/login/", f"/posts/{question.pk}/vote/", "/search/"):
        for body in (b"vote=up", "vote=up".encode("utf-16")):
            response = post(client, url, body, f"{FORM}; charset={charset}")
            assert_bad_request_page(response)


@pytest.mark.parametrize(
    "body",
    [b"login=\xff\xfe&password=x", b"login=%FF&password=x", b"login=%C3&password=x"],
    ids=["raw-bytes", "percent-encoded-byte", "cut-sequence"],
)
def test_it_refuses_form_data_that_is_not_utf8(client_of, body):
    assert_bad_request_page(post(client_of(), "/accounts/login/", body, FORM))


def test_it_reads_a_form_post_declared_utf8():
    user = UserFactory(username="ada")
    client = browser()
    body = f"login=ada&password={DEMO_PASSWORD}".encode()
    for charset in ("utf-8", "UTF-8", '"utf-8"', "utf8"):
        client.logout()
        client.get("/accounts/login/")
        response = post(client, "/accounts/login/", body, f"{FORM}; charset={charset}")
        assert response.status_code == 302, charset
        assert client.get("/").context["user"] == user


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", b"--x\r\n"),
        ("multipart/form-data; boundary=x; charset=utf-16", b"--x--\r\n"),
        ('multipart/form-data; boundary="x "', b"--x --\r\n"),
        (FORM, b"&".join(b"f%d=1" % n for n in range(1500))),
    ],
    ids=["no-boundary", "charset", "bad-boundary", "too-many-fields"],
)
def test_it_refuses_a_body_it_cannot_parse(client_of, question, content_type, body):
    response = post(client_of(), f"/posts/{question.pk}/vote/", body, content_type)
    assert_bad_request_page(response)


def test_it_refuses_a_body_over_the_size_limit(client_of, question, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(client_of(), f"/posts/{question.pk}/vote/", b"vote=" + b"u" * 2000, FORM)
    assert_bad_request_page(response)


def test_it_reads_a_query_string_without_its_nul_characters(client):
    """A NUL character (PostgreSQL cannot hold one in a query) is junk in a query string,
    ignored as other junk is."""
    member = UserFactory()
    question = QuestionFactory(author=member, title="A zorblax question", tags=["python"])
    row = f'id="question-summary-{question.pk}"'
    pages = {
        "/search/?q=zorb%00lax": "<mark>zorblax</mark>",
        "/questions/?tagged=py%00thon": row,
        "/questions/?sort=sc%00ore&a%00=1": row,
        "/tags/?q=py%00th": 'href="/questions/tagged/python/"',
        f"/users/{member.pk}/questions/?pa%00ge=1": question.get_absolute_url(),
        "/accounts/login/?next=/%00": 'name="login"',
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in response.content.decode(), url
    assert client.get("/tags/suggest/?q=py%00").json() == {"tags": ["python"]}
    similar = client.get("/questions/similar/?title=zorb%00lax")
    assert [row["id"] for row in similar.json()["questions"]] == [question.pk]


def test_it_refuses_nul_characters_in_a_form(client_of, question):
    client = client_of()
    for url, body in (
        ("/accounts/login/", b"login=ada%00&password=x"),
        ("/accounts/signup/", b"username=ada&display_name=A%00da"),
        (f"/posts/{question.pk}/vote/", b"vote=up&x%00=1"),
        (f"/questions/{question.pk}/close/", b"reason=1&duplicate=%00"),
    ):
        assert_bad_request_page(post(client, url, body, FORM))
    multipart = b'--x\r\nContent-Disposition: form-data; name="vote"\r\n\r\nup\x00\r\n--x--\r\n'
    response = post(
        client, f"/posts/{question.pk}/vote/", multipart, "multipart/form-data; boundary=x"
    )
    assert_bad_request_page(response)


def test_it_refuses_a_nul_character_in_the_path(client):
    assert_bad_request_page(client.get("/questions/tagged/py%00thon/"))
    assert_bad_request_page(client.get("/users/%00/"))


def test_it_reads_a_cookie_holding_a_nul_character_as_no_cookie(client):
    member = UserFactory(display_name="Grace Hopper")
    client.force_login(member)
    client.cookies["theme"] = "dark\x00"
    assert client.get("/").context["user"] == member  # the other cookies are read

    client.cookies["sessionid"] = "a" * 16 + "\x00" + "b" * 15
    response = client.get("/")
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
