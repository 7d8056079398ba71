"""The admin of the Q&A core: every model is registered and renders, and every write goes
through ``threads.services`` so revisions, counters and reputation stay right."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

import threads.admin
from accounts.models import AccountEvent, AccountEventKind
from accounts.privileges import Privilege
from core.conf import qasite_setting
from tests.admin_helpers import admin_url, assert_constant_queries, form_data, post_changes, reload
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.threads import moderator, user_with
from threads import services
from threads.models import (
    Answer,
    Comment,
    CommentVote,
    Post,
    Question,
    ReputationChange,
    Revision,
    RevisionKind,
    Tag,
    TaggedPost,
    Vote,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread():
    """A question with an answer, a comment, a vote, a comment vote, a synonym tag and a
    duplicate of it, so every admin has a row to show. The voter may vote down too."""
    asker, answerer, voter = UserFactory(), UserFactory(), user_with(Privilege.DOWNVOTE)
    question = QuestionFactory(author=asker, tags=["python"])
    answer = AnswerFactory(author=answerer, question=question)
    comment = CommentFactory(author=asker, post=answer, body="A comment long enough to keep.")
    services.vote_cast(user=voter, post=answer, value=1)
    services.comment_vote_cast(user=voter, comment=comment)
    Tag.objects.create(name="py", slug="py", synonym_of=Tag.objects.get(name="python"))
    QuestionFactory(author=asker, tags=["python3"])
    services.tag_synonym_suggest(
        actor=moderator(), source_name="python3", target=Tag.objects.get(name="python")
    )
    services.tag_wiki_edit(
        editor=moderator(), tag=Tag.objects.get(name="python"), excerpt="Snakes.", body=""
    )
    services.suggested_edit_create(
        author=voter, post=answer, title="", body=answer.body + " Clarified.", summary="Clarify"
    )
    services.question_close(
        question=QuestionFactory(author=asker, tags=["dupes"]),
        notice={"reason": "duplicate"},
        duplicate_of=[question],
    )
    AccountEvent.objects.create(user=asker, kind=AccountEventKind.EXPORT_REQUESTED, actor=asker)
    return {
        "asker": asker,
        "answerer": answerer,
        "voter": voter,
        "question": question,
        "answer": answer,
        "comment": comment,
    }


def _registered_models():
    return [
        model
        for label in ("accounts", "threads")
        for model in apps.get_app_config(label).get_models()
    ]


def _instance_of(model, thread):
    if model is Question:
        return thread["question"]
    if model is Answer:
        return thread["answer"]
    return model._default_manager.order_by("pk").first()


MODELS = [pytest.param(model, id=model._meta.label) for model in _registered_models()]


def test_it_registers_every_model():
    assert all(admin.site.is_registered(model) for model in _registered_models())
    # taggit's own Tag model is unused; only threads.Tag is edited.
    assert not admin.site.is_registered(apps.get_model("taggit", "Tag"))


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom):
            names.add(node.module or "")
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_its_modules_import_nothing_from_moderation():
    """moderation's admin builds on this one, never the other way round."""
    for path in Path(threads.admin.__file__).parent.glob("*.py"):
        imported = _imported_modules(path)
        assert not {name for name in imported if name.split(".")[0] == "moderation"}, path.name


@pytest.mark.parametrize("model", MODELS)
def test_it_renders_the_changelist(admin_client, thread, model):
    response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_it_renders_the_change_page(admin_client, thread, model):
    obj = _instance_of(model, thread)
    assert obj is not None
    response = admin_client.get(admin_url(model, "change", obj.pk), follow=True)
    assert response.status_code == 200
    assert str(obj.pk) in response.request["PATH_INFO"]


@pytest.mark.parametrize("model", MODELS)
def test_it_renders_the_add_page_or_refuses_it(admin_client, thread, model):
    model_admin = admin.site.get_model_admin(model)
    response = admin_client.get(admin_url(model, "add"))
    expected = 200 if model_admin.has_add_permission(response.wsgi_request) else 403
    assert response.status_code == expected


def test_it_searches_and_filters_the_changelists(admin_client, thread):
    question = thread["question"]
    for model, query in [
        (Question, {"q": question.title[:10], "deleted": "no", "closed": "no", "locked": "no"}),
        (Answer, {"q": str(thread["answer"].pk), "accepted": "no"}),
        (Post, {"q": "anything", "kind": "question"}),
        (Comment, {"q": "comment", "deleted": "no"}),
        (Vote, {"q": thread["voter"].username, "value": "1"}),
        (Tag, {"q": "py", "synonym": "yes"}),
        (ReputationChange, {"q": thread["answerer"].username}),
    ]:
        response = admin_client.get(admin_url(model, "changelist"), query)
        assert response.status_code == 200, model


