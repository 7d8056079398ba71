"""Tag pages: `/tags/` (sorts, filter), `/questions/tagged/<tag>/`, `/tags/suggest/`."""

import html
import re
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from core.conf import qasite_setting
from tests.factories import QuestionFactory, UserFactory
from tests.pages import text_of
from threads import services
from threads.models import Tag

pytestmark = pytest.mark.django_db

ROW_ID_RE = re.compile(r'id="question-summary-(\d+)"')
TAG_LINK_RE = re.compile(r'<li>\s*<a class="tag" href="[^"]+">([^<]+)</a>')


def listed(response) -> list[int]:
    return [int(pk) for pk in ROW_ID_RE.findall(response.content.decode())]


def tag_names(response) -> list[str]:
    return [html.unescape(name) for name in TAG_LINK_RE.findall(response.content.decode())]


@pytest.fixture
def tagged():
    author = UserFactory()
    for _ in range(3):
        QuestionFactory(author=author, tags=["python"])
    for _ in range(2):
        QuestionFactory(author=author, tags=["java"])
    QuestionFactory(author=author, tags=["pytest", "python"])
    Tag.objects.filter(name="python").update(excerpt="A general-purpose programming language.")


def test_it_lists_tags_by_popularity(client, tagged):
    response = client.get("/tags/")
    assert response.status_code == 200
    assert tag_names(response) == ["python", "java", "pytest"]
    seen = text_of(response.content.decode())
    assert "4 questions" in seen
    assert "A general-purpose programming language." in seen
    assert tag_names(client.get("/tags/?sort=popular")) == ["python", "java", "pytest"]


def test_it_lists_tags_by_name(client, tagged):
    assert tag_names(client.get("/tags/?sort=name")) == ["java", "pytest", "python"]


def test_it_filters_tags_by_name(client, tagged):
    response = client.get("/tags/?q=py")
    assert response.status_code == 200
    assert tag_names(response) == ["python", "pytest"]
    assert 'value="py"' in response.content.decode()
    assert tag_names(client.get("/tags/?q=PY&sort=name")) == ["pytest", "python"]
    nothing = client.get("/tags/?q=zzz")
    assert nothing.status_code == 200
    assert "No tags match." in text_of(nothing.content.decode())


def test_it_survives_odd_tag_list_parameters(client, tagged):
    for query in ("?page=999", "?page=abc", "?sort=bogus", "?q=" + "x" * 200, "?q=%25_"):
        assert client.get(f"/tags/{query}").status_code == 200, query


def test_it_shows_questions_with_a_tag(client, tagged):
    java = QuestionFactory(title="Why is my HashMap iteration order random", tags=["java"])
    response = client.get("/questions/tagged/java/")
    assert response.status_code == 200
    assert len(listed(response)) == 3
    assert java.pk in listed(response)
    seen = text_of(response.content.decode())
    assert "Questions tagged [java]" in seen
    assert "Why is my HashMap iteration order random" in seen


def test_it_shows_the_tag_excerpt_and_usage(client, tagged):
    seen = text_of(client.get("/questions/tagged/python/").content.decode())
    assert "A general-purpose programming language." in seen
    assert "4 questions" in seen


def test_it_combines_the_tag_page_with_sorts_and_more_tags(client, tagged):
    assert client.get("/questions/tagged/python/?sort=score").status_code == 200
    response = client.get("/questions/tagged/python/?tagged=pytest")
    assert response.status_code == 200
    assert len(listed(response)) == 1


def test_it_paginates_a_tag_page(client):
    per_page = qasite_setting("QUESTIONS_PER_PAGE")
    author = UserFactory()
    for _ in range(per_page + 1):
        QuestionFactory(author=author, tags=["go"])
    assert len(listed(client.get("/questions/tagged/go/"))) == per_page
    assert len(listed(client.get("/questions/tagged/go/?page=2"))) == 1
    assert client.get("/questions/tagged/go/?page=abc").status_code == 200


@pytest.mark.parametrize("name", ["c++", "c#", ".net", "node.js", "objective-c"])
def test_it_serves_tags_with_punctuation(client, name):
    question = QuestionFactory(title=f"A question about the {name} language", tags=[name])
    url = reverse("tag-detail", args=[name])
    response = client.get(url)
    assert response.status_code == 200, url
    assert listed(response) == [question.pk]
    assert f"Questions tagged [{name}]" in text_of(response.content.decode())
    # Links on the tag list and on the question page lead back to the same URL.
    assert f'href="{url}"' in client.get("/tags/").content.decode()
    assert f'href="{url}"' in client.get(question.get_absolute_url()).content.decode()


def test_it_keeps_c_sharp_apart_from_c(client):
    sharp = QuestionFactory(tags=["c#"])
    QuestionFactory(tags=["c"])
    assert reverse("tag-detail", args=["c#"]) == "/questions/tagged/c%23/"
    assert listed(client.get(reverse("tag-detail", args=["c#"]))) == [sharp.pk]
    assert listed(client.get("/questions/?tagged=c%23")) == [sharp.pk]


def test_it_keeps_c_plus_plus_apart_from_c(client):
    plus = QuestionFactory(tags=["c++"])
    QuestionFactory(tags=["c"])
    assert reverse("tag-detail", args=["c++"]) == "/questions/tagged/c++/"
    assert listed(client.get(reverse("tag-detail", args=["c++"]))) == [plus.pk]
    assert listed(client.get("/questions/?tagged=c%2B%2B")) == [plus.pk]


def test_it_keeps_c_plus_plus_in_the_sort_links(client):
    QuestionFactory(tags=["c++", "templates"])
    content = client.get("/questions/?tagged=c%2B%2B+templates").content.decode()
    nav = content.split('aria-label="Sort questions"')[1].split("</nav>")[0]
    hrefs = [html.unescape(href) for href in re.findall(r'href="([^"]+)"', nav)]
    assert hrefs
    for href in hrefs:
        assert parse_qs(href[1:])["tagged"] == ["c++ templates"], href


def test_it_404s_an_unknown_tag(client, tagged):
    assert client.get("/questions/tagged/no-such-tag/").status_code == 404


def test_it_matches_tag_names_case_insensitively(client, tagged):
    assert client.get("/questions/tagged/Python/").status_code == 200


def test_it_redirects_a_synonym_to_its_master_tag(client, tagged):
    python = Tag.objects.get(name="python")
    Tag.objects.create(name="py", slug="py", synonym_of=python)
    response = client.get("/questions/tagged/py/")
    assert response.status_code in (301, 302)
    assert response["Location"] == "/questions/tagged/python/"


def test_it_hides_deleted_questions_from_tag_pages(client):
    kept = QuestionFactory(tags=["rust"])
    gone = QuestionFactory(tags=["rust"])
    services.post_delete(actor=gone.author, post=gone)
    assert listed(client.get("/questions/tagged/rust/")) == [kept.pk]


def test_it_suggests_tags_by_prefix(client, tagged):
    response = client.get("/tags/suggest/?q=py")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"tags": ["python", "pytest"]}
    assert client.get("/tags/suggest/?q=PY").json() == {"tags": ["python", "pytest"]}
    assert client.get("/tags/suggest/?q=zz").json() == {"tags": []}
    assert client.get("/tags/suggest/").json() == {"tags": []}


def test_it_leaves_synonyms_out_of_suggestions(client, tagged):
    Tag.objects.create(name="py3", slug="py3", synonym_of=Tag.objects.get(name="python"))
    assert "py3" not in client.get("/tags/suggest/?q=py").json()["tags"]
