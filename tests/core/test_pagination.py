"""Numbered pages over keyset pagination, page sizes, and the list pages' links
(docs/rules.md, "Question lists")."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from core.pagination import _page_links, numbered_page, page_size
from tests.factories import QuestionFactory, UserFactory
from threads.models import Post

ROW_ID_RE = re.compile(r'id="question-summary-(\d+)"')


def listed(response) -> list[int]:
    return [int(pk) for pk in ROW_ID_RE.findall(response.content.decode())]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15", 15),
        ("30", 30),
        ("50", 50),
        ("20", 30),
        ("500", 30),
        ("x", 30),
        ("", 30),
        (None, 30),
        ("-15", 30),
        ("15.0", 30),
        ("１５", 30),
    ],
)
def test_page_size_falls_back_on_anything_but_a_listed_size(value, expected):
    assert page_size(value, sizes=[15, 30, 50], default=30) == expected


def test_page_links_show_both_ends_and_the_neighbourhood():
    assert _page_links(1, 3) == [1, 2, 3]
    assert _page_links(6, 20) == [1, None, 4, 5, 6, 7, 8, None, 20]
    assert _page_links(20, 20) == [1, None, 18, 19, 20]


@pytest.mark.django_db
def test_numbered_page_clamps_out_of_range_numbers_and_caps_the_offset():
    author = UserFactory()
    for _ in range(12):
        QuestionFactory(author=author)
    ids = list(Post.objects.questions().order_by("-pk").values_list("pk", flat=True))
    queryset = Post.objects.questions()
    page = numbered_page(queryset, order=("-pk",), per_page=5, count=12, max_page=10, page="9")
    assert (page.number, [q.pk for q in page.object_list]) == (3, ids[10:])  # the last page
    capped = numbered_page(queryset, order=("-pk",), per_page=5, count=12, max_page=2, page="3")
    assert capped.number == 2 and capped.reachable == 2 and capped.num_pages == 3
    assert capped.has_next  # deeper pages by the cursor
    deeper = numbered_page(
        queryset,
        order=("-pk",),
        per_page=5,
        count=12,
        max_page=2,
        page="3",
        after=capped.next_cursor,
    )
    assert (deeper.number, [q.pk for q in deeper.object_list]) == (3, ids[10:])


@pytest.mark.django_db
def test_the_list_pages_in_the_chosen_size_and_keeps_everything_in_its_links(client):
    author = UserFactory()
    for _ in range(40):
        QuestionFactory(author=author, tags=["python"])
    response = client.get("/questions/?tagged=python&sort=votes&pagesize=15")
    assert len(listed(response)) == 15
    content = response.content.decode()
    nav = content.split('aria-label="Pages"')[1].split("</nav>")[0]
    for href in re.findall(r'href="([^"]+)"', nav):
        query = parse_qs(urlsplit(html.unescape(href)).query)
        assert query["tagged"] == ["python"] and query["sort"] == ["votes"], href
        assert query["pagesize"] == ["15"], href
    tabs = content.split('aria-label="Sort questions"')[1].split("</nav>")[0]
    for href in re.findall(r'href="([^"]+)"', tabs):
        query = parse_qs(urlsplit(html.unescape(href)).query)
        assert query["tagged"] == ["python"] and query["pagesize"] == ["15"], href
        assert "page" not in query and "after" not in query, href
    third = client.get("/questions/?tagged=python&sort=votes&pagesize=15&page=3")
    assert len(listed(third)) == 10
    assert len(listed(client.get("/questions/?pagesize=50"))) == 40
    assert len(listed(client.get("/questions/?pagesize=7"))) == 30  # not a size: the default


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "page=99999",
        "page=0",
        "page=x",
        "pagesize=0",
        "pagesize=99999999999",
        "after=%%%&page=4",
        "before=e30&page=-2",
        "sort=hot&page=3",
        "sort=bogus&pagesize=abc",
    ],
)
def test_bad_page_parameters_never_fail(client, query):
    QuestionFactory()
    assert client.get(f"/questions/?{query}").status_code == 200
