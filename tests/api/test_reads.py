"""Read endpoints of /api/v1/ (docs/architecture.md, "The API"): the pages' visibility rules,
cursor pagination, ETag/304, sparse fields, JSON refusals and constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.models import Scope
from api.tokens import token_create
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from threads.models import Post

pytestmark = pytest.mark.django_db


def _json(client, url, **extra):
    response = client.get(url, **extra)
    assert response["Content-Type"].startswith("application/json"), response.content
    return response


def test_questions_list_pages_with_a_cursor_and_filters(client):
    author = UserFactory()
    questions = [QuestionFactory(author=author, tags=["python"]) for _ in range(3)]
    QuestionFactory(author=author, tags=["rust"])
    first = _json(client, "/api/v1/questions/?page_size=2&tagged=python").json()
    assert [row["id"] for row in first["results"]] == [questions[2].pk, questions[1].pk]
    assert first["results"][0]["tags"] == ["python"]
    second = _json(client, first["next"]).json()
    assert [row["id"] for row in second["results"]] == [questions[0].pk]
    assert second["next"] is None


def test_open_closed_and_since_filters(client):
    open_question, closed_question = QuestionFactory(), QuestionFactory()
    Post.objects.filter(pk=closed_question.pk).update(closed_at=timezone.now())
    ids = lambda url: [row["id"] for row in client.get(url).json()["results"]]  # noqa: E731
    assert ids("/api/v1/questions/?state=open") == [open_question.pk]
    assert ids("/api/v1/questions/?state=closed") == [closed_question.pk]
    assert ids("/api/v1/questions/?since=2999-01-01T00:00:00Z") == []


def test_bad_parameters_are_400_naming_the_field(client):
    response = _json(client, "/api/v1/questions/?sort=sideways&since=yesterday")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"sort", "since"}
    assert client.get("/api/v1/questions/?cursor=garbage").status_code == 404


def test_a_question_with_its_answers_and_comments(client):
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    CommentFactory(post=answer)
    body = _json(client, f"/api/v1/questions/{question.pk}/").json()
    assert body["id"] == question.pk and body["body"] == question.body
    assert [a["id"] for a in body["answers"]] == [answer.pk]
    assert len(body["answers"][0]["comments"]) == 1


def test_deleted_posts_are_visible_only_to_who_may_see_them(client):
    author = UserFactory()
    question = QuestionFactory(author=author)
    Post.objects.filter(pk=question.pk).update(deleted_at=timezone.now())
    assert _json(client, f"/api/v1/questions/{question.pk}/").status_code == 404
    assert client.get(f"/api/v1/questions/{question.pk}/timeline/").status_code == 404
    assert client.get("/api/v1/questions/").json()["results"] == []
    client.force_login(author)
    assert client.get(f"/api/v1/questions/{question.pk}/").status_code == 200


def test_etag_and_if_none_match(client):
    question = QuestionFactory()
    url = f"/api/v1/questions/{question.pk}/"
    etag = client.get(url)["ETag"]
    assert etag.startswith('W/"')
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    Post.objects.filter(pk=question.pk).update(score=5)
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_sparse_fields(client):
    QuestionFactory()
    row = client.get("/api/v1/questions/?fields=id,title").json()["results"][0]
    assert set(row) == {"id", "title"}


def test_users_tags_close_reasons_and_timeline(client):
    member = UserFactory()
    question = QuestionFactory(author=member, tags=["python"])
    assert member.pk in [u["id"] for u in client.get("/api/v1/users/").json()["results"]]
    assert client.get(f"/api/v1/users/{member.pk}/").json()["name"] == member.name
    assert client.get("/api/v1/users/999999/").status_code == 404
    tags = client.get("/api/v1/tags/?name=pyth").json()["results"]
    assert [t["name"] for t in tags] == ["python"]
    assert client.get("/api/v1/close-reasons/").status_code == 200
    timeline = client.get(f"/api/v1/questions/{question.pk}/timeline/").json()
    assert timeline[0]["what"] == "asked" and timeline[0]["post_id"] == question.pk


def test_search_uses_the_sites_engine(client):
    QuestionFactory(title="How do I frobnicate a widget in python")
    response = client.get("/api/v1/search/?q=frobnicate")
    assert response.status_code == 200
    assert client.get("/api/v1/search/").status_code == 400


def test_review_queues_need_a_member_or_a_read_token(client):
    assert client.get("/api/v1/review-queues/").status_code in (401, 403)
    _, plain = token_create(user=UserFactory(), name="bot", scopes=[Scope.READ], days=1)
    response = client.get("/api/v1/review-queues/", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert response.status_code == 200 and isinstance(response.json(), dict)


def test_a_token_without_read_scope_cannot_read(client):
    member = UserFactory()
    _, plain = token_create(user=member, name="w", scopes=[Scope.WRITE], days=1)
    response = client.get("/api/v1/questions/", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert response.status_code == 403 and "error" in response.json()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lists_and_detail_cost_constant_queries(client, django_assert_max_num_queries):
    """The same count for a small and a large thread and list (no N+1), under a ceiling."""
    question = QuestionFactory(tags=["python", "pandas"])
    urls = ["/api/v1/questions/", f"/api/v1/questions/{question.pk}/", "/api/v1/users/"]
    urls += [f"/api/v1/questions/{question.pk}/timeline/", "/api/v1/tags/"]
    small = [_queries(client, url) for url in urls]
    for _ in range(8):
        QuestionFactory(tags=["python"])
        CommentFactory(post=AnswerFactory(question=question))
    large = [_queries(client, url) for url in urls]
    assert small == large
    with django_assert_max_num_queries(3):
        client.get("/api/v1/questions/")
    with django_assert_max_num_queries(6):
        client.get(f"/api/v1/questions/{question.pk}/")
