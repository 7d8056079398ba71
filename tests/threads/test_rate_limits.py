"""Rate limits in threads (docs/rules.md, "Rate limits"): votes per UTC day, one question per
interval for new users, one comment per interval; each through the service and through HTTP
(a page with the message and the typed text, or JSON 429 for the script). Replays of the same
form token are no-ops that never count against a limit."""

import html
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from accounts.privileges import Privilege
from core.conf import qasite_setting
from core.exceptions import RateLimited
from tests.factories import QuestionFactory, UserFactory
from tests.pages import text_of
from threads import services
from threads.models import Comment, Post, Tag, Vote

pytestmark = pytest.mark.django_db

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
NOON = datetime(2024, 5, 1, 12, tzinfo=UTC)
LATE_EVENING = datetime(2024, 5, 1, 23, 50, tzinfo=UTC)
TITLE = "How do I read a CSV file with pandas"
BODY = "I tried pandas.read_csv on a semicolon separated file and got a single column."
COMMENT = "Could you show the first three lines of the file?"


def limit(name: str) -> int:
    return qasite_setting("RATE_LIMITS")[name]


def textarea(response, name: str) -> str:
    match = re.search(
        rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', response.content.decode(), re.S
    )
    assert match, f"no {name} textarea"
    return html.unescape(match.group(1)).strip()


def posts_to_vote_on(count: int) -> list[Post]:
    author = UserFactory()
    return [QuestionFactory(author=author) for _ in range(count)]


def voter():
    return UserFactory(reputation=Privilege.UPVOTE.reputation)


def new_user():
    return UserFactory(reputation=limit("NEW_USER_REPUTATION") - 1)


def commenter():
    return UserFactory(reputation=Privilege.COMMENT_EVERYWHERE.reputation)


def ask(user, token=None, **extra) -> Post:
    Tag.objects.get_or_create(name="python", defaults={"slug": "python"})  # not a new tag
    return services.question_create(
        author=user, title=TITLE, body=BODY, tags=["python"], token=token, **extra
    )


def say(user, post, token=None, **extra) -> Comment:
    return services.comment_create(author=user, post=post, body=COMMENT, token=token, **extra)


# Votes ----------------------------------------------------------------------------------------


def test_it_refuses_votes_over_the_daily_limit_until_the_next_utc_day():
    allowed = limit("VOTES_PER_DAY")
    posts = posts_to_vote_on(allowed + 1)
    user = voter()

    with time_machine.travel(LATE_EVENING, tick=False) as traveller:
        for post in posts[:allowed]:
            assert services.vote_cast(user=user, post=post, value=1)

        with pytest.raises(RateLimited, match=f"limit of {allowed} votes"):
            services.vote_cast(user=user, post=posts[-1], value=1)
        assert Vote.objects.filter(user=user).count() == allowed
        posts[-1].refresh_from_db()
        assert posts[-1].score == 0

        traveller.shift(timedelta(minutes=15))  # past midnight UTC
        assert services.vote_cast(user=user, post=posts[-1], value=1)

    posts[-1].refresh_from_db()
    assert posts[-1].score == 1


def test_it_counts_downvotes_and_upvotes_together():
    allowed = limit("VOTES_PER_DAY")
    posts = posts_to_vote_on(allowed + 1)
    user = UserFactory(reputation=Privilege.DOWNVOTE.reputation)
    with time_machine.travel(NOON, tick=False):
        for index, post in enumerate(posts[:allowed]):
            services.vote_cast(user=user, post=post, value=1 if index % 2 else -1)
        with pytest.raises(RateLimited):
            services.vote_cast(user=user, post=posts[-1], value=-1)


def test_it_counts_each_voters_limit_separately():
    allowed = limit("VOTES_PER_DAY")
    posts = posts_to_vote_on(allowed)
    busy, other = voter(), voter()
    with time_machine.travel(NOON, tick=False):
        for post in posts:
            services.vote_cast(user=busy, post=post, value=1)
        assert services.vote_cast(user=other, post=posts[0], value=1)


