"""User profile pages: `/users/<id>/<slug>/` (the activity summary) and its tabs under
`/users/<id>/<tab>/`; the old `?tab=` addresses redirect."""

import pytest

from core.conf import qasite_setting
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.pages import text_of
from threads import services
from threads.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    user = UserFactory(username="ada", display_name="Ada Lovelace", reputation=1)
    question = QuestionFactory(author=user, title="How do I enumerate Bernoulli numbers")
    other = QuestionFactory(title="What is the analytical engine instruction set")
    answer = AnswerFactory(author=user, question=other, body="It reads punched cards, " * 3)
    services.vote_cast(user=UserFactory(reputation=15), post=answer, value=1)
    services.answer_accept(user=other.author, answer=answer)
    user.refresh_from_db()
    return user, question, answer


def test_it_shows_the_profile_with_questions(client, member):
    user, question, _ = member
    assert user.get_absolute_url() == f"/users/{user.pk}/ada-lovelace/"
    response = client.get(user.get_absolute_url())
    assert response.status_code == 200
    seen = text_of(response.content.decode())
    assert "Ada Lovelace" in seen
    expected = (
        1
        + qasite_setting("REPUTATION.ANSWER_UPVOTED")
        + qasite_setting("REPUTATION.ANSWER_ACCEPTED")
    )
    assert user.reputation == expected
    assert f"{expected} reputation" in seen
    assert "How do I enumerate Bernoulli numbers" in seen
    assert f'href="{question.get_absolute_url()}"' in response.content.decode()
    tab = client.get(f"/users/{user.pk}/questions/")
    assert "How do I enumerate Bernoulli numbers" in text_of(tab.content.decode())
    assert "What is the analytical engine" not in text_of(tab.content.decode())


def test_it_shows_the_answers_tab(client, member):
    user, _, answer = member
    response = client.get(f"/users/{user.pk}/answers/")
    assert response.status_code == 200
    content = response.content.decode()
    seen = text_of(content)
    assert "What is the analytical engine instruction set" in seen
    assert f'href="/a/{answer.pk}"' in content
    assert "✓" in seen
    assert "How do I enumerate Bernoulli numbers" not in seen


def test_it_shows_the_reputation_tab(client, member):
    user, _, _ = member
    response = client.get(f"/users/{user.pk}/reputation/")
    assert response.status_code == 200
    seen = text_of(response.content.decode())
    assert f"+{qasite_setting('REPUTATION.ANSWER_UPVOTED')} upvote ×1" in seen
    assert f"+{qasite_setting('REPUTATION.ANSWER_ACCEPTED')} accepted ×1" in seen
    assert "What is the analytical engine instruction set" in seen


def test_it_shows_empty_tabs(client):
    user = UserFactory(display_name="Nobody Yet")
    for tab, message in (
        ("questions", "No questions yet."),
        ("answers", "No answers yet."),
        ("reputation", "No reputation changes yet."),
    ):
        response = client.get(f"/users/{user.pk}/{tab}/")
        assert response.status_code == 200
        assert message in text_of(response.content.decode())


@pytest.mark.parametrize(
    ("query", "target"),
    [
        ("?tab=questions", "/users/{pk}/questions/"),
        ("?tab=answers&page=2", "/users/{pk}/answers/?page=2"),
        ("?tab=reputation", "/users/{pk}/reputation/"),
        ("?tab=bogus&page=abc", "{profile}"),
    ],
)
def test_the_old_tab_addresses_redirect_for_good(client, member, query, target):
    user, _, _ = member
    response = client.get(f"{user.get_absolute_url()}{query}")
    assert response.status_code == 301
    expected = target.format(pk=user.pk, profile=user.get_absolute_url())
    assert response["Location"] == expected
    assert client.get(f"/users/{user.pk}/wrong-slug/?tab=answers")["Location"] == (
        f"/users/{user.pk}/answers/"
    )


def test_the_activity_tab_address_leads_to_the_profile(client, member):
    user, _, _ = member
    response = client.get(f"/users/{user.pk}/activity/")
    assert response.status_code == 301
    assert response["Location"] == user.get_absolute_url()


def test_it_leaves_deleted_posts_off_the_profile(client, member):
    user, question, answer = member
    services.post_delete(actor=user, post=answer)
    services.post_delete(actor=UserFactory(is_moderator=True), post=question)
    for tab in ("questions", "answers"):
        seen = text_of(client.get(f"/users/{user.pk}/{tab}/").content.decode())
        assert "Bernoulli" not in seen
        assert "analytical engine" not in seen


