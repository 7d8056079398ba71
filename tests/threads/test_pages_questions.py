"""The question list pages: `/`, `/questions/` with sorts, `?tagged=`, pagination, rows."""

import html
import re
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from django.db import connection, transaction
from django.utils import timezone

from core.conf import qasite_setting
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.pages import text_of
from threads import selectors, services
from threads.models import Post

pytestmark = pytest.mark.django_db

ROW_ID_RE = re.compile(r'id="question-summary-(\d+)"')


def listed(response) -> list[int]:
    """Question ids in the order the list shows them."""
    return [int(pk) for pk in ROW_ID_RE.findall(response.content.decode())]


def row_html(response, question) -> str:
    content = response.content.decode()
    start = content.index(f'id="question-summary-{question.pk}"')
    end = content.find('class="question-row"', start)
    return content[start : end if end != -1 else len(content)]


def test_it_renders_home_and_questions_with_realistic_content(client):
    asker = UserFactory(display_name="Grace Hopper")
    question = QuestionFactory(
        author=asker,
        title="How do I parse ISO dates in Python",
        body="I have strings like 2018-02-20T06:31 and need datetime objects from them.",
        tags=["python", "datetime"],
    )
    for url in ("/", "/questions/"):
        response = client.get(url)
        assert response.status_code == 200
        page = text_of(response.content.decode())
        assert "How do I parse ISO dates in Python" in page
        assert "Grace Hopper" in page
        assert "1 question" in page
        assert f'href="{question.get_absolute_url()}"' in response.content.decode()


def test_it_shows_an_empty_list_without_error(client):
    response = client.get("/questions/")
    assert response.status_code == 200
    assert "No questions here yet" in text_of(response.content.decode())


def test_it_hides_deleted_questions(client):
    kept = QuestionFactory()
    gone = QuestionFactory()
    services.post_delete(actor=gone.author, post=gone)
    assert listed(client.get("/questions/")) == [kept.pk]


def test_it_sorts_by_newest(client):
    now = timezone.now()
    old = QuestionFactory(created_at=now - timedelta(days=3))
    new = QuestionFactory(created_at=now - timedelta(days=1))
    middle = QuestionFactory(created_at=now - timedelta(days=2))
    expected = [new.pk, middle.pk, old.pk]
    assert listed(client.get("/questions/?sort=newest")) == expected
    assert listed(client.get("/questions/")) == expected
    # An unknown sort falls back to newest rather than failing.
    response = client.get("/questions/?sort=bogus")
    assert response.status_code == 200
    assert listed(response) == expected


def test_it_sorts_by_activity(client):
    now = timezone.now()
    stale = QuestionFactory(
        created_at=now - timedelta(days=1), last_activity_at=now - timedelta(days=1)
    )
    revived = QuestionFactory(
        created_at=now - timedelta(days=9), last_activity_at=now - timedelta(minutes=5)
    )
    quiet = QuestionFactory(
        created_at=now - timedelta(days=5), last_activity_at=now - timedelta(days=5)
    )
    assert listed(client.get("/questions/?sort=active")) == [revived.pk, stale.pk, quiet.pk]


def test_it_sorts_by_score(client):
    low = QuestionFactory(score=-2)
    high = QuestionFactory(score=12)
    mid = QuestionFactory(score=3)
    response = client.get("/questions/?sort=score")
    assert response.status_code == 200
    assert listed(response) == [high.pk, mid.pk, low.pk]


def test_it_lists_unanswered_without_accepted_or_upvoted_answers(client):
    no_answers = QuestionFactory()
    zero_scored = QuestionFactory()
    AnswerFactory(question=zero_scored)
    downvoted = QuestionFactory()
    AnswerFactory(question=downvoted, score=-1)
    upvoted = QuestionFactory()
    AnswerFactory(question=upvoted, score=1)
    accepted = QuestionFactory()
    answer = AnswerFactory(question=accepted)
    services.answer_accept(user=accepted.author, answer=answer)
    deleted_upvoted = QuestionFactory()
    gone = AnswerFactory(question=deleted_upvoted, score=4)
    services.post_delete(actor=gone.author, post=gone)

    response = client.get("/questions/?sort=unanswered")

    assert response.status_code == 200
    shown = set(listed(response))
    assert shown == {no_answers.pk, zero_scored.pk, downvoted.pk, deleted_upvoted.pk}
    assert upvoted.pk not in shown and accepted.pk not in shown


