"""The moderator dashboard (/moderation/): queue lengths and ages, pending flags, top
reviewers and a server-rendered SVG chart of closes and reopens per day, for moderators
only and in a constant number of queries."""

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from accounts.privileges import Privilege
from moderation import flags, reviews, services
from moderation.models import (
    CloseReason,
    Decision,
    FlagKind,
    ReviewQueue,
    ReviewTask,
    TaskState,
)
from moderation.queues import QUEUES
from moderation.views import activity_chart
from tests.factories import QuestionFactory, UserFactory
from tests.pages import text_of
from tests.queries import measure

pytestmark = pytest.mark.django_db

URL = "/moderation/"
MAX_QUERIES = 9  # +1: the latest serial voting reversals (moderation.serial_voting)
NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
ROW_RE = re.compile(
    r'<tr><td><a href="[^"]*">(?P<label>[^<]+)</a></td>'
    r'<td class="count">(?P<count>\d+)</td><td>(?P<oldest>[^<]*)</td></tr>'
)


def queue_rows(response) -> dict[str, tuple[int, str]]:
    return {
        html.unescape(m["label"]): (int(m["count"]), " ".join(html.unescape(m["oldest"]).split()))
        for m in ROW_RE.finditer(response.content.decode())
    }


@pytest.fixture
def moderator():
    return UserFactory(is_moderator=True, reputation=1, display_name="Mona Moderator")


@pytest.fixture
def reason():
    return CloseReason.objects.get(name__startswith="Career")


def close(question, moderator, reason) -> None:
    services.close_vote_cast(voter=moderator, question=question, reason=reason)


def review(reviewer, question, decision=Decision.LOOKS_OK) -> None:
    task = ReviewTask.objects.get(queue=ReviewQueue.FIRST_QUESTIONS, post=question)
    reviews.review_decide(
        reviewer=reviewer,
        task=task,
        decision=decision,
        spec=QUEUES[ReviewQueue.FIRST_QUESTIONS],
    )


def flag(question, kind=FlagKind.SPAM):
    return flags.flag_raise(flagger=UserFactory(reputation=100), post=question, kind=kind)


# Who may see it --------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next={URL}")


@pytest.mark.parametrize(
    "reputation",
    [1, Privilege.CAST_CLOSE_VOTES.reputation, Privilege.MODERATOR_TOOLS.reputation, 100_000],
)
def test_it_is_for_moderators_only(client, reputation):
    client.force_login(UserFactory(reputation=reputation))
    response = client.get(URL)
    assert response.status_code == 403
    assert b"Queue" not in response.content


def test_moderators_and_superusers_see_it(client, moderator, admin_user):
    for user in (moderator, admin_user):
        client.force_login(user)
        response = client.get(URL)
        assert response.status_code == 200
        assert "Moderator dashboard" in text_of(response.content)


def test_the_moderation_link_is_shown_to_moderators_only(client, moderator):
    client.force_login(UserFactory(reputation=Privilege.MODERATOR_TOOLS.reputation))
    assert f'href="{URL}"' not in client.get("/").content.decode()
    client.force_login(moderator)
    assert f'href="{URL}"' in client.get("/").content.decode()


def test_an_empty_site(client, moderator):
    client.force_login(moderator)
    response = client.get(URL)
    rows = queue_rows(response)
    assert set(rows) == {spec.label for spec in QUEUES.values()}
    assert set(rows.values()) == {(0, "—")}
    seen = text_of(response.content)
    assert "0 flags waiting" in seen
    assert "No reviews yet." in seen
    chart = response.context["chart"]
    assert chart["top"] == 1
    assert {bar["height"] for bar in chart["bars"]} == {0.0}


# What it shows -------------------------------------------------------------------------------


@pytest.fixture
def activity(moderator, reason):
    """Five days ago: a first question, closed. Two hours ago: a question with a close vote.
    Today: two questions closed, the old one reopened; reviews, flags."""
    with time_machine.travel(NOW - timedelta(days=5), tick=False):
        old = QuestionFactory()
        close(old, moderator, reason)
    with time_machine.travel(NOW - timedelta(hours=2), tick=False):
        voted = QuestionFactory()
        services.close_vote_cast(
            voter=UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation),
            question=voted,
            reason=reason,
        )
    with time_machine.travel(NOW, tick=False):
        first, second = QuestionFactory(), QuestionFactory()
        close(first, moderator, reason)
        close(second, moderator, reason)
        services.reopen_vote_cast(voter=moderator, question=old)
        rita = UserFactory(reputation=5000, display_name="Rita Reviewer")
        bob = UserFactory(reputation=5000, display_name="Bob Checker")
        review(rita, first)
        review(rita, second)
        review(bob, voted)
        review(UserFactory(reputation=5000, display_name="Sam Skipper"), old, Decision.SKIP)
        flag(voted)
        flag(first)
        handled = flag(second)
        flags.flag_handle(moderator=moderator, flag=handled, helpful=True)
    return {"old": old, "voted": voted, "first": first, "second": second}