def test_it_redirects_to_the_canonical_profile_url(client, member):
    user, _, _ = member
    wrong = client.get(f"/users/{user.pk}/someone-else/")
    assert wrong.status_code == 301
    assert wrong["Location"] == user.get_absolute_url()
    bare = client.get(f"/users/{user.pk}/")
    assert bare.status_code in (301, 302)
    assert bare["Location"] == user.get_absolute_url()


def test_it_404s_unknown_and_inactive_users(client):
    assert client.get("/users/999999/nobody/").status_code == 404
    gone = UserFactory(is_active=False)
    assert client.get(gone.get_absolute_url()).status_code == 404


def test_it_paginates_a_profile(client):
    user = UserFactory()
    for _ in range(qasite_setting("USER_POSTS_PER_PAGE") + 1):
        QuestionFactory(author=user)
    first = client.get(f"/users/{user.pk}/questions/")
    assert "Page 1 of 2" in text_of(first.content.decode())
    assert client.get(f"/users/{user.pk}/questions/?page=2").status_code == 200
    assert client.get(f"/users/{user.pk}/questions/?page=999").status_code == 200


def test_the_header_shows_the_profile_fields_with_a_nofollow_website(client):
    ada = UserFactory(
        display_name="Ada",
        location="London",
        website="https://ada.example/?a=1&b=2",
        about=(
            'Hi <script>alert("x")</script> [me](javascript:alert(1)) '
            "<img src=x onerror=alert(2)> **bold**"
        ),
    )
    content = client.get(ada.get_absolute_url()).content.decode()
    assert '<a href="https://ada.example/?a=1&amp;b=2" rel="nofollow ugc noopener">' in content
    assert "London" in content
    assert "<strong>bold</strong>" in content
    assert "<script>alert" not in content
    assert 'href="javascript' not in content
    assert "onerror" not in content
    assert f'src="/identicons/{ada.pk}.svg"' in content


def test_the_header_counts_posts_and_reach(client, member):
    user, question, answer = member
    Post.objects.filter(pk=question.pk).update(view_count=40)
    Post.objects.filter(pk=answer.parent_id).update(view_count=2)
    QuestionFactory(view_count=1000)  # someone else's
    AnswerFactory(question=question, author=user)  # a question asked and answered: once
    seen = text_of(client.get(user.get_absolute_url()).content.decode())
    assert "reached 42 questions 1 answers 2" in seen


def test_the_activity_tab_shows_top_posts_tags_and_recent(client, member):
    user, _, _ = member
    seen = text_of(client.get(user.get_absolute_url()).content.decode())
    assert "Top posts" in seen and "Top tags" in seen and "Recent" in seen
    assert "python score 1 · 2 posts" in seen


def test_the_tags_tab_gives_each_tag_the_answer_score_and_post_count(client):
    ada = UserFactory()
    voter = UserFactory(reputation=1000)
    QuestionFactory(author=ada, tags=["rust"])
    answer = AnswerFactory(author=ada, question=QuestionFactory(tags=["python", "django"]))
    services.vote_cast(user=voter, post=answer, value=1)
    AnswerFactory(author=ada, question=QuestionFactory(tags=["python"]))
    deleted = AnswerFactory(author=ada, question=QuestionFactory(tags=["haskell"]))
    services.post_delete(actor=ada, post=deleted)
    content = client.get(f"/users/{ada.pk}/tags/").content.decode()
    seen = text_of(content)
    assert "Tag Score Posts python 1 2 django 1 1 rust 0 1" in seen
    assert "haskell" not in seen


def test_the_tags_tab_is_paged(client, settings):
    settings.QASITE = {**settings.QASITE, "USER_TAGS_PER_PAGE": 2}
    ada = UserFactory()
    QuestionFactory(author=ada, tags=["a1", "b2", "c3"])
    first = text_of(client.get(f"/users/{ada.pk}/tags/").content.decode())
    assert "Page 1 of 2" in first and "a1" in first and "c3" not in first
    assert "c3" in text_of(client.get(f"/users/{ada.pk}/tags/?page=2").content.decode())


def test_the_moderation_record_tab_shows_to_moderators_only(client, member):
    user, _, _ = member
    record = f'href="/users/{user.pk}/moderation/"'
    assert record not in client.get(user.get_absolute_url()).content.decode()
    client.force_login(UserFactory(is_moderator=True))
    content = client.get(user.get_absolute_url()).content.decode()
    assert record in content
    for tab in ("questions", "answers", "tags", "reputation"):
        assert f'href="/users/{user.pk}/{tab}/"' in content
