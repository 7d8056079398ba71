"""manage.py load_demo: demo logins, the seed thread, generated questions; idempotent."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command

from core.conf import qasite_setting
from demo.load import demo_totals
from demo.management.commands.load_demo import Command as LoadDemo
from demo.seed import SEED_SOURCE, SEED_TOKEN, seed_data
from demo.users import DEMO_USERS
from moderation.aging import close_votes_counting
from moderation.models import CloseVote, VoteState
from tests.factories import DEMO_PASSWORD
from threads.models import Comment, Post, PostLink, Revision, Vote

pytestmark = pytest.mark.django_db


User = get_user_model()
NAME_FIELDS = ("username", "display_name")
QUESTIONS = 20  # the command's default is 200; fewer keep the suite fast


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", questions=QUESTIONS, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo():
    return load_demo()


def seed_question() -> Post:
    return Post.objects.get(creation_token=SEED_TOKEN)


def test_it_loads_the_seed_question_faithfully(demo):
    data = seed_data()["question"]
    question = seed_question()
    assert question.title == data["title"]
    assert question.body == data["body"]
    assert sorted(question.tags.names()) == sorted(data["tags"])
    assert question.author.display_name == data["author"]
    assert question.author.username == "ryan-zotti"
    assert not question.author.has_usable_password()
    assert question.score == data["score"]
    assert question.view_count == data["view_count"]
    assert question.created_at.isoformat() == data["created_at"].replace("Z", "+00:00")
    assert Revision.objects.get(post=question).created_at == question.created_at
    assert question.comment_count == len(data["comments"]) == 3
    assert [c.score for c in question.comments.all()] == [c["score"] for c in data["comments"]]


def test_it_loads_the_nine_answers_in_order_with_their_comments(demo):
    data = seed_data()["answers"]
    question = seed_question()
    answers = list(Post.objects.filter(parent=question).order_by("pk"))
    assert len(answers) == question.answer_count == 9
    assert [a.body for a in answers] == [a["body"] for a in data]
    assert [a.score for a in answers] == [a["score"] for a in data]
    assert [a.author.display_name for a in answers] == [a["author"] for a in data]
    assert [a.comment_count for a in answers] == [len(a["comments"]) for a in data]
    assert [a.comments.count() for a in answers] == [5, 0, 3, 0, 0, 0, 0, 0, 0]
    assert question.last_activity_at == max(a.created_at for a in answers)
    assert question.accepted_answer is None  # the JSON accepts none
    for answer in answers:
        assert Revision.objects.get(post=answer).created_at == answer.created_at
    # Historic scores are base scores: no Vote rows, no reputation earned from them.
    assert not Vote.objects.filter(post__in=[question, *answers]).exists()
    assert question.author.reputation == 1 + question.author.imported_reputation


def test_it_shows_the_seed_attribution_on_its_page(demo, client):
    question = seed_question()
    assert SEED_SOURCE["url"].startswith("https://datascience.stackexchange.com/questions/28006/")
    assert question.source_url == SEED_SOURCE["url"]
    assert question.content_license == "CC BY-SA 3.0"
    assert SEED_SOURCE["authors"][:2] == ["Ryan Zotti", "user9217"]

    page = client.get(question.get_absolute_url()).content.decode()

    assert f'href="{SEED_SOURCE["url"]}"' in page
    assert "CC BY-SA 3.0" in page
    other = Post.objects.questions().exclude(creation_token=SEED_TOKEN).first()
    assert SEED_SOURCE["url"] not in client.get(other.get_absolute_url()).content.decode()


def test_it_creates_the_demo_users_at_their_levels(demo):
    levels = {
        "newbie": 1,
        "voter": 15,
        "commenter": 50,
        "downvoter": 125,
        "reviewer": 500,
        "editor": 2000,
        "closer1": 3000,
        "closer2": 3000,
        "closer3": 3000,
        "trusted": 10000,
    }
    for username, level in levels.items():
        user = User.objects.get(username=username)
        assert (user.reputation, user.imported_reputation) == (level, level - 1), username
    assert {spec.username for spec in DEMO_USERS} == {*levels, "moderator", "admin"}
    moderator = User.objects.get(username="moderator")
    assert moderator.is_moderator and moderator.is_staff and not moderator.is_superuser
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    community = User.objects.get(is_system=True)
    assert community.display_name == "Community"
    assert not community.has_usable_password()


def test_its_users_pass_the_name_rule_the_moderator_account_included(demo):
    """Every demo user could be saved through the User's forms: no moderator mark, and
    "moderator" only on the account that is one."""
    others = [field.name for field in User._meta.fields if field.name not in NAME_FIELDS]
    for user in User.objects.all():
        user.clean_fields(exclude=others)  # raises ValidationError otherwise
    moderator = User.objects.get(username="moderator")
    moderator.is_moderator = False
    with pytest.raises(ValidationError) as refused:
        moderator.clean_fields(exclude=others)
    assert set(refused.value.message_dict) == set(NAME_FIELDS)


def test_it_lets_a_demo_user_log_in(demo, client):
    assert client.login(username="editor", password=DEMO_PASSWORD)
    assert not client.login(username="ryan-zotti", password=DEMO_PASSWORD)


def test_it_generates_questions_within_the_site_limits(demo):
    generated = Post.objects.questions().exclude(creation_token=SEED_TOKEN)
    assert generated.count() == QUESTIONS
    assert Post.objects.answers().exclude(parent__creation_token=SEED_TOKEN).exists()
    assert Vote.objects.exists()
    for question in generated:
        assert 15 <= len(question.title) <= 150
        assert len(question.body) >= 30
        assert 1 <= len(question.tags.names()) <= 5
    comments = Comment.objects.exclude(post__creation_token=SEED_TOKEN)
    lengths = [len(body) for body in comments.values_list("body", flat=True)]
    assert lengths
    assert min(lengths) >= qasite_setting("COMMENT_MIN")
    assert max(lengths) <= qasite_setting("COMMENT_MAX")


def test_it_generates_200_questions_by_default():
    options = LoadDemo().create_parser("manage.py", "load_demo").parse_args([])
    assert options.questions == 200


def test_it_keeps_the_ledger_consistent(demo):
    out = StringIO()
    call_command("recount_reputation", stdout=out)
    assert "All reputations were correct." in out.getvalue()


def test_it_adds_nothing_on_a_second_run(demo):
    before = demo_totals()
    reputations = dict(User.objects.values_list("username", "reputation"))
    output = load_demo()
    assert demo_totals() == before
    assert dict(User.objects.values_list("username", "reputation")) == reputations
    assert "nothing added" in output


def test_it_starts_the_seed_debate_with_two_career_advice_close_votes(demo, client):
    question = seed_question()
    votes = CloseVote.objects.filter(question=question, state=VoteState.PENDING)
    assert sorted(vote.voter.username for vote in votes) == ["closer1", "closer2"]
    assert {vote.reason.name for vote in votes} == {
        "Career advice and job-market questions are off-topic here"
    }
    assert close_votes_counting(question) == 2
    assert question.closed_at is None

    client.login(username="closer3", password=DEMO_PASSWORD)
    page = client.get(question.get_absolute_url()).content.decode()
    assert f"Close (2/{qasite_setting('CLOSE_VOTES_TO_CLOSE')})" in page


def test_it_closes_one_generated_question_as_a_duplicate(demo):
    closed = Post.objects.questions().filter(closed_at__isnull=False)
    assert closed.count() == 1
    question = closed.get()
    assert question.close_notice["reason"]["kind"] == "duplicate"
    link = PostLink.objects.get(post=question, kind="duplicate")
    assert link.target.answer_count > 0
    assert question.close_notice["duplicates"] == [
        {"id": link.target.pk, "title": link.target.title}
    ]
