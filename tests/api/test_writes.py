"""The write endpoints (docs/architecture.md, "The API"): each goes through the web's
service and rules, needs a token with the right scope, refuses bad input by field with
nothing written, and is safe to replay."""

import json

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient

from accounts.privileges import Privilege
from api.models import Scope
from api.tokens import token_create, token_revoke
from moderation.flags import flag_raise
from moderation.models import CloseVote, Flag, FlagKind, ReopenVote, Review, ReviewQueue, ReviewTask
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.moderation import close, opinion
from threads.models import Comment, CommentVote, Post, SuggestedEdit, Tag, Vote

pytestmark = pytest.mark.django_db

BODY = "A body long enough for the site's minimum, with a little detail about what I tried."
TITLE = "How do I read a file line by line in Python?"


@pytest.fixture(autouse=True)
def _python_tag():
    """The tag the questions use exists, as on a real site (creating one is a privilege)."""
    Tag.objects.get_or_create(name="python", slug="python")


def client_for(user=None, *scopes: str) -> APIClient:
    client = APIClient()
    if user is not None:
        _, plain = token_create(
            user=user, name="test", scopes=list(scopes or [Scope.WRITE]), days=9
        )
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    return client


def closer(**extra):
    return UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation, **extra)


def post_json(client, url: str, data, **headers):
    return client.post(url, data, format="json", **headers)


def error(response) -> dict:
    return response.json()["error"]


# Asking, answering, commenting


def test_a_write_token_asks_a_question_as_the_web_would():
    author = UserFactory(reputation=200)
    response = post_json(
        client_for(author), "/api/v1/questions/", {"title": TITLE, "body": BODY, "tags": ["python"]}
    )
    assert response.status_code == 201, response.json()
    question = Post.objects.get(pk=response.json()["id"])
    assert question.author == author and question.title == TITLE
    assert response.json()["url"].endswith(question.get_absolute_url())
    assert list(question.tags.names()) == ["python"]


