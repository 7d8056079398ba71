"""The question page's main column is rendered once and shared by everyone with the same
privileges, votes and own posts in the thread (``threads.cache.shared_fragment``). Whoever
primed it, each reader must get exactly the page a fresh render would give them, with their
own CSRF token and fresh one-time tokens."""

import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.signing import loads
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.crypto import salted_hmac

from core.conf import qasite_setting
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.moderation import closer, something_else, to_close, vote_to_close
from threads import services
from threads.forms import STARTED_SALT

pytestmark = pytest.mark.django_db

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_RE = re.compile(r'name="token" value="([^"]+)"')
STARTED_RE = re.compile(r'name="started" value="([^"]+)"')
VIEWS_RE = re.compile(r"Viewed (\d+ times?)")


def page_of(user, question, **params) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(question.get_absolute_url(), params)
    assert response.status_code == 200
    return response.content.decode()


def normalized(html: str) -> str:
    """The page without what must differ between two responses (each view counts)."""
    for pattern in (CSRF_RE, TOKEN_RE, STARTED_RE, VIEWS_RE):
        html = pattern.sub(lambda match: match.group(0).replace(match.group(1), "…"), html)
    return html


@pytest.fixture
def thread():
    question = QuestionFactory(tags=["python", "pandas"])
    answers = [AnswerFactory(question=question) for _ in range(3)]
    for post in [question, *answers]:
        CommentFactory(post=post, author=comment_author())
    return question, answers


def comment_author():
    return UserFactory(reputation=qasite_setting("PRIVILEGES.COMMENT_EVERYWHERE"))


def member(**extra):
    return UserFactory(reputation=qasite_setting("PRIVILEGES.DOWNVOTE"), **extra)


@time_machine.travel("2026-06-01 12:00", tick=False)  # "asked 2 hours ago" must not move
def test_a_reader_gets_the_page_a_fresh_render_gives_them_whoever_primed_the_cache(thread):
    question, answers = thread
    voter, commenter, bystander, asker = member(), member(), member(), question.author
    services.vote_cast(user=voter, post=answers[1], value=-1)
    services.comment_vote_cast(user=voter, comment=answers[0].comments.get())
    CommentFactory(post=answers[2], author=commenter)
    editor = UserFactory(reputation=qasite_setting("PRIVILEGES.EDIT_ANY_POST"))
    moderator = UserFactory(is_moderator=True)
    readers = [voter, commenter, bystander, member(), asker, editor, moderator]
    question.refresh_from_db()

    fresh = {}
    for reader in readers:
        cache.clear()
        fresh[reader.pk] = normalized(page_of(reader, question))
    cache.clear()
    for primer in readers:  # each reader primes the cache, then everyone reads from it
        cache.clear()
        page_of(primer, question)
        for reader in readers:
            assert normalized(page_of(reader, question)) == fresh[reader.pk]


def comment_loads(user, question) -> int:
    """How many times rendering the page for ``user`` read the comments' text."""
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as served:
        client.get(question.get_absolute_url())
    return sum('"threads_comment"."body_html"' in query["sql"] for query in served)


def test_people_with_the_same_privileges_and_no_stake_in_the_thread_share_one_render(thread):
    question, _ = thread
    first, second = member(), member()
    editor = UserFactory(reputation=qasite_setting("PRIVILEGES.EDIT_ANY_POST"))
    assert comment_loads(first, question) == 1
    assert comment_loads(second, question) == 0
    assert comment_loads(editor, question) == 1  # other privileges: another render


def test_votes_and_own_comments_show_for_their_owner_only(thread):
    question, answers = thread
    voter, bystander = member(), member()
    services.vote_cast(user=voter, post=answers[0], value=1)
    mine = CommentFactory(post=answers[1], author=voter, body="A comment of the voter's own.")
    question.refresh_from_db()
    page_of(bystander, question)  # primes the cache for the bystander's kind of reader

    voter_page = page_of(voter, question)
    bystander_page = page_of(bystander, question)
    assert 'class="vote-up on" aria-pressed="true"' in voter_page
    assert 'class="vote-up on" aria-pressed="true"' not in bystander_page
    delete_own = f'action="/comments/{mine.pk}/delete/"'
    assert delete_own in voter_page
    assert delete_own not in bystander_page