def test_it_does_not_count_a_repeated_vote_against_the_limit():
    allowed = limit("VOTES_PER_DAY")
    posts = posts_to_vote_on(allowed)
    user = voter()
    with time_machine.travel(NOON, tick=False):
        for post in posts:
            services.vote_cast(user=user, post=post, value=1)

        assert services.vote_cast(user=user, post=posts[0], value=1) is False

    assert Vote.objects.filter(user=user).count() == allowed


def test_it_lets_the_demo_vote_without_limits():
    allowed = limit("VOTES_PER_DAY")
    posts = posts_to_vote_on(allowed + 1)
    user = voter()
    with time_machine.travel(NOON, tick=False):
        for post in posts:
            services.vote_cast(user=user, post=post, value=1, rate_limited=False)
    assert Vote.objects.filter(user=user).count() == allowed + 1


@pytest.fixture
def voted_out(client):
    """A logged-in voter who used today's votes, and one more post to vote on."""
    allowed = limit("VOTES_PER_DAY")
    posts = posts_to_vote_on(allowed + 1)
    user = voter()
    with time_machine.travel(NOON, tick=False) as traveller:
        for post in posts[:allowed]:
            services.vote_cast(user=user, post=post, value=1)
        client.force_login(user)
        yield user, posts[-1], traveller


def test_it_answers_a_scripted_vote_over_the_limit_with_json_429(client, voted_out):
    user, post, _ = voted_out

    response = client.post(f"/posts/{post.pk}/vote/", {"vote": "up"}, **XHR)

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    allowed = limit("VOTES_PER_DAY")
    assert response.json()["error"] == (
        f"You have reached today's limit of {allowed} votes. It resets at midnight UTC."
    )
    assert not Vote.objects.filter(user=user, post=post).exists()


def test_it_answers_a_plain_vote_over_the_limit_with_a_429_page(client, voted_out):
    user, post, _ = voted_out

    response = client.post(f"/posts/{post.pk}/vote/", {"vote": "up"})

    assert response.status_code == 429
    page = text_of(response)
    assert f"You have reached today's limit of {limit('VOTES_PER_DAY')} votes" in page
    assert "Please slow down" in page
    assert not Vote.objects.filter(user=user, post=post).exists()


def test_it_takes_votes_through_http_again_the_next_utc_day(client, voted_out):
    user, post, traveller = voted_out
    assert client.post(f"/posts/{post.pk}/vote/", {"vote": "up"}, **XHR).status_code == 429

    traveller.shift(timedelta(days=1))
    response = client.post(f"/posts/{post.pk}/vote/", {"vote": "up"}, **XHR)

    assert response.status_code == 200
    assert response.json() == {"score": 1, "vote": "up"}


def test_it_answers_a_replayed_vote_at_the_limit_without_refusing(client, voted_out):
    user, _, _ = voted_out
    already = Vote.objects.filter(user=user).first().post

    response = client.post(f"/posts/{already.pk}/vote/", {"vote": "up"}, **XHR)

    assert response.status_code == 200
    assert response.json() == {"score": 1, "vote": "up"}
    assert Vote.objects.filter(user=user).count() == limit("VOTES_PER_DAY")


# Questions from new users -------------------------------------------------------------------


def test_it_lets_a_new_user_ask_once_per_interval():
    minutes = limit("NEW_USER_QUESTION_MINUTES")
    user = new_user()
    with time_machine.travel(NOON, tick=False) as traveller:
        ask(user)

        traveller.shift(timedelta(minutes=minutes) - timedelta(seconds=1))
        with pytest.raises(RateLimited, match="one question while your reputation is low"):
            ask(user)
        assert Post.objects.questions().filter(author=user).count() == 1

        traveller.shift(timedelta(seconds=1))
        ask(user)

    assert Post.objects.questions().filter(author=user).count() == 2


