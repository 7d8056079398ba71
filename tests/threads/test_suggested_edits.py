"""Suggested edits: below the edit privilege, an edit of someone else's post waits for
review (``suggested_edit_create``); reviewers approve, improve or reject it
(``suggested_edit_approve`` / ``suggested_edit_reject``); a direct edit supersedes it."""

import html
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.privileges import Privilege
from core.conf import qasite_setting
from moderation.models import ReviewQueue, ReviewTask, TaskState
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.pages import text_of
from threads import rules, services
from threads.models import (
    PERMANENT_LOCK_UNTIL,
    LockKind,
    Post,
    ReputationCause,
    ReputationChange,
    RevisionKind,
    SuggestedEdit,
    SuggestedEditState,
)
from threads.reputation import reputation_credit

pytestmark = pytest.mark.django_db

STAMP_RE = re.compile(r'name="base_stamp" value="([^"]*)"')
TITLE = "How do I merge two dictionaries in Python"
BODY = "I have two dicts, x and y, and want a new dict with the items of both of them."
NEW_BODY = BODY + " The values of y should win, as in **dict.update**."
EDITOR_REP = Privilege.EDIT_ANY_POST.reputation
APPROVED = qasite_setting("REPUTATION")["SUGGESTED_EDIT_APPROVED"]
CAP = qasite_setting("REPUTATION")["SUGGESTED_EDIT_CAP"]


def stamp_of(response) -> str:
    match = STAMP_RE.search(response.content.decode())
    assert match, "no base_stamp in the form"
    return html.unescape(match.group(1))


def _reload(obj):
    obj.refresh_from_db()
    return obj


@pytest.fixture
def question():
    return QuestionFactory(title=TITLE, body=BODY, tags=["python", "dictionary"])


@pytest.fixture
def suggester():
    return UserFactory(reputation=EDITOR_REP - 1, display_name="Sue Suggester")


def open_form(client, post) -> str:
    response = client.get(f"/posts/{post.pk}/edit/")
    assert response.status_code == 200
    return stamp_of(response)


def edit(client, post, stamp, **fields):
    if post.is_question:
        data = {"title": post.title, "body": post.body, "tags": "dictionary python"}
    else:
        data = {"body": post.body}
    data.update({"summary": "", **fields, "base_stamp": stamp})
    return client.post(f"/posts/{post.pk}/edit/", data)


def suggest(post, author, **fields) -> SuggestedEdit:
    data = {"title": post.title, "body": NEW_BODY, "summary": "Say which values win"}
    if post.is_question:
        data["tags"] = sorted(post.tags.names())
    data.update(fields)
    return services.suggested_edit_create(author=author, post=post, **data)


def page_of(client, post) -> str:
    question = post if post.is_question else post.parent
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    return text_of(response.content)


# Suggesting through the edit page ----------------------------------------------------------


def test_a_low_rep_user_gets_the_suggestion_form(client, question, suggester):
    client.force_login(suggester)
    response = client.get(f"/posts/{question.pk}/edit/")
    assert response.status_code == 200
    seen = text_of(response.content)
    assert "Suggest an edit to this question" in seen
    assert "placed in a queue until it is peer reviewed" in seen
    assert "Suggest edit" in seen
    assert response.context["suggesting"] is True


def test_a_suggestion_waits_and_leaves_the_post_unchanged(client, question, suggester):
    client.force_login(suggester)
    stamp = open_form(client, question)

    response = edit(client, question, stamp, body=NEW_BODY, summary="Say which values win")

    assert response.status_code == 302
    assert response["Location"].startswith(question.get_absolute_url())
    question = _reload(question)
    assert question.body == BODY
    assert question.suggested_edit_pending is True
    assert question.revisions.count() == 1
    suggestion = SuggestedEdit.objects.get(post=question)
    assert (suggestion.author, suggestion.state) == (suggester, SuggestedEditState.PENDING)
    assert (suggestion.body, suggestion.title) == (NEW_BODY, TITLE)
    assert suggestion.tags == "dictionary python"
    assert (suggestion.summary, suggestion.base_revision) == ("Say which values win", 1)
    task = ReviewTask.objects.get(queue=ReviewQueue.SUGGESTED_EDITS, post=question)
    assert (task.suggested_edit, task.state) == (suggestion, TaskState.PENDING)
    page = client.get(response["Location"])
    assert "Your edit will be visible once reviewers approve it." in text_of(page.content)


