"""``export_stackexchange`` writes the dump format, and importing the export reproduces the
site: threads, scores, closures (reason and voters) and links."""

import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.management import call_command

from accounts.privileges import Privilege
from dumps.models import SourceKind, SourceRow
from moderation import services as moderation
from moderation.models import CloseReason
from tests.dumps import post as post_of
from tests.dumps import run_import
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from threads import services
from threads.models import Post, PostLink, Tag

pytestmark = pytest.mark.django_db

FILES = {
    "Posts.xml": "posts",
    "Users.xml": "users",
    "Comments.xml": "comments",
    "Votes.xml": "votes",
    "Tags.xml": "tags",
    "PostHistory.xml": "posthistory",
    "PostLinks.xml": "postlinks",
}
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}")


def reason(name: str) -> CloseReason:
    return CloseReason.objects.get(name=name)


@pytest.fixture
def site():
    """A small site built through the services: votes, an accept, an edit, a closure by
    three voters, a duplicate closure by a moderator, a reopened question, links."""
    community = UserFactory(username="community", display_name="Community", is_system=True)
    asker = UserFactory(reputation=500, display_name="Asker")
    answerer = UserFactory(reputation=2500, display_name="Answerer")
    voter = UserFactory(reputation=200, display_name="Voter")
    closers = [
        UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation, display_name=f"Closer {n}")
        for n in range(3)
    ]
    moderator = UserFactory(is_moderator=True, display_name="Mod")

    q1 = QuestionFactory(
        author=asker,
        title="How do I parse dates quickly with pandas?",
        body="I have **dates** like `2015-03-01` in a CSV.\n\nHow do I parse them fast?",
        tags=["pandas", "datetime"],
    )
    a1 = AnswerFactory(question=q1, author=answerer, body="Use `pd.to_datetime` with a format.")
    a2 = AnswerFactory(question=q1, author=voter, body="Read the column as text first, then parse.")
    CommentFactory(post=q1, author=answerer, body="Which format are the dates in exactly?")
    CommentFactory(post=a1, author=asker, body="Thanks, this works *very* nicely.")
    services.vote_cast(user=voter, post=q1, value=1)
    services.vote_cast(user=voter, post=a1, value=1)
    services.vote_cast(user=asker, post=a2, value=-1)
    services.answer_accept(user=asker, answer=a1)
    services.post_edit(
        editor=answerer,
        post=q1,
        title="How do I parse dates quickly with pandas read_csv?",
        body=q1.body + "\n\nThe file has a million rows.",
        tags=["pandas", "datetime", "csv"],
        summary="added the size",
    )

    q2 = QuestionFactory(
        author=voter, title="What is the best data science library ever?", tags=["pandas"]
    )
    for closer in closers:
        moderation.close_vote_cast(voter=closer, question=q2, reason=reason("Needs more focus"))

    q3 = QuestionFactory(
        author=voter, title="Parsing dates in pandas is slow, why?", tags=["pandas"]
    )
    moderation.close_vote_cast(
        voter=moderator,
        question=q3,
        reason=CloseReason.objects.get(kind="duplicate"),
        duplicate_of=q1,
    )

    q4 = QuestionFactory(
        author=asker, title="Which laptop should I buy for pandas?", tags=["pandas"]
    )
    career = CloseReason.objects.get(name__startswith="Career")
    moderation.close_vote_cast(voter=moderator, question=q4, reason=career)
    moderation.reopen_vote_cast(voter=moderator, question=q4)

    q5 = QuestionFactory(
        author=asker, title="Is this career question off-topic here?", tags=["csv"]
    )
    moderation.close_vote_cast(voter=moderator, question=q5, reason=career)

    PostLink.objects.create(post=q2, target=q1, kind="linked")
    gone = QuestionFactory(author=asker, title="A question that was deleted later on", tags=["csv"])
    services.post_delete(actor=asker, post=gone)
    pandas = Tag.objects.get(name="pandas")
    pandas.excerpt, pandas.wiki_body = "The pandas library.", "**pandas** for data frames"
    services.tag_save(tag=pandas)
    return {"questions": [q1, q2, q3, q4, q5], "deleted": gone, "community": community}


def export(tmp_path) -> tuple:
    out = tmp_path / "export"
    stdout = io.StringIO()
    call_command("export_stackexchange", str(out), stdout=stdout)
    return out, stdout.getvalue()


def rows(folder, name) -> list[dict]:
    return [dict(element.attrib) for element in ET.parse(folder / name).getroot()]


