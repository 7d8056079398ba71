"""``manage.py check_integrity``: a site built through the services passes; each planted
inconsistency is found, named with its id, and fails the command."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from accounts.privileges import Privilege
from core.extensions import Contribution, Cost
from moderation.imported import imported_posts
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.moderation import close, opinion
from threads import services as threads_services
from threads.models import Post, Tag

pytestmark = pytest.mark.django_db

User = get_user_model()


def member(reputation: int = 1):
    """A member whose reputation is what the ledger explains (imported, like the demo's)."""
    return UserFactory(reputation=reputation, imported_reputation=reputation - 1)


@pytest.fixture
def site():
    """A small site through the services: votes, answers, comments, a closed question."""
    asker, answerer = member(), member()
    closed = close(QuestionFactory(author=asker), opinion())
    User.objects.filter(reputation__gt=1, imported_reputation=0).update(
        imported_reputation=F("reputation") - 1
    )  # the closers: made at a level, without the imported part that explains it
    question = QuestionFactory(author=asker)
    answer = AnswerFactory(question=question, author=answerer)
    CommentFactory(post=answer, author=member(Privilege.COMMENT_EVERYWHERE.reputation))
    for _ in range(3):
        threads_services.vote_cast(user=member(125), post=question, value=1)
    threads_services.vote_cast(user=member(125), post=answer, value=-1)
    return {"question": question, "answer": answer, "closed": closed, "asker": asker}


def check(*args) -> tuple[str, int]:
    """The command's output and exit status."""
    out = StringIO()
    try:
        call_command("check_integrity", *args, stdout=out)
    except CommandError as error:
        return out.getvalue() + str(error), error.returncode
    return out.getvalue(), 0


def test_a_site_built_through_the_services_passes(site):
    output, status = check()

    assert status == 0, output
    assert "Integrity check passed" in output
    for name in ("scores", "answer_count", "comment_count", "closures", "reputation"):
        assert name in output


def test_it_finds_a_score_off_its_votes(site):
    Post.objects.filter(pk=site["question"].pk).update(score=F("score") + 1)

    output, status = check()

    assert status == 1
    assert f"scores id={site['question'].pk}: score 4 (+3 -0), votes say 3" in output


def test_it_finds_an_answer_count_off_its_rows(site):
    Post.objects.filter(pk=site["question"].pk).update(answer_count=5)

    output, status = check()

    assert status == 1
    assert f"answer_count id={site['question'].pk}: answer_count 5, rows say 1" in output


def test_it_finds_a_comment_count_off_its_rows(site):
    Post.objects.filter(pk=site["answer"].pk).update(comment_count=0)

    output, status = check()

    assert status == 1
    assert f"comment_count id={site['answer'].pk}: comment_count 0, rows say 1" in output


def test_it_finds_a_closure_without_its_event(site):
    Post.objects.filter(pk=site["question"].pk).update(closed_at=timezone.now())

    output, status = check()

    assert status == 1
    assert f"closures id={site['question'].pk}: closed, 0 closed / 0 reopened events" in output
    assert f"closures id={site['closed'].pk}" not in output


def test_it_finds_an_event_whose_closure_was_lost(site):
    Post.objects.filter(pk=site["closed"].pk).update(closed_at=None)

    output, status = check()

    assert status == 1
    assert f"closures id={site['closed'].pk}: open, 1 closed / 0 reopened events" in output


def test_it_finds_reputation_off_the_ledger(site):
    User.objects.filter(pk=site["asker"].pk).update(reputation=F("reputation") + 5)

    output, status = check()

    assert status == 1
    assert f"reputation id={site['asker'].pk}: reputation" in output


def test_it_finds_reputation_below_the_floor():
    user = member()
    User.objects.filter(pk=user.pk).update(reputation=0, imported_reputation=-1)

    output, status = check()

    assert status == 1
    assert f"reputation id={user.pk}: reputation 0, ledger says 0" in output


def test_it_finds_a_tag_count_off_its_questions(site):
    Tag.objects.filter(name="python").update(usage_count=F("usage_count") + 2)

    output, status = check()

    assert status == 1
    assert "tag_counts" in output and "usage_count 4, rows say 2" in output


def test_it_leaves_imported_scores_out(site, monkeypatch):
    """A post the imported_posts point names keeps its source's score without vote rows."""
    question = site["question"]
    Post.objects.filter(pk=question.pk).update(score=42, closed_at=timezone.now())
    imported = Contribution(
        key="tests.imported",
        render=lambda: Post.objects.filter(pk=question.pk).values("pk"),
        order=0,
        cost=Cost.NONE,
    )
    monkeypatch.setattr(imported_posts, "contributions", lambda: [imported])

    output, status = check()

    assert status == 0, output


def test_the_limit_keeps_the_listing_short(site):
    Post.objects.filter(pk__in=[site["question"].pk, site["closed"].pk]).update(answer_count=9)

    output, status = check("--limit", "1")

    assert status == 1
    assert output.count("answer_count id=") == 1
    assert "and 1 more" in output