def test_an_answer_suggestion(client, suggester):
    answer = AnswerFactory(body="Use the union operator: z = x | y works from Python 3.9.")
    client.force_login(suggester)
    stamp = open_form(client, answer)

    response = edit(client, answer, stamp, body=answer.body + " Before 3.9: {**x, **y}.")

    assert response.status_code == 302
    answer = _reload(answer)
    assert answer.suggested_edit_pending
    assert answer.body.endswith("3.9.")
    assert answer.suggested_edits.get().title == ""


def test_the_post_page_says_an_edit_is_waiting(client, question, suggester):
    suggest(question, suggester)

    client.force_login(UserFactory(reputation=EDITOR_REP - 1))
    seen = page_of(client, question)
    assert "An edit suggested for this question is waiting for review." in seen
    assert "Edit (pending review)" in seen
    assert "Suggest edit" not in seen

    client.force_login(suggester)
    assert "Edit (pending review)" in page_of(client, question)


def test_editors_and_the_author_still_get_the_edit_link(client, question, suggester):
    suggest(question, suggester)
    for user in (question.author, UserFactory(reputation=EDITOR_REP)):
        client.force_login(user)
        seen = page_of(client, question)
        assert "waiting for review" in seen
        assert "Edit (pending review)" not in seen
        assert (
            f'href="/posts/{question.pk}/edit/"'
            in client.get(question.get_absolute_url()).content.decode()
        )


def test_without_a_pending_edit_low_rep_users_see_suggest_edit(client, question):
    client.force_login(UserFactory(reputation=EDITOR_REP - 1))
    seen = page_of(client, question)
    assert "Suggest edit" in seen
    assert "waiting for review" not in seen


def test_one_pending_suggestion_per_post(client, question, suggester):
    client.force_login(suggester)
    stamp = open_form(client, question)
    assert edit(client, question, stamp, body=NEW_BODY).status_code == 302

    client.force_login(UserFactory(reputation=EDITOR_REP - 1))
    stamp = open_form(client, question)
    response = edit(client, question, stamp, body=BODY + " Another suggestion altogether.")

    assert response.status_code == 400
    assert "already has an edit waiting for review" in text_of(response.content)
    assert SuggestedEdit.objects.filter(post=question).count() == 1
    assert _reload(question).body == BODY


def test_the_service_refuses_a_second_pending_suggestion(question, suggester):
    suggest(question, suggester)
    with pytest.raises(services.SuggestionRefused, match="already has an edit waiting"):
        suggest(question, UserFactory(), body=BODY + " Something else entirely.")


def test_an_unchanged_suggestion_is_refused(client, question, suggester):
    client.force_login(suggester)
    stamp = open_form(client, question)

    response = edit(client, question, stamp)

    assert response.status_code == 400
    assert "Your edit doesn't change anything." in text_of(response.content)
    assert not SuggestedEdit.objects.exists()
    assert not _reload(question).suggested_edit_pending


def test_the_service_refuses_an_unchanged_suggestion(question, suggester):
    with pytest.raises(services.SuggestionRefused, match="doesn't change anything"):
        suggest(question, suggester, body=BODY)


def test_the_service_refuses_an_unchanged_suggestion_without_tags(question, suggester):
    with pytest.raises(services.SuggestionRefused, match="doesn't change anything"):
        services.suggested_edit_create(author=suggester, post=question, title=TITLE, body=BODY)


def test_a_tag_only_suggestion_is_accepted(question, suggester):
    suggestion = suggest(question, suggester, body=BODY, tags=["python", "dictionary", "merge"])
    assert suggestion.tags == "python dictionary merge"


def test_a_stale_suggestion_gets_the_conflict_page(client, question, suggester):
    client.force_login(suggester)
    stamp = open_form(client, question)
    services.post_edit(
        editor=question.author, post=question, title=TITLE, body=BODY + " (Python 3.12.)"
    )

    response = edit(client, question, stamp, body=NEW_BODY)

    assert response.status_code == 409
    seen = text_of(response.content)
    assert "Someone else edited this post while you were editing." in seen
    assert "Edited meanwhile by" in seen
    assert response.context["suggesting"] is True
    assert not SuggestedEdit.objects.exists()
    # The page carries the new stamp, so saving again goes through.
    again = edit(client, _reload(question), stamp_of(response), body=NEW_BODY)
    assert again.status_code == 302
    assert SuggestedEdit.objects.get().base_revision == _reload(question).revisions.count()