def test_it_writes_every_file_in_the_dump_format(site, tmp_path):
    folder, output = export(tmp_path)

    for name, root in FILES.items():
        text = (folder / name).read_text(encoding="utf-8")
        assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n'), name
        tree = ET.parse(folder / name).getroot()
        assert tree.tag == root
        assert all(child.tag == "row" and not len(child) for child in tree), name
        assert name in output
    for name in FILES:
        for row in rows(folder, name):
            for attribute in ("CreationDate", "LastActivityDate", "ClosedDate", "LastEditDate"):
                if attribute in row:
                    assert TIME.fullmatch(row[attribute]), (name, row)


def test_it_exports_posts_without_deleted_ones_and_with_absent_attributes_for_null(site, tmp_path):
    folder, _ = export(tmp_path)
    posts = {row["Id"]: row for row in rows(folder, "Posts.xml")}
    q1 = site["questions"][0]

    assert str(site["deleted"].pk) not in posts
    question = posts[str(q1.pk)]
    assert question["PostTypeId"] == "1"
    assert question["Tags"] == "<pandas><datetime><csv>"  # the order they were given
    assert question["Body"] == Post.objects.get(pk=q1.pk).body_html
    assert question["Score"] == "1"
    assert question["AcceptedAnswerId"]
    assert "ClosedDate" not in question
    answer = posts[question["AcceptedAnswerId"]]
    assert answer["PostTypeId"] == "2"
    assert answer["ParentId"] == str(q1.pk)
    assert "Title" not in answer and "ViewCount" not in answer
    wikis = {row["PostTypeId"]: row for row in posts.values() if row["PostTypeId"] in "45"}
    assert wikis["4"]["Body"] == "The pandas library."
    assert "<strong>pandas</strong> for data frames" in wikis["5"]["Body"]
    tag = next(row for row in rows(folder, "Tags.xml") if row["TagName"] == "pandas")
    assert (tag["ExcerptPostId"], tag["WikiPostId"]) == (wikis["4"]["Id"], wikis["5"]["Id"])
    assert tag["Count"] == "4"


def test_it_exports_votes_as_the_dump_does(site, tmp_path):
    folder, _ = export(tmp_path)
    votes = rows(folder, "Votes.xml")

    assert sorted(row["VoteTypeId"] for row in votes) == ["1", "2", "2", "3"]
    assert all("UserId" not in row for row in votes)
    assert all(row["CreationDate"].endswith("T00:00:00.000") for row in votes)


def test_it_exports_closures_with_reason_ids_voters_and_duplicate_targets(site, tmp_path):
    folder, _ = export(tmp_path)
    q1, q2, q3, _, q5 = site["questions"]
    history = rows(folder, "PostHistory.xml")
    closures = {row["PostId"]: row for row in history if row["PostHistoryTypeId"] == "10"}

    focus = closures[str(q2.pk)]
    assert focus["Comment"] == "104"
    assert [voter["DisplayName"] for voter in json.loads(focus["Text"])["Voters"]] == [
        "Closer 0",
        "Closer 1",
        "Closer 2",
    ]
    duplicate = json.loads(closures[str(q3.pk)]["Text"])
    assert closures[str(q3.pk)]["Comment"] == "101"
    assert duplicate["OriginalQuestionIds"] == [q1.pk]
    assert closures[str(q5.pk)]["Comment"] == "102"
    assert any(row["PostHistoryTypeId"] == "11" for row in history)
    # One GUID per revision, shared by its title/body/tags rows.
    initial = [
        row for row in history if row["PostId"] == str(q1.pk) and row["PostHistoryTypeId"] in "123"
    ]
    assert sorted(row["PostHistoryTypeId"] for row in initial) == ["1", "2", "3"]
    assert len({row["RevisionGUID"] for row in initial}) == 1
    edit = [
        row
        for row in history
        if row["PostId"] == str(q1.pk) and row["PostHistoryTypeId"] in ("4", "5", "6")
    ]
    assert sorted(row["PostHistoryTypeId"] for row in edit) == ["4", "5", "6"]
    assert {row["Comment"] for row in edit} == {"added the size"}


def test_it_exports_the_community_user_as_minus_one(site, tmp_path):
    folder, _ = export(tmp_path)
    users = {row["Id"]: row for row in rows(folder, "Users.xml")}

    assert users["-1"]["DisplayName"] == "Community"
    assert str(site["community"].pk) not in users


