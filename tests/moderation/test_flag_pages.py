"""The flag pages: flagging posts and comments, the moderators' flag queue and decisions, and
each flagger's history (with its summary on the profile)."""

import html
import re

import pytest

from accounts.privileges import Privilege
from core.conf import qasite_setting
from moderation import flags, services
from moderation.models import FLAG_KINDS_NEEDING_TEXT, Flag, FlagKind, FlagState
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.moderation import fresh, moderator
from tests.pages import text_of

pytestmark = pytest.mark.django_db

DETAILS = "The second link in this post goes to a phishing site."


def textarea(response, name: str = "text") -> str:
    match = re.search(
        rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', response.content.decode(), re.S
    )
    assert match, f"no {name} textarea"
    return html.unescape(match.group(1)).strip()


def flagger(**extra):
    return UserFactory(reputation=Privilege.FLAG.reputation, **extra)


def logged_in(client, user):
    client.force_login(user)
    return user


def post_url(post) -> str:
    return f"/posts/{post.pk}/flag/"


def comment_url(comment) -> str:
    return f"/comments/{comment.pk}/flag/"


def details_for(kind: str) -> str:
    return DETAILS if kind in FLAG_KINDS_NEEDING_TEXT else ""


def flag_in_service(user, *, post=None, comment=None, kind=FlagKind.NEEDS_IMPROVEMENT) -> Flag:
    return flags.flag_raise(
        flagger=user, post=post, comment=comment, kind=kind, text=details_for(kind)
    )


@pytest.fixture
def question():
    return QuestionFactory(title="Why does read_csv give me a single column")


@pytest.fixture
def answer(question):
    return AnswerFactory(question=question)


@pytest.fixture
def comment(answer):
    return CommentFactory(post=answer, body="This is a comment that nobody needs any longer.")


# Who sees the flag pages ----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("target", ["question", "answer", "comment"])
def test_it_sends_visitors_to_log_in(client, question, answer, comment, method, target):
    url = {
        "question": post_url(question),
        "answer": post_url(answer),
        "comment": comment_url(comment),
    }[target]
    response = getattr(client, method)(url, {"kind": FlagKind.SPAM})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next={url}")
    assert not Flag.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("target", ["question", "answer", "comment"])
def test_it_refuses_users_below_the_flag_privilege(
    client, question, answer, comment, method, target
):
    logged_in(client, UserFactory(reputation=Privilege.FLAG.reputation - 1))
    url, kind = {
        "question": (post_url(question), FlagKind.SPAM),
        "answer": (post_url(answer), FlagKind.SPAM),
        "comment": (comment_url(comment), FlagKind.UNFRIENDLY),
    }[target]
    response = getattr(client, method)(url, {"kind": kind})
    assert response.status_code == 403
    assert not Flag.objects.exists()


@pytest.mark.parametrize("target", ["question", "answer"])
def test_it_shows_the_post_flag_form_with_the_post_kinds(client, question, answer, target):
    logged_in(client, flagger())
    post = question if target == "question" else answer
    response = client.get(post_url(post))
    assert response.status_code == 200
    content = response.content.decode()
    for kind in (FlagKind.SPAM, FlagKind.RUDE, FlagKind.NEEDS_IMPROVEMENT):
        assert f'value="{kind.value}"' in content
    assert f'value="{FlagKind.HARASSMENT.value}"' not in content
    offers_not_an_answer = f'value="{FlagKind.NOT_AN_ANSWER.value}"' in content
    assert offers_not_an_answer is (target == "answer")
    assert question.title in text_of(response)


def test_it_shows_the_comment_flag_form_with_the_comment_kinds(client, comment):
    logged_in(client, flagger())
    response = client.get(comment_url(comment))
    assert response.status_code == 200
    content = response.content.decode()
    for kind in (FlagKind.HARASSMENT, FlagKind.NO_LONGER_NEEDED, FlagKind.SOMETHING_ELSE):
        assert f'value="{kind.value}"' in content
    assert f'value="{FlagKind.SPAM.value}"' not in content
    assert comment.body in text_of(response)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("target", ["question", "answer"])
