"""The question page's sidebars: Linked questions (links in posts' text, recorded as
PostLinks when posts are saved, and duplicate closures; both directions) and Related
questions (shared title words and tags, through the search backend)."""

import pytest
from django.db import connection
from django.test import Client

from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.queries import measure, report
from threads import search, selectors, services
from threads.models import Post, PostLink, PostLinkKind
from threads.search.backends import PostgreSQLBackend

pytestmark = pytest.mark.django_db

QUESTION_PAGE_MAX = 8
EDITOR_REPUTATION = 2000
# Posts with more links than a new user may write (docs/rules.md, "Writing").
LINKER_REPUTATION = 10


def page(question: Post) -> str:
    response = Client().get(question.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, name: str) -> str:
    """The HTML of a sidebar list ("linked" or "related"), or "" when absent."""
    marker = f'id="{name}-questions"'
    return html.split(marker, 1)[1].split("</ul>", 1)[0] if marker in html else ""


def sidebar(question: Post):
    return selectors.question_sidebar(question=selectors.question_get(pk=question.pk))


def linked_ids(question: Post) -> list[int]:
    return [post.pk for post in sidebar(question).linked]


def related_ids(question: Post) -> list[int]:
    return [post.pk for post in sidebar(question).related]


def targets(post: Post) -> set[int]:
    return set(
        PostLink.objects.filter(post=post, kind=PostLinkKind.LINKED).values_list(
            "target_id", flat=True
        )
    )


# Recording links ----------------------------------------------------------------------


def test_it_records_links_to_questions_and_answers_when_posts_are_saved():
    first, second, third = QuestionFactory(), QuestionFactory(), QuestionFactory()
    answer_of_third = AnswerFactory(question=third)
    body = (
        f"See [this](/q/{first.pk}), [that]({second.get_absolute_url()}) and "
        f"[an answer](/a/{answer_of_third.pk}); also [elsewhere](https://example.org/q/{first.pk})."
    )

    linker = UserFactory(reputation=LINKER_REPUTATION)
    question = QuestionFactory(body=body, author=linker)
    answer = AnswerFactory(body=body, author=linker)

    assert targets(question) == {first.pk, second.pk, third.pk}
    assert targets(answer) == {first.pk, second.pk, third.pk}


def test_it_counts_absolute_links_to_this_site_only():
    target = QuestionFactory()
    body = (
        f"[ours](http://testserver/questions/{target.pk}/slug) "
        f"[local](http://localhost:8000/q/{target.pk}) "
        f"bare https://testserver/q/{target.pk}. "
        f"[theirs](https://stackoverflow.com/q/{target.pk + 1000})"
    )

    question = QuestionFactory(body=body, author=UserFactory(reputation=LINKER_REPUTATION))

    assert targets(question) == {target.pk}


def test_it_ignores_links_to_missing_posts_self_links_and_wrong_kinds():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    other = QuestionFactory()

    linking = AnswerFactory(
        question=question,
        author=UserFactory(reputation=LINKER_REPUTATION),
        body=f"[self](/q/{question.pk}) [mine](/a/{answer.pk}) [gone](/q/999999) "
        f"[not an answer](/a/{other.pk}) [not a question](/q/{answer.pk})",
    )

    assert targets(linking) == set()


def test_it_replaces_links_on_edit_and_keeps_others():
    editor = UserFactory(reputation=EDITOR_REPUTATION)
    old, new, imported = QuestionFactory(), QuestionFactory(), QuestionFactory()
    question = QuestionFactory(body=f"Read [the old one](/q/{old.pk}) first, please.")
    # A link recorded otherwise (the importer's): not in the text, so an edit keeps it.
    PostLink.objects.create(post=question, target=imported, kind=PostLinkKind.LINKED)

    services.post_edit(
        editor=editor,
        post=question,
        title=question.title,
        body=f"Read [the new one](/q/{new.pk}) instead, please.",
    )

    assert targets(question) == {new.pk, imported.pk}