def test_the_service_refuses_a_stale_base_stamp(question, suggester):
    stamp = services.revision_stamp(question.revisions.get())
    services.post_edit(
        editor=question.author, post=question, title=TITLE, body=BODY + " (Python 3.12.)"
    )
    with pytest.raises(services.StaleEdit):
        suggest(question, suggester, base_stamp=stamp)


# Who suggests, who edits -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["editor", "author"])
def test_editors_and_authors_edit_directly(client, question, who):
    user = question.author if who == "author" else UserFactory(reputation=EDITOR_REP)
    client.force_login(user)
    response = client.get(f"/posts/{question.pk}/edit/")
    assert response.context["suggesting"] is False
    assert "Suggest an edit" not in text_of(response.content)

    response = edit(client, question, stamp_of(response), body=NEW_BODY)

    assert response.status_code == 302
    question = _reload(question)
    assert question.body == NEW_BODY
    assert not question.suggested_edit_pending
    assert not SuggestedEdit.objects.exists()


def test_a_low_rep_author_edits_their_own_post_directly(client):
    author = UserFactory(reputation=1)
    question = QuestionFactory(author=author, title=TITLE, body=BODY, tags=["python"])
    client.force_login(author)
    response = edit(client, question, open_form(client, question), body=NEW_BODY, tags="python")
    assert response.status_code == 302
    assert _reload(question).body == NEW_BODY
    assert not SuggestedEdit.objects.exists()


def test_the_suggest_rule_refuses_those_who_can_edit(question):
    for user in (question.author, UserFactory(reputation=EDITOR_REP)):
        with pytest.raises(PermissionDenied, match="edit this post directly"):
            rules.check_suggest_edit_permission(user, question)
    rules.check_suggest_edit_permission(UserFactory(reputation=EDITOR_REP - 1), question)


def test_anonymous_users_are_sent_to_log_in(client, question):
    path = f"/posts/{question.pk}/edit/"
    for response in (client.get(path), client.post(path, {"body": NEW_BODY})):
        assert response.status_code == 302
        assert response["Location"].startswith(f"/accounts/login/?next={path}")
    assert not SuggestedEdit.objects.exists()


def test_a_locked_post_takes_no_suggestion(client, question, suggester):
    client.force_login(suggester)
    stamp = open_form(client, question)
    services.post_lock(post=question, kind=LockKind.CONTENT_DISPUTE, until=PERMANENT_LOCK_UNTIL)

    assert client.get(f"/posts/{question.pk}/edit/").status_code == 403
    assert edit(client, question, stamp, body=NEW_BODY).status_code == 403
    assert not SuggestedEdit.objects.exists()
    seen = page_of(client, question)
    assert "Suggest edit" not in seen
    assert "Edit (pending review)" not in seen


# Approving -----------------------------------------------------------------------------------


def test_approving_applies_the_edit_as_the_suggesters_revision(question, suggester):
    suggestion = suggest(
        question,
        suggester,
        title=TITLE + " 3",
        tags=["python", "dictionary", "merge"],
    )
    before = suggester.reputation

    revision = services.suggested_edit_approve(suggested_edit=suggestion)

    assert revision is not None
    assert (revision.kind, revision.number) == (RevisionKind.SUGGESTED, 2)
    assert (revision.editor, revision.editor_name) == (suggester, "Sue Suggester")
    assert (revision.title, revision.body) == (TITLE + " 3", NEW_BODY)
    assert revision.tags == "python dictionary merge"
    assert revision.summary == "Say which values win"
    question = _reload(question)
    assert (question.title, question.body) == (TITLE + " 3", NEW_BODY)
    assert "<strong>dict.update</strong>" in question.body_html
    assert sorted(question.tags.names()) == ["dictionary", "merge", "python"]
    assert question.last_editor == suggester
    assert question.suggested_edit_pending is False
    suggestion = _reload(suggestion)
    assert suggestion.state == SuggestedEditState.APPROVED
    assert suggestion.decided_at is not None
    change = ReputationChange.objects.get(user=suggester, cause=ReputationCause.EDIT_APPROVED)
    assert (change.amount, change.post_id) == (APPROVED, question.pk)
    assert _reload(suggester).reputation == before + APPROVED


