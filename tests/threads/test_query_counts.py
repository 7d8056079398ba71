"""Pages cost a constant number of queries whatever their size (docs/architecture.md, Decisions:
"Pages cost a constant number of queries").

The anonymous question page may use at most 8 queries; a logged-in request may add the session
and user lookups (+2), on a question page whether the member follows it (+1), and on a cold
cache the unread count of their inbox (+1, then a cache read). Each test measures a small
and a large version of the same page and asserts both the ceiling and that the two counts are
equal (no N+1)."""

import pytest
from django.test import Client

from core.conf import qasite_setting
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.queries import measure, report
from threads import services
from threads.models import Post, PostLink
from threads.ranking import rank_questions

pytestmark = pytest.mark.django_db

QUESTION_PAGE_MAX = 8
LOGGED_IN_EXTRA = 2
FOLLOW_STATE = 1
COLD_UNREAD_COUNT = 1
COLD_MODERATOR_NOTICE = 1  # desk.middleware: a message to acknowledge? (one cache read when warm)
MEMBER_QUESTION_PAGE_MAX = (
    QUESTION_PAGE_MAX + LOGGED_IN_EXTRA + FOLLOW_STATE + COLD_UNREAD_COUNT + COLD_MODERATOR_NOTICE
)
#: A list page on a cold cache: the validator, its count, the Unanswered tab's count (cached),
#: the page, its tags, the sidebar; the session for a member.
LIST_PAGE_MAX = 7
#: A member's list page on a cold cache: the same, with the user and the cold counts of
#: the top bar; warm, the page is shared by all members (threads.views.shared.list_page):
#: the session, the user and the validator.
MEMBER_LIST_PAGE_MAX = LIST_PAGE_MAX + 1 + COLD_UNREAD_COUNT + COLD_MODERATOR_NOTICE
MEMBER_WARM_LIST_PAGE = 3
#: A profile's tab: a page of rows (the page, its count), the member, their counts and
#: their reach, the session for a member.
PROFILE_PAGE_MAX = 8
TAGS = ["python", "pandas", "numpy", "csv", "datetime"]


@pytest.fixture
def people():
    return {
        "askers": [UserFactory(reputation=300) for _ in range(3)],
        "answerers": [UserFactory(reputation=200 + index) for index in range(5)],
        "commenters": [UserFactory(reputation=60 + index) for index in range(5)],
        "editor": UserFactory(reputation=qasite_setting("PRIVILEGES.EDIT_ANY_POST")),
        "viewer": UserFactory(reputation=qasite_setting("PRIVILEGES.DOWNVOTE")),
    }


def build_thread(people, *, answers: int, comments_each: int):
    """A realistic thread: tags, an accepted and an edited answer, comments everywhere."""
    question = QuestionFactory(author=people["askers"][0], tags=TAGS[:3])
    CommentFactory(post=question, author=people["commenters"][0])
    rows = []
    for index in range(answers):
        answer = AnswerFactory(question=question, author=people["answerers"][index % 5])
        for number in range(comments_each):
            CommentFactory(post=answer, author=people["commenters"][number % 5])
        rows.append(answer)
    services.answer_accept(user=question.author, answer=rows[-1])
    services.post_edit(
        editor=people["editor"],
        post=rows[0],
        title="",
        body=rows[0].body + " (edited for clarity)",
        summary="clarity",
    )
    return question, rows


def vote_around(people, question, answers):
    """The viewer's votes on the question, some answers and some comments."""
    viewer = people["viewer"]
    services.vote_cast(user=viewer, post=question, value=1)
    for index, answer in enumerate(answers[:5]):
        services.vote_cast(user=viewer, post=answer, value=1 if index % 2 else -1)
        for comment in answer.comments.all()[:2]:
            services.comment_vote_cast(user=viewer, comment=comment)