def test_it_tells_a_new_user_how_long_to_wait():
    minutes = limit("NEW_USER_QUESTION_MINUTES")
    user = new_user()
    with time_machine.travel(NOON, tick=False) as traveller:
        ask(user)
        traveller.shift(timedelta(minutes=1))
        with pytest.raises(RateLimited) as refused:
            ask(user)
    assert f"every {minutes} minutes" in str(refused.value)
    assert f"try again in {minutes - 1} minutes" in str(refused.value)


@pytest.mark.parametrize("extra", [0, 1000])
def test_it_does_not_limit_established_users(extra):
    user = UserFactory(reputation=limit("NEW_USER_REPUTATION") + extra)
    with time_machine.travel(NOON, tick=False):
        for _ in range(3):
            ask(user)
    assert Post.objects.questions().filter(author=user).count() == 3


def test_it_lets_the_demo_ask_without_limits():
    user = new_user()
    with time_machine.travel(NOON, tick=False):
        ask(user, rate_limited=False)
        ask(user, rate_limited=False)
    assert Post.objects.questions().filter(author=user).count() == 2


def test_it_returns_the_existing_question_for_a_replay_within_the_interval():
    user = new_user()
    token = uuid.uuid4()
    with time_machine.travel(NOON, tick=False) as traveller:
        first = ask(user, token=token)
        traveller.shift(timedelta(minutes=1))
        again = ask(user, token=token)
    assert again.pk == first.pk
    assert Post.objects.questions().filter(author=user).count() == 1


def ask_page(client, token=None, **fields):
    data = {"title": TITLE, "body": BODY, "tags": "python", "token": token or str(uuid.uuid4())}
    data.update(fields)
    return client.post("/questions/ask/", data)


@pytest.fixture
def asked(client):
    """A logged-in new user who has just asked a question (time frozen)."""
    QuestionFactory(tags=["python", "pandas"])  # tags a new user may use
    user = new_user()
    client.force_login(user)
    with time_machine.travel(NOON, tick=False) as traveller:
        token = str(uuid.uuid4())
        assert ask_page(client, token=token).status_code == 302
        yield user, token, traveller


def test_it_rerenders_the_ask_form_with_429_and_keeps_the_draft(client, asked):
    user, _, traveller = asked
    traveller.shift(timedelta(minutes=5))
    title, body = "How do I parse dates with pandas", f"{BODY} And now dates too."

    response = ask_page(client, title=title, body=body, tags="python pandas")

    assert response.status_code == 429
    page = text_of(response)
    assert "one question while your reputation is low" in page
    assert f"every {limit('NEW_USER_QUESTION_MINUTES')} minutes" in page
    content = html.unescape(response.content.decode())
    assert f'value="{title}"' in content
    assert textarea(response, "body") == body
    assert 'value="python pandas"' in content
    assert 'class="form-errors"' in content
    assert Post.objects.questions().filter(author=user).count() == 1


def test_it_takes_the_question_through_the_form_after_the_interval(client, asked):
    user, _, traveller = asked
    traveller.shift(timedelta(minutes=limit("NEW_USER_QUESTION_MINUTES")))
    assert ask_page(client, title="How do I parse dates with pandas").status_code == 302
    assert Post.objects.questions().filter(author=user).count() == 2


def test_it_takes_questions_through_the_form_from_established_users_at_once(client):
    QuestionFactory(tags=["python"])
    user = UserFactory(reputation=limit("NEW_USER_REPUTATION"))
    client.force_login(user)
    with time_machine.travel(NOON, tick=False):
        assert ask_page(client).status_code == 302
        assert ask_page(client, title="How do I parse dates with pandas").status_code == 302
    assert Post.objects.questions().filter(author=user).count() == 2