def test_it_tells_the_target_pages_their_sidebar_changed(django_capture_on_commit_callbacks):
    target = QuestionFactory()
    version = Post.objects.get(pk=target.pk).version

    with django_capture_on_commit_callbacks(execute=True):
        QuestionFactory(body=f"Much like [this one](/q/{target.pk}), with more details.")

    assert Post.objects.get(pk=target.pk).version == version + 1


# Linked -----------------------------------------------------------------------------------


def test_it_shows_linked_questions_both_ways():
    target = QuestionFactory(title="The target question about zorblax")
    source = QuestionFactory(title="The source question about quuxly")
    AnswerFactory(question=source, body=f"This was answered in [here](/q/{target.pk}).")

    assert source.title in section(page(target), "linked")
    assert target.title in section(page(source), "linked")


def test_it_removes_a_link_edited_away():
    target = QuestionFactory(title="The target question about zorblax")
    source = QuestionFactory(title="The source question about quuxly")
    answer = AnswerFactory(question=source, body=f"See [here](/q/{target.pk}) for more details.")

    services.post_edit(
        editor=UserFactory(reputation=EDITOR_REPUTATION),
        post=answer,
        title="",
        body="No link any more, just some plain text.",
    )

    assert linked_ids(target) == [] and linked_ids(source) == []
    assert 'id="linked-questions"' not in page(target)


def test_it_shows_duplicates_as_linked_and_marks_closed_questions():
    original = QuestionFactory(title="Original question here")
    duplicate = QuestionFactory(title="Duplicate question here")
    services.question_close(
        question=duplicate, notice={"reason": {"kind": "duplicate"}}, duplicate_of=[original]
    )

    html = section(page(original), "linked")
    assert 'Duplicate question here</a> <span class="state">[duplicate]</span>' in html
    assert linked_ids(duplicate) == [original.pk]


def test_it_leaves_out_deleted_questions_and_links_from_deleted_posts():
    target = QuestionFactory()
    deleted = QuestionFactory(body=f"Background: [link](/q/{target.pk}) explains it.")
    source = QuestionFactory()
    deleted_answer = AnswerFactory(
        question=source, body=f"Background: [link](/q/{target.pk}) explains it."
    )
    for post in (deleted, deleted_answer):
        services.post_delete(actor=post.author, post=post)

    assert linked_ids(target) == []


def test_it_orders_linked_questions_by_score():
    target = QuestionFactory()
    low = QuestionFactory(body=f"Background: [a](/q/{target.pk}) explains it.", score=1)
    high = QuestionFactory(body=f"Background: [a](/q/{target.pk}) explains it.", score=9)

    assert linked_ids(target) == [high.pk, low.pk]


# Related ----------------------------------------------------------------------------------


def test_it_shows_related_questions_by_title_words_and_tags():
    question = QuestionFactory(title="Calibrating a zorblax with quuxly", tags=["gizmotron"])
    by_words = QuestionFactory(title="Zorblax calibration tips and tricks", tags=["cooking"])
    by_tag = QuestionFactory(title="Something else entirely here", tags=["gizmotron"])
    QuestionFactory(title="Unrelated cooking question", tags=["cooking"])

    related = related_ids(question)

    assert related[0] == by_words.pk and set(related) == {by_words.pk, by_tag.pk}
    assert by_words.title in section(page(question), "related")


def test_it_ranks_a_question_sharing_a_rare_title_word_and_tag_first(monkeypatch):
    question = QuestionFactory(title="Tuning the quuxly flange for speed", tags=["flanges"])
    common = [
        QuestionFactory(title=f"{word} tips number {n}", tags=["misc"])
        for word in ("Tuning", "Speed")
        for n in range(30)
    ]
    rare = QuestionFactory(title="Quuxly wobble at speed", tags=["flanges"])
    # PostgreSQL ranks only the matches of the rarest words, as its statistics tell them,
    # or of all the title's other words: a common word of a large site alone matches too
    # many questions to rank them all.
    monkeypatch.setattr(PostgreSQLBackend, "ALIKE_EXPECTED", 5)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    related = related_ids(question)

    assert related[0] == rare.pk
    if connection.vendor == "postgresql":
        assert related == [rare.pk]
    else:
        assert set(related[1:]) <= {post.pk for post in common}