@pytest.mark.parametrize("model", [Question, Answer, Comment, Vote, ReputationChange])
def test_it_lists_rows_in_a_constant_number_of_queries(admin_client, model):
    def add_rows() -> None:
        question = QuestionFactory()
        answer = AnswerFactory(question=question)
        CommentFactory(post=answer, author=answer.author)
        services.vote_cast(user=user_with(Privilege.UPVOTE), post=answer, value=1)

    assert_constant_queries(admin_client, model, add_rows)


# Posts -----------------------------------------------------------------------------------


def test_it_edits_a_question_through_post_edit(admin_client, thread):
    question = thread["question"]
    url = admin_url(Question, "change", question.pk)
    response = post_changes(
        admin_client,
        url,
        title="An edited title for this question",
        body="The edited body, now with **bold** text.",
        tag_names="python django",
        summary="clarified",
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    question = reload(question)
    assert question.title == "An edited title for this question"
    assert "<strong>bold</strong>" in question.body_html
    assert sorted(question.tags.names()) == ["django", "python"]
    revision = question.revisions.order_by("-number").first()
    assert (revision.number, revision.kind) == (2, RevisionKind.EDIT)
    assert revision.body == "The edited body, now with **bold** text."
    assert revision.summary == "clarified"
    assert revision.editor.username == "admin"
    assert Tag.objects.get(name="django").usage_count == 1


def test_it_edits_an_answer_through_post_edit(admin_client, thread):
    answer = thread["answer"]
    url = admin_url(Answer, "change", answer.pk)
    response = post_changes(admin_client, url, body="An *edited* answer body, long enough to save.")

    assert response.status_code == 302
    answer = reload(answer)
    assert "<em>edited</em>" in answer.body_html
    assert answer.revisions.count() == 2


def test_it_refuses_a_stale_edit(admin_client, thread):
    question = thread["question"]
    url = admin_url(Question, "change", question.pk)
    data = form_data(admin_client.get(url), body="My edit, begun before another one.")
    elsewhere = "Someone else's edit, saved in the meantime."
    services.post_edit(
        editor=user_with(Privilege.EDIT_ANY_POST),
        post=question,
        title=question.title,
        body=elsewhere,
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "edited by someone else" in response.content.decode()
    assert reload(question).body == elsewhere


def test_it_refuses_invalid_tags(admin_client, thread):
    question = thread["question"]
    url = admin_url(Question, "change", question.pk)
    response = post_changes(admin_client, url, tag_names="python Bad_Tag!")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["tag_names"]


# What the validator and the services refuse ------------------------------------------------


def _errors_shown(response) -> list[str]:
    """The error messages a page shows (the admin's message list)."""
    return [
        str(message) for message in response.context["messages"] if message.level_tag == "error"
    ]


def test_it_shows_the_validators_message_for_a_title_too_short(admin_client, thread):
    question = thread["question"]
    url = admin_url(Question, "change", question.pk)
    response = post_changes(admin_client, url, title="Too short")

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    minimum = qasite_setting("QUESTION_TITLE_MIN")
    assert errors["title"] == [f"Title must be at least {minimum} characters; you entered 9."]
    assert reload(question).title == thread["question"].title
    assert question.revisions.count() == 1


def test_it_shows_the_validators_tag_messages_at_the_tags_field(admin_client, thread):
    question = thread["question"]
    url = admin_url(Question, "change", question.pk)
    response = post_changes(admin_client, url, tag_names="a b c d e f")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["tag_names"] == ["Use between 1 and 5 tags."]


def test_it_saves_an_imported_short_post_unchanged(admin_client, thread):
    """Posts imported from elsewhere may be shorter than this site's limits: saving one in
    the admin without touching its text (here: changing only its tags) still works."""
    question = thread["question"]
    Post.objects.filter(pk=question.pk).update(title="Short title", body="Short body.")
    url = admin_url(Question, "change", question.pk)

    response = post_changes(admin_client, url)
    assert response.status_code == 302, response.context["adminform"].form.errors

    response = post_changes(admin_client, url, tag_names="python dupes")
    assert response.status_code == 302, response.context["adminform"].form.errors
    question = reload(question)
    assert (question.title, question.body) == ("Short title", "Short body.")
    assert sorted(question.tags.names()) == ["dupes", "python"]

    # Changing the short body is checked: the new text must meet the limits.
    response = post_changes(admin_client, url, body="Still short.")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"]


def test_it_shows_a_locks_refusal_as_an_error_message(admin_client, thread):
    question = thread["question"]
    url = admin_url(Question, "change", question.pk)
    data = form_data(admin_client.get(url), body="An edit made while the question is locked.")
    services.post_lock(post=question, kind="content_dispute", until=timezone.now() + timedelta(1))

    response = admin_client.post(url, data)

    assert response.status_code == 302 and response["Location"] == url
    page = admin_client.get(url)
    assert page.status_code == 200
    [error] = _errors_shown(page)
    assert error.startswith("This question is locked until") and "edits" in error
    assert reload(question).body == thread["question"].body
    assert question.revisions.count() == 1


def test_it_rolls_back_a_refused_add_and_says_why(admin_client, thread):
    author = UserFactory()  # 1 reputation: can't create the tag "brand-new"
    data = {
        "title": "A question the author may not tag like this",
        "body": "A body long enough for the validator to accept it.",
        "tag_names": "python brand-new",
        "author": author.pk,
    }

    response = admin_client.post(admin_url(Question, "add"), data, follow=True)

    assert response.status_code == 200
    need = Privilege.CREATE_TAGS.reputation
    assert _errors_shown(response) == [f"You need {need} reputation to create new tags: brand-new"]
    assert not Question.objects.filter(author=author).exists()
    assert not Tag.objects.filter(name="brand-new").exists()


def test_it_shows_a_refused_vote_as_an_error_message(admin_client, thread):
    newcomer, question = UserFactory(), thread["question"]

    response = admin_client.post(
        admin_url(Vote, "add"), {"user": newcomer.pk, "post": question.pk, "value": 1}, follow=True
    )

    assert _errors_shown(response) == [
        f"You need {Privilege.UPVOTE.reputation} reputation to vote up."
    ]
    assert not Vote.objects.filter(user=newcomer).exists()
    assert reload(question).score == 0


def test_it_shows_a_refused_action_as_an_error_message_and_undoes_it(admin_client, thread):
    question = thread["question"]
    services.post_edit(
        editor=user_with(Privilege.EDIT_ANY_POST),
        post=question,
        title=question.title,
        body="A later body, long enough to be saved.",
    )
    first = question.revisions.get(number=1)
    services.post_lock(post=question, kind="historical", until=timezone.now() + timedelta(1))
    changelist = admin_url(Revision, "changelist")

    response = admin_client.post(
        changelist, {"action": "rollback_to_selected", "_selected_action": [first.pk]}
    )

    assert response.status_code == 302 and response["Location"] == changelist
    [error] = _errors_shown(admin_client.get(changelist))
    assert error.startswith("This question is locked until")
    assert reload(question).body == "A later body, long enough to be saved."
    assert question.revisions.count() == 2


def test_it_rolls_back_a_bulk_action_refused_half_way(admin_client, thread):
    """The votes are retracted newest first: the fresh one goes, then the old one (locked in
    by ``VOTE_LOCK_MINUTES``) is refused, and the whole deletion is undone."""
    answer, question = thread["answer"], thread["question"]
    fresh = Vote.objects.get(post=answer)
    minutes = qasite_setting("VOTE_LOCK_MINUTES") + 1
    with time_machine.travel(timezone.now() - timedelta(minutes=minutes)):
        services.vote_cast(user=user_with(Privilege.UPVOTE), post=question, value=1)
    old = Vote.objects.get(post=question)

    response = admin_client.post(
        admin_url(Vote, "changelist"),
        {"action": "delete_selected", "_selected_action": [fresh.pk, old.pk], "post": "yes"},
        follow=True,
    )

    [error] = _errors_shown(response)
    assert "vote" in error.lower()
    assert set(Vote.objects.values_list("pk", flat=True)) == {fresh.pk, old.pk}
    assert (reload(answer).score, reload(question).score) == (1, 1)


def test_it_keeps_the_admins_own_refusals_as_403(admin_client, thread):
    comment = thread["comment"]
    url = admin_url(Comment, "change", comment.pk)
    assert admin_client.get(url).status_code == 200  # view only
    assert admin_client.post(url, {"body": "Changed in the admin, not allowed."}).status_code == 403


def test_it_keeps_counters_read_only(admin_client, thread):
    response = admin_client.get(admin_url(Question, "change", thread["question"].pk))
    fields = response.context["adminform"].form.fields
    for name in ("score", "answer_count", "view_count", "version", "body_html", "deleted_at"):
        assert name not in fields


def test_it_adds_a_question_through_question_create(admin_client, thread):
    author = user_with(Privilege.CREATE_TAGS)  # "admin" is a new tag
    response = admin_client.post(
        admin_url(Question, "add"),
        {
            "title": "How do I add a question in the admin?",
            "body": "A body written *in* the admin.",
            "tag_names": "python admin",
            "author": author.pk,
        },
    )

    assert response.status_code == 302
    question = Question.objects.get(title="How do I add a question in the admin?")
    assert question.kind == "question" and question.author == author
    assert "<em>in</em>" in question.body_html
    assert question.revisions.get().kind == RevisionKind.INITIAL
    assert Tag.objects.get(name="admin").usage_count == 1


def test_it_adds_an_answer_through_answer_create(admin_client, thread):
    question = thread["question"]
    response = admin_client.post(
        admin_url(Answer, "add"),
        {"parent": question.pk, "body": "An answer added in the admin, long enough."},
    )

    assert response.status_code == 302
    answer = Answer.objects.get(body="An answer added in the admin, long enough.")
    assert answer.parent_id == question.pk and answer.author.username == "admin"
    assert reload(question).answer_count == 2


def test_it_soft_deletes_an_answer(admin_client, thread):
    question, answer = thread["question"], thread["answer"]
    url = admin_url(Answer, "delete", answer.pk)
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert reload(answer).deleted_at is not None
    assert reload(question).answer_count == 0
    # The upvote's reputation goes with the post; the vote row and history stay.
    assert reload(thread["answerer"]).reputation == 1
    assert Vote.objects.filter(post=answer).exists()
    assert answer.revisions.exists()


def test_it_soft_deletes_selected_posts_and_undeletes_them(admin_client, thread):
    question, answer = thread["question"], thread["answer"]
    changelist = admin_url(Answer, "changelist")

    response = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [answer.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert reload(answer).deleted_at is not None
    assert reload(question).answer_count == 0

    response = admin_client.post(
        changelist, {"action": "undelete_selected", "_selected_action": [answer.pk]}
    )
    assert response.status_code == 302
    assert reload(answer).deleted_at is None
    assert reload(question).answer_count == 1
    assert (
        reload(thread["answerer"]).reputation == 1 + qasite_setting("REPUTATION")["ANSWER_UPVOTED"]
    )


def test_it_soft_deletes_a_question_and_its_tag_counts(admin_client, thread):
    question = thread["question"]
    response = admin_client.post(admin_url(Question, "delete", question.pk), {"post": "yes"})

    assert response.status_code == 302
    assert reload(question).is_deleted
    assert Tag.objects.get(name="python").usage_count == 0
    # A deleted post can't be deleted again.
    assert admin_client.get(admin_url(Question, "delete", question.pk)).status_code == 403


# Votes -----------------------------------------------------------------------------------


def test_it_adds_and_deletes_a_vote_through_the_services(admin_client, thread):
    question, asker, voter = thread["question"], thread["asker"], thread["voter"]
    gain = qasite_setting("REPUTATION")["QUESTION_UPVOTED"]

    response = admin_client.post(
        admin_url(Vote, "add"), {"user": voter.pk, "post": question.pk, "value": 1}
    )

    assert response.status_code == 302
    vote = Vote.objects.get(user=voter, post=question)
    assert reload(question).score == 1
    assert reload(asker).reputation == 1 + gain
    assert ReputationChange.objects.filter(vote=vote, amount=gain).exists()

    response = admin_client.post(admin_url(Vote, "delete", vote.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Vote.objects.filter(pk=vote.pk).exists()
    assert reload(question).score == 0
    assert reload(asker).reputation == 1
    assert not ReputationChange.objects.filter(user=asker).exists()


def test_it_changes_a_votes_value_through_vote_cast(admin_client, thread):
    answer, answerer, voter = thread["answer"], thread["answerer"], thread["voter"]
    vote = Vote.objects.get(user=voter, post=answer)
    url = admin_url(Vote, "change", vote.pk)

    response = post_changes(admin_client, url, value=-1)

    assert response.status_code == 302
    assert Vote.objects.get(user=voter, post=answer).value == -1
    assert reload(answer).score == -1
    amounts = qasite_setting("REPUTATION")
    assert reload(answerer).reputation == 1  # the downvote stops at the floor of 1
    assert ReputationChange.objects.get(user=answerer).amount == 0
    assert (
        reload(voter).reputation == Privilege.DOWNVOTE.reputation + amounts["DOWNVOTER_ON_ANSWER"]
    )


def test_it_deletes_selected_votes_through_vote_retract(admin_client, thread):
    answer = thread["answer"]
    vote = Vote.objects.get(post=answer)

    response = admin_client.post(
        admin_url(Vote, "changelist"),
        {"action": "delete_selected", "_selected_action": [vote.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert reload(answer).score == 0
    assert reload(thread["answerer"]).reputation == 1


def test_it_refuses_a_vote_on_ones_own_post(admin_client, thread):
    question = thread["question"]
    response = admin_client.post(
        admin_url(Vote, "add"), {"user": thread["asker"].pk, "post": question.pk, "value": 1}
    )

    assert response.status_code == 200
    assert not Vote.objects.filter(post=question).exists()


def test_it_adds_and_deletes_a_comment_vote_through_the_services(admin_client, thread):
    comment, reader = thread["comment"], user_with(Privilege.UPVOTE)

    response = admin_client.post(
        admin_url(CommentVote, "add"), {"user": reader.pk, "comment": comment.pk}
    )
    assert response.status_code == 302
    assert reload(comment).score == 2

    vote = CommentVote.objects.get(user=reader, comment=comment)
    response = admin_client.post(admin_url(CommentVote, "delete", vote.pk), {"post": "yes"})
    assert response.status_code == 302
    assert reload(comment).score == 1


# Comments --------------------------------------------------------------------------------


def test_it_adds_and_soft_deletes_a_comment_through_the_services(admin_client, thread):
    question = thread["question"]
    response = admin_client.post(
        admin_url(Comment, "add"),
        {"post": question.pk, "author": thread["voter"].pk, "body": "A comment from the admin."},
    )

    assert response.status_code == 302
    comment = Comment.objects.get(body="A comment from the admin.")
    assert comment.body_html
    assert reload(question).comment_count == 1

    response = admin_client.post(admin_url(Comment, "delete", comment.pk), {"post": "yes"})

    assert response.status_code == 302
    assert reload(comment).deleted_at is not None
    assert reload(question).comment_count == 0


def test_it_shows_a_comment_read_only(admin_client, thread):
    response = admin_client.get(admin_url(Comment, "change", thread["comment"].pk))
    assert response.status_code == 200
    assert not response.context["adminform"].form.fields


# History and tags ------------------------------------------------------------------------


def test_it_has_no_add_change_or_delete_on_the_reputation_ledger(admin_client, thread):
    change = ReputationChange.objects.first()
    assert admin_client.get(admin_url(ReputationChange, "add")).status_code == 403
    request = admin_client.get(admin_url(ReputationChange, "changelist")).wsgi_request
    model_admin = admin.site.get_model_admin(ReputationChange)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, change)
    assert not model_admin.has_delete_permission(request, change)
    assert admin_client.post(admin_url(ReputationChange, "delete", change.pk)).status_code == 403


@pytest.mark.parametrize("model", [Revision, TaggedPost])
def test_it_keeps_history_read_only(admin_client, thread, model):
    request = admin_client.get(admin_url(model, "changelist")).wsgi_request
    model_admin = admin.site.get_model_admin(model)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_it_rolls_back_to_a_revision_through_post_rollback(admin_client, thread):
    question = thread["question"]
    first = question.revisions.get(number=1)
    services.post_edit(
        editor=user_with(Privilege.EDIT_ANY_POST),
        post=question,
        title=question.title,
        body="A later body, long enough to be saved.",
    )

    response = admin_client.post(
        admin_url(Revision, "changelist"),
        {"action": "rollback_to_selected", "_selected_action": [first.pk]},
    )

    assert response.status_code == 302
    assert reload(question).body == first.body
    assert question.revisions.order_by("-number").first().kind == RevisionKind.ROLLBACK


def test_it_edits_a_tag_wiki(admin_client, thread):
    tag = Tag.objects.get(name="python")
    url = admin_url(Tag, "change", tag.pk)
    response = post_changes(
        admin_client, url, excerpt="A programming language.", wiki_body="Python is *nice*."
    )

    assert response.status_code == 302
    tag = reload(tag)
    assert tag.excerpt == "A programming language."
    assert "<em>nice</em>" in tag.wiki_html
    assert tag.usage_count == 1


def test_it_keeps_wiki_revisions_and_retags_when_a_synonym_is_set(admin_client, thread):
    python3 = Tag.objects.get(name="python3")
    url = admin_url(Tag, "change", python3.pk)
    python = Tag.objects.get(name="python")
    response = post_changes(admin_client, url, wiki_body="Version 3.", synonym_of=python.pk)
    assert response.status_code == 302
    python3 = reload(python3)
    assert python3.synonym_of == python
    assert python3.wiki_revisions.get().summary == "Edited in the admin"
    assert python3.usage_count == 0
    assert not TaggedPost.objects.filter(tag=python3).exists()
    assert reload(python).usage_count == 2


def test_it_adds_a_tag_and_refuses_bad_names_and_synonym_chains(admin_client, thread):
    assert admin_client.post(admin_url(Tag, "add"), {"name": "c++"}).status_code == 302
    assert Tag.objects.get(name="c++").slug == "c++"

    response = admin_client.post(admin_url(Tag, "add"), {"name": "Not A Tag"})
    assert response.status_code == 200
    assert not Tag.objects.filter(name__iexact="not a tag").exists()

    chained = Tag.objects.get(name="py")
    response = admin_client.post(admin_url(Tag, "add"), {"name": "py3", "synonym_of": chained.pk})
    assert response.status_code == 200
    assert not Tag.objects.filter(name="py3").exists()


def test_its_tag_forms_take_lowercase_names_of_any_script_and_refuse_the_others(
    admin_client, thread
):
    assert admin_client.post(admin_url(Tag, "add"), {"name": "ассемблер"}).status_code == 302
    assert Tag.objects.get(name="ассемблер").slug == "ассемблер"
    response = admin_client.post(admin_url(Tag, "add"), {"name": "a/b"})
    assert response.status_code == 200
    assert "lowercase letters, digits and + # . -" in response.content.decode()
    assert not Tag.objects.filter(name="a/b").exists()

    question = thread["question"]
    url = admin_url(Question, "change", question.pk)
    assert post_changes(admin_client, url, tag_names="python 日本語").status_code == 302
    assert sorted(reload(question).tags.names()) == ["python", "日本語"]
    response = post_changes(admin_client, url, tag_names="python x<y")
    assert response.status_code == 200
    assert "Invalid tag name: x&lt;y" in response.content.decode()


def test_it_refuses_to_delete_a_tag_in_use(admin_client, thread):
    tag = Tag.objects.get(name="python")
    assert admin_client.post(admin_url(Tag, "delete", tag.pk), {"post": "yes"}).status_code == 403
    assert Tag.objects.filter(pk=tag.pk).exists()


# Users -----------------------------------------------------------------------------------


def test_it_shows_reputation_read_only_on_users(admin_client, thread):
    user = thread["answerer"]
    url = admin_url(type(user), "change", user.pk)
    response = admin_client.get(url)

    fields = response.context["adminform"].form.fields
    assert "reputation" not in fields and "imported_reputation" not in fields
    assert {"display_name", "is_moderator", "is_system"} <= set(fields)

    data = form_data(response, display_name="Renamed", reputation=5000)
    assert admin_client.post(url, data).status_code == 302
    user = reload(user)
    assert user.display_name == "Renamed"
    assert user.reputation == 1 + qasite_setting("REPUTATION")["ANSWER_UPVOTED"]


def test_it_searches_users_by_display_name(admin_client, thread):
    user = thread["asker"]
    user.display_name = "Grace Hopper"
    user.save(update_fields=["display_name"])
    response = admin_client.get(admin_url(type(user), "changelist"), {"q": "hopper"})
    assert list(response.context["cl"].result_list) == [user]


def test_it_offers_only_live_questions_as_an_answers_question(admin_client, thread):
    question, answer = thread["question"], thread["answer"]
    deleted = QuestionFactory(title="A deleted question about python")
    services.post_delete(actor=None, post=deleted)

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "threads", "model_name": "answer", "field_name": "parent", "term": ""},
    )

    assert response.status_code == 200
    ids = {int(row["id"]) for row in response.json()["results"]}
    assert question.pk in ids
    assert answer.pk not in ids and deleted.pk not in ids


def test_it_filters_answers_by_accepted(admin_client, thread):
    answer = thread["answer"]
    changelist = admin_url(Answer, "changelist")

    def listed(accepted: str) -> list:
        response = admin_client.get(changelist, {"accepted": accepted})
        return list(response.context["cl"].result_list)

    assert listed("no") == [answer] and listed("yes") == []
    services.answer_accept(user=thread["asker"], answer=answer)
    assert listed("yes") == [answer] and listed("no") == []