def test_it_refuses_flagging_ones_own_post(client, method, target):
    user = logged_in(client, flagger())
    post = QuestionFactory(author=user) if target == "question" else AnswerFactory(author=user)
    response = getattr(client, method)(post_url(post), {"kind": FlagKind.SPAM})
    assert response.status_code == 403
    assert not Flag.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_refuses_flagging_ones_own_comment(client, answer, method):
    # Commenting on someone else's answer needs more reputation than flagging.
    user = logged_in(client, UserFactory(reputation=Privilege.COMMENT_EVERYWHERE.reputation))
    own = CommentFactory(post=answer, author=user)
    response = getattr(client, method)(comment_url(own), {"kind": FlagKind.UNFRIENDLY})
    assert response.status_code == 403
    assert not Flag.objects.exists()


def test_it_lets_a_post_author_flag_someone_elses_comment_on_it(client):
    author = logged_in(client, flagger())
    question = QuestionFactory(author=author)
    rude = CommentFactory(post=question, body="What a stupid question, go read a book.")
    assert f'href="{comment_url(rude)}"' in client.get(question.get_absolute_url()).content.decode()

    response = client.post(comment_url(rude), {"kind": FlagKind.UNFRIENDLY})

    assert response.status_code == 302
    assert Flag.objects.filter(comment=rude, flagger=author).exists()


def test_it_returns_404_for_a_deleted_post(client, question):
    services.post_delete(actor=None, post=question)
    logged_in(client, flagger())
    assert client.get(post_url(question)).status_code == 404


# Raising flags --------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["question", "answer"])
def test_it_flags_a_post_and_returns_to_it(client, question, answer, target):
    user = logged_in(client, flagger())
    post = question if target == "question" else answer
    response = client.post(post_url(post), {"kind": FlagKind.SPAM})
    assert response.status_code == 302
    fragment = "question" if target == "question" else f"answer-{answer.pk}"
    assert response["Location"] == f"{question.get_absolute_url()}#{fragment}"
    flag = Flag.objects.get(post=post)
    assert (flag.flagger, flag.kind, flag.state) == (user, FlagKind.SPAM, FlagState.PENDING)
    page = text_of(client.get(response["Location"]))
    assert "your flag is recorded" in page


def test_it_flags_a_comment_and_returns_to_it(client, question, comment):
    user = logged_in(client, flagger())
    response = client.post(comment_url(comment), {"kind": FlagKind.SOMETHING_ELSE, "text": DETAILS})
    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}#comment-{comment.pk}"
    flag = Flag.objects.get(comment=comment)
    assert (flag.flagger, flag.kind, flag.text) == (user, FlagKind.SOMETHING_ELSE, DETAILS)


@pytest.mark.parametrize(
    ("target", "data"),
    [
        ("question", {"kind": FlagKind.NOT_AN_ANSWER}),
        ("question", {"kind": FlagKind.HARASSMENT}),
        ("question", {"kind": "offensive"}),
        ("question", {}),
        ("answer", {"kind": FlagKind.NO_LONGER_NEEDED}),
        ("comment", {"kind": FlagKind.SPAM}),
        ("comment", {"kind": FlagKind.NOT_AN_ANSWER}),
        ("comment", {}),
    ],
)
def test_it_rerenders_invalid_choices_with_the_form(
    client, question, answer, comment, target, data
):
    logged_in(client, flagger())
    url = {
        "question": post_url(question),
        "answer": post_url(answer),
        "comment": comment_url(comment),
    }[target]
    response = client.post(url, {**data, "text": DETAILS})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'name="kind"' in content
    assert 'class="field-errors"' in content
    assert textarea(response) == DETAILS
    assert not Flag.objects.exists()


@pytest.mark.parametrize(
    ("target", "kind"),
    [("answer", FlagKind.MODERATOR_ATTENTION), ("comment", FlagKind.SOMETHING_ELSE)],
)
def test_it_explains_a_free_text_flag_without_text(client, answer, comment, target, kind):
    logged_in(client, flagger())
    url = post_url(answer) if target == "answer" else comment_url(comment)
    response = client.post(url, {"kind": kind, "text": "   "})
    assert response.status_code == 400
    assert "Say what the moderators should look at" in text_of(response)
    assert not Flag.objects.exists()


