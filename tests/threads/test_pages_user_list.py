"""The users list, /users/: sorts, the name filter, paging and a constant query count."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from core.conf import qasite_setting
from tests.factories import QuestionFactory, UserFactory
from tests.pages import text_of
from tests.queries import measure, report
from threads import services
from threads.models import Revision, RevisionKind, Vote

pytestmark = pytest.mark.django_db

LIST_PAGE_MAX = 6  # tests/threads/test_query_counts.py: a list page, session lookups aside


CARD_NAME = re.compile(r'<li class="user-card">.*?<a href="/users/[^"]+">([^<]*)</a>', re.S)


def names(client, query: str = "") -> list[str]:
    response = client.get(f"/users/{query}")
    assert response.status_code == 200
    return _cards(response.content.decode())


def _cards(html: str) -> list[str]:
    return CARD_NAME.findall(html)


def vote(user, count: int, *, days_ago: int = 0):
    for _ in range(count):
        question = QuestionFactory()
        Vote.objects.create(
            user=user, post=question, value=1, cast_at=timezone.now() - timedelta(days=days_ago)
        )


def edits(user, count: int, *, days_ago: int = 0):
    question = QuestionFactory()
    for number in range(count):
        Revision.objects.create(
            post=question,
            number=100 + number,
            kind=RevisionKind.EDIT,
            body="x",
            editor=user,
            created_at=timezone.now() - timedelta(days=days_ago),
        )


def test_it_sorts_by_reputation_by_default_and_leaves_out_the_system_account(client):
    UserFactory(display_name="Low", reputation=5)
    UserFactory(display_name="High", reputation=500)
    UserFactory(display_name="Community", reputation=9999, is_system=True)
    UserFactory(display_name="Gone", reputation=9000, is_active=False)
    assert names(client) == ["High", "Low"]
    assert names(client, "?tab=bogus") == ["High", "Low"]


def test_new_users_come_newest_first(client):
    now = timezone.now()
    UserFactory(display_name="Old", date_joined=now - timedelta(days=30))
    UserFactory(display_name="Fresh", date_joined=now)
    assert names(client, "?tab=new") == ["Fresh", "Old"]


def test_moderators_lists_only_moderators(client):
    UserFactory(display_name="Member", reputation=100_000)
    UserFactory(display_name="Mod", is_moderator=True)
    assert names(client, "?tab=moderators") == ["Mod"]


def test_voters_count_the_votes_of_the_period(client):
    busy, quiet, old = (UserFactory(display_name=name) for name in ("Busy", "Quiet", "Old"))
    vote(busy, 3)
    vote(quiet, 1)
    vote(old, 5, days_ago=qasite_setting("PROFILES.USERS_ACTIVITY_DAYS") + 1)
    response = client.get("/users/?tab=voters")
    assert _cards(response.content.decode()) == ["Busy", "Quiet"]
    assert "3 votes" in text_of(response.content.decode())


def test_editors_count_the_edits_of_the_period(client):
    ada, bob = UserFactory(display_name="Ada"), UserFactory(display_name="Bob")
    edits(ada, 1)
    edits(bob, 2)
    QuestionFactory(author=UserFactory(display_name="Asker"))  # an initial revision: no edit
    assert names(client, "?tab=editors") == ["Bob", "Ada"]


def test_a_real_edit_counts_for_the_editor(client):
    editor = UserFactory(display_name="Editor", reputation=10_000)
    question = QuestionFactory()
    services.post_edit(
        editor=editor, post=question, title=question.title, body=question.body + " More words."
    )
    assert names(client, "?tab=editors") == ["Editor"]


def test_the_name_filter_matches_username_or_display_name(client):
    UserFactory(username="adalove", display_name="Countess")
    UserFactory(username="bob", display_name="Ada Byron")
    UserFactory(username="carl", display_name="Carl")
    assert sorted(names(client, "?q=ADA")) == ["Ada Byron", "Countess"]
    assert names(client, "?q=nobody") == []
    assert len(names(client, "?q=%20%20")) == 3
    assert len(names(client, "?q=" + "x" * 200)) == 3  # too long: ignored, not an error
    vote(UserFactory(display_name="Voting Ada"), 1)
    vote(UserFactory(display_name="Voting Bob"), 2)
    assert names(client, "?tab=voters&q=ada") == ["Voting Ada"]


def test_it_is_paged(client, settings):
    settings.QASITE = {
        **settings.QASITE,
        "PROFILES": {**settings.QASITE["PROFILES"], "USERS_PER_PAGE": 2},
    }
    for rep in (10, 20, 30):
        UserFactory(display_name=f"R{rep}", reputation=rep)
    assert names(client) == ["R30", "R20"]
    assert names(client, "?page=2") == ["R10"]
    assert names(client, "?page=99") == ["R10"]
    assert "Page 1 of 2" in text_of(client.get("/users/").content.decode())


def test_the_top_bar_links_to_it(client):
    assert '<a href="/users/">Users</a>' in client.get("/questions/").content.decode()


@pytest.mark.parametrize("tab", ["reputation", "new", "voters", "editors", "moderators"])
def test_it_costs_the_same_queries_whatever_the_number_of_users(django_assert_max_num_queries, tab):
    def grow(count: int):
        for _ in range(count):
            member = UserFactory(is_moderator=True)
            vote(member, 1)
            edits(member, 1)

    grow(2)
    url = f"/users/?tab={tab}"
    small_count, small_sql = measure(Client(), url, cold=True)
    grow(12)
    with django_assert_max_num_queries(LIST_PAGE_MAX):
        large_count, large_sql = measure(Client(), url, cold=True)
    assert small_count == large_count, report(small_sql, large_sql)
    assert len(_cards(Client().get(url).content.decode())) >= 14  # (voted posts have authors)
