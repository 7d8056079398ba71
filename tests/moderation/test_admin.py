"""The moderation admin: close reasons are edited there, votes, events, review tasks,
reviews and suspensions are shown read-only, the question admin's moderation actions go
through ``moderation.services`` (binding votes, locks, protection) and the flag list's
actions through ``moderation.flags.flag_handle``."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from moderation import flags, reviews, services
from moderation.models import (
    CloseReason,
    CloseVote,
    Decision,
    EventKind,
    Flag,
    FlagKind,
    FlagState,
    ModerationEvent,
    ReopenVote,
    Review,
    ReviewQueue,
    ReviewSuspension,
    ReviewTask,
    TaskState,
    VoteState,
)
from moderation.queues import QUEUES
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.forms import admin_url as _url
from tests.forms import form_data
from tests.queries import assert_constant_queries
from threads.models import PERMANENT_LOCK_UNTIL, LockKind, PostLink, PostLinkKind, Question

pytestmark = pytest.mark.django_db

REVIEW_MODELS = [ReviewTask, Review, ReviewSuspension, Flag]
MODELS = [CloseReason, CloseVote, ReopenVote, ModerationEvent, *REVIEW_MODELS]


def _reload(obj):
    obj.refresh_from_db()
    return obj


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _act(client, action: str, questions, **choices):
    return client.post(
        _url(Question, "changelist"),
        {"action": action, "_selected_action": [q.pk for q in questions], **choices},
    )


@pytest.fixture
def career():
    return CloseReason.objects.get(name__startswith="Career")


@pytest.fixture
def duplicate():
    return CloseReason.objects.get(kind="duplicate")


@pytest.fixture
def something_else():
    return CloseReason.objects.get(kind="something_else")


@pytest.fixture
def question():
    return QuestionFactory()


@pytest.fixture
def history(question, career):
    """A pending close vote, a closed question with a reopen vote, and their events."""
    voter = UserFactory(reputation=5000)
    services.close_vote_cast(voter=voter, question=question, reason=career)
    closed = QuestionFactory()
    services.close_vote_cast(voter=UserFactory(is_moderator=True), question=closed, reason=career)
    services.reopen_vote_cast(voter=voter, question=closed)
    return {"voter": voter, "question": question, "closed": closed}


def _flag(post=None, comment=None, kind=FlagKind.SPAM, text=""):
    return flags.flag_raise(
        flagger=UserFactory(reputation=100), post=post, comment=comment, kind=kind, text=text
    )


def _fail_audits(reviewer, count: int) -> None:
    """``count`` failed Close audits: the review service suspends after the third."""
    spec = QUEUES[ReviewQueue.CLOSE]
    for _ in range(count):
        audit = ReviewTask.objects.create(
            queue=spec.slug,
            post=QuestionFactory(),
            is_audit=True,
            audit_expected=Decision.LEAVE_OPEN,
            audit_for=reviewer,
        )
        reviews.review_decide(
            reviewer=reviewer,
            task=audit,
            decision=Decision.CLOSE,
            spec=spec,
            reason=CloseReason.objects.get(kind="duplicate"),
        )


@pytest.fixture
def review_history(question):
    """A first-question task with a review, a suspended reviewer, and pending flags on a
    post and on a comment."""
    task = ReviewTask.objects.get(queue=ReviewQueue.FIRST_QUESTIONS, post=question)
    reviewer = UserFactory(reputation=5000)
    reviews.review_decide(
        reviewer=reviewer,
        task=task,
        decision=Decision.LOOKS_OK,
        spec=QUEUES[ReviewQueue.FIRST_QUESTIONS],
    )
    suspended = UserFactory(reputation=5000)
    _fail_audits(suspended, 3)
    comment = CommentFactory(post=question, body="A comment that somebody finds unkind.")
    return {
        "task": task,
        "reviewer": reviewer,
        "suspended": suspended,
        "post_flag": _flag(post=question),
        "comment_flag": _flag(comment=comment, kind=FlagKind.UNFRIENDLY),
    }


# Every model renders ------------------------------------------------------------------------


def test_it_registers_every_model():
    models = list(apps.get_app_config("moderation").get_models())
    assert set(models) == set(MODELS)
    assert all(admin.site.is_registered(model) for model in models)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_it_renders_the_changelist(admin_client, history, review_history, model):
    response = admin_client.get(_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_it_renders_the_change_page(admin_client, history, review_history, model):
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None
    response = admin_client.get(_url(model, "change", obj.pk))
    assert response.status_code == 200


def test_it_renders_the_off_topic_group_with_its_sub_reasons_inline(admin_client, career):
    response = admin_client.get(_url(CloseReason, "change", career.parent_id))
    assert response.status_code == 200
    [inline] = response.context["inline_admin_formsets"]
    assert {form.instance.name for form in inline.formset.forms} == set(
        career.parent.children.values_list("name", flat=True)
    )


def test_it_lists_each_groups_sub_reasons_under_it(admin_client, career):
    response = admin_client.get(_url(CloseReason, "changelist"))
    names = [reason.name for reason in response.context["cl"].result_list]
    group = names.index("Off-topic")
    assert names[group + 1 : group + 4] == list(
        career.parent.children.order_by("order").values_list("name", flat=True)
    )
    assert names[0] == "Duplicate"


def test_it_searches_and_filters_the_changelists(admin_client, history, career):
    question = history["question"]
    for model, query in [
        (CloseReason, {"q": "Career", "is_active__exact": "1"}),
        (CloseVote, {"q": str(question.pk), "state": "pending", "reason__id__exact": career.pk}),
        (ReopenVote, {"q": history["voter"].username, "binding__exact": "0"}),
        (ModerationEvent, {"q": "Career", "kind": EventKind.CLOSE_VOTE}),
        (ModerationEvent, {"q": str(question.pk)}),
    ]:
        response = admin_client.get(_url(model, "changelist"), query)
        assert response.status_code == 200, model
        assert response.context["cl"].result_count >= 1, model


# Close reasons ------------------------------------------------------------------------------


def test_it_edits_a_reasons_texts(admin_client, career):
    url = _url(CloseReason, "change", career.pk)
    response = admin_client.post(
        url,
        form_data(
            admin_client.get(url),
            brief_description="Careers are off-topic.",
            asker_guidance="Ask about data science instead.",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    career = _reload(career)
    assert career.brief_description == "Careers are off-topic."
    assert career.asker_guidance == "Ask about data science instead."


def test_it_refuses_texts_over_the_limits(admin_client, career):
    url = _url(CloseReason, "change", career.pk)
    response = admin_client.post(url, form_data(admin_client.get(url), brief_description="x" * 101))
    assert response.status_code == 200
    assert "brief_description" in response.context["adminform"].form.errors


def test_editing_a_reason_leaves_closures_as_they_were(admin_client, question, career):
    _act(admin_client, "close_selected", [question], reason=career.pk)
    url = _url(CloseReason, "change", career.pk)
    admin_client.post(url, form_data(admin_client.get(url), name="Careers"))

    assert _reload(career).name == "Careers"
    assert (
        _reload(question)
        .close_notice["reason"]["name"]
        .endswith("Career advice and job-market questions are off-topic here")
    )


def test_it_adds_a_sub_reason_under_off_topic(admin_client, career):
    group = career.parent
    url = _url(CloseReason, "change", group.pk)
    data = form_data(admin_client.get(url))
    prefix = "children"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": total + 1,
            f"{prefix}-{total}-name": "Homework dumps are off-topic here",
            f"{prefix}-{total}-kind": "standard",
            f"{prefix}-{total}-brief_description": "Show what you tried.",
            f"{prefix}-{total}-is_active": "on",
            f"{prefix}-{total}-order": 9,
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert group.children.filter(name="Homework dumps are off-topic here").exists()


def test_it_does_not_offer_to_delete_a_reason_with_votes(admin_client, history, career):
    response = admin_client.get(_url(CloseReason, "change", career.pk))
    assert response.context["has_delete_permission"] is False
    assert "Untick “Active”" in response.content.decode()
    response = admin_client.post(_url(CloseReason, "delete", career.pk), {"post": "yes"})
    assert response.status_code == 403
    assert CloseReason.objects.filter(pk=career.pk).exists()


def test_it_deletes_an_unused_reason(admin_client):
    reason = CloseReason.objects.create(name="Temporary", order=99)
    assert admin_client.get(_url(CloseReason, "change", reason.pk)).context["has_delete_permission"]
    admin_client.post(_url(CloseReason, "delete", reason.pk), {"post": "yes"})
    assert not CloseReason.objects.filter(pk=reason.pk).exists()


def test_deactivated_reasons_are_not_offered(admin_client, career):
    CloseReason.objects.filter(pk=career.pk).update(is_active=False)
    response = admin_client.get(_url(Question, "changelist"))
    offered = set(response.context["action_form"].fields["reason"].queryset)
    assert career not in offered
    assert career.parent not in offered  # the group itself is never a vote's reason
    assert CloseReason.objects.get(kind="duplicate") in offered


# Votes and events are read-only --------------------------------------------------------------


@pytest.mark.parametrize("model", [CloseVote, ReopenVote, ModerationEvent])
def test_history_has_no_add_page(admin_client, history, model):
    assert admin_client.get(_url(model, "add")).status_code == 403


def test_an_event_cannot_be_changed_or_deleted(admin_client, history):
    event = ModerationEvent.objects.order_by("pk").first()
    before = (event.kind, event.reason, event.actor_name)
    response = admin_client.get(_url(ModerationEvent, "change", event.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert 'name="_save"' not in response.content.decode()

    changed = admin_client.post(
        _url(ModerationEvent, "change", event.pk), {"kind": "locked", "reason": "rewritten"}
    )
    deleted = admin_client.post(_url(ModerationEvent, "delete", event.pk), {"post": "yes"})

    assert changed.status_code == 403
    assert deleted.status_code == 403
    event = _reload(event)
    assert (event.kind, event.reason, event.actor_name) == before


def test_the_event_list_offers_no_actions(admin_client, history):
    count = ModerationEvent.objects.count()
    response = admin_client.get(_url(ModerationEvent, "changelist"))
    assert response.context["action_form"] is None
    listed = admin_client.post(
        _url(ModerationEvent, "changelist"),
        {
            "action": "delete_selected",
            "_selected_action": list(ModerationEvent.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )
    assert listed.status_code in (200, 302, 403)
    assert ModerationEvent.objects.count() == count


# Moderation actions on questions ------------------------------------------------------------


def test_the_question_list_keeps_its_own_actions(admin_client):
    response = admin_client.get(_url(Question, "changelist"))
    choices = {value for value, _ in response.context["action_form"].fields["action"].choices}
    assert {"delete_selected", "undelete_selected", "close_selected", "lock_selected"} <= choices


def test_it_closes_with_a_binding_vote(admin_client, question, career):
    response = _act(admin_client, "close_selected", [question], reason=career.pk)

    assert response.status_code == 302
    assert "Closed 1 question(s)." in _messages(response)
    question = _reload(question)
    assert question.closed_at is not None
    assert "Career advice" in question.close_notice["reason"]["name"]
    assert question.close_notice["voters"][0]["binding"] is True
    vote = CloseVote.objects.get(question=question)
    assert (vote.voter.username, vote.binding, vote.state) == ("admin", True, VoteState.COMPLETED)
    event = ModerationEvent.objects.get(question=question, kind=EventKind.CLOSED)
    assert event.actor.username == "admin"


def test_closing_needs_a_reason(admin_client, question):
    response = _act(admin_client, "close_selected", [question])
    assert "Choose a close reason." in _messages(response)
    assert _reload(question).closed_at is None


def test_something_else_needs_a_comment(admin_client, question, something_else):
    response = _act(admin_client, "close_selected", [question], reason=something_else.pk)
    assert any("needs a comment" in message for message in _messages(response))
    assert _reload(question).closed_at is None

    _act(
        admin_client,
        "close_selected",
        [question],
        reason=something_else.pk,
        comment="About a spreadsheet's colours.",
    )
    notice = _reload(question).close_notice
    assert notice["comments"][0]["comment"] == "About a spreadsheet's colours."


def test_it_closes_as_duplicate_of_an_answered_question(admin_client, question, duplicate):
    target = QuestionFactory()
    AnswerFactory(question=target)

    response = _act(
        admin_client, "close_selected", [question], reason=duplicate.pk, duplicate_of=target.pk
    )

    assert "Closed 1 question(s)." in _messages(response)
    question = _reload(question)
    assert question.closed_at is not None
    assert question.close_notice["duplicates"] == [{"id": target.pk, "title": target.title}]
    assert PostLink.objects.filter(
        post=question, target=target, kind=PostLinkKind.DUPLICATE
    ).exists()


@pytest.mark.parametrize("target_kind", ["missing", "unknown", "unanswered", "itself"])
def test_a_duplicate_needs_an_answered_target(admin_client, question, duplicate, target_kind):
    unanswered = QuestionFactory()
    target = {
        "missing": "",
        "unknown": 999999,
        "unanswered": unanswered.pk,
        "itself": question.pk,
    }[target_kind]

    response = _act(
        admin_client, "close_selected", [question], reason=duplicate.pk, duplicate_of=target
    )

    assert response.status_code == 302
    [message] = get_messages(response.wsgi_request)
    assert message.level_tag == "error"
    assert _reload(question).closed_at is None
    assert not CloseVote.objects.filter(question=question).exists()
    assert not ModerationEvent.objects.filter(question=question).exists()


def test_a_bad_duplicate_id_is_reported_as_such(admin_client, question, duplicate):
    response = _act(
        admin_client, "close_selected", [question], reason=duplicate.pk, duplicate_of="abc"
    )
    [message] = _messages(response)
    assert message.startswith("Duplicate of question id")
    assert _reload(question).closed_at is None


def test_it_reports_each_refusal_and_counts_the_rest(admin_client, career):
    open_question, closed_question = QuestionFactory(), QuestionFactory()
    _act(admin_client, "close_selected", [closed_question], reason=career.pk)

    response = _act(
        admin_client, "close_selected", [open_question, closed_question], reason=career.pk
    )

    messages = _messages(response)
    assert any(f"#{closed_question.pk}" in m and "already closed" in m for m in messages), messages
    assert "Closed 1 question(s)." in messages
    assert _reload(open_question).closed_at is not None


def test_it_reopens_with_a_binding_vote(admin_client, question, career):
    _act(admin_client, "close_selected", [question], reason=career.pk)

    response = _act(admin_client, "reopen_selected", [question])

    assert "Reopened 1 question(s)." in _messages(response)
    question = _reload(question)
    assert question.closed_at is None
    assert question.close_notice is None
    assert ReopenVote.objects.get(question=question).binding
    assert ModerationEvent.objects.filter(question=question, kind=EventKind.REOPENED).exists()


def test_reopening_an_open_question_is_refused(admin_client, question):
    response = _act(admin_client, "reopen_selected", [question])
    assert any("This question is open." in m for m in _messages(response))
    assert not ReopenVote.objects.exists()


def test_it_locks_permanently(admin_client, question):
    response = _act(
        admin_client,
        "lock_selected",
        [question],
        lock_kind=LockKind.HISTORICAL,
        lock_duration="permanent",
    )

    assert "Locked 1 question(s)." in _messages(response)
    question = _reload(question)
    assert question.locked_until == PERMANENT_LOCK_UNTIL
    assert question.lock_kind == LockKind.HISTORICAL
    event = ModerationEvent.objects.get(question=question, kind=EventKind.LOCKED)
    assert event.details["duration"] == "permanent"
    assert event.actor.username == "admin"


def test_it_locks_for_a_day(admin_client, question):
    before = timezone.now()
    _act(
        admin_client,
        "lock_selected",
        [question],
        lock_kind=LockKind.CONTENT_DISPUTE,
        lock_duration="1d",
    )
    question = _reload(question)
    assert before + timedelta(days=1) <= question.locked_until <= timezone.now() + timedelta(days=1)
    assert question.lock_kind == LockKind.CONTENT_DISPUTE


def test_locking_needs_a_kind_and_a_duration(admin_client, question):
    response = _act(admin_client, "lock_selected", [question], lock_kind=LockKind.HISTORICAL)
    assert "Choose the kind of lock and how long it lasts." in _messages(response)
    assert _reload(question).locked_until is None
    assert not ModerationEvent.objects.exists()


def test_a_locked_question_takes_no_close_vote(admin_client, question, career):
    _act(admin_client, "lock_selected", [question], lock_kind="historical", lock_duration="1h")
    response = _act(admin_client, "close_selected", [question], reason=career.pk)
    assert any("locked" in m for m in _messages(response))
    assert _reload(question).closed_at is None


def test_it_unlocks(admin_client, question):
    _act(admin_client, "lock_selected", [question], lock_kind="historical", lock_duration="7d")

    response = _act(admin_client, "unlock_selected", [question])

    assert "Unlocked 1 question(s)." in _messages(response)
    question = _reload(question)
    assert question.locked_until is None
    assert question.lock_kind == ""
    assert ModerationEvent.objects.filter(question=question, kind=EventKind.UNLOCKED).exists()

    again = _act(admin_client, "unlock_selected", [question])
    assert "Unlocked 0 question(s) (1 needed no change)." in _messages(again)


def test_it_protects_and_unprotects(admin_client, question):
    response = _act(admin_client, "protect_selected", [question])
    assert "Protected 1 question(s)." in _messages(response)
    assert _reload(question).protected_at is not None
    assert ModerationEvent.objects.filter(question=question, kind=EventKind.PROTECTED).exists()

    response = _act(admin_client, "unprotect_selected", [question])
    assert "Unprotected 1 question(s)." in _messages(response)
    assert _reload(question).protected_at is None
    assert ModerationEvent.objects.filter(question=question, kind=EventKind.UNPROTECTED).exists()


def test_threads_own_actions_still_work(admin_client, question):
    _act(admin_client, "delete_selected", [question], post="yes")
    assert _reload(question).deleted_at is not None
    _act(admin_client, "undelete_selected", [question])
    assert _reload(question).deleted_at is None


def test_staff_who_are_not_moderators_get_no_moderation_actions(client, question, career):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename__endswith="_question"))
    client.force_login(staff)

    response = client.get(_url(Question, "changelist"))
    choices = {value for value, _ in response.context["action_form"].fields["action"].choices}
    assert "close_selected" not in choices
    assert "undelete_selected" in choices

    _act(client, "close_selected", [question], reason=career.pk)
    assert _reload(question).closed_at is None


def test_a_moderator_who_is_not_a_superuser_gets_them(client, question, career):
    moderator = UserFactory(is_staff=True, is_moderator=True)
    moderator.user_permissions.set(Permission.objects.filter(codename__endswith="_question"))
    client.force_login(moderator)

    _act(client, "close_selected", [question], reason=career.pk)

    assert _reload(question).closed_at is not None
    assert CloseVote.objects.get(question=question).voter == moderator


# Review tasks, reviews and suspensions are read-only ---------------------------------------


def _flag_act(client, action: str, selected, **fields):
    return client.post(
        _url(Flag, "changelist"),
        {"action": action, "_selected_action": [flag.pk for flag in selected], **fields},
    )


@pytest.mark.parametrize("model", REVIEW_MODELS, ids=lambda model: model.__name__)
def test_review_history_cannot_be_added_changed_or_deleted(admin_client, review_history, model):
    obj = model._default_manager.order_by("pk").first()
    before = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}

    page = admin_client.get(_url(model, "change", obj.pk))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert not page.context["has_delete_permission"]
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.get(_url(model, "add")).status_code == 403
    changed = admin_client.post(_url(model, "change", obj.pk), {"reason": "rewritten"})
    deleted = admin_client.post(_url(model, "delete", obj.pk), {"post": "yes"})
    assert (changed.status_code, deleted.status_code) == (403, 403)

    listing = admin_client.get(_url(model, "changelist"))
    action_form = listing.context["action_form"]
    offered = {value for value, _ in action_form.fields["action"].choices} if action_form else set()
    assert "delete_selected" not in offered
    admin_client.post(
        _url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    obj.refresh_from_db()
    assert {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields} == before


def test_the_suspension_list_offers_no_action_at_all(admin_client, review_history):
    response = admin_client.get(_url(ReviewSuspension, "changelist"))
    assert response.context["action_form"] is None


def test_a_task_page_shows_its_reviews_inline_read_only(admin_client, review_history):
    task, reviewer = review_history["task"], review_history["reviewer"]
    response = admin_client.get(_url(ReviewTask, "change", task.pk))

    [inline] = response.context["inline_admin_formsets"]
    assert [form.instance.reviewer for form in inline.formset.forms] == [reviewer]
    assert not inline.has_add_permission
    assert not inline.has_change_permission
    assert not inline.has_delete_permission
    content = response.content.decode()
    assert "Looks OK" in content
    assert 'name="reviews-0-decision"' not in content  # shown, not editable


def test_it_searches_and_filters_the_review_lists(admin_client, review_history):
    task, suspended = review_history["task"], review_history["suspended"]
    for model, query, expected in [
        (ReviewTask, {"queue": ReviewQueue.FIRST_QUESTIONS, "state": TaskState.COMPLETED}, 1),
        (ReviewTask, {"queue": ReviewQueue.CLOSE, "is_audit__exact": "1"}, 3),
        (ReviewTask, {"q": str(task.post_id), "is_audit__exact": "0"}, 1),
        (Review, {"decision": Decision.CLOSE, "audit_passed__exact": "0"}, 3),
        (Review, {"q": review_history["reviewer"].username}, 1),
        (ReviewSuspension, {"q": suspended.username, "in_force": "yes"}, 1),
        (ReviewSuspension, {"in_force": "no"}, 0),
        (Flag, {"state": FlagState.PENDING, "kind": FlagKind.SPAM}, 1),
        (Flag, {"state": FlagState.HELPFUL}, 0),
    ]:
        response = admin_client.get(_url(model, "changelist"), query)
        assert response.status_code == 200, (model, query)
        assert response.context["cl"].result_count == expected, (model, query)


def test_a_suspension_is_listed_as_in_force(admin_client, review_history):
    response = admin_client.get(_url(ReviewSuspension, "changelist"))
    [suspension] = response.context["cl"].result_list
    assert suspension.user == review_history["suspended"]
    assert "3 failed review audits" in suspension.reason
    assert 'alt="True"' in response.content.decode()


@pytest.mark.parametrize("model", REVIEW_MODELS, ids=lambda model: model.__name__)
def test_the_review_lists_take_a_constant_number_of_queries(admin_client, model):
    def add_rows() -> None:
        question = QuestionFactory()  # a first question: a task
        reviews.review_decide(
            reviewer=UserFactory(reputation=5000),
            task=ReviewTask.objects.get(post=question),
            decision=Decision.LOOKS_OK,
            spec=QUEUES[ReviewQueue.FIRST_QUESTIONS],
        )
        _fail_audits(UserFactory(reputation=5000), 3)
        _flag(post=question)
        _flag(comment=CommentFactory(post=question), kind=FlagKind.UNFRIENDLY)

    assert_constant_queries(admin_client, _url(model, "changelist"), add_rows)


# Flags --------------------------------------------------------------------------------------


def test_the_flag_list_shows_each_target(admin_client, review_history):
    response = admin_client.get(_url(Flag, "changelist"))
    content = response.content.decode()
    question = review_history["post_flag"].post
    comment = review_history["comment_flag"].comment
    assert reverse("admin:threads_question_change", args=[question.pk]) in content
    assert reverse("admin:threads_comment_change", args=[comment.pk]) in content
    choices = {value for value, _ in response.context["action_form"].fields["action"].choices}
    assert {"mark_helpful", "decline_selected"} <= choices
    assert "decline_reason" in response.context["action_form"].fields


def test_it_marks_flags_helpful_through_flag_handle(admin_client, review_history):
    selected = [review_history["post_flag"], review_history["comment_flag"]]

    response = _flag_act(admin_client, "mark_helpful", selected)

    assert response.status_code == 302
    assert "Marked 2 flag(s) helpful." in _messages(response)
    for flag in selected:
        flag = _reload(flag)
        assert flag.state == FlagState.HELPFUL
        assert flag.handled_by.username == "admin"
        assert flag.handled_at is not None
        assert flag.decline_reason == ""


def test_it_declines_with_the_reason_given(admin_client, review_history):
    flag = review_history["post_flag"]

    response = _flag_act(
        admin_client, "decline_selected", [flag], decline_reason="  Not spam: a real question. "
    )

    assert "Marked 1 flag(s) declined." in _messages(response)
    flag = _reload(flag)
    assert flag.state == FlagState.DECLINED
    assert flag.decline_reason == "Not spam: a real question."
    assert flag.handled_by.username == "admin"


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_decline_needs_a_reason(admin_client, review_history, reason):
    selected = [review_history["post_flag"], review_history["comment_flag"]]
    fields = {} if reason is None else {"decline_reason": reason}

    response = _flag_act(admin_client, "decline_selected", selected, **fields)

    assert response.status_code == 302
    [message] = get_messages(response.wsgi_request)
    assert message.level_tag == "error"
    assert str(message).startswith("Say why the flag is declined")
    assert all(_reload(flag).state == FlagState.PENDING for flag in selected)
    assert all(_reload(flag).handled_by is None for flag in selected)


def test_a_decline_reason_over_the_limit_is_refused(admin_client, review_history):
    flag = review_history["post_flag"]
    response = _flag_act(admin_client, "decline_selected", [flag], decline_reason="x" * 301)
    [message] = _messages(response)
    assert message.startswith("Decline reason:")
    assert _reload(flag).state == FlagState.PENDING


def test_a_flag_is_handled_only_once(admin_client, review_history):
    first, second = review_history["post_flag"], review_history["comment_flag"]
    _flag_act(admin_client, "decline_selected", [first], decline_reason="Not spam.")

    response = _flag_act(admin_client, "mark_helpful", [first, second])

    assert "Marked 1 flag(s) helpful (1 already handled)." in _messages(response)
    assert _reload(first).state == FlagState.DECLINED  # the first verdict stands
    assert _reload(first).decline_reason == "Not spam."
    assert _reload(second).state == FlagState.HELPFUL


def test_staff_who_are_not_moderators_cannot_handle_flags(client, review_history):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename__endswith="_flag"))
    client.force_login(staff)

    response = client.get(_url(Flag, "changelist"))
    assert response.status_code == 200
    assert response.context["action_form"] is None  # no action is offered to them

    flag = review_history["post_flag"]
    _flag_act(client, "mark_helpful", [flag])
    assert _reload(flag).state == FlagState.PENDING


def test_a_moderator_who_is_not_a_superuser_handles_flags(client, review_history):
    moderator = UserFactory(is_staff=True, is_moderator=True)
    moderator.user_permissions.set(Permission.objects.filter(codename="view_flag"))
    client.force_login(moderator)
    flag = review_history["post_flag"]

    _flag_act(client, "decline_selected", [flag], decline_reason="Looks fine to me.")

    flag = _reload(flag)
    assert (flag.state, flag.handled_by) == (FlagState.DECLINED, moderator)
