"""The policy what-if page (/moderation/what-if/): moderators only, a GET form whose bad input
is a form error (400), the side-by-side table and charts, no writes and a constant number of
queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.privileges import Privilege
from moderation.models import CloseVote, EventKind, ModerationEvent
from tests.factories import QuestionFactory, UserFactory
from tests.moderation import moderator
from tests.moderation.test_whatif import day, is_read, log, votes
from tests.pages import text_of
from tests.queries import measure

pytestmark = pytest.mark.django_db

URL = "/moderation/what-if/"
WINDOW = {"start": "2025-01-06", "end": "2025-03-06"}


@pytest.fixture
def mod_client(client):
    client.force_login(moderator())
    return client


def closed_questions(count: int) -> None:
    voters = [UserFactory() for _ in range(3)]
    for _ in range(count):
        question = QuestionFactory()
        votes(question, EventKind.CLOSE_VOTE, [day(0), day(1), day(2)], voters)
        log(question, EventKind.CLOSED, day(2))


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("reputation", [1, Privilege.MODERATOR_TOOLS.reputation, 100_000])
def test_anyone_but_a_moderator_gets_a_404(client, reputation):
    client.force_login(UserFactory(reputation=reputation))
    assert client.get(URL).status_code == 404
    assert client.get(URL, {**WINDOW, "close_votes": 2}).status_code == 404


def test_moderators_and_superusers_see_the_form_and_the_model(client, admin_user):
    for user in (moderator(), admin_user):
        client.force_login(user)
        response = client.get(URL)
        assert response.status_code == 200
        text = text_of(response.content)
        assert "Policy what-if" in text and "Knock-on effects are not simulated" in text
        assert "Imported history is included only with the switch" in text
        assert "side by side" not in text  # nothing compared until asked


def test_the_dashboard_links_to_it(mod_client):
    assert f'href="{URL}"' in mod_client.get("/moderation/").content.decode()


def test_the_comparison_side_by_side_with_charts(mod_client):
    closed_questions(2)
    response = mod_client.get(URL, {**WINDOW, "close_votes": 4})
    assert response.status_code == 200
    page = response.content.decode()
    text = text_of(page)
    assert "side by side" in text
    assert "Closures 2 2 0" in text
    assert "Median time to close — 2.0 days —" in text
    assert page.count("<svg") == 2 and 'class="bar-proposed"' in page
    assert "Jan 06: 2 closed, recorded policy" in page


@pytest.mark.parametrize(
    "params, message",
    [
        ({"close_votes": "0"}, "greater than or equal to 1"),
        ({"reopen_votes": "-3"}, "greater than or equal to 1"),
        ({"aging_days": "100000"}, "less than or equal to 366"),
        ({"leave_open": "many"}, "Enter a whole number"),
        ({"start": "2025-03-01", "end": "2025-02-01"}, "The window ends before it starts"),
        ({"start": "2023-01-01", "end": "2025-01-01"}, "at most 366 days"),
        ({"start": "2025-13-45"}, "Enter a valid date"),
        ({"start": "", "end": ""}, "This field is required"),
        ({"start": "9999-12-01", "end": "9999-12-31"}, "between the years"),
        ({"start": "0001-01-01", "end": "0001-01-02"}, "between the years"),
    ],
)
def test_bad_input_is_a_form_error(mod_client, params, message):
    response = mod_client.get(URL, {**WINDOW, **params})
    assert response.status_code == 400
    assert message in text_of(response.content)
    assert "side by side" not in text_of(response.content)


def test_it_writes_nothing(mod_client):
    closed_questions(3)
    counts = (ModerationEvent.objects.count(), CloseVote.objects.count())
    params = {**WINDOW, "close_votes": 2, "leave_open": 2, "include_imported": "on"}
    with CaptureQueriesContext(connection) as captured:
        assert mod_client.get(URL, params).status_code == 200
    writes = [query["sql"] for query in captured if not is_read(query["sql"])]
    assert writes == []
    assert (ModerationEvent.objects.count(), CloseVote.objects.count()) == counts


def test_a_constant_number_of_queries(mod_client):
    params = {**WINDOW, "aging_days": 3, "leave_open": 2}
    closed_questions(1)
    measure(mod_client, URL, params)  # what the first page of a session caches (the menu)
    few, _ = measure(mod_client, URL, params)
    closed_questions(6)
    many, sql = measure(mod_client, URL, params)
    assert many == few <= 4, sql  # the session, the user, the events, the reviews