def test_an_approved_edit_shows_on_the_page(client, question, suggester):
    services.suggested_edit_approve(suggested_edit=suggest(question, suggester))
    client.force_login(UserFactory(reputation=EDITOR_REP - 1))
    seen = page_of(client, question)
    assert "The values of y should win" in seen
    assert "waiting for review" not in seen
    assert "Suggest edit" in seen


def test_approving_an_answer_suggestion(suggester):
    answer = AnswerFactory(body="Use the union operator: z = x | y works from Python 3.9.")
    suggestion = suggest(answer, suggester, body=answer.body + " See PEP 584.")

    revision = services.suggested_edit_approve(suggested_edit=suggestion)

    answer = _reload(answer)
    assert answer.body.endswith("See PEP 584.")
    assert "PEP 584" in answer.body_html
    assert (revision.kind, revision.tags, revision.title) == (RevisionKind.SUGGESTED, "", "")


def test_approving_twice_does_nothing_the_second_time(question, suggester):
    suggestion = suggest(question, suggester)
    assert services.suggested_edit_approve(suggested_edit=suggestion) is not None

    assert services.suggested_edit_approve(suggested_edit=suggestion) is None

    assert question.revisions.count() == 2
    assert ReputationChange.objects.filter(user=suggester).count() == 1


def test_a_rejected_suggestion_cannot_be_approved(question, suggester):
    suggestion = suggest(question, suggester)
    services.suggested_edit_reject(suggested_edit=suggestion, reason="Changes the meaning.")
    assert services.suggested_edit_approve(suggested_edit=suggestion) is None
    assert _reload(question).body == BODY


def _earned(user, amount: int) -> None:
    with transaction.atomic():
        reputation_credit(user_id=user.pk, amount=amount, cause=ReputationCause.EDIT_APPROVED)


@pytest.mark.parametrize(
    ("earned", "credited"), [(0, APPROVED), (CAP - 1, 1), (CAP, 0), (CAP + 50, 0)]
)
def test_approval_reputation_is_capped_in_total(question, earned, credited):
    # Starts low, so the reputation earned from approvals leaves them a suggester.
    suggester = UserFactory(reputation=1, display_name="Sue Suggester")
    if earned:
        _earned(suggester, earned)
    before = _reload(suggester).reputation

    services.suggested_edit_approve(suggested_edit=suggest(question, suggester))

    assert _reload(suggester).reputation == before + credited
    changes = ReputationChange.objects.filter(
        user=suggester, cause=ReputationCause.EDIT_APPROVED, post=question
    )
    assert [change.amount for change in changes] == ([credited] if credited else [])


def test_improving_applies_the_improvers_text(question, suggester):
    improver = UserFactory(reputation=EDITOR_REP, display_name="Ivy Improver")
    suggestion = suggest(question, suggester)
    improved = NEW_BODY + " Improved: `x | y` from Python 3.9."

    revision = services.suggested_edit_approve(
        suggested_edit=suggestion, improver=improver, body=improved, tags=["Python", "merge"]
    )

    question = _reload(question)
    assert question.body == improved
    assert "<code>x | y</code>" in question.body_html
    assert question.title == TITLE  # not given: the suggestion's title
    assert sorted(question.tags.names()) == ["merge", "python"]
    assert revision.body == improved
    assert revision.editor == suggester
    assert revision.summary == "Say which values win (improved by Ivy Improver)"
    assert ReputationChange.objects.get(user=suggester).amount == APPROVED


def test_an_improver_is_needed_for_the_improved_text(question, suggester):
    suggestion = suggest(question, suggester)
    services.suggested_edit_approve(suggested_edit=suggestion, body="Ignored without improver.")
    assert _reload(question).body == NEW_BODY


# Rejecting and superseding -------------------------------------------------------------------


def test_rejecting_keeps_the_reason_and_clears_the_flag(client, question, suggester):
    suggestion = suggest(question, suggester)

    assert services.suggested_edit_reject(suggested_edit=suggestion, reason="Changes meaning.")

    suggestion = _reload(suggestion)
    assert suggestion.state == SuggestedEditState.REJECTED
    assert suggestion.reject_reason == "Changes meaning."
    assert suggestion.decided_at is not None
    question = _reload(question)
    assert question.suggested_edit_pending is False
    assert question.body == BODY
    assert question.revisions.count() == 1
    assert not ReputationChange.objects.filter(user=suggester).exists()
    assert services.suggested_edit_reject(suggested_edit=suggestion, reason="Again") is False
    # A new suggestion may follow.
    client.force_login(UserFactory(reputation=EDITOR_REP - 1))
    assert "Suggest edit" in page_of(client, question)
    suggest(question, suggester, body=BODY + " A second try.")