def test_it_explains_a_second_pending_flag(client, question):
    logged_in(client, flagger())
    assert client.post(post_url(question), {"kind": FlagKind.SPAM}).status_code == 302
    response = client.post(post_url(question), {"kind": FlagKind.RUDE})
    assert response.status_code == 400
    assert "already flagged" in text_of(response)
    assert Flag.objects.filter(post=question).count() == 1


@pytest.mark.parametrize("target", ["post", "comment"])
def test_it_answers_429_over_the_daily_limit_and_keeps_the_text(client, target):
    allowed = qasite_setting("RATE_LIMITS")["FLAGS_PER_DAY"]
    user = logged_in(client, flagger())
    for _ in range(allowed):
        flag_in_service(user, post=QuestionFactory())
    comment = CommentFactory()
    url = post_url(comment.post) if target == "post" else comment_url(comment)
    kind = FlagKind.MODERATOR_ATTENTION if target == "post" else FlagKind.SOMETHING_ELSE

    response = client.post(url, {"kind": kind, "text": DETAILS})

    assert response.status_code == 429
    page = text_of(response)
    assert f"You have reached today's limit of {allowed} flags" in page
    assert textarea(response) == DETAILS
    assert 'class="form-errors"' in response.content.decode()
    assert Flag.objects.filter(flagger=user).count() == allowed


def test_it_offers_the_close_dialog_after_a_needs_improvement_flag_from_a_closer(client, question):
    logged_in(client, UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation))
    response = client.post(post_url(question), {"kind": FlagKind.NEEDS_IMPROVEMENT})
    assert response.status_code == 302
    assert response["Location"] == f"/questions/{question.pk}/close/"
    assert client.get(response["Location"]).status_code == 200
    assert Flag.objects.filter(post=question, kind=FlagKind.NEEDS_IMPROVEMENT).exists()


def test_it_returns_to_the_question_after_a_needs_improvement_flag_from_others(client, question):
    logged_in(client, flagger())
    response = client.post(post_url(question), {"kind": FlagKind.NEEDS_IMPROVEMENT})
    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}#question"


def test_it_returns_to_the_answer_after_a_needs_improvement_flag_from_a_closer(
    client, question, answer
):
    logged_in(client, UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation))
    response = client.post(post_url(answer), {"kind": FlagKind.NEEDS_IMPROVEMENT})
    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}#answer-{answer.pk}"


def test_it_deletes_a_post_flagged_as_spam_through_the_pages(client, question):
    threshold = qasite_setting("FLAGS")["SPAM_OR_RUDE_TO_DELETE"]
    for number in range(threshold):
        logged_in(client, flagger())
        response = client.post(post_url(question), {"kind": FlagKind.SPAM})
        # The deciding flag lands on a confirmation: the question's page is a 404 now.
        assert response.status_code == (200 if number == threshold - 1 else 302)
    assert fresh(question).deleted_at is not None
    client.logout()
    assert client.get(question.get_absolute_url()).status_code == 404


# The moderators' flag queue -------------------------------------------------------------------


@pytest.mark.parametrize(
    "reputation",
    [
        Privilege.FLAG.reputation,
        Privilege.CAST_CLOSE_VOTES.reputation,
        Privilege.MODERATOR_TOOLS.reputation,
        Privilege.PROTECT_QUESTIONS.reputation,
    ],
)
def test_it_keeps_the_flag_queue_for_moderators(client, reputation):
    logged_in(client, UserFactory(reputation=reputation))
    assert client.get("/moderation/flags/").status_code == 403