def test_it_filters_by_all_of_several_tags(client):
    both = QuestionFactory(tags=["python", "pandas"])
    more = QuestionFactory(tags=["python", "pandas", "numpy"])
    QuestionFactory(tags=["python"])
    QuestionFactory(tags=["pandas"])
    QuestionFactory(tags=["r"])

    for query in ("?tagged=python+pandas", "?tagged=pandas%20python", "?tagged=PYTHON+pandas"):
        response = client.get(f"/questions/{query}")
        assert response.status_code == 200
        assert set(listed(response)) == {both.pk, more.pk}, query
        assert "2 questions tagged" in text_of(response.content.decode())
        assert 'class="tag" href="/questions/tagged/pandas/"' in response.content.decode()


def test_it_keeps_the_tag_filter_in_the_sort_links(client):
    QuestionFactory(tags=["python", "pandas"])
    content = client.get("/questions/?tagged=python+pandas").content.decode()
    nav = content.split('aria-label="Sort questions"')[1].split("</nav>")[0]
    links = [parse_qs(html.unescape(href)[1:]) for href in re.findall(r'href="([^"]+)"', nav)]
    assert {"tagged": ["python pandas"], "sort": ["votes"]} in links
    assert all(link["tagged"] == ["python pandas"] for link in links)


def test_it_filters_by_an_unknown_tag_to_an_empty_list(client):
    QuestionFactory(tags=["python"])
    response = client.get("/questions/?tagged=nosuchtag")
    assert response.status_code == 200
    assert listed(response) == []


def test_it_paginates_the_list(client):
    per_page = qasite_setting("QUESTIONS_PER_PAGE")
    author = UserFactory()
    now = timezone.now()
    questions = [
        QuestionFactory(author=author, created_at=now - timedelta(minutes=index))
        for index in range(per_page + 1)
    ]
    oldest = questions[-1]

    first = client.get("/questions/")
    assert len(listed(first)) == per_page
    assert oldest.pk not in listed(first)
    assert '<span class="current" aria-current="page">1</span>' in first.content.decode()
    next_link = re.search(r'rel="next" href="([^"]+)"', first.content.decode()).group(1)
    assert "after=" in next_link

    second = client.get("/questions/" + html.unescape(next_link))
    assert second.status_code == 200
    assert listed(second) == [oldest.pk]
    assert 'rel="next"' not in second.content.decode()
    previous = re.search(r'rel="prev" href="([^"]+)"', second.content.decode()).group(1)
    assert listed(client.get("/questions/" + html.unescape(previous))) == listed(first)

    assert listed(client.get("/questions/?page=2")) == [oldest.pk]
    beyond = client.get("/questions/?page=999")  # past the end: the last page, as get_page
    assert beyond.status_code == 200
    assert listed(beyond) == [oldest.pk]

    for garbage in ("page=abc", "page=0", "page=-1", "page=1.5", "page=", "after=%%%", "before=x"):
        response = client.get(f"/questions/?{garbage}")
        assert response.status_code == 200, garbage
        assert listed(response) == listed(first), garbage


def test_it_reads_a_page_number_written_in_ascii_digits_only(client):
    """Other digits (superscripts, circled, other scripts) and numbers too big to be a page
    are junk, read as the first page: never an error."""
    author = UserFactory()
    for _ in range(qasite_setting("QUESTIONS_PER_PAGE") + 1):
        QuestionFactory(author=author)
    first = listed(client.get("/questions/"))

    for junk in ("²", "①", "٣", "1²", "99999999999999999999", "+2", " 2", "2 ", "0x2"):
        response = client.get("/questions/", {"page": junk})
        assert response.status_code == 200, junk
        assert listed(response) == first, junk
    assert listed(client.get("/questions/", {"page": "2"})) != first


