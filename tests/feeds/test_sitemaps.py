"""The sitemap: an index split into pages (a small page size here), absolute URLs from
SITE_URL, only visible questions ordered by id with their last activity, tags and members
with posts; cached; and robots.txt (docs/rules.md, "Feeds and discovery")."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from tests.factories import QuestionFactory, UserFactory
from tests.feeds import SITE, parse
from threads.models import Post

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def small_pages(settings):
    settings.SITE_URL = SITE
    settings.QASITE = {
        **settings.QASITE,
        "FEEDS": {**settings.QASITE["FEEDS"], "SITEMAP_PAGE_SIZE": 2},
    }
    cache.clear()
    yield
    cache.clear()


def locations(client, url) -> list[str]:
    root = parse(client.get(url))
    return [loc.text for loc in root.iter(f"{NS}loc")]


def test_the_index_lists_every_page_of_every_section(client):
    author = UserFactory()
    questions = [QuestionFactory(author=author) for _ in range(5)]
    Post.objects.filter(pk=questions[2].pk).update(deleted_at=timezone.now())

    root = parse(client.get("/sitemap.xml"))
    assert root.tag == f"{NS}sitemapindex"
    urls = [loc.text for loc in root.iter(f"{NS}loc")]
    base = f"{SITE}/sitemap-questions.xml"
    # Four visible questions in pages of two; one tag; one member.
    assert urls == [
        base,
        f"{base}?p=2",
        f"{SITE}/sitemap-tags.xml",
        f"{SITE}/sitemap-users.xml",
    ]
    latest = max(q.last_activity_at for q in questions if q.pk != questions[2].pk)
    lastmods = [e.text for e in root.iter(f"{NS}lastmod")]
    assert lastmods[0] == latest.isoformat()


def test_question_pages_are_ordered_by_id_without_deleted_ones(client):
    with time_machine.travel(datetime(2026, 1, 5, 12, 0, tzinfo=UTC), tick=False):
        questions = [QuestionFactory() for _ in range(4)]
    Post.objects.filter(pk=questions[1].pk).update(deleted_at=timezone.now())
    visible = [q for q in questions if q.pk != questions[1].pk]

    first = locations(client, "/sitemap-questions.xml")
    second = locations(client, "/sitemap-questions.xml?p=2")
    assert first + second == [SITE + q.get_absolute_url() for q in visible]
    assert len(first) == 2 and len(second) == 1
    root = parse(client.get("/sitemap-questions.xml"))
    assert root.find(f"{NS}url/{NS}lastmod").text == "2026-01-05"  # the template writes the day
    assert client.get("/sitemap-questions.xml?p=3").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-questions.xml?p=abc").status_code == 404
    assert client.get("/sitemap-questions.xml?p=0").status_code == 404


def test_tags_and_members_with_posts_are_listed(client):
    author = UserFactory(display_name="Writer")
    UserFactory(display_name="Lurker")
    QuestionFactory(author=author, tags=["python", "rust"])
    assert locations(client, "/sitemap-tags.xml") == [
        f"{SITE}/questions/tagged/python/",
        f"{SITE}/questions/tagged/rust/",
    ]
    assert locations(client, "/sitemap-users.xml") == [SITE + author.get_absolute_url()]


def test_the_sitemap_is_cached_and_costs_constant_queries(client, django_assert_num_queries):
    QuestionFactory()
    with django_assert_num_queries(4):  # the questions' latest activity and three counts
        client.get("/sitemap.xml")
    for _ in range(6):
        QuestionFactory()
    cache.clear()
    with django_assert_num_queries(4):
        client.get("/sitemap.xml")
    with django_assert_num_queries(0):
        assert client.get("/sitemap.xml").status_code == 200
    cache.clear()
    with django_assert_num_queries(2):  # a page: its count and its rows
        assert len(locations(client, "/sitemap-questions.xml?p=2")) == 2


def test_robots_txt_allows_all_but_private_paths_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/accounts/", "/moderation/", "/review/", "/admin/", "/api/", "/inbox/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /questions/" not in lines and "Disallow: /" not in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert client.post("/robots.txt").status_code == 405