def test_it_renders_the_question_page_in_constant_queries(people, django_assert_max_num_queries):
    small, _ = build_thread(people, answers=1, comments_each=1)
    large, _ = build_thread(people, answers=30, comments_each=10)

    small_count, small_sql = measure(Client(), small.get_absolute_url(), cold=True)
    with django_assert_max_num_queries(QUESTION_PAGE_MAX):
        large_count, large_sql = measure(Client(), large.get_absolute_url(), cold=True)

    assert small_count == large_count, report(small_sql, large_sql)
    assert large_count <= QUESTION_PAGE_MAX


def test_it_renders_the_question_page_in_constant_queries_when_logged_in(
    people, django_assert_max_num_queries
):
    small, small_answers = build_thread(people, answers=1, comments_each=1)
    large, large_answers = build_thread(people, answers=30, comments_each=10)
    vote_around(people, small, small_answers)
    vote_around(people, large, large_answers)
    client = Client()
    client.force_login(people["viewer"])

    small_count, small_sql = measure(client, small.get_absolute_url(), cold=True)
    with django_assert_max_num_queries(MEMBER_QUESTION_PAGE_MAX):
        large_count, large_sql = measure(client, large.get_absolute_url(), cold=True)

    assert small_count == large_count, report(small_sql, large_sql)


def test_it_renders_the_question_page_for_the_asker_in_constant_queries(
    people, django_assert_max_num_queries
):
    small, _ = build_thread(people, answers=1, comments_each=1)
    large, _ = build_thread(people, answers=30, comments_each=10)
    client = Client()
    client.force_login(people["askers"][0])

    small_count, small_sql = measure(client, small.get_absolute_url(), cold=True)
    with django_assert_max_num_queries(MEMBER_QUESTION_PAGE_MAX):
        large_count, large_sql = measure(client, large.get_absolute_url(), cold=True)

    assert small_count == large_count, report(small_sql, large_sql)


def make_questions(people, count: int, tag_prefix: str = ""):
    for index in range(count):
        question = QuestionFactory(
            author=people["askers"][index % 3],
            tags=[f"{tag_prefix}{name}" for name in TAGS[: 2 + index % 4]],
        )
        if index % 3 == 0:
            answer = AnswerFactory(question=question, author=people["answerers"][index % 5])
            if index % 2 == 0:
                services.answer_accept(user=question.author, answer=answer)


def link_all(people):
    """Every question linked from another, so the Frequent tab lists them all."""
    questions = list(Post.objects.questions())
    for source, target in zip(questions, questions[1:] + questions[:1], strict=True):
        PostLink.objects.get_or_create(post=source, target=target, kind="linked")


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?sort=active",
        "?sort=score",
        "?sort=votes",
        "?sort=unanswered",
        "?sort=frequent",
        "?sort=hot",
        "?sort=week",
        "?sort=month",
        "?sort=hot&pagesize=15&page=2",
        "?sort=week&pagesize=15&page=2",
        "?tagged=python+pandas",
        "?tagged=python&sort=month&pagesize=50",
    ],
)
def test_it_renders_the_question_list_in_constant_queries(
    people, django_assert_max_num_queries, query
):
    make_questions(people, 5)
    link_all(people)
    rank_questions()
    small_count, small_sql = measure(Client(), f"/questions/{query}", cold=True)
    make_questions(people, 45)
    link_all(people)
    rank_questions()
    with django_assert_max_num_queries(LIST_PAGE_MAX):
        large_count, large_sql = measure(Client(), f"/questions/{query}", cold=True)
    assert small_count == large_count, report(small_sql, large_sql)


def test_it_renders_the_home_page_in_constant_queries(people, django_assert_max_num_queries):
    make_questions(people, 5)
    small_count, small_sql = measure(Client(), "/", cold=True)
    make_questions(people, 45)
    client = Client()
    client.force_login(people["viewer"])
    anonymous_count, anonymous_sql = measure(Client(), "/", cold=True)
    with django_assert_max_num_queries(MEMBER_LIST_PAGE_MAX):
        measure(client, "/", cold=True)
    assert small_count == anonymous_count <= LIST_PAGE_MAX, report(small_sql, anonymous_sql)