def test_it_answers_junk_sorts_and_filters_with_the_default_list(client):
    question = QuestionFactory(tags=["python"])
    for query in (
        {"sort": "<script>"},
        {"sort": "score" * 1000},
        {"tagged": "<b>x</b> a/b ² " + "y" * 500},
        {"tagged": "+ # . - ++"},
        {"after": "²"},
        {"before": "e30"},
    ):
        response = client.get("/questions/", query)
        assert response.status_code == 200, query
        assert "<script>" not in response.content.decode()
        assert "<b>x</b>" not in response.content.decode()
    assert listed(client.get("/questions/", {"sort": "junk"})) == [question.pk]


def test_it_keeps_sort_and_filter_in_pagination_links(client):
    per_page = qasite_setting("QUESTIONS_PER_PAGE")
    author = UserFactory()
    for _ in range(per_page + 1):
        QuestionFactory(author=author, tags=["python"])
    content = client.get("/questions/?sort=score&tagged=python").content.decode()
    assert "sort=score" in content.split('rel="next"')[1].split(">")[0]
    assert "tagged=python" in content.split('rel="next"')[1].split(">")[0]


def test_it_shows_score_answers_accepted_mark_views_tags_author_and_reputation(client):
    asker = UserFactory(display_name="Ada Lovelace", reputation=12345)
    question = QuestionFactory(
        author=asker,
        title="Why does my loop never end in Python",
        tags=["python", "c#"],
        score=7,
        view_count=1234,
    )
    AnswerFactory(question=question)
    accepted = AnswerFactory(question=question)
    services.answer_accept(user=asker, answer=accepted)
    plain = QuestionFactory(title="An unanswered question about regex", tags=["regex"])

    response = client.get("/questions/")

    row = row_html(response, question)
    seen = text_of(row)
    assert "7 votes" in seen
    assert "✓ 2 answers (accepted)" in seen
    assert "accepted" in row.split('class="summary"')[0]
    assert "1,234 views" in seen
    assert 'href="/questions/tagged/python/"' in row
    assert 'href="/questions/tagged/c%23/"' in row
    assert ">c#<" in row
    assert "Ada Lovelace" in seen
    assert f'href="{asker.get_absolute_url()}"' in row
    assert "12.3k" in seen

    other = text_of(row_html(response, plain))
    assert "0 votes" in other
    assert "0 answers" in other
    assert "✓" not in other
    assert "accepted" not in other


def test_it_shows_closed_state_and_departed_authors_in_rows(client):
    question = QuestionFactory(title="A closed question about sorting lists")
    former_name = question.author.name
    Post.objects.filter(pk=question.pk).update(closed_at=timezone.now(), author=None)
    row = text_of(row_html(client.get("/questions/"), question))
    assert "A closed question about sorting lists [closed]" in row
    assert former_name in row


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans: PostgreSQL only")
@pytest.mark.parametrize("sort", ["newest", "unanswered"])
def test_the_lists_counts_read_narrow_indexes_not_every_post(sort):
    """Counting a list must not read post rows (their bodies and search vectors): the
    partial indexes of visible questions, of unaccepted ones and of upvoted answers hold
    what the counts need. Sequential scans are disabled so the tiny test tables do not
    make one cheaper."""
    QuestionFactory()
    queryset = selectors.question_list(sort=sort, params={}).order_by().values("pk")
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN SELECT COUNT(*) FROM ({sql}) counted", params)
        plan = "\n".join(row for (row,) in cursor.fetchall())
    assert "Seq Scan" not in plan
    # Which of the two question indexes the planner takes depends on the tables' statistics.
    assert "using post_visible_question" in plan or "using post_unaccepted_question" in plan
    if sort == "unanswered":
        assert "using post_upvoted_answer" in plan, plan
