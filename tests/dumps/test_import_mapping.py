"""What each row of a dump becomes: users, questions and answers, tags and their wikis,
comments, votes and links (PostHistory has its own module)."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model

from dumps.models import SourceKind, SourceRow
from tests.dumps import imported, mini_rows, post, run_import, write_dump
from tests.factories import UserFactory
from threads.models import Comment, Post, PostLink, Revision, Tag, Vote
from threads.reputation import reputation_recount

pytestmark = pytest.mark.django_db
User = get_user_model()


def when(day: int, hour: int = 10) -> datetime:
    return datetime(2015, 3, day, hour, tzinfo=UTC)


def user(source_id) -> User:
    return User.objects.get(pk=imported("mini", SourceKind.USER, source_id))


def test_it_imports_users_with_their_reputation_as_imported_reputation(mini):
    run_import(mini)

    alice = user(1)
    assert alice.username == "mini-1"
    assert alice.display_name == "Alice"
    assert alice.reputation == 500
    assert alice.imported_reputation == 499
    assert not alice.has_usable_password()
    assert alice.date_joined == when(1, 11)
    assert "<script>" not in alice.about
    assert "<b>there</b>" in alice.about
    assert not alice.reputation_changes.exists()  # the ledger starts empty


def test_it_maps_user_minus_one_to_the_existing_community_user(mini):
    community = UserFactory(username="community", display_name="Community", is_system=True)

    run_import(mini)

    assert user(-1) == community
    assert User.objects.filter(is_system=True).count() == 1
    assert post("mini", 80).author == community


def test_it_creates_a_community_user_when_the_site_has_none(mini):
    run_import(mini)

    community = User.objects.get(is_system=True)
    assert user(-1) == community
    assert community.display_name == "Community"
    assert not community.has_usable_password()


def test_it_gets_a_free_username_when_a_local_account_has_the_generated_one(mini):
    local = UserFactory(username="mini-2")

    run_import(mini)

    bob = user(2)
    assert bob != local
    assert bob.username == "mini-2-2"
    assert bob.display_name == "Bob"


def test_it_imports_questions_with_their_historic_values(mini):
    run_import(mini)

    question = post("mini", 10)
    assert question.kind == "question"
    assert question.title == "How do I use the subjunctive in French?"
    assert question.author == user(1)
    assert question.author_name == "Alice"
    assert question.last_editor == user(2)
    assert question.last_edited_at == when(3)
    assert question.score == 5
    assert question.view_count == 120
    assert question.created_at == when(2)
    assert question.last_activity_at == when(6)
    assert question.content_license == "CC BY-SA 3.0"
    assert question.source_url == "https://mini.stackexchange.com/q/10"  # from the site key
    assert sorted(question.tags.names()) == ["french", "grammar"]


def test_it_sanitises_the_html_body_and_keeps_the_latest_markdown_as_source(mini):
    run_import(mini)

    question = post("mini", 10)
    assert "<em>subjonctif</em>" in question.body_html
    assert "<script>" not in question.body_html
    # The latest body of PostHistory (a rollback), with LF line ends.
    assert question.body == "How does the *subjonctif* work?"


def test_it_converts_the_sanitised_html_to_markdown_when_there_is_no_history(mini):
    run_import(mini)

    answer = post("mini", 11)
    assert answer.body == "Use it after `que`."
    question = post("mini", 50)  # no PostHistory rows
    assert question.body_html == "<p>A hot question.</p>"
    assert question.body == "A hot question."


def test_it_imports_answers_with_their_question_and_the_accepted_one(mini):
    run_import(mini)

    question = post("mini", 10)
    accepted, deleted_owner = post("mini", 11), post("mini", 12)
    assert accepted.parent == deleted_owner.parent == question
    assert question.accepted_answer == accepted
    assert question.accepted_at == datetime(2015, 3, 4, tzinfo=UTC)  # VoteTypeId 1's day
    assert question.answer_count == 2
    assert question.comment_count == 2
    assert accepted.comment_count == 1
    assert deleted_owner.score == -1


def test_it_keeps_the_display_name_of_a_deleted_owner(mini):
    run_import(mini)

    answer = post("mini", 12)
    assert answer.author is None
    assert answer.author_name == "Ghost Writer"
    assert answer.display_author == "Ghost Writer"


def test_it_skips_answers_to_deleted_questions_and_unsupported_post_types(mini):
    output = run_import(mini)

    assert not SourceRow.objects.filter(kind=SourceKind.POST, source_id__in=["60", "95"]).exists()
    assert "question absent (deleted on the source site)" in output
    assert "unsupported PostTypeId 6 (Moderator nomination)" in output
    assert Post.objects.questions().count() == 6
    assert Post.objects.answers().count() == 2


def test_it_takes_tags_in_both_formats_and_leaves_off_names_it_does_not_allow(mini):
    output = run_import(mini)

    assert list(post("mini", 40).tags.names()) == ["french"]  # |french|
    assert sorted(post("mini", 50).tags.names()) == ["c++", "french"]  # <bad_tag> left off
    assert not Tag.objects.filter(name__in=["bad_tag", "bad tag!"]).exists()
    assert "tag name not allowed here" in output


def test_it_fills_tag_excerpts_and_wikis_and_counts_usage_from_visible_questions(mini):
    run_import(mini)

    french = Tag.objects.get(name="french")
    assert french.slug == "french"
    assert french.excerpt == "For questions about the French language."
    assert french.wiki_html == "<p>The <strong>French</strong> language.</p>"
    assert french.wiki_body == "The **French** language."  # PostHistory's Markdown
    assert french.usage_count == 6
    assert Tag.objects.get(name="grammar").usage_count == 2
    assert Tag.objects.get(name="c++").usage_count == 1


def test_a_tag_wiki_without_history_gets_markdown_converted_from_its_html(tmp_path):
    rows = mini_rows()
    del rows["PostHistory.xml"]
    run_import(write_dump(tmp_path / "partial", rows))

    french = Tag.objects.get(name="french")
    assert french.wiki_html == "<p>The <strong>French</strong> language.</p>"
    assert french.wiki_body == "The **French** language."


def test_it_keeps_a_local_tag_wiki_rather_than_overwrite_it(mini):
    Tag.objects.create(name="french", slug="french", excerpt="Ours.", wiki_body="Our wiki.")

    output = run_import(mini)

    french = Tag.objects.get(name="french")
    assert (french.excerpt, french.wiki_body) == ("Ours.", "Our wiki.")
    assert "tag already had an excerpt: kept" in output


def test_it_imports_comments_rendered_once_and_skips_those_on_deleted_posts(mini):
    output = run_import(mini)

    comment = Comment.objects.get(pk=imported("mini", SourceKind.COMMENT, 1))
    assert comment.post == post("mini", 10)
    assert comment.author == user(2)
    assert comment.author_name == "Bob"
    assert comment.score == 2
    assert comment.created_at == when(2, 11)
    assert "<strong>this</strong>" in comment.body_html
    assert 'href="https://example.com"' in comment.body_html

    anonymous = Comment.objects.get(pk=imported("mini", SourceKind.COMMENT, 2))
    assert anonymous.author is None
    assert anonymous.author_name == "Anon Commenter"

    assert Comment.objects.count() == 3
    assert "post absent (deleted on the source site)" in output


def test_it_creates_no_vote_rows_and_counts_votes_per_type(mini):
    output = run_import(mini)

    assert not Vote.objects.exists()
    assert post("mini", 10).score == 5  # the dump's score, not the vote rows'
    assert "aggregated into post scores: VoteTypeId 2 (UpMod)" in output
    assert "not kept: VoteTypeId 5 (Favorite)" in output


def test_it_imports_post_links_and_skips_those_to_deleted_posts(mini):
    output = run_import(mini)

    linked = PostLink.objects.get(post=post("mini", 40))
    assert (linked.target, linked.kind) == (post("mini", 10), "linked")
    duplicate = PostLink.objects.get(post=post("mini", 30))
    assert (duplicate.target, duplicate.kind) == (post("mini", 10), "duplicate")
    assert PostLink.objects.count() == 2
    assert "unsupported LinkTypeId 2" in output


def test_a_given_base_replaces_the_one_from_the_site_key(mini):
    run_import(mini, source_url_base="https://french.stackexchange.com/")

    assert post("mini", 10).source_url == "https://french.stackexchange.com/q/10"


def test_it_gives_posts_without_history_one_import_revision(mini):
    run_import(mini)

    revisions = Revision.objects.filter(post=post("mini", 50))
    assert [(r.number, r.kind) for r in revisions] == [(1, "import")]
    revision = revisions.get()
    assert revision.body == "A hot question."
    assert sorted(revision.tags.split()) == ["c++", "french"]
    assert revision.editor == user(2)
    assert revision.created_at == when(11)


def test_it_keeps_imported_reputation_when_the_ledger_is_replayed(mini):
    run_import(mini)

    assert reputation_recount() == []
