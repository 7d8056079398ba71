"""Error pages are the site's own (its layout, its words), and rendering one cannot fail:
without the request's context when that fails, as a plain page when even that fails."""

import pytest
from django.test import Client

from moderation import extensions as moderation_extensions
from tests.factories import QuestionFactory, UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

LAYOUT = 'class="topbar"'


@pytest.fixture
def failing_client(settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    return Client(raise_request_exception=False)


def test_it_shows_the_site_page_for_a_missing_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)
    assert LAYOUT in response.content.decode()


def test_it_shows_the_site_page_with_the_reason_for_a_refusal(client):
    client.force_login(UserFactory(reputation=1))
    response = client.get("/moderation/")
    assert response.status_code == 403
    assert "You can't do that" in text_of(response)
    assert LAYOUT in response.content.decode()


def test_it_shows_the_site_page_for_a_form_without_its_csrf_token():
    question = QuestionFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(reputation=100))
    response = client.post(f"/posts/{question.pk}/vote/", {"vote": "up"})
    assert response.status_code == 403
    assert "This form has expired. Reload the page and try again." in text_of(response)
    assert LAYOUT in response.content.decode()


def test_it_shows_the_site_page_for_a_server_error_without_the_user_menu(failing_client):
    failing_client.force_login(UserFactory(display_name="Grace Hopper"))
    response = failing_client.get("/failing/")
    assert response.status_code == 500
    seen = text_of(response)
    assert "Something went wrong" in seen
    assert LAYOUT in response.content.decode()
    assert "Grace Hopper" not in seen  # rendered without the request: the error may be the DB


def test_it_renders_an_error_page_without_the_request_when_that_fails(client, monkeypatch):
    member = UserFactory(display_name="Grace Hopper")
    client.force_login(member)
    real = moderation_extensions.has_privilege

    def failing_for_members(user, privilege):
        if user.is_authenticated:
            raise RuntimeError("the database is gone")
        return real(user, privilege)

    monkeypatch.setattr(moderation_extensions, "has_privilege", failing_for_members)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)
    assert LAYOUT in response.content.decode()
    assert "Grace Hopper" not in text_of(response)


def test_it_sends_a_plain_page_when_no_template_renders(failing_client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the templates are broken")

    monkeypatch.setattr(moderation_extensions, "has_privilege", broken)
    for url, status, words in (
        ("/no/such/page/", 404, "Page not found"),
        ("/failing/", 500, "Something went wrong"),
        ("/questions/tagged/py%00/", 400, "Bad request"),
    ):
        response = failing_client.get(url)
        assert response.status_code == status, url
        assert words in text_of(response), url
        assert LAYOUT not in response.content.decode()