def test_each_response_carries_its_readers_csrf_token_and_fresh_one_time_tokens(thread):
    question, answers = thread
    first, second = member(), member()
    page_of(first, question)
    client = Client(enforce_csrf_checks=True)
    client.force_login(second)
    page = client.get(question.get_absolute_url()).content.decode()

    tokens = TOKEN_RE.findall(page)
    assert len(tokens) == len(set(tokens)) == 4 + 1  # a comment form per post, the answer form
    again = TOKEN_RE.findall(client.get(question.get_absolute_url()).content.decode())
    assert not set(tokens) & set(again)
    started = loads(STARTED_RE.search(page).group(1), salt=STARTED_SALT)
    assert isinstance(started, float)

    csrf = CSRF_RE.search(page.split('id="answer-')[1]).group(1)
    response = client.post(
        f"/posts/{answers[0].pk}/vote/", {"vote": "up", "csrfmiddlewaretoken": csrf}
    )
    assert response.status_code == 302
    assert 'class="vote-up on"' in client.get(question.get_absolute_url()).content.decode()


def test_a_change_to_the_thread_is_shown_at_once(thread):
    question, answers = thread
    reader = member()
    page_of(reader, question)
    services.comment_create(
        author=UserFactory(reputation=100),
        post=answers[2],
        body="A brand new comment that everyone should see.",
    )
    assert "A brand new comment that everyone should see." in page_of(reader, question)


def test_each_answer_sort_is_its_own_page(thread):
    question, _ = thread
    reader = member()
    by_score = page_of(reader, question)
    newest = page_of(reader, question, answertab="newest")
    assert 'aria-current="true" class="active">Date modified' in newest
    assert 'aria-current="true" class="active">Highest score' in by_score


def test_messages_show_to_their_reader_once(thread):
    question, answers = thread
    author = answers[0].author
    bystander = member()
    page_of(bystander, question)
    client = Client()
    client.force_login(author)

    response = client.post(f"/posts/{answers[0].pk}/delete/", follow=True)
    assert "The post was deleted." in response.content.decode()
    assert "The post was deleted." not in client.get(question.get_absolute_url()).content.decode()
    assert "The post was deleted." not in page_of(bystander, question)


def test_the_user_menu_is_each_readers_own(thread):
    question, _ = thread
    first, second = member(display_name="First Reader"), member(display_name="Second Reader")
    page_of(first, question)
    page = page_of(second, question)
    assert "Second Reader" in page
    assert "First Reader" not in page


def test_a_visitors_page_sets_no_cookie(thread):
    """Nothing on it needs a CSRF token, and a cookie would keep it out of shared caches."""
    question, _ = thread
    response = Client().get(question.get_absolute_url())
    assert response.status_code == 200
    assert not response.cookies


# User content never becomes a slot ------------------------------------------------------------

# Every slot of the question page: the CSRF token, one-time form tokens, the answer form's
# start time, and the per-request parts.
SLOT_NAMES = ["csrf", "token", "started", "usernav", "messages_html", "views", "question_tools"]


def computed_marker(name: str) -> str:
    """A slot marker computed from the site's secret key the way the page cache once made
    them: anyone who knew the key (the public default one) could write it into a post."""
    return f"qasite-slot-{name}-{salted_hmac('qasite.cache.slot', name).hexdigest()[:16]}"


def planted_thread(marker: str):
    """A thread whose author wrote ``marker`` everywhere user text reaches the page; returns
    it with the snippets, as each must come back on the page."""
    author = member(display_name=f"Author {marker}")
    question = QuestionFactory(
        author=author,
        title=f"Why does {marker} show up here?",
        body=(
            f"Plain {marker} text in a paragraph.\n\n"
            f"![a picture](https://img.example/{marker}.png)\n\n"
            f"[a link](https://example.com/{marker}) and `code {marker}`"
        ),
    )
    answer = AnswerFactory(question=question, body=f"An answer quoting {marker} at length here.")
    CommentFactory(post=answer, body=f"See {marker} and [this](https://example.com/c/{marker}).")
    snippets = [
        f"Why does {marker} show up here?",
        f"Plain {marker} text in a paragraph.",
        f'src="https://img.example/{marker}.png"',
        f'href="https://example.com/{marker}"',
        f"<code>code {marker}</code>",
        f"An answer quoting {marker} at length here.",
        f"See {marker} and",
        f'href="https://example.com/c/{marker}"',
        f"Author {marker}",
    ]
    return question, snippets