def test_it_sends_visitors_from_the_flag_queue_to_log_in(client):
    response = client.get("/moderation/flags/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_lists_pending_flags_with_their_post_or_comment(client, question, answer, comment):
    on_question = flag_in_service(flagger(), post=question, kind=FlagKind.MODERATOR_ATTENTION)
    on_answer = flag_in_service(flagger(), post=answer, kind=FlagKind.NOT_AN_ANSWER)
    on_comment = flag_in_service(flagger(), comment=comment, kind=FlagKind.NO_LONGER_NEEDED)
    other = QuestionFactory(title="A question whose flag was handled already")
    handled = flag_in_service(flagger(), post=other)
    mod = logged_in(client, moderator())
    flags.flag_handle(moderator=mod, flag=handled, helpful=True)

    response = client.get("/moderation/flags/")

    assert response.status_code == 200
    content = response.content.decode()
    page = text_of(response)
    for flag in (on_question, on_answer, on_comment):
        assert f'id="flag-{flag.pk}"' in content
        assert f'action="/moderation/flags/{flag.pk}/"' in content
    assert f'id="flag-{handled.pk}"' not in content
    assert other.title not in page
    assert question.get_absolute_url() in content
    assert f"/a/{answer.pk}" in content
    assert DETAILS in page
    assert comment.body in page
    for label in ("Needs moderator attention", "Not an answer", "No longer needed"):
        assert label in page


def test_it_says_when_no_flags_wait(client):
    logged_in(client, moderator())
    assert "No flags are waiting" in text_of(client.get("/moderation/flags/"))


def test_it_marks_a_flag_helpful_from_the_queue(client, question):
    flag = flag_in_service(flagger(), post=question)
    mod = logged_in(client, moderator())

    response = client.post(f"/moderation/flags/{flag.pk}/", {"helpful": "yes"})

    assert response.status_code == 302
    assert response["Location"] == "/moderation/flags/"
    flag.refresh_from_db()
    assert (flag.state, flag.handled_by) == (FlagState.HELPFUL, mod)
    page = client.get(response["Location"])
    assert "The flag is handled" in text_of(page)
    assert f'id="flag-{flag.pk}"' not in page.content.decode()


def test_it_declines_a_flag_with_a_reason_from_the_queue(client, question):
    flag = flag_in_service(flagger(), post=question)
    logged_in(client, moderator())

    response = client.post(
        f"/moderation/flags/{flag.pk}/",
        {"helpful": "no", "decline_reason": "The question is clear enough."},
    )

    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.state == FlagState.DECLINED
    assert flag.decline_reason == "The question is clear enough."


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_needs_a_reason_to_decline_from_the_queue(client, question, reason):
    flag = flag_in_service(flagger(), post=question)
    logged_in(client, moderator())

    response = client.post(
        f"/moderation/flags/{flag.pk}/", {"helpful": "no", "decline_reason": reason}, follow=True
    )

    assert response.status_code == 200
    page = text_of(response)
    assert "Say why the flag is declined" in page
    flag.refresh_from_db()
    assert flag.state == FlagState.PENDING
    assert f'id="flag-{flag.pk}"' in response.content.decode()


def test_it_explains_a_missing_decision(client, question):
    flag = flag_in_service(flagger(), post=question)
    logged_in(client, moderator())
    response = client.post(f"/moderation/flags/{flag.pk}/", {}, follow=True)
    assert "Choose helpful or declined" in text_of(response)
    flag.refresh_from_db()
    assert flag.state == FlagState.PENDING


def test_it_says_when_another_moderator_handled_the_flag(client, question):
    flag = flag_in_service(flagger(), post=question)
    flags.flag_handle(moderator=moderator(), flag=flag, helpful=True)
    logged_in(client, moderator())

    response = client.post(
        f"/moderation/flags/{flag.pk}/",
        {"helpful": "no", "decline_reason": "Late."},
        follow=True,
    )

    assert "Another moderator handled this flag already" in text_of(response)
    flag.refresh_from_db()
    assert flag.state == FlagState.HELPFUL


@pytest.mark.parametrize(
    "reputation", [Privilege.CAST_CLOSE_VOTES.reputation, Privilege.MODERATOR_TOOLS.reputation]
)
def test_it_refuses_decisions_from_non_moderators(client, question, reputation):
    flag = flag_in_service(flagger(), post=question)
    logged_in(client, UserFactory(reputation=reputation))
    response = client.post(f"/moderation/flags/{flag.pk}/", {"helpful": "yes"})
    assert response.status_code == 403
    flag.refresh_from_db()
    assert flag.state == FlagState.PENDING


def test_it_takes_decisions_only_by_post(client, question):
    flag = flag_in_service(flagger(), post=question)
    logged_in(client, moderator())
    assert client.get(f"/moderation/flags/{flag.pk}/").status_code == 405


def test_it_returns_404_for_an_unknown_flag(client):
    logged_in(client, moderator())
    assert client.post("/moderation/flags/999999/", {"helpful": "yes"}).status_code == 404


# The flagger's history and profile summary ----------------------------------------------------


@pytest.fixture
def history():
    """A flagger with one helpful, one declined (with its reason) and one pending flag."""
    user = flagger()
    mod = moderator()
    helpful = flag_in_service(
        user, post=QuestionFactory(title="First question that needed a moderator")
    )
    declined = flag_in_service(
        user, post=QuestionFactory(title="Second question that was fine after all")
    )
    pending = flag_in_service(
        user,
        comment=CommentFactory(post=QuestionFactory(title="Third question with a stale comment")),
        kind=FlagKind.NO_LONGER_NEEDED,
    )
    flags.flag_handle(moderator=mod, flag=helpful, helpful=True)
    flags.flag_handle(
        moderator=mod, flag=declined, helpful=False, decline_reason="It reads fine to us."
    )
    return user, {"helpful": helpful, "declined": declined, "pending": pending}


def assert_history(response) -> None:
    assert response.status_code == 200
    page = text_of(response)
    assert "1 helpful · 1 declined · 1 pending" in page
    assert "First question that needed a moderator Helpful" in page
    assert "Second question that was fine after all Declined: It reads fine to us." in page
    assert "a comment on “Third question with a stale comment” Pending" in page


def test_it_shows_flaggers_their_history(client, history):
    user, _ = history
    logged_in(client, user)
    assert_history(client.get(f"/users/{user.pk}/flags/"))


def test_it_shows_moderators_anyones_history(client, history):
    user, _ = history
    logged_in(client, moderator())
    assert_history(client.get(f"/users/{user.pk}/flags/"))


@pytest.mark.parametrize(
    "reputation", [Privilege.FLAG.reputation, Privilege.MODERATOR_TOOLS.reputation]
)
def test_it_keeps_a_history_private_from_others(client, history, reputation):
    user, _ = history
    logged_in(client, UserFactory(reputation=reputation))
    assert client.get(f"/users/{user.pk}/flags/").status_code == 403


def test_it_sends_visitors_from_a_history_to_log_in(client, history):
    user, _ = history
    response = client.get(f"/users/{user.pk}/flags/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_an_empty_history(client):
    user = logged_in(client, flagger())
    response = client.get(f"/users/{user.pk}/flags/")
    assert response.status_code == 200
    page = text_of(response)
    assert "0 helpful · 0 declined · 0 pending" in page
    assert "No flags yet" in page


def test_it_shows_the_flag_summary_on_the_flaggers_own_profile(client, history):
    user, _ = history
    logged_in(client, user)
    response = client.get(user.get_absolute_url())
    assert response.status_code == 200
    assert "Flags: 1 helpful, 1 declined, 1 pending" in text_of(response)
    assert f'href="/users/{user.pk}/flags/"' in response.content.decode()


def test_it_shows_moderators_the_flag_summary_on_a_profile(client, history):
    user, _ = history
    logged_in(client, moderator())
    response = client.get(user.get_absolute_url())
    assert "Flags: 1 helpful, 1 declined, 1 pending" in text_of(response)
    assert f'href="/users/{user.pk}/flags/"' in response.content.decode()


@pytest.mark.parametrize("viewer", ["visitor", "member", "trusted"])
def test_it_hides_the_flag_summary_from_others(client, history, viewer):
    user, _ = history
    if viewer == "member":
        logged_in(client, flagger())
    elif viewer == "trusted":
        logged_in(client, UserFactory(reputation=Privilege.MODERATOR_TOOLS.reputation))
    response = client.get(user.get_absolute_url())
    assert response.status_code == 200
    assert "Flags:" not in text_of(response)
    assert f"/users/{user.pk}/flags/" not in response.content.decode()
