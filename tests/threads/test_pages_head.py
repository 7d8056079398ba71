"""The head of threads' pages: the question page's QAPage JSON-LD (valid JSON, the right
fields, escaped so no title or body closes the element), OpenGraph tags and canonical links
on question, tag and user pages, and the feeds' autodiscovery links (docs/architecture.md,
"Feeds and discovery")."""

import json
import re
from html import unescape

import pytest
from django.utils import timezone

from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from threads import services
from threads.models import Post

pytestmark = pytest.mark.django_db

SITE = "https://qa.example.org"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def meta(html: str, prop: str) -> str | None:
    found = re.search(rf'<meta property="{prop}" content="([^"]*)">', html)
    return unescape(found.group(1)) if found else None


def canonical(html: str) -> str | None:
    found = re.search(r'<link rel="canonical" href="([^"]*)">', html)
    return unescape(found.group(1)) if found else None


def structured(html: str) -> dict:
    blocks = JSON_LD.findall(html)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_the_question_page_describes_its_question_and_answers(client):
    asker = UserFactory(display_name="Asker")
    question = QuestionFactory(author=asker, title="How do I parse dates in Python?")
    accepted = AnswerFactory(question=question, body="Use datetime.fromisoformat for that.")
    AnswerFactory(question=question, body="Or dateutil's parser, which is lenient.")
    gone = AnswerFactory(question=question, body="A deleted answer that is long enough.")
    services.answer_accept(user=asker, answer=accepted)
    Post.objects.filter(pk=gone.pk).update(deleted_at=timezone.now())

    html = client.get(question.get_absolute_url()).content.decode()
    data = structured(html)
    assert data["@context"] == "https://schema.org" and data["@type"] == "QAPage"
    entity = data["mainEntity"]
    assert entity["@type"] == "Question"
    assert entity["name"] == question.title
    assert entity["text"]
    assert entity["answerCount"] == 2
    assert entity["upvoteCount"] == 0
    assert entity["dateCreated"].startswith(str(question.created_at.year))
    assert entity["author"] == {
        "@type": "Person",
        "name": "Asker",
        "url": SITE + asker.get_absolute_url(),
    }
    assert entity["acceptedAnswer"]["text"] == "Use datetime.fromisoformat for that."
    assert entity["acceptedAnswer"]["url"].endswith(f"#answer-{accepted.pk}")
    assert [a["text"] for a in entity["suggestedAnswer"]] == [
        "Or dateutil's parser, which is lenient."
    ]

    assert canonical(html) == SITE + question.get_absolute_url()
    assert meta(html, "og:title") == question.title
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:url") == SITE + question.get_absolute_url()
    assert meta(html, "og:description").startswith(question.body[:20])
    # Autodiscovery of the question's answers feed.
    assert f'href="/feeds/questions/{question.pk}/rss/"' in html
    assert f'href="/feeds/questions/{question.pk}/atom/"' in html


def test_titles_and_bodies_cannot_close_the_json_ld_element(client):
    question = QuestionFactory(
        title="Why does </script><script>alert(1)</script> break?",
        body="Text with </script><b>bold</b> & a `</script>` in code, long enough.",
    )
    html = client.get(question.get_absolute_url()).content.decode()
    block = JSON_LD.findall(html)[0]
    assert "</script" not in block.lower() and "<" not in block
    entity = json.loads(block)["mainEntity"]
    assert entity["name"] == question.title  # escaped, not altered
    assert "</script>" in entity["text"]


def test_a_question_without_answers_has_no_answer_fields(client):
    question = QuestionFactory()
    entity = structured(client.get(question.get_absolute_url()).content.decode())["mainEntity"]
    assert entity["answerCount"] == 0
    assert "acceptedAnswer" not in entity and "suggestedAnswer" not in entity


def test_the_head_is_part_of_the_shared_page_and_costs_no_query(
    client, django_assert_max_num_queries
):
    question = QuestionFactory()
    for _ in range(5):
        AnswerFactory(question=question, author=UserFactory())
    client.get(question.get_absolute_url())
    member = UserFactory()
    client.force_login(member)
    with django_assert_max_num_queries(13):
        html = client.get(question.get_absolute_url()).content.decode()
    assert structured(html)["mainEntity"]["answerCount"] == 5


def test_tag_and_list_pages_have_canonical_og_and_feed_links(client):
    QuestionFactory(tags=["python"])
    html = client.get("/questions/tagged/python/?sort=votes").content.decode()
    assert canonical(html) == f"{SITE}/questions/tagged/python/"
    assert meta(html, "og:title") == "Questions tagged [python]"
    assert 'href="/feeds/tags/python/rss/"' in html
    assert 'type="application/atom+xml"' in html

    html = client.get("/questions/").content.decode()
    assert canonical(html) == f"{SITE}/questions/"
    assert 'href="/feeds/questions/rss/"' in html
    assert 'href="/feeds/moderation/atom/"' in html


def test_user_pages_have_canonical_and_profile_og_tags(client):
    member = UserFactory(display_name="Ada <Lovelace>")
    html = client.get(member.get_absolute_url()).content.decode()
    assert canonical(html) == SITE + member.get_absolute_url()
    assert meta(html, "og:type") == "profile"
    assert meta(html, "og:title") == "Ada <Lovelace>"
    assert meta(html, "og:image") == f"{SITE}/identicons/{member.pk}.svg"
