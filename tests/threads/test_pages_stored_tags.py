"""Pages never fail on a tag already stored, whatever its name holds (older data and imports
may have ``/``, markup, spaces, ``%``, dots or any script): its links work, and its name is
escaped wherever it is shown."""

import html
import re
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from tests.factories import QuestionFactory, UserFactory
from threads.models import Tag

pytestmark = pytest.mark.django_db

ODD_NAMES = [
    "a/b",
    "<b>x</b>",
    "c++",
    "c#",
    "ünïcode",
    ".net",
    "with space",
    "100%",
    "a%2fb",
    "..",
    ".",
    "?x=1&y=2",
    "'quoted\"",
    "日本語",
    "Capital",
]
TAG_LINK_RE = re.compile(r'<a class="tag" href="([^"]+)">([^<]*)</a>')
ROW_ID_RE = re.compile(r'id="question-summary-(\d+)"')


def listed(response) -> list[int]:
    return [int(pk) for pk in ROW_ID_RE.findall(response.content.decode())]


def tag_links(response) -> dict[str, str]:
    """Tag name shown → the link's URL."""
    return {
        html.unescape(name): html.unescape(href)
        for href, name in TAG_LINK_RE.findall(response.content.decode())
    }


@pytest.fixture
def question():
    question = QuestionFactory(title="Which names can a tag have in old data", tags=["python"])
    tags = [
        Tag.objects.create(name=name, slug=f"odd-{index}") for index, name in enumerate(ODD_NAMES)
    ]
    Tag.objects.filter(pk__in=[tag.pk for tag in tags]).update(usage_count=1)
    question.tags.add(*tags)
    return question


@pytest.fixture(params=["anonymous", "member"])
def visitor(request, client):
    if request.param == "member":
        client.force_login(UserFactory(reputation=20_000))
    return client


def test_it_shows_every_page_with_such_tags_escaped(visitor, question):
    showing_tags = [
        "/",
        "/questions/",
        "/questions/?sort=active",
        "/tags/",
        "/tags/?sort=name",
        question.get_absolute_url(),
        "/search/?q=names",
    ]
    others = [
        question.author.get_absolute_url(),
        f"/posts/{question.pk}/revisions/",
        f"/questions/{question.pk}/timeline/",
    ]
    for url in showing_tags + others:
        response = visitor.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert "<b>x</b>" not in content, url
        if url in showing_tags:
            assert "&lt;b&gt;x&lt;/b&gt;" in content, url


def test_its_tag_links_lead_to_the_tag_pages(visitor, question):
    links = tag_links(visitor.get(question.get_absolute_url()))
    assert set(ODD_NAMES) <= set(links)
    for name in ODD_NAMES:
        url = links[name]
        assert url == reverse("tag-detail", args=[name])
        assert "/../" not in url and "/./" not in url, url  # browsers would resolve them
        response = visitor.get(url)
        assert response.status_code == 200, (name, url)
        assert listed(response) == [question.pk], name
        assert f"Questions tagged [{name}]" in html.unescape(response.content.decode())


def test_the_tag_list_links_to_the_tag_pages(visitor, question):
    links = tag_links(visitor.get("/tags/?sort=name"))
    for name in ODD_NAMES:
        assert visitor.get(links[name]).status_code == 200, name


def test_it_reads_a_tag_page_url_as_browsers_send_it(client, question):
    assert listed(client.get("/questions/tagged/%C3%BCn%C3%AFcode/")) == [question.pk]
    assert listed(client.get("/questions/tagged/c%23/")) == [question.pk]
    assert listed(client.get("/questions/tagged/a%252Fb/")) == [question.pk]
    assert client.get("/questions/tagged/a%2Fb/").status_code == 404  # that is a/b as a path
    assert client.get("/questions/tagged/nosuchtag/").status_code == 404
    assert client.get("/questions/tagged/capital/").status_code == 404  # stored as Capital
    python = client.get("/questions/tagged/PYTHON/")
    assert python.status_code == 200
    assert question.pk in listed(python)


# ``?tagged=`` holds names separated by spaces, read in lower case (a name with a space or
# capitals is reached through its tag page).
@pytest.mark.parametrize(
    "name", [name for name in ODD_NAMES if name == name.lower() and " " not in name]
)
def test_it_filters_the_list_by_such_a_tag(client, question, name):
    QuestionFactory(tags=["python"])
    response = client.get("/questions/", {"tagged": name})
    assert response.status_code == 200
    assert listed(response) == [question.pk]
    assert tag_links(response)[name] == reverse("tag-detail", args=[name])
    nav = response.content.decode().split('aria-label="Sort questions"')[1].split("</nav>")[0]
    sort_links = [html.unescape(href) for href in re.findall(r'href="([^"]+)"', nav)]
    assert all(parse_qs(link[1:])["tagged"] == [name] for link in sort_links), sort_links


def test_a_nameless_tag_links_to_the_tag_list(client, question):
    """No path segment spells an empty name: such a tag (never made by the site, but a row
    may hold one) links to the tag list, and its pages still show."""
    question.tags.add(Tag.objects.create(name="", slug="nameless"))
    for url in ("/", "/questions/", "/tags/", question.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
    assert tag_links(client.get(question.get_absolute_url()))[""] == reverse("tag-list")