def test_it_leaves_out_the_question_itself_answers_and_deleted_questions():
    question = QuestionFactory(title="Zorblax question one")
    AnswerFactory(question=question, body="A zorblax answer, long enough to be posted.")
    deleted = QuestionFactory(title="Zorblax question two")
    services.post_delete(actor=deleted.author, post=deleted)

    assert related_ids(question) == []
    assert 'id="related-questions"' not in page(question)


def test_it_marks_closed_related_questions_and_shows_ten_at_most():
    closed = QuestionFactory(title="Zorblax closed question")
    services.question_close(question=closed, notice={"reason": {"kind": "opinion_based"}})
    for number in range(12):
        QuestionFactory(title=f"Zorblax question number {number}")
    question = QuestionFactory(title="Zorblax closed lookalike")

    related = related_ids(question)

    assert len(related) == search.RELATED_LIMIT == 10 and related[0] == closed.pk
    html = section(page(question), "related")
    assert 'Zorblax closed question</a> <span class="state">[closed]</span>' in html


def test_it_shows_no_sidebar_without_linked_or_related_questions():
    question = QuestionFactory(title="How do I do it at all", tags=["lonely"])

    html = page(question)

    assert 'class="sidebar question-sidebar"' not in html


# Query count ------------------------------------------------------------------------------


def grow(target: Post, count: int) -> None:
    """Questions linking to ``target`` (through answers too) that are also related to it."""
    for number in range(count):
        linking = QuestionFactory(
            author=UserFactory(), title=f"Zorblax question {number}", tags=["alpha"]
        )
        AnswerFactory(question=linking, body=f"See [it](/q/{target.pk}) for all the details.")
        target_answer = AnswerFactory(
            question=target, body=f"Go [back](/q/{linking.pk}) to the question that links here."
        )
        target_answer.refresh_from_db()


def test_it_renders_the_sidebars_within_the_question_page_ceiling(
    django_assert_max_num_queries,
):
    small = QuestionFactory(title="Zorblax small target", tags=["alpha"])
    large = QuestionFactory(title="Zorblax large target", tags=["alpha"])
    grow(small, 1)
    grow(large, 15)

    small_count, small_sql = measure(Client(), small.get_absolute_url())
    with django_assert_max_num_queries(QUESTION_PAGE_MAX):
        large_count, large_sql = measure(Client(), large.get_absolute_url())

    assert len(sidebar(large).linked) == 10 and len(sidebar(large).related) == 10
    assert small_count == large_count, report(small_sql, large_sql)


def test_it_renders_the_sidebars_in_one_query(django_assert_num_queries):
    question = selectors.question_get(pk=QuestionFactory(title="Zorblax target question").pk)
    grow(question, 3)

    with django_assert_num_queries(1):
        found = selectors.question_sidebar(question=question)

    assert len(found.linked) == 3 and len(found.related) == 3


def test_a_vote_on_the_question_finds_linked_again_but_not_related(django_assert_num_queries):
    question = selectors.question_get(pk=QuestionFactory(title="Zorblax target question").pk)
    grow(question, 3)
    selectors.question_sidebar(question=question)
    newer = QuestionFactory(title="Zorblax target question, asked again")
    services.vote_cast(user=UserFactory(reputation=100), post=question, value=1)
    question = selectors.question_get(pk=question.pk)

    with django_assert_num_queries(1):  # Linked, for the new version
        found = selectors.question_sidebar(question=question)

    assert len(found.linked) == 3
    assert newer not in found.related  # Related lags by up to SIDEBAR_SECONDS