@pytest.fixture
def page(client, moderator, activity):
    client.force_login(moderator)
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        response = client.get(URL)
    assert response.status_code == 200
    return response


def test_it_shows_each_queue_with_its_count_and_oldest_task(page):
    rows = queue_rows(page)
    assert rows.pop("First questions") == (1, "5 days ago")  # the other three were reviewed
    assert rows.pop("Close votes") == (1, "2 hours ago")
    assert set(rows) == {
        "Reopen votes",
        "First answers",
        "Late answers",
        "Low quality posts",
        "Suggested edits",
    }
    assert set(rows.values()) == {(0, "—")}
    assert ReviewTask.objects.filter(state=TaskState.PENDING, is_audit=False).count() == 2


def test_it_links_each_queue(page):
    content = page.content.decode()
    for slug in QUEUES:
        assert f'href="/review/{slug}/"' in content


def test_it_counts_pending_flags(page):
    assert page.context["flags_pending"] == 2
    assert "2 flags waiting" in text_of(page.content)


def test_it_lists_top_reviewers_without_skips(page):
    [rita, bob] = page.context["top_reviewers"]
    assert (rita["reviewer__display_name"], rita["count"]) == ("Rita Reviewer", 2)
    assert (bob["reviewer__display_name"], bob["count"]) == ("Bob Checker", 1)
    content = page.content.decode()
    assert f'href="/users/{rita["reviewer__id"]}/">Rita Reviewer</a>: 2 reviews<' in content
    assert f'href="/users/{bob["reviewer__id"]}/">Bob Checker</a>: 1 review<' in content
    seen = text_of(page.content)
    assert seen.index("Rita Reviewer") < seen.index("Bob Checker")
    assert "Sam Skipper" not in seen


def test_the_series_counts_closes_and_reopens_per_day(page):
    series = page.context["series"]
    assert len(series) == 30
    assert (series[0]["day"], series[-1]["day"]) == (date(2025, 2, 9), date(2025, 3, 10))
    by_day = {row["day"]: (row["closed"], row["reopened"]) for row in series}
    assert by_day.pop(date(2025, 3, 10)) == (2, 1)
    assert by_day.pop(date(2025, 3, 5)) == (1, 0)
    assert set(by_day.values()) == {(0, 0)}


def test_the_chart_bars_reflect_the_series(page):
    chart = page.context["chart"]
    assert (chart["width"], chart["height"], chart["top"]) == (600, 140, 2)
    bars = {(bar["kind"], bar["title"]): bar for bar in chart["bars"]}
    assert len(chart["bars"]) == 60
    # 30 slots of 20px; bars 9px wide; 120px of height for the top value (2).
    assert bars["closed", "Mar 10: 2 closed"] == {
        "x": 580.0,
        "y": 5.0,
        "width": 9.0,
        "height": 120.0,
        "kind": "closed",
        "title": "Mar 10: 2 closed",
    }
    today_reopened = bars["reopened", "Mar 10: 1 reopened"]
    assert (today_reopened["x"], today_reopened["y"], today_reopened["height"]) == (
        589.0,
        65.0,
        60.0,
    )
    five_days_ago = bars["closed", "Mar 05: 1 closed"]
    assert (five_days_ago["x"], five_days_ago["y"], five_days_ago["height"]) == (480.0, 65.0, 60.0)
    assert bars["reopened", "Mar 05: 0 reopened"]["height"] == 0.0
    assert bars["closed", "Feb 09: 0 closed"]["x"] == 0.0


def test_the_svg_renders_the_bars_with_their_titles(page):
    content = page.content.decode()
    assert '<svg role="img"' in content
    assert 'viewBox="0 0 600 140"' in content
    assert (
        '<rect x="580.0" y="5.0" width="9.0" height="120.0" class="bar-closed">'
        "<title>Mar 10: 2 closed</title></rect>"
    ) in content
    assert (
        '<rect x="589.0" y="65.0" width="9.0" height="60.0" class="bar-reopened">'
        "<title>Mar 10: 1 reopened</title></rect>"
    ) in content
    assert (
        '<rect x="480.0" y="65.0" width="9.0" height="60.0" class="bar-closed">'
        "<title>Mar 05: 1 closed</title></rect>"
    ) in content
    titles = re.findall(r"<title>([^<]*)</title>", content)
    assert len([t for t in titles if t.endswith(" closed") or t.endswith(" reopened")]) == 60
    assert "the highest bar is 2" in content
    # The same numbers as a table for screen readers.
    assert "<tr><td>Mar 10</td><td>2</td><td>1</td></tr>" in content
    assert "<tr><td>Mar 5</td><td>1</td><td>0</td></tr>" in content


