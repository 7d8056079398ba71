"""The question page: canonical URL, visibility, answers, comments, footer, short links and
de-duplicated view counts."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.privileges import Privilege
from core.conf import qasite_setting
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.pages import text_of
from threads import services
from threads.models import Post

pytestmark = pytest.mark.django_db

ANSWER_ID_RE = re.compile(r'<div class="post answer[^"]*" id="answer-(\d+)"')


def answer_order(response) -> list[int]:
    return [int(pk) for pk in ANSWER_ID_RE.findall(response.content.decode())]


@pytest.fixture
def thread():
    asker = UserFactory(display_name="Grace Hopper", reputation=1234)
    question = QuestionFactory(
        author=asker,
        title="How do I compute a rolling mean with pandas",
        body="I have a **DataFrame** of prices and want a 7-day rolling mean of the close.",
        tags=["python", "pandas"],
    )
    answer = AnswerFactory(
        question=question,
        author=UserFactory(display_name="Wes McKinney"),
        body="Use `df['close'].rolling(7).mean()`; it handles the window for you.",
    )
    return question, answer


def test_it_renders_the_question_page(client, thread):
    question, answer = thread
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    seen = text_of(content)
    assert "How do I compute a rolling mean with pandas" in seen
    assert "<strong>DataFrame</strong>" in content
    assert "<code>df['close'].rolling(7).mean()</code>" in html.unescape(content)
    assert "Grace Hopper" in seen and "1,234" in seen
    assert "Wes McKinney" in seen
    assert 'href="/questions/tagged/pandas/"' in content
    assert f'id="answer-{answer.pk}"' in content
    assert "1 Answer" in seen and "1 Answers" not in seen


def test_it_shows_the_answer_count_heading(client, thread):
    question, _ = thread
    AnswerFactory(question=question)
    assert "2 Answers" in text_of(client.get(question.get_absolute_url()).content.decode())
    empty = QuestionFactory()
    assert "0 Answers" in text_of(client.get(empty.get_absolute_url()).content.decode())


def test_it_shows_the_browse_more_footer(client, thread):
    question, _ = thread
    seen = text_of(client.get(question.get_absolute_url()).content.decode())
    assert (
        "Not the answer you're looking for? Browse other questions tagged python pandas "
        "or ask your own question." in seen
    ) or (
        "Not the answer you're looking for? Browse other questions tagged pandas python "
        "or ask your own question." in seen
    )


def test_it_redirects_a_wrong_slug_to_the_canonical_url(client, thread):
    question, _ = thread
    response = client.get(f"/questions/{question.pk}/some-old-title/")
    assert response.status_code == 301
    assert response["Location"] == question.get_absolute_url()


def test_it_redirects_a_missing_slug_to_the_canonical_url(client, thread):
    question, _ = thread
    response = client.get(f"/questions/{question.pk}/")
    assert response.status_code in (301, 302)
    assert response["Location"] == question.get_absolute_url()


def test_it_keeps_the_query_out_of_slug_redirects(client, thread):
    question, _ = thread
    response = client.get(f"/questions/{question.pk}/wrong/?answertab=oldest")
    assert response.status_code == 301
    assert response["Location"].startswith(question.get_absolute_url())


def test_it_404s_an_unknown_question(client, thread):
    assert client.get("/questions/999999/anything/").status_code == 404
    assert client.get("/questions/999999/").status_code == 404


def test_it_404s_an_answer_id_on_the_question_url(client, thread):
    _, answer = thread
    assert client.get(f"/questions/{answer.pk}/question/").status_code == 404


def test_it_hides_a_deleted_question_from_others(client, thread):
    question, _ = thread
    services.post_delete(actor=UserFactory(is_moderator=True), post=question)
    url = question.get_absolute_url()

    assert client.get(url).status_code == 404
    client.force_login(UserFactory(reputation=2000))
    assert client.get(url).status_code == 404


def test_it_shows_a_deleted_question_to_its_author_and_moderators(client, thread):
    question, _ = thread
    services.post_delete(actor=UserFactory(is_moderator=True), post=question)
    url = question.get_absolute_url()

    for viewer in (question.author, UserFactory(is_moderator=True), UserFactory(reputation=10000)):
        client.force_login(viewer)
        response = client.get(url)
        assert response.status_code == 200, viewer
        assert "This question was deleted" in text_of(response.content.decode())


def test_it_sorts_answers_by_score_with_the_accepted_one_first(client):
    question = QuestionFactory()
    now = timezone.now()
    oldest = AnswerFactory(question=question, score=5, created_at=now - timedelta(days=3))
    accepted = AnswerFactory(question=question, score=0, created_at=now - timedelta(days=2))
    newest = AnswerFactory(question=question, score=10, created_at=now - timedelta(days=1))
    services.answer_accept(user=question.author, answer=accepted)

    by_score = client.get(question.get_absolute_url())
    assert answer_order(by_score) == [accepted.pk, newest.pk, oldest.pk]
    assert answer_order(client.get(f"{question.get_absolute_url()}?answertab=score")) == [
        accepted.pk,
        newest.pk,
        oldest.pk,
    ]
    assert answer_order(client.get(f"{question.get_absolute_url()}?answertab=newest")) == [
        newest.pk,
        accepted.pk,
        oldest.pk,
    ]
    assert answer_order(client.get(f"{question.get_absolute_url()}?answertab=oldest")) == [
        oldest.pk,
        accepted.pk,
        newest.pk,
    ]
    bogus = client.get(f"{question.get_absolute_url()}?answertab=bogus")
    assert bogus.status_code == 200
    assert answer_order(bogus) == [accepted.pk, newest.pk, oldest.pk]
    assert "accepted-answer" in by_score.content.decode()


def test_it_hides_deleted_answers(client, thread):
    question, answer = thread
    services.post_delete(actor=answer.author, post=answer)
    response = client.get(question.get_absolute_url())
    assert answer_order(response) == []
    assert "0 Answers" in text_of(response.content.decode())


def test_it_shows_comments_with_stack_exchange_dates(client, thread):
    question, answer = thread
    on_question = CommentFactory(
        post=question,
        author=question.author,
        body="Which pandas version are you using here?",
        created_at=datetime(2018, 2, 20, 6, 31, tzinfo=UTC),
    )
    CommentFactory(
        post=answer,
        author=question.author,
        body="Thanks, `min_periods` was the missing piece.",
        created_at=datetime(2019, 11, 3, 17, 5, tzinfo=UTC),
    )
    response = client.get(question.get_absolute_url())
    content = response.content.decode()
    seen = text_of(content)
    assert "Which pandas version are you using here?" in seen
    assert "Commented Feb 20, 2018 at 6:31" in seen
    assert "Commented Nov 3, 2019 at 17:05" in seen
    assert "<code>min_periods</code>" in content
    assert f'id="comment-{on_question.pk}"' in content


def test_it_hides_deleted_comments(client, thread):
    question, _ = thread
    comment = CommentFactory(post=question, author=question.author, body="A comment to be removed.")
    services.comment_delete(actor=question.author, comment=comment)
    assert (
        "A comment to be removed." not in client.get(question.get_absolute_url()).content.decode()
    )


def test_it_follows_the_question_short_link(client, thread):
    question, _ = thread
    response = client.get(f"/q/{question.pk}")
    assert response.status_code in (301, 302)
    assert response["Location"] == question.get_absolute_url()
    assert client.get("/q/999999").status_code == 404


def test_it_follows_the_answer_short_link(client, thread):
    question, answer = thread
    response = client.get(f"/a/{answer.pk}")
    assert response.status_code in (301, 302)
    assert response["Location"] == f"{question.get_absolute_url()}#answer-{answer.pk}"
    assert client.get("/a/999999").status_code == 404
    assert client.get(f"/a/{question.pk}").status_code == 404
    assert client.get(f"/q/{answer.pk}").status_code == 404


def test_it_404s_short_links_to_deleted_posts_for_others(client, thread):
    question, answer = thread
    services.post_delete(actor=UserFactory(is_moderator=True), post=question)
    response = client.get(f"/q/{question.pk}")
    assert question.slug not in response.get("Location", "")
    assert response.status_code == 404
    assert client.get(f"/a/{answer.pk}").status_code == 404


def view_count(question) -> int:
    return Post.objects.values_list("view_count", flat=True).get(pk=question.pk)


def test_it_counts_a_view_once_per_visitor(client, thread):
    question, _ = thread
    url = question.get_absolute_url()
    before = view_count(question)

    client.get(url)
    client.get(url)
    assert view_count(question) == before + 1

    Client(REMOTE_ADDR="10.1.2.3").get(url)
    assert view_count(question) == before + 2

    member = Client()
    member.force_login(UserFactory())
    member.get(url)
    member.get(url)
    assert view_count(question) == before + 3


def test_it_counts_views_again_after_the_dedup_window(client, thread):
    question, _ = thread
    url = question.get_absolute_url()
    before = view_count(question)
    window = qasite_setting("VIEW_DEDUP_SECONDS")
    start = timezone.now()
    client.get(url)

    with time_machine.travel(start + timedelta(seconds=window - 60)):
        client.get(url)
    assert view_count(question) == before + 1

    with time_machine.travel(start + timedelta(seconds=window + 1)):
        client.get(url)
    assert view_count(question) == before + 2


def test_it_does_not_count_redirects_as_views(client, thread):
    question, _ = thread
    before = view_count(question)
    client.get(f"/questions/{question.pk}/")
    client.get(f"/q/{question.pk}")
    assert view_count(question) == before


def test_it_shows_the_view_count(client, thread):
    question, _ = thread
    Post.objects.filter(pk=question.pk).update(view_count=1233)
    seen = text_of(client.get(question.get_absolute_url()).content.decode())
    # The count read before or after this visit's own increment.
    assert re.search(r"Viewed 1,23[34] times", seen)


def test_it_offers_the_answer_form_to_members(client, thread):
    question, _ = thread
    client.force_login(UserFactory())
    member = client.get(question.get_absolute_url()).content.decode()
    assert f'action="/questions/{question.pk}/answer/"' in member
    assert 'name="token"' in member


def test_it_offers_visitors_a_login_link_to_answer(client, thread):
    question, _ = thread
    content = client.get(question.get_absolute_url()).content.decode()
    your_answer = content.split('class="your-answer"')[1].split("</section>")[0]
    assert "to answer this question" in text_of(your_answer)
    assert 'href="/accounts/login/?next=' in your_answer


def test_it_tells_why_a_closed_question_takes_no_answers(client, thread):
    question, _ = thread
    Post.objects.filter(pk=question.pk).update(closed_at=timezone.now())
    client.force_login(UserFactory())
    response = client.get(question.get_absolute_url())
    seen = text_of(response.content.decode())
    assert "[closed]" in seen
    assert "This question is closed: it accepts no new answers." in seen
    assert f'action="/questions/{question.pk}/answer/"' not in response.content.decode()


def test_it_shows_deleted_answers_marked_to_10k_users_only(client):
    question = QuestionFactory()
    kept = AnswerFactory(question=question, body="This answer stays visible to everyone here.")
    gone = AnswerFactory(question=question, body="This answer was removed by its own author.")
    services.post_delete(actor=gone.author, post=gone)

    page = client.get(question.get_absolute_url()).content.decode()
    assert "removed by its own author" not in page
    assert "1 Answer<" in page

    client.force_login(UserFactory(reputation=Privilege.MODERATOR_TOOLS.reputation))
    page = client.get(question.get_absolute_url()).content.decode()
    assert "removed by its own author" in page
    assert "This answer was deleted." in page
    assert "1 Answer<" in page
    assert kept.body in page