def test_an_idempotency_key_makes_a_replayed_ask_return_the_first_question():
    client = client_for(UserFactory(reputation=200))
    data = {"title": TITLE, "body": BODY, "tags": ["python"]}
    first = post_json(client, "/api/v1/questions/", data, HTTP_IDEMPOTENCY_KEY="abc-1")
    again = post_json(client, "/api/v1/questions/", data, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Post.objects.questions().count() == 1


def test_another_member_with_the_same_key_gets_their_own_question():
    data = {"title": TITLE, "body": BODY, "tags": ["python"]}
    one = post_json(client_for(UserFactory(reputation=200)), "/api/v1/questions/", data,
                    HTTP_IDEMPOTENCY_KEY="k")  # fmt: skip
    two = post_json(client_for(UserFactory(reputation=200)), "/api/v1/questions/", data,
                    HTTP_IDEMPOTENCY_KEY="k")  # fmt: skip
    assert one.json()["id"] != two.json()["id"]


def test_a_too_long_idempotency_key_is_refused_by_name():
    response = post_json(
        client_for(UserFactory(reputation=200)),
        "/api/v1/questions/",
        {"title": TITLE, "body": BODY, "tags": ["python"]},
        HTTP_IDEMPOTENCY_KEY="k" * 256,
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in error(response)["fields"]
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": TITLE, "body": BODY, "tags": ["python"], "colour": "red"}, "colour"),
        ({"title": 5, "body": BODY, "tags": ["python"]}, "title"),
        ({"title": TITLE, "body": BODY, "tags": "python"}, "tags"),
        ({"title": TITLE, "tags": ["python"]}, "body"),
        ({"title": "short", "body": BODY, "tags": ["python"]}, "title"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(data, field):
    response = post_json(client_for(UserFactory(reputation=200)), "/api/v1/questions/", data)
    assert response.status_code == 400, response.json()
    assert field in error(response)["fields"] or field in error(response)["message"].lower()
    assert not Post.objects.exists()


def test_malformed_json_and_a_list_are_400():
    client = client_for(UserFactory(reputation=200))
    broken = client.post("/api/v1/questions/", "{not json", content_type="application/json")
    assert broken.status_code == 400 and error(broken)["message"]
    listed = post_json(client, "/api/v1/questions/", [1, 2])
    assert listed.status_code == 400
    assert not Post.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_huge_body_is_refused_before_it_is_read():
    client = client_for(UserFactory(reputation=200))
    data = {"title": TITLE, "body": "x" * 2000, "tags": ["python"]}
    response = client.post("/api/v1/questions/", json.dumps(data), content_type="application/json")
    assert response.status_code == 413
    assert "too large" in error(response)["message"]
    assert not Post.objects.exists()


def test_a_read_token_may_not_write_and_nobody_writes_without_a_token():
    data = {"title": TITLE, "body": BODY, "tags": ["python"]}
    member = UserFactory(reputation=200)
    reader = post_json(client_for(member, Scope.READ), "/api/v1/questions/", data)
    assert reader.status_code == 403
    anonymous = post_json(APIClient(), "/api/v1/questions/", data)
    assert anonymous.status_code in (401, 403)
    assert not Post.objects.exists()


def test_a_revoked_token_is_401():
    member = UserFactory(reputation=200)
    token, plain = token_create(user=member, name="t", scopes=[Scope.WRITE], days=9)
    token_revoke(user=member, token=token)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    response = post_json(client, "/api/v1/questions/", {"title": TITLE, "body": BODY, "tags": []})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_low_reputation_member_waits_between_questions_with_a_truthful_retry_after():
    client = client_for(UserFactory(reputation=1))
    data = {"title": TITLE, "body": BODY, "tags": ["python"]}
    assert post_json(client, "/api/v1/questions/", data).status_code == 201
    data["title"] = "How do I write a file line by line in Python?"
    again = post_json(client, "/api/v1/questions/", data)
    assert again.status_code == 429
    minutes = settings.QASITE["RATE_LIMITS"]["NEW_USER_QUESTION_MINUTES"]
    assert minutes * 60 - 5 <= int(again["Retry-After"]) <= minutes * 60
    assert Post.objects.questions().count() == 1


def test_answering_and_replaying_an_answer():
    question = QuestionFactory()
    client = client_for(UserFactory(reputation=50))
    url = f"/api/v1/questions/{question.pk}/answers/"
    first = post_json(client, url, {"body": BODY}, HTTP_IDEMPOTENCY_KEY="a")
    again = post_json(client, url, {"body": BODY}, HTTP_IDEMPOTENCY_KEY="a")
    assert first.status_code == 201 and first.json()["id"] == again.json()["id"]
    assert Post.objects.get(pk=first.json()["id"]).parent == question
    question.refresh_from_db()
    assert question.answer_count == 1


def test_answering_an_answer_or_a_missing_question_is_404():
    answer = AnswerFactory()
    client = client_for(UserFactory())
    assert (
        post_json(client, f"/api/v1/questions/{answer.pk}/answers/", {"body": BODY}).status_code
        == 404
    )
    assert post_json(client, "/api/v1/questions/999999/answers/", {"body": BODY}).status_code == 404


def test_commenting_needs_the_web_privilege_and_says_so():
    question = QuestionFactory()
    url = f"/api/v1/posts/{question.pk}/comments/"
    newbie = post_json(
        client_for(UserFactory(reputation=1)), url, {"body": "Could you add the traceback?"}
    )
    assert newbie.status_code == 403
    assert "comment" in error(newbie)["message"].lower()
    ok = post_json(
        client_for(UserFactory(reputation=100)), url, {"body": "Could you add the traceback?"}
    )
    assert ok.status_code == 201, ok.json()
    assert Comment.objects.filter(post=question).count() == 1


def test_comments_too_fast_are_429_with_retry_after():
    question = QuestionFactory()
    client = client_for(UserFactory(reputation=100))
    url = f"/api/v1/posts/{question.pk}/comments/"
    assert post_json(client, url, {"body": "Could you add the traceback?"}).status_code == 201
    again = post_json(client, url, {"body": "And which version of Python?"})
    assert again.status_code == 429
    assert 1 <= int(again["Retry-After"]) <= settings.QASITE["RATE_LIMITS"]["COMMENT_SECONDS"]


# Editing


def test_an_editor_edits_and_a_newcomer_suggests_as_on_the_web():
    question = QuestionFactory()
    url = f"/api/v1/posts/{question.pk}/edit/"
    body = question.body + "\n\nAn extra paragraph with the details."
    editor = client_for(UserFactory(reputation=Privilege.EDIT_ANY_POST.reputation))
    edited = editor.patch(url, {"body": body}, format="json")
    assert edited.status_code == 200, edited.json()
    assert edited.json()["result"] == "edited"
    question.refresh_from_db()
    assert question.body == body
    unchanged = editor.patch(url, {"body": body}, format="json")
    assert unchanged.json()["result"] == "unchanged"

    suggester = client_for(UserFactory(reputation=Privilege.EDIT_ANY_POST.reputation - 1))
    suggested = post_json(suggester, url, {"body": body + "\n\nMore."})
    assert suggested.status_code == 200 and suggested.json()["result"] == "suggested"
    replay = post_json(suggester, url, {"body": body + "\n\nMore."})
    assert replay.status_code == 409
    assert SuggestedEdit.objects.filter(post=question).count() == 1


def test_a_stale_edit_is_409():
    question = QuestionFactory()
    url = f"/api/v1/posts/{question.pk}/edit/"
    editor = client_for(UserFactory(reputation=Privilege.EDIT_ANY_POST.reputation))
    response = editor.patch(
        url, {"body": question.body + "\n\nMore.", "base_stamp": "old"}, format="json"
    )
    assert response.status_code == 409
    question.refresh_from_db()
    assert "More." not in question.body


# Voting and accepting


def test_voting_down_below_the_privilege_is_refused_with_the_web_message():
    answer = AnswerFactory()
    response = post_json(
        client_for(UserFactory(reputation=50)), f"/api/v1/posts/{answer.pk}/vote/", {"vote": "down"}
    )
    assert response.status_code == 403
    assert "vote down" in error(response)["message"]
    assert not Vote.objects.exists()


def test_votes_are_idempotent_and_retractable():
    answer = AnswerFactory()
    client = client_for(UserFactory(reputation=Privilege.DOWNVOTE.reputation))
    url = f"/api/v1/posts/{answer.pk}/vote/"
    assert post_json(client, url, {"vote": "up"}).json() == {"score": 1, "vote": "up"}
    assert post_json(client, url, {"vote": "up"}).json() == {"score": 1, "vote": "up"}
    assert post_json(client, url, {"vote": "retract"}).json()["score"] == 0
    assert post_json(client, url, {"vote": "sideways"}).status_code == 400


def test_the_daily_vote_limit_is_429_with_retry_after_until_midnight():
    voter = UserFactory(reputation=Privilege.UPVOTE.reputation)
    client = client_for(voter)
    limits = {**settings.QASITE["RATE_LIMITS"], "VOTES_PER_DAY": 1}
    with override_settings(QASITE={**settings.QASITE, "RATE_LIMITS": limits}):
        assert (
            post_json(
                client, f"/api/v1/posts/{AnswerFactory().pk}/vote/", {"vote": "up"}
            ).status_code
            == 200
        )
        refused = post_json(client, f"/api/v1/posts/{AnswerFactory().pk}/vote/", {"vote": "up"})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 86400
    assert Vote.objects.filter(user=voter).count() == 1


def test_comment_upvotes():
    comment = CommentFactory()
    client = client_for(UserFactory(reputation=Privilege.UPVOTE.reputation))
    url = f"/api/v1/comments/{comment.pk}/vote/"
    assert post_json(client, url, {"vote": "up"}).json() == {"score": 1, "vote": "up"}
    assert post_json(client, url, {"vote": "up"}).json()["score"] == 1
    assert post_json(client, url, {"vote": "down"}).status_code == 400
    assert CommentVote.objects.count() == 1


def test_only_the_asker_accepts():
    answer = AnswerFactory()
    url = f"/api/v1/answers/{answer.pk}/accept/"
    assert post_json(client_for(UserFactory()), url, {}).status_code == 403
    response = post_json(client_for(answer.parent.author), url, {})
    assert response.status_code == 200 and response.json() == {"accepted": True}
    answer.parent.refresh_from_db()
    assert answer.parent.accepted_answer_id == answer.pk
    assert post_json(client_for(answer.parent.author), url, {"accept": False}).json() == {
        "accepted": False
    }
    assert (
        post_json(
            client_for(UserFactory()), f"/api/v1/answers/{answer.parent.pk}/accept/", {}
        ).status_code
        == 404
    )


# Moderation: flags, close and reopen votes, reviews


def test_flagging_needs_a_moderate_token():
    question = QuestionFactory()
    member = closer()
    url = f"/api/v1/posts/{question.pk}/flags/"
    data = {"kind": FlagKind.NEEDS_IMPROVEMENT}
    assert post_json(client_for(member, Scope.WRITE), url, data).status_code == 403
    response = post_json(client_for(member, Scope.MODERATE), url, data)
    assert response.status_code == 201, response.json()
    assert Flag.objects.filter(flagger=member).count() == 1
    replay = post_json(client_for(member, Scope.MODERATE), url, data)
    assert replay.status_code == 409
    assert Flag.objects.filter(flagger=member).count() == 1


def test_a_flag_kind_not_offered_is_refused():
    question = QuestionFactory()
    url = f"/api/v1/posts/{question.pk}/flags/"
    client = client_for(closer(), Scope.MODERATE)
    assert post_json(client, url, {"kind": "bogus"}).status_code == 400
    assert post_json(client, url, {"kind": FlagKind.NOT_AN_ANSWER}).status_code == 409
    assert not Flag.objects.exists()


def test_a_moderate_token_stops_working_when_its_owner_loses_the_privilege():
    member = closer()
    client = client_for(member, Scope.MODERATE)
    member.reputation = 10
    member.save(update_fields=["reputation"])
    question = QuestionFactory()
    response = post_json(
        client, f"/api/v1/posts/{question.pk}/flags/", {"kind": FlagKind.NEEDS_IMPROVEMENT}
    )
    assert response.status_code == 403
    assert not Flag.objects.exists()


def test_voting_to_close_with_a_reason_and_a_replay():
    question = QuestionFactory()
    member = closer()
    client = client_for(member, Scope.MODERATE)
    url = f"/api/v1/questions/{question.pk}/close-votes/"
    response = post_json(client, url, {"reason": opinion().pk})
    assert response.status_code == 201, response.json()
    assert CloseVote.objects.filter(question=question, voter=member).count() == 1
    assert post_json(client, url, {"reason": opinion().pk}).status_code == 409
    assert CloseVote.objects.filter(question=question, voter=member).count() == 1


def test_a_duplicate_close_vote_needs_a_target_and_an_unknown_reason_is_refused():
    from tests.moderation import duplicate

    question = QuestionFactory()
    client = client_for(closer(), Scope.MODERATE)
    url = f"/api/v1/questions/{question.pk}/close-votes/"
    missing = post_json(client, url, {"reason": duplicate().pk})
    assert missing.status_code == 400 and "duplicate" in error(missing)["fields"]
    unknown = post_json(client, url, {"reason": 999999})
    assert unknown.status_code == 400 and "reason" in error(unknown)["fields"]
    wrong_type = post_json(client, url, {"reason": "opinion"})
    assert wrong_type.status_code == 400 and "reason" in error(wrong_type)["fields"]
    target = AnswerFactory().parent  # a duplicate target must be answered
    ok = post_json(client, url, {"reason": duplicate().pk, "duplicate": str(target.pk)})
    assert ok.status_code == 201, ok.json()
    assert CloseVote.objects.count() == 1


def test_a_close_vote_below_the_privilege_is_refused():
    member = closer()
    client = client_for(member, Scope.MODERATE)
    member.reputation = Privilege.CAST_CLOSE_VOTES.reputation - 1
    member.save(update_fields=["reputation"])
    question = QuestionFactory()
    response = post_json(
        client, f"/api/v1/questions/{question.pk}/close-votes/", {"reason": opinion().pk}
    )
    assert response.status_code == 403
    assert not CloseVote.objects.filter(voter=member).exists()


def test_voting_to_reopen():
    question = close(QuestionFactory())
    member = closer()
    client = client_for(member, Scope.MODERATE)
    url = f"/api/v1/questions/{question.pk}/reopen-votes/"
    assert post_json(client, url, {"please": True}).status_code == 400
    response = post_json(client, url, {})
    assert response.status_code == 201, response.json()
    assert ReopenVote.objects.filter(question=question, voter=member).count() == 1
    assert post_json(client, url, {}).status_code == 409


def test_reviewing_a_task():
    question = QuestionFactory()
    flag_raise(
        flagger=UserFactory(reputation=Privilege.FLAG.reputation),
        post=question,
        kind=FlagKind.NEEDS_IMPROVEMENT,
    )
    task = ReviewTask.objects.get(queue=ReviewQueue.CLOSE, post=question, is_audit=False)
    reviewer = closer()
    client = client_for(reviewer, Scope.MODERATE)
    url = f"/api/v1/review/{ReviewQueue.CLOSE}/tasks/{task.pk}/"
    assert post_json(client, url, {"decision": "maybe"}).status_code == 400
    assert (
        post_json(client_for(reviewer, Scope.WRITE), url, {"decision": "leave_open"}).status_code
        == 403
    )
    response = post_json(client, url, {"decision": "leave_open"})
    assert response.status_code == 200, response.json()
    assert Review.objects.filter(task=task, reviewer=reviewer).count() == 1
    assert (
        post_json(client, "/api/v1/review/nope/tasks/1/", {"decision": "skip"}).status_code == 404
    )


def test_a_review_below_the_queue_privilege_is_403():
    question = QuestionFactory()
    flag_raise(
        flagger=UserFactory(reputation=Privilege.FLAG.reputation),
        post=question,
        kind=FlagKind.NEEDS_IMPROVEMENT,
    )
    task = ReviewTask.objects.get(queue=ReviewQueue.CLOSE, post=question, is_audit=False)
    member = closer()
    client = client_for(member, Scope.MODERATE)
    member.reputation = Privilege.CAST_CLOSE_VOTES.reputation - 1
    member.save(update_fields=["reputation"])
    response = post_json(
        client, f"/api/v1/review/{ReviewQueue.CLOSE}/tasks/{task.pk}/", {"decision": "leave_open"}
    )
    assert response.status_code == 403


def test_a_lone_surrogate_is_refused_by_field():
    client = client_for(UserFactory(reputation=200))
    # The JSON escape of a lone surrogate, which json.dumps would not write.
    raw = json.dumps({"title": TITLE, "body": BODY, "tags": ["python"]})
    raw = raw.replace(BODY, BODY + " \\ud800")
    response = client.post("/api/v1/questions/", raw, content_type="application/json")
    assert response.status_code == 400
    assert "body" in error(response)["fields"]
    assert not Post.objects.exists()


def test_only_json_is_read():
    client = client_for(UserFactory(reputation=200))
    response = client.post(
        "/api/v1/questions/", "title=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert not Post.objects.exists()


def test_the_schema_declares_every_write_with_its_refusals():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    close_votes = schema["paths"]["/api/v1/questions/{id}/close-votes/"]["post"]
    assert {"201", "400", "401", "403", "404", "409", "429"} <= set(close_votes["responses"])
    assert "Retry-After" in close_votes["responses"]["429"]["headers"]
    assert "Idempotency-Key" in str(schema["paths"]["/api/v1/questions/"]["post"]["parameters"])
