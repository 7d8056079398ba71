"""RSS and Atom feeds: valid documents with the required elements, absolute links from
SITE_URL, deleted posts and private moderation never shown, and a constant number of
queries whatever the number of items (docs/rules.md, "Feeds and discovery")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation.models import EventKind
from moderation.services import event_record
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.feeds import ATOM, SITE, parse
from threads.models import Post, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def delete(post):
    Post.objects.filter(pk=post.pk).update(deleted_at=timezone.now())


def rss_items(client, url):
    channel = parse(client.get(url)).find("channel")
    for required in ("title", "link", "description"):
        assert channel.find(required) is not None and channel.find(required).text
    items = channel.findall("item")
    for item in items:
        assert item.find("title").text
        assert item.find("link").text.startswith(SITE + "/")
        assert item.find("guid").text
        assert item.find("pubDate").text
    return items


def atom_entries(client, url):
    feed = parse(client.get(url))
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}").text
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == SITE + url
    entries = feed.findall(f"{ATOM}entry")
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{required}").text, required
        assert entry.find(f"{ATOM}link").get("href").startswith(SITE + "/")
        assert entry.find(f"{ATOM}author/{ATOM}name").text
    return entries


def test_newest_questions_in_rss_and_atom_newest_first_without_deleted_ones(client):
    old = QuestionFactory(title="The older question", tags=["python", "django"])
    new = QuestionFactory(title="The newer <b>question</b>")
    gone = QuestionFactory(title="A deleted question")
    delete(gone)

    items = rss_items(client, "/feeds/questions/rss/")
    assert [item.find("title").text for item in items] == [new.title, old.title]
    assert items[1].find("link").text == SITE + old.get_absolute_url()
    assert sorted(c.text for c in items[1].findall("category")) == ["django", "python"]
    assert "<p>" in items[1].find("description").text  # the rendered body, as HTML text

    entries = atom_entries(client, "/feeds/questions/atom/")
    assert [e.find(f"{ATOM}title").text for e in entries] == [new.title, old.title]


def test_the_feed_holds_at_most_the_configured_number_of_items(client, settings):
    settings.QASITE = {**settings.QASITE, "FEEDS": {**settings.QASITE["FEEDS"], "ITEMS": 2}}
    for _ in range(3):
        QuestionFactory()
    assert len(rss_items(client, "/feeds/questions/rss/")) == 2


def test_a_tags_feed_has_only_its_questions_and_a_synonym_gives_the_masters(client):
    tagged = QuestionFactory(title="A question about rust", tags=["rust"])
    QuestionFactory(title="A question about python", tags=["python"])
    delete(QuestionFactory(title="A deleted question on rust", tags=["rust"]))

    items = rss_items(client, "/feeds/tags/rust/rss/")
    assert [item.find("title").text for item in items] == [tagged.title]
    entries = atom_entries(client, "/feeds/tags/rust/atom/")
    assert [e.find(f"{ATOM}title").text for e in entries] == [tagged.title]

    Tag.objects.create(name="rustlang", slug="rustlang", synonym_of=Tag.objects.get(name="rust"))
    items = rss_items(client, "/feeds/tags/rustlang/rss/")
    assert [item.find("title").text for item in items] == [tagged.title]
    assert client.get("/feeds/tags/no-such-tag/rss/").status_code == 404


def test_a_questions_feed_has_its_visible_answers(client):
    question = QuestionFactory(title="How to feed the feeds?")
    first = AnswerFactory(question=question, body="The first answer, long enough to be posted.")
    AnswerFactory(question=QuestionFactory())  # another question's
    delete(AnswerFactory(question=question, body="A deleted answer, long enough to be posted."))

    items = rss_items(client, f"/feeds/questions/{question.pk}/rss/")
    assert len(items) == 1
    assert items[0].find("link").text == f"{SITE}{question.get_absolute_url()}#answer-{first.pk}"
    assert "How to feed the feeds?" in items[0].find("title").text
    assert len(atom_entries(client, f"/feeds/questions/{question.pk}/atom/")) == 1


def test_a_deleted_questions_feed_is_not_found_even_for_a_moderator(client):
    question = QuestionFactory()
    delete(question)
    client.force_login(UserFactory(is_moderator=True))
    assert client.get(f"/feeds/questions/{question.pk}/rss/").status_code == 404
    assert client.get(f"/feeds/questions/{question.pk}/atom/").status_code == 404
    assert client.get("/feeds/questions/999999/rss/").status_code == 404


def test_the_moderation_feed_shows_public_events_on_visible_posts_only(client):
    moderator = UserFactory(is_moderator=True, display_name="Mod Person")
    question = QuestionFactory(title="A locked question")
    event_record(kind=EventKind.LOCKED, post=question, actor=moderator, reason="Heated")
    hidden = QuestionFactory(title="Deleted and locked")
    event_record(kind=EventKind.LOCKED, post=hidden, actor=moderator)
    delete(hidden)
    answer = AnswerFactory(question=question)
    event_record(kind=EventKind.DELETED, post=answer, actor=moderator)
    delete(answer)
    member = UserFactory(display_name="Suspended Sam")
    event_record(kind=EventKind.SUSPENDED, user=member, actor=moderator, reason="Private note")

    items = rss_items(client, "/feeds/moderation/rss/")
    assert [item.find("title").text for item in items] == ["Locked: A locked question"]
    assert "Heated" in items[0].find("description").text
    assert "Mod Person" in items[0].find("description").text
    body = client.get("/feeds/moderation/atom/").content.decode()
    assert "Deleted and locked" not in body and "Private note" not in body
    assert "Suspended Sam" not in body
    assert len(atom_entries(client, "/feeds/moderation/atom/")) == 1


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/questions/rss/",
        "/feeds/questions/atom/",
        "/feeds/tags/python/rss/",
        "/feeds/tags/python/atom/",
        "/feeds/moderation/rss/",
        "/feeds/question/rss/",
    ],
)
def test_feeds_cost_the_same_queries_for_one_item_or_many(client, django_assert_num_queries, url):
    moderator = UserFactory(is_moderator=True)
    question = QuestionFactory(tags=["python"])
    AnswerFactory(question=question)
    event_record(kind=EventKind.LOCKED, post=question, actor=moderator)
    url = url.replace("/question/", f"/questions/{question.pk}/")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    assert len(few.captured_queries) <= 3  # the object (a tag or question), rows, their tags
    for _ in range(4):
        more = QuestionFactory(tags=["python", "django"], author=UserFactory())
        AnswerFactory(question=question, author=UserFactory())
        event_record(kind=EventKind.PROTECTED, post=more, actor=moderator)
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(url).content
    assert body.count(b"<item>") + body.count(b"<entry>") >= 5