def imported_of(post: Post) -> Post:
    target = SourceRow.objects.get(site="roundtrip", kind=SourceKind.POST, source_id=str(post.pk))
    return Post.objects.get(pk=target.target_id)


def thread(question: Post, mapping=lambda post: post) -> dict:
    """What a reader sees of a thread, with post ids passed through ``mapping``."""
    question = Post.objects.get(pk=question.pk)
    notice = question.close_notice or {}
    answers = question.answers.visible().order_by("created_at")
    return {
        "title": question.title,
        "body": question.body,
        "body_html": question.body_html,
        "score": question.score,
        "views": question.view_count,
        "author": question.display_author,
        "tags": sorted(question.tags.names()),
        "answers": [
            (
                answer.body,
                answer.score,
                answer.display_author,
                answer.pk == question.accepted_answer_id,
                sorted(answer.comments.values_list("body", "author_name")),
            )
            for answer in answers
        ],
        "answer_count": question.answer_count,
        "comments": sorted(question.comments.values_list("body", "author_name", "score")),
        "closed": question.closed_at is not None,
        "closed_at": question.closed_at.replace(
            microsecond=question.closed_at.microsecond // 1000 * 1000
        )
        if question.closed_at
        else None,
        "reason": (notice.get("reason") or {}).get("name"),
        "group": (notice.get("group") or {}).get("name"),
        "voters": [(voter["name"], voter["binding"]) for voter in notice.get("voters", [])],
        "duplicates": [mapping(Post(pk=item["id"])).pk for item in notice.get("duplicates", [])],
        "links": sorted((link.kind, mapping(link.target).pk) for link in question.links.all()),
        "revisions": list(
            question.revisions.order_by("number").values_list("kind", "title", "body")
        ),
    }


def test_it_reproduces_the_site_when_its_export_is_imported(site, tmp_path):
    folder, _ = export(tmp_path)

    output = run_import(folder, site="roundtrip")

    assert "Import complete." in output
    for question in site["questions"]:
        original = thread(question, mapping=imported_of)
        copy = thread(imported_of(question))
        assert copy == original, question.title
    originals = [Post.objects.get(pk=question.pk) for question in site["questions"]]
    q1, q2, q3, q4, q5 = (imported_of(question) for question in originals)
    # Voters are the imported users (new accounts), with the same names.
    voter_ids = {voter["id"] for voter in q2.close_notice["voters"]}
    assert voter_ids == set(
        SourceRow.objects.filter(
            site="roundtrip",
            kind=SourceKind.USER,
            source_id__in=[str(voter["id"]) for voter in originals[1].close_notice["voters"]],
        ).values_list("target_id", flat=True)
    )
    assert q3.close_notice["reason"]["kind"] == "duplicate"
    assert q4.closed_at is None
    assert (
        q5.close_notice["reason"]["name"]
        == "Off-topic: Career advice and job-market questions are off-topic here"
    )
    assert q1.author.reputation == originals[0].author.reputation
    assert q1.author.username == f"roundtrip-{originals[0].author_id}"
    assert not SourceRow.objects.filter(
        site="roundtrip", kind=SourceKind.POST, source_id=str(site["deleted"].pk)
    ).exists()


def test_it_keeps_a_timed_lock_timed_through_an_export(site, tmp_path):
    question = site["questions"][0]
    moderator = UserFactory(is_moderator=True)
    moderation.post_lock(actor=moderator, post=question, kind="content_dispute", duration="1d")
    folder, _ = export(tmp_path)

    run_import(folder, site="roundtrip")

    copy = imported_of(question)
    original = Post.objects.get(pk=question.pk)
    assert copy.lock_kind == "content_dispute"
    assert abs(copy.locked_until - original.locked_until) < timedelta(seconds=1)


def test_it_exports_an_imported_closure_with_its_source_reason_id(mini, tmp_path):
    run_import(mini)
    folder, _ = export(tmp_path)
    closed = post_of("mini", 20)
    history = rows(folder, "PostHistory.xml")

    closure = next(
        row
        for row in history
        if row["PostHistoryTypeId"] == "10" and row["PostId"] == str(closed.pk)
    )
    assert closure["Comment"] == "7"  # "Too localized" stays itself through a re-export
    assert [voter["DisplayName"] for voter in json.loads(closure["Text"])["Voters"]] == [
        "Carol",
        "Dave",
        "Former Voter",
    ]
    assert "Id" not in json.loads(closure["Text"])["Voters"][2]