def test_events_older_than_30_days_are_left_out(client, moderator, reason):
    with time_machine.travel(NOW - timedelta(days=30), tick=False):
        close(QuestionFactory(), moderator, reason)
    with time_machine.travel(NOW - timedelta(days=29), tick=False):
        close(QuestionFactory(), moderator, reason)
    client.force_login(moderator)
    with time_machine.travel(NOW, tick=False):
        series = client.get(URL).context["series"]
    assert sum(row["closed"] for row in series) == 1
    assert series[0] == {"day": date(2025, 2, 9), "closed": 1, "reopened": 0}


# The chart's geometry ----------------------------------------------------------------------


def _series(*counts: tuple[int, int]) -> list[dict]:
    start = date(2025, 3, 1)
    return [
        {"day": start + timedelta(days=i), "closed": closed, "reopened": reopened}
        for i, (closed, reopened) in enumerate(counts)
    ]


def test_activity_chart_scales_to_the_highest_bar():
    chart = activity_chart(_series((4, 0), (1, 2), (0, 0)), width=300, height=120)

    assert chart["top"] == 4
    # 3 slots of 100px, bars 49px wide; 100px of drawing height; baseline at y=105.
    assert [(b["kind"], b["x"], b["y"], b["width"], b["height"]) for b in chart["bars"]] == [
        ("closed", 0.0, 5.0, 49.0, 100.0),
        ("reopened", 49.0, 105.0, 49.0, 0.0),
        ("closed", 100.0, 80.0, 49.0, 25.0),
        ("reopened", 149.0, 55.0, 49.0, 50.0),
        ("closed", 200.0, 105.0, 49.0, 0.0),
        ("reopened", 249.0, 105.0, 49.0, 0.0),
    ]
    assert [bar["title"] for bar in chart["bars"][:4]] == [
        "Mar 01: 4 closed",
        "Mar 01: 0 reopened",
        "Mar 02: 1 closed",
        "Mar 02: 2 reopened",
    ]


def test_activity_chart_of_nothing():
    chart = activity_chart([])
    assert (chart["bars"], chart["top"]) == ([], 1)
    flat = activity_chart(_series((0, 0)))
    assert {bar["height"] for bar in flat["bars"]} == {0.0}
    assert {bar["y"] for bar in flat["bars"]} == {125.0}


def test_bars_are_at_least_a_pixel_wide():
    chart = activity_chart(_series(*[(1, 1)] * 400), width=600)
    assert {bar["width"] for bar in chart["bars"]} == {1.0}


# Queries -----------------------------------------------------------------------------------


def _add_activity(n: int, reason) -> None:
    """``n`` questions (first-question tasks), each closed by a moderator (moderators have
    the daily close-vote limit too), reviewed and flagged, and ``n`` close-vote tasks; half
    of the questions reopened."""
    questions = [QuestionFactory() for _ in range(n)]
    for question in questions:
        close(question, UserFactory(is_moderator=True), reason)
        flag(question)
        services.close_vote_cast(
            voter=UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation),
            question=QuestionFactory(),
            reason=reason,
        )
    for question in questions[: n // 2 or 1]:
        services.reopen_vote_cast(voter=UserFactory(is_moderator=True), question=question)
    for question in questions:
        review(UserFactory(reputation=5000), question)


def test_it_takes_a_constant_number_of_queries(
    client, moderator, reason, django_assert_max_num_queries
):
    """One query each for the queues, the series, the top reviewers and the flag count
    (plus loading the user), however much there is."""
    client.force_login(moderator)
    _add_activity(1, reason)
    client.get(URL)  # the session and the inbox's unread count are cached
    with django_assert_max_num_queries(MAX_QUERIES):
        few, _ = measure(client, URL)

    _add_activity(29, reason)
    with django_assert_max_num_queries(MAX_QUERIES):
        many, _ = measure(client, URL)
    assert many == few
    assert ReviewTask.objects.filter(state=TaskState.PENDING).count() >= 30