def test_a_long_reject_reason_is_cut_to_the_field(question, suggester):
    suggestion = suggest(question, suggester)
    services.suggested_edit_reject(suggested_edit=suggestion, reason="x" * 400)
    assert len(_reload(suggestion).reject_reason) == 300


def test_a_direct_edit_supersedes_a_pending_suggestion(client, question, suggester):
    suggestion = suggest(question, suggester)
    task = ReviewTask.objects.get(queue=ReviewQueue.SUGGESTED_EDITS, suggested_edit=suggestion)
    client.force_login(question.author)

    response = edit(client, question, open_form(client, question), body=BODY + " (3.12)")

    assert response.status_code == 302
    suggestion = _reload(suggestion)
    assert suggestion.state == SuggestedEditState.SUPERSEDED
    assert suggestion.decided_at is not None
    question = _reload(question)
    assert question.suggested_edit_pending is False
    assert question.body == BODY + " (3.12)"
    assert _reload(task).state == TaskState.INVALIDATED
    assert services.suggested_edit_approve(suggested_edit=suggestion) is None
    assert _reload(question).body == BODY + " (3.12)"


def test_the_post_edit_service_supersedes_too(question, suggester):
    answer = AnswerFactory(question=question)
    suggestion = suggest(answer, suggester, body=answer.body + " More detail here.")

    services.post_edit(
        editor=UserFactory(reputation=EDITOR_REP),
        post=answer,
        title="",
        body=answer.body + " An editor's fix.",
    )

    assert _reload(suggestion).state == SuggestedEditState.SUPERSEDED
    assert Post.objects.get(pk=answer.pk).suggested_edit_pending is False


# What a browser sends (issue 16's new-user walk) ------------------------------------------


def test_an_approved_suggestion_stores_exactly_what_was_suggested(client, suggester):
    """A browser sends a textarea's line breaks as CRLF: the post, the suggestion and the
    revision keep one newline per line break, so no diff shows every line as changed (an
    added blank line in a ``<pre>``)."""
    question = QuestionFactory(title=TITLE, body=BODY + "\n\nSecond paragraph here.")
    client.force_login(suggester)
    stamp = open_form(client, question)
    sent = BODY + "\r\n\r\nSecond paragraph here, reworded.\r\n\r\n- one\r\n- two"

    edit(client, question, stamp, body=sent, tags="python dictionary")
    suggestion = SuggestedEdit.objects.get(post=question)
    services.suggested_edit_approve(suggested_edit=suggestion)

    expected = sent.replace("\r\n", "\n")
    question = _reload(question)
    assert suggestion.body == expected
    assert question.body == expected
    assert question.revisions.get(number=2).body == expected
    revisions = client.get(f"/posts/{question.pk}/revisions/").content.decode()
    assert "<del>\n</del>" not in revisions
    assert "<ins>\r\n" not in revisions


def test_an_approved_suggestion_keeps_the_tags_order_and_adds_no_retag(client, suggester):
    question = QuestionFactory(title=TITLE, body=BODY, tags=["python", "dictionary"])
    client.force_login(suggester)
    response = client.get(f"/posts/{question.pk}/edit/")
    shown = response.context["form"].initial["tags"]
    assert shown == "python dictionary"  # as the question stores them, not sorted

    edit(client, question, stamp_of(response), body=NEW_BODY, tags=shown)
    suggestion = SuggestedEdit.objects.get(post=question)
    services.suggested_edit_approve(suggested_edit=suggestion)

    assert suggestion.tags == "python dictionary"
    assert question.revisions.get(number=2).tags == "python dictionary"
    revisions = client.get(f"/posts/{question.pk}/revisions/")
    assert [row["tags_diff"] for row in revisions.context["rows"]] == [None, None]


def test_a_suggested_reordering_is_kept_in_that_order(suggester):
    question = QuestionFactory(title=TITLE, body=BODY, tags=["python", "dictionary"])

    suggestion = suggest(question, suggester, tags=["dictionary", "python", "merge"])
    services.suggested_edit_approve(suggested_edit=suggestion)

    assert question.revisions.get(number=2).tags == "dictionary python merge"
