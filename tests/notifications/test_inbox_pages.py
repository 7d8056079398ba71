"""The inbox through HTTP: the list, opening and marking items read, the dropdown, settings,
following; other people's items and bad input answer 404/405/400, never 500."""

import uuid

import pytest
from django.test import Client

from accounts.privileges import Privilege
from notifications import follows
from notifications.models import EmailMode, EmailPreference, Kind, Notification
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.pages import is_login_redirect, text_of
from tests.queries import measure
from threads import services
from threads.models import Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def asker(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_the_inbox_needs_a_login():
    for url in ("/inbox/", "/inbox/latest/", "/inbox/settings/", "/inbox/1/"):
        assert is_login_redirect(Client().get(url)), url


def test_the_inbox_lists_items_and_the_top_bar_counts_the_unread(client, asker):
    question = QuestionFactory(author=asker)
    AnswerFactory(question=question)
    CommentFactory(post=question)

    page = client.get("/inbox/")
    text = text_of(page.content)
    assert "New answer" in text and "Comment on your post" in text
    assert 'aria-label="Inbox, 2 unread"' in page.content.decode()


def test_opening_an_item_marks_it_read_and_leads_to_the_exact_comment(client, asker):
    question = QuestionFactory(author=asker)
    comment = CommentFactory(post=question)
    item = Notification.objects.get(recipient=asker)

    response = client.get(f"/inbox/{item.pk}/")

    assert response.status_code == 302
    assert response.url == f"/q/{question.pk}#comment-{comment.pk}"
    item.refresh_from_db()
    assert item.read_at is not None
    assert 'aria-label="Inbox"' in client.get("/inbox/").content.decode()


def test_an_answer_item_leads_to_the_answer(client, asker):
    answer = AnswerFactory(question=QuestionFactory(author=asker))
    item = Notification.objects.get(recipient=asker)

    assert client.get(f"/inbox/{item.pk}/").url == f"/a/{answer.pk}"


def test_someone_elses_or_an_unknown_item_is_404(client, asker):
    other = QuestionFactory()
    AnswerFactory(question=other)
    theirs = Notification.objects.get(recipient=other.author)

    assert client.get(f"/inbox/{theirs.pk}/").status_code == 404
    assert client.post(f"/inbox/{theirs.pk}/read/").status_code == 404
    assert client.get("/inbox/999999/").status_code == 404
    assert client.get("/inbox/abc/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_takes_a_post(client, asker):
    AnswerFactory(question=QuestionFactory(author=asker))
    item = Notification.objects.get(recipient=asker)

    assert client.get(f"/inbox/{item.pk}/read/").status_code == 405
    assert client.post(f"/inbox/{item.pk}/read/").status_code == 302
    item.refresh_from_db()
    assert item.read_at is not None


def test_mark_all_read(client, asker):
    question = QuestionFactory(author=asker)
    for _ in range(3):
        AnswerFactory(question=question)

    response = client.post("/inbox/read-all/", follow=True)

    assert "Marked 3 items read." in text_of(response.content)
    assert not Notification.objects.filter(recipient=asker, read_at__isnull=True).exists()


def test_the_dropdown_shows_the_latest_items(client, asker):
    AnswerFactory(question=QuestionFactory(author=asker, title="How do I read a parquet file"))

    fragment = client.get("/inbox/latest/").content.decode()

    assert "How do I read a parquet file" in fragment
    assert "<html" not in fragment


def test_a_replayed_comment_post_makes_one_notification(client):
    question = QuestionFactory()
    client.force_login(UserFactory(reputation=Privilege.COMMENT_EVERYWHERE.reputation))
    token = str(uuid.uuid4())
    for _ in range(2):
        client.post(
            f"/posts/{question.pk}/comments/",
            {"body": "Which version of pandas do you use?", "token": token},
        )

    assert Notification.objects.filter(recipient=question.author).count() == 1


def test_settings_save_email_choices_and_watched_tags(client, asker):
    Tag.objects.create(name="pandas", slug="pandas")
    form = {f"email_{kind.value}": EmailMode.OFF for kind in Kind}
    form["email_answer"] = EmailMode.IMMEDIATE
    form["watched_tags"] = "pandas"

    response = client.post("/inbox/settings/", form)

    assert response.status_code == 302
    assert EmailPreference.objects.get(user=asker, kind=Kind.ANSWER).mode == EmailMode.IMMEDIATE
    QuestionFactory(tags=["pandas"])
    assert Notification.objects.get(recipient=asker).kind == Kind.QUESTION_IN_WATCHED_TAG


def test_settings_refuse_an_unknown_tag_and_a_bad_choice_with_a_message(client, asker):
    form = {f"email_{kind.value}": "sometimes" for kind in Kind}
    form["watched_tags"] = "no-such-tag"

    response = client.post("/inbox/settings/", form)

    assert response.status_code == 400
    text = text_of(response.content)
    assert "No such tag: no-such-tag." in text
    assert "Select a valid choice" in text


def test_following_and_unfollowing_a_question(client, asker):
    question = QuestionFactory()
    page = client.get(question.get_absolute_url()).content.decode()
    assert ">Follow</button>" in page

    client.post(f"/questions/{question.pk}/follow/")
    assert ">Following</button>" in client.get(question.get_absolute_url()).content.decode()
    AnswerFactory(question=question)
    assert Notification.objects.filter(recipient=asker, kind=Kind.ANSWER).count() == 1

    client.post(f"/questions/{question.pk}/follow/", {"follow": "no"})
    AnswerFactory(question=question)
    assert Notification.objects.filter(recipient=asker, kind=Kind.ANSWER).count() == 1


def test_an_unfollow_survives_answering_again(client, asker):
    question = QuestionFactory()
    AnswerFactory(question=question, author=asker)
    client.post(f"/questions/{question.pk}/follow/", {"follow": "no"})
    AnswerFactory(question=question, author=asker)

    AnswerFactory(question=question)

    assert not Notification.objects.filter(recipient=asker, kind=Kind.ANSWER).exists()


def test_following_an_answer_or_a_missing_question_is_404(client, asker):
    answer = AnswerFactory()
    assert client.post(f"/questions/{answer.pk}/follow/").status_code == 404
    assert client.post("/questions/999999/follow/").status_code == 404
    assert client.get(f"/questions/{answer.parent_id}/follow/").status_code == 405


def test_the_inbox_page_takes_constant_queries(client, asker, django_assert_max_num_queries):
    question = QuestionFactory(author=asker)
    AnswerFactory(question=question)
    few, _ = measure(client, "/inbox/")
    for _ in range(20):
        CommentFactory(post=AnswerFactory(question=question))
    with django_assert_max_num_queries(few):
        many, _ = measure(client, "/inbox/")
    assert many == few


def test_the_unread_count_costs_no_query_once_cached(client, asker):
    AnswerFactory(question=QuestionFactory(author=asker))
    measure(client, "/tags/")  # the first page after a change counts once
    tags_page = measure(client, "/tags/")[1]

    assert not [sql for sql in tags_page if "notifications_notification" in sql]


def test_the_dropdown_has_a_line_of_reputation_news(client, asker):
    question = QuestionFactory(author=asker, title="How do I read a parquet file")
    voter = UserFactory(reputation=Privilege.UPVOTE.reputation)
    services.vote_cast(user=voter, post=question, value=1)

    text = text_of(client.get("/inbox/latest/").content)

    assert "Reputation: +10 today · latest +10 upvote on “How do I read a parquet file”" in text


def test_watchers_of_a_tag_merged_into_another_watch_the_master(asker):
    source = Tag.objects.create(name="sklearn", slug="sklearn")
    master = Tag.objects.create(name="scikit-learn", slug="scikit-learn")
    follows.watched_tags_set(user=asker, tags=[source])

    services.tag_merge(actor=UserFactory(is_moderator=True), source_name="sklearn", target=master)
    QuestionFactory(tags=["scikit-learn"])

    assert [tag.name for tag in follows.watched_tags(user=asker)] == ["scikit-learn"]
    assert Notification.objects.get(recipient=asker).kind == Kind.QUESTION_IN_WATCHED_TAG