def test_it_redirects_a_replayed_ask_to_the_existing_question(client, asked):
    user, token, traveller = asked
    traveller.shift(timedelta(minutes=1))

    response = ask_page(client, token=token)

    question = Post.objects.questions().get(author=user)
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()


# Comments -------------------------------------------------------------------------------------


def test_it_lets_a_user_comment_once_per_interval():
    seconds = limit("COMMENT_SECONDS")
    user = commenter()
    first, second = QuestionFactory(), QuestionFactory()
    with time_machine.travel(NOON, tick=False) as traveller:
        say(user, first)

        traveller.shift(timedelta(seconds=seconds - 1))
        with pytest.raises(RateLimited, match=f"one comment every {seconds} seconds"):
            say(user, second)
        assert Comment.objects.filter(author=user).count() == 1

        traveller.shift(timedelta(seconds=1))
        say(user, second)

    assert Comment.objects.filter(author=user).count() == 2


def test_it_counts_the_comment_interval_per_user():
    post = QuestionFactory()
    with time_machine.travel(NOON, tick=False):
        say(commenter(), post)
        say(commenter(), post)
    assert Comment.objects.filter(post=post).count() == 2


def test_it_returns_the_existing_comment_for_a_replay_within_the_interval():
    user = commenter()
    post = QuestionFactory()
    token = uuid.uuid4()
    with time_machine.travel(NOON, tick=False):
        first = say(user, post, token=token)
        again = say(user, post, token=token)
    assert again.pk == first.pk
    assert Comment.objects.filter(author=user).count() == 1


def comment_page(client, post, token=None, body=COMMENT, **extra):
    return client.post(
        f"/posts/{post.pk}/comments/", {"body": body, "token": token or str(uuid.uuid4())}, **extra
    )


@pytest.fixture
def commented(client):
    """A logged-in commenter who has just commented (time frozen), and a post to comment on."""
    user = commenter()
    post = QuestionFactory()
    client.force_login(user)
    with time_machine.travel(NOON, tick=False) as traveller:
        token = str(uuid.uuid4())
        assert comment_page(client, post, token=token).status_code == 302
        yield user, post, token, traveller


def test_it_answers_a_scripted_comment_too_soon_with_json_429(client, commented):
    user, post, _, traveller = commented
    traveller.shift(timedelta(seconds=1))

    response = comment_page(client, post, body="Another comment typed too quickly.", **XHR)

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert f"one comment every {limit('COMMENT_SECONDS')} seconds" in response.json()["error"]
    assert Comment.objects.filter(author=user).count() == 1


def test_it_rerenders_the_comment_page_with_429_and_keeps_the_text(client, commented):
    user, post, _, traveller = commented
    traveller.shift(timedelta(seconds=1))
    typed = "Another comment typed too quickly."

    response = comment_page(client, post, body=typed)

    assert response.status_code == 429
    assert f"one comment every {limit('COMMENT_SECONDS')} seconds" in text_of(response)
    assert textarea(response, "body") == typed
    assert Comment.objects.filter(author=user).count() == 1


def test_it_takes_comments_through_http_after_the_interval(client, commented):
    user, post, _, traveller = commented
    traveller.shift(timedelta(seconds=limit("COMMENT_SECONDS")))
    assert comment_page(client, post, **XHR).status_code == 200
    assert Comment.objects.filter(author=user).count() == 2


@pytest.mark.parametrize("scripted", [False, True])
def test_it_answers_a_replayed_comment_within_the_interval(client, commented, scripted):
    user, post, token, traveller = commented
    traveller.shift(timedelta(seconds=1))
    existing = Comment.objects.get(author=user)

    response = comment_page(client, post, token=token, **(XHR if scripted else {}))

    if scripted:
        assert response.status_code == 200
        assert response.json()["id"] == existing.pk
    else:
        assert response.status_code == 302
        assert response["Location"].endswith(f"#comment-{existing.pk}")
    assert Comment.objects.filter(author=user).count() == 1