@pytest.mark.parametrize("name", SLOT_NAMES)
def test_a_marker_written_in_posts_and_comments_comes_back_as_written(name):
    marker = computed_marker(name)
    question, snippets = planted_thread(marker)
    reader = member()
    client = Client()
    client.force_login(reader)
    for _ in range(2):  # the render that primes the shared page, then the shared copy
        page = client.get(question.get_absolute_url()).content.decode()
        for snippet in snippets:
            assert snippet in page
        # The reader's CSRF token is in their forms and nowhere else.
        csrf = CSRF_RE.search(page).group(1)
        assert page.count(csrf) == len(CSRF_RE.findall(page))
        assert page.count('<div class="usernav">') == 1


def test_a_marker_in_a_tag_name_comes_back_as_written():
    marker = computed_marker("csrf")  # tag names allow letters, digits and dashes
    question = QuestionFactory(tags=[marker, "python"])
    page = page_of(member(), question)
    assert f"/questions/tagged/{marker}/" in page
    csrf = CSRF_RE.search(page).group(1)
    assert page.count(csrf) == len(CSRF_RE.findall(page))


@pytest.mark.parametrize("name", ["csrf", "usernav"])
def test_a_marker_in_the_readers_own_name_shows_in_their_user_menu_as_written(name):
    marker = computed_marker(name)
    reader = member(display_name=marker)
    question, _ = planted_thread("nothing")
    page = page_of(reader, question)
    assert f'{marker} <span class="rep"' in page
    assert page.count('<div class="usernav">') == 1


def test_a_marker_in_a_close_notice_comes_back_as_written():
    marker = computed_marker("csrf")
    question = QuestionFactory()
    voters = [closer(display_name=f"Voter {marker} {number}") for number in range(to_close())]
    vote_to_close(question, voters, something_else(), comment=f"Closed because of {marker} in it.")
    question.refresh_from_db()
    assert question.closed_at is not None
    page = page_of(member(), question)
    assert f"Closed because of {marker} in it." in page
    assert f"Voter {marker} 0" in page
    csrf = CSRF_RE.search(page).group(1)
    assert page.count(csrf) == len(CSRF_RE.findall(page))


def test_a_marker_in_a_refused_answer_draft_comes_back_as_written(thread):
    question, _ = thread
    marker = computed_marker("csrf")
    client = Client()
    client.force_login(member())
    draft = f"My draft answer mentions {marker} and nothing else."
    response = client.post(f"/questions/{question.pk}/answer/", {"body": draft})  # no token
    assert response.status_code == 400
    page = response.content.decode()
    assert draft in page
    csrf = CSRF_RE.search(page).group(1)
    assert page.count(csrf) == len(CSRF_RE.findall(page))


def test_a_marker_in_the_address_comes_back_as_written_to_a_visitor(thread):
    question, _ = thread
    marker = computed_marker("csrf")
    response = Client().get(question.get_absolute_url(), {"from": marker})
    assert response.status_code == 200
    assert marker in response.content.decode()  # in the "Log in" links' next=
    assert not response.cookies  # no CSRF token was made for the page


def test_with_the_process_copy_a_logged_in_reader_still_sees_each_change(local_cache):
    question = QuestionFactory()
    reader = UserFactory(reputation=qasite_setting("PRIVILEGES.UPVOTE"))
    first = page_of(reader, question)
    assert normalized(page_of(reader, question)) == normalized(first)
    answer = AnswerFactory(question=question, body="An answer written after the first view.")
    services.vote_cast(user=reader, post=answer, value=1)
    assert "An answer written after the first view." in page_of(reader, question)