@pytest.mark.parametrize(
    ("url", "own_queries"), [("/", 0), ("/questions/tagged/python/", 1), ("/search/?q=python", 0)]
)
def test_members_share_a_list_page_rendered_once(
    people, url, own_queries, django_assert_max_num_queries
):
    make_questions(people, 20)
    first, second = Client(), Client()
    first.force_login(people["viewer"])
    second.force_login(people["editor"])
    measure(first, url, cold=True)
    measure(second, url)  # its own session and counts, cached
    with django_assert_max_num_queries(MEMBER_WARM_LIST_PAGE + own_queries):  # the tag's
        response = second.get(url)
    assert people["editor"].name in response.content.decode()  # the user menu is its own


def test_it_renders_a_tag_page_in_constant_queries(people, django_assert_max_num_queries):
    make_questions(people, 3)
    small_count, small_sql = measure(Client(), "/questions/tagged/python/", cold=True)
    make_questions(people, 40)
    with django_assert_max_num_queries(LIST_PAGE_MAX + 1):
        large_count, large_sql = measure(Client(), "/questions/tagged/python/", cold=True)
    assert small_count == large_count, report(small_sql, large_sql)


def test_it_renders_the_tag_list_in_constant_queries(people, django_assert_max_num_queries):
    make_questions(people, 3)
    small_count, small_sql = measure(Client(), "/tags/", cold=True)
    make_questions(people, 10, tag_prefix="more-")
    make_questions(people, 10, tag_prefix="other-")
    with django_assert_max_num_queries(LIST_PAGE_MAX):
        large_count, large_sql = measure(Client(), "/tags/", cold=True)
    assert small_count == large_count, report(small_sql, large_sql)


@pytest.mark.parametrize("tab", ["activity", "questions", "answers", "tags", "reputation"])
def test_it_renders_a_user_page_in_constant_queries(people, django_assert_max_num_queries, tab):
    member = people["answerers"][0]
    voter = UserFactory(reputation=qasite_setting("PRIVILEGES.UPVOTE"))

    def grow(count: int):
        for _ in range(count):
            question = QuestionFactory(author=member, tags=TAGS[:3])
            services.vote_cast(user=voter, post=question, value=1)
            answer = AnswerFactory(author=member, question=QuestionFactory(author=voter))
            services.vote_cast(user=voter, post=answer, value=1)
            services.answer_accept(user=answer.parent.author, answer=answer)

    grow(2)
    url = member.get_absolute_url() if tab == "activity" else f"/users/{member.pk}/{tab}/"
    small_count, small_sql = measure(Client(), url, cold=True)
    grow(15)
    with django_assert_max_num_queries(PROFILE_PAGE_MAX):
        large_count, large_sql = measure(Client(), url, cold=True)
    assert small_count == large_count, report(small_sql, large_sql)


def test_it_renders_the_revision_history_in_constant_queries(people, django_assert_max_num_queries):
    question = QuestionFactory(author=people["askers"][0])
    editors = [UserFactory(reputation=qasite_setting("PRIVILEGES.EDIT_ANY_POST")) for _ in range(6)]

    def edit(editor, number):
        services.post_edit(
            editor=editor,
            post=question,
            title=question.title,
            body=f"{question.body} edit number {number}",
            summary=f"edit {number}",
        )

    edit(editors[0], 1)
    small_count, small_sql = measure(Client(), f"/posts/{question.pk}/revisions/", cold=True)
    for number, editor in enumerate(editors[1:] * 2, start=2):
        edit(editor, number)
    with django_assert_max_num_queries(LIST_PAGE_MAX):
        large_count, large_sql = measure(Client(), f"/posts/{question.pk}/revisions/", cold=True)
    assert small_count == large_count, report(small_sql, large_sql)
