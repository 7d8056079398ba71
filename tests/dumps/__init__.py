"""Tests of the Stack Exchange dump import and export.

``write_dump`` writes a small dump the tests define row by row (every mapped type, and the
cases a real dump meets: user -1, deleted owners, votes and links to deleted posts…);
``MINI`` is that dump, described in ``mini_rows``."""

from __future__ import annotations

import io
import json
from pathlib import Path
from xml.sax.saxutils import quoteattr

from django.core.management import call_command

from dumps.models import SourceKind, SourceRow
from threads.models import Post

BOM = "\ufeff"

T0 = "2015-03-01T10:00:00.000"


def at(day: int, hour: int = 10, minute: int = 0) -> str:
    return f"2015-03-{day:02d}T{hour:02d}:{minute:02d}:00.000"


def xml_file(path: Path, root: str, rows: list[dict], *, bom: bool = True) -> None:
    lines = [BOM if bom else "", '<?xml version="1.0" encoding="utf-8"?>\n', f"<{root}>\n"]
    for row in rows:
        attributes = " ".join(
            f"{name}={quoteattr(str(value))}" for name, value in row.items() if value is not None
        )
        lines.append(f"  <row {attributes} />\n")
    lines.append(f"</{root}>\n")
    path.write_text("".join(lines), encoding="utf-8")


ROOTS = {
    "Users.xml": "users",
    "Tags.xml": "tags",
    "Posts.xml": "posts",
    "Comments.xml": "comments",
    "PostHistory.xml": "posthistory",
    "PostLinks.xml": "postlinks",
    "Votes.xml": "votes",
    "Badges.xml": "badges",
}


def voters(*people: tuple[int, str], **extra) -> str:
    return json.dumps({"Voters": [{"Id": pk, "DisplayName": name} for pk, name in people], **extra})


def mini_rows() -> dict[str, list[dict]]:
    """The test dump. Users 1–4 exist, user 9 ("Ghost Writer") was deleted on the source
    site; posts 998/999 were deleted (absent from Posts.xml)."""
    users = [
        {"Id": -1, "Reputation": 1, "CreationDate": at(1), "DisplayName": "Community"},
        {
            "Id": 1,
            "Reputation": 500,
            "CreationDate": at(1, 11),
            "DisplayName": "Alice",
            "AboutMe": "<p>Hi <script>alert(1)</script><b>there</b></p>",
        },
        {"Id": 2, "Reputation": 101, "CreationDate": at(1, 12), "DisplayName": "Bob"},
        {"Id": 3, "Reputation": 3001, "CreationDate": at(1, 13), "DisplayName": "Carol"},
        {"Id": 4, "Reputation": 20000, "CreationDate": at(1, 14), "DisplayName": "Dave"},
    ]
    tags = [
        {"Id": 1, "TagName": "french", "Count": 4, "ExcerptPostId": 90, "WikiPostId": 91},
        {"Id": 2, "TagName": "grammar", "Count": 1},
        {"Id": 3, "TagName": "Bad Tag!", "Count": 0},
        {"Id": 4, "TagName": "c++", "Count": 1},
    ]
    body = "<p>How does the <em>subjonctif</em> work?</p><script>alert(1)</script>"
    posts = [
        {
            "Id": 10,
            "PostTypeId": 1,
            "AcceptedAnswerId": 11,
            "CreationDate": at(2),
            "Score": 5,
            "ViewCount": 120,
            "Body": body,
            "OwnerUserId": 1,
            "LastEditorUserId": 2,
            "LastEditDate": at(3),
            "LastActivityDate": at(6),
            "Title": "How do I use the subjunctive in French?",
            "Tags": "<french><grammar>",
            "AnswerCount": 2,
            "CommentCount": 2,
            "ContentLicense": "CC BY-SA 3.0",
        },
        {
            "Id": 11,
            "PostTypeId": 2,
            "ParentId": 10,
            "CreationDate": at(2, 12),
            "Score": 3,
            "Body": "<p>Use it after <code>que</code>.</p>",
            "OwnerUserId": 2,
            "LastActivityDate": at(2, 12),
            "CommentCount": 1,
        },
        {
            "Id": 12,
            "PostTypeId": 2,
            "ParentId": 10,
            "CreationDate": at(2, 13),
            "Score": -1,
            "Body": "<p>Nobody knows.</p>",
            "OwnerDisplayName": "Ghost Writer",
            "LastActivityDate": at(2, 13),
        },
        {
            "Id": 20,
            "PostTypeId": 1,
            "CreationDate": at(4),
            "Score": 0,
            "ViewCount": 7,
            "Body": "<p>What is the best French word ever?</p>",
            "OwnerUserId": 2,
            "LastActivityDate": at(5),
            "Title": "What is the best French word of all time?",
            "Tags": "<french>",
            "ClosedDate": at(5),
        },
        {
            "Id": 30,
            "PostTypeId": 1,
            "CreationDate": at(6),
            "Score": 1,
            "ViewCount": 9,
            "Body": "<p>When is the subjunctive used?</p>",
            "OwnerUserId": 3,
            "LastActivityDate": at(7),
            "Title": "When do I need the subjunctive mood?",
            "Tags": "<french><grammar>",
            "ClosedDate": at(7),
        },
        {
            "Id": 40,
            "PostTypeId": 1,
            "CreationDate": at(8),
            "Score": 2,
            "ViewCount": 11,
            "Body": "<p>See the subjunctive question.</p>",
            "OwnerUserId": 1,
            "LastActivityDate": at(10),
            "Title": "Is this question clear enough now?",
            "Tags": "|french|",
        },
        {
            "Id": 50,
            "PostTypeId": 1,
            "CreationDate": at(11),
            "Score": 8,
            "ViewCount": 300,
            "Body": "<p>A hot question.</p>",
            "OwnerUserId": 2,
            "LastActivityDate": at(12),
            "Title": "Which dictionary should I buy for French?",
            "Tags": "<french><c++><bad_tag>",
        },
        {
            "Id": 60,
            "PostTypeId": 2,
            "ParentId": 999,
            "CreationDate": at(12),
            "Score": 0,
            "Body": "<p>An answer to a deleted question.</p>",
            "OwnerUserId": 1,
        },
        {
            "Id": 80,
            "PostTypeId": 1,
            "CreationDate": at(13),
            "Score": 40,
            "ViewCount": 5000,
            "Body": "<p>A historical question.</p>",
            "OwnerUserId": -1,
            "LastActivityDate": at(14),
            "Title": "A historical question that is locked for good",
            "Tags": "<french>",
        },
        {
            "Id": 90,
            "PostTypeId": 4,
            "CreationDate": at(1),
            "Score": 0,
            "Body": "For questions about the French language.",
        },
        {
            "Id": 91,
            "PostTypeId": 5,
            "CreationDate": at(1),
            "Score": 0,
            "Body": "<p>The <strong>French</strong> language.</p>",
        },
        {"Id": 95, "PostTypeId": 6, "CreationDate": at(1), "Score": 0, "Body": "<p>Vote me</p>"},
    ]
    comments = [
        {
            "Id": 1,
            "PostId": 10,
            "Score": 2,
            "Text": "Have you tried **this** [link](https://example.com)?",
            "CreationDate": at(2, 11),
            "UserId": 2,
        },
        {
            "Id": 2,
            "PostId": 11,
            "Score": 0,
            "Text": "Thanks, that helps a lot.",
            "CreationDate": at(2, 14),
            "UserDisplayName": "Anon Commenter",
        },
        {
            "Id": 3,
            "PostId": 999,
            "Score": 0,
            "Text": "On a deleted post.",
            "CreationDate": at(2, 15),
            "UserId": 1,
        },
        {
            "Id": 4,
            "PostId": 10,
            "Score": 0,
            "Text": "Community bump.",
            "CreationDate": at(3, 9),
            "UserId": -1,
        },
    ]
    history = [
        # Question 10: initial (title, body, tags), an edit of title and body, a rollback.
        {"Id": 1, "PostHistoryTypeId": 1, "PostId": 10, "RevisionGUID": "g-10-1",
         "CreationDate": at(2), "UserId": 1, "Text": "How do I use the subjunctive?"},
        {"Id": 2, "PostHistoryTypeId": 2, "PostId": 10, "RevisionGUID": "g-10-1",
         "CreationDate": at(2), "UserId": 1,
         "Text": "How does the *subjonctif* work?\r\n\r\nFirst version."},
        {"Id": 3, "PostHistoryTypeId": 3, "PostId": 10, "RevisionGUID": "g-10-1",
         "CreationDate": at(2), "UserId": 1, "Text": "<french><grammar>"},
        {"Id": 4, "PostHistoryTypeId": 2, "PostId": 11, "RevisionGUID": "g-11-1",
         "CreationDate": at(2, 12), "UserId": 2, "Text": "Use it after `que`."},
        {"Id": 5, "PostHistoryTypeId": 2, "PostId": 12, "RevisionGUID": "g-12-1",
         "CreationDate": at(2, 13), "UserDisplayName": "Ghost Writer", "Text": "Nobody knows."},
        {"Id": 6, "PostHistoryTypeId": 4, "PostId": 10, "RevisionGUID": "g-10-2",
         "CreationDate": at(3), "UserId": 2, "Comment": "better title",
         "Text": "How do I use the subjunctive in French?"},
        {"Id": 7, "PostHistoryTypeId": 5, "PostId": 10, "RevisionGUID": "g-10-2",
         "CreationDate": at(3), "UserId": 2, "Comment": "better title",
         "Text": "How does the *subjonctif* work? Vandalised."},
        {"Id": 8, "PostHistoryTypeId": 8, "PostId": 10, "RevisionGUID": "g-10-3",
         "CreationDate": at(3, 12), "UserId": 1, "Comment": "Rollback to [g-10-1]",
         "Text": "How does the *subjonctif* work?"},
        {"Id": 9, "PostHistoryTypeId": 16, "PostId": 10, "RevisionGUID": "g-10-cw",
         "CreationDate": at(3, 13), "UserId": 1},
        {"Id": 10, "PostHistoryTypeId": 2, "PostId": 998, "RevisionGUID": "g-998",
         "CreationDate": at(3, 14), "UserId": 1, "Text": "Deleted post."},
        # Question 20: closed with old reason 7 ("Too localized") by three voters.
        {"Id": 11, "PostHistoryTypeId": 1, "PostId": 20, "RevisionGUID": "g-20-1",
         "CreationDate": at(4), "UserId": 2, "Text": "What is the best French word of all time?"},
        {"Id": 12, "PostHistoryTypeId": 2, "PostId": 20, "RevisionGUID": "g-20-1",
         "CreationDate": at(4), "UserId": 2, "Text": "What is the best French word ever?"},
        {"Id": 13, "PostHistoryTypeId": 3, "PostId": 20, "RevisionGUID": "g-20-1",
         "CreationDate": at(4), "UserId": 2, "Text": "<french>"},
        # ...its tags edited (6), then title and tags rolled back (7, 9) in one GUID.
        {"Id": 101, "PostHistoryTypeId": 4, "PostId": 20, "RevisionGUID": "g-20-2",
         "CreationDate": at(4, 12), "UserId": 3, "Text": "Best French word?"},
        {"Id": 102, "PostHistoryTypeId": 6, "PostId": 20, "RevisionGUID": "g-20-2",
         "CreationDate": at(4, 12), "UserId": 3, "Text": "<french><grammar>"},
        {"Id": 103, "PostHistoryTypeId": 7, "PostId": 20, "RevisionGUID": "g-20-3",
         "CreationDate": at(4, 13), "UserId": 2, "Comment": "Rollback to [g-20-1]",
         "Text": "What is the best French word of all time?"},
        {"Id": 104, "PostHistoryTypeId": 9, "PostId": 20, "RevisionGUID": "g-20-3",
         "CreationDate": at(4, 13), "UserId": 2, "Comment": "Rollback to [g-20-1]",
         "Text": "<french>"},
        {"Id": 14, "PostHistoryTypeId": 10, "PostId": 20, "RevisionGUID": "g-20-c",
         "CreationDate": at(5), "Comment": "7",
         "Text": voters((3, "Carol"), (4, "Dave"), (7, "Former Voter"))},
        # Question 30: closed as a duplicate of 10 by a moderator.
        {"Id": 15, "PostHistoryTypeId": 1, "PostId": 30, "RevisionGUID": "g-30-1",
         "CreationDate": at(6), "UserId": 3, "Text": "When do I need the subjunctive mood?"},
        {"Id": 16, "PostHistoryTypeId": 2, "PostId": 30, "RevisionGUID": "g-30-1",
         "CreationDate": at(6), "UserId": 3, "Text": "When is the subjunctive used?"},
        {"Id": 17, "PostHistoryTypeId": 3, "PostId": 30, "RevisionGUID": "g-30-1",
         "CreationDate": at(6), "UserId": 3, "Text": "<french><grammar>"},
        {"Id": 18, "PostHistoryTypeId": 10, "PostId": 30, "RevisionGUID": "g-30-c",
         "CreationDate": at(7), "UserId": 4, "Comment": "101",
         "Text": voters((4, "Dave"), OriginalQuestionIds=[10])},
        # Question 40: closed (103) then reopened.
        {"Id": 19, "PostHistoryTypeId": 2, "PostId": 40, "RevisionGUID": "g-40-1",
         "CreationDate": at(8), "UserId": 1, "Text": "See the subjunctive question."},
        {"Id": 20, "PostHistoryTypeId": 10, "PostId": 40, "RevisionGUID": "g-40-c",
         "CreationDate": at(9), "Comment": "103", "Text": voters((3, "Carol"), (4, "Dave"))},
        {"Id": 21, "PostHistoryTypeId": 11, "PostId": 40, "RevisionGUID": "g-40-r",
         "CreationDate": at(10), "UserId": 4, "Text": voters((4, "Dave"))},
        # Question 50: locked then unlocked, and protected.
        {"Id": 22, "PostHistoryTypeId": 14, "PostId": 50, "RevisionGUID": "g-50-l",
         "CreationDate": at(11, 12), "UserId": 4, "Text": voters((4, "Dave"))},
        {"Id": 23, "PostHistoryTypeId": 15, "PostId": 50, "RevisionGUID": "g-50-u",
         "CreationDate": at(11, 13), "UserId": 4, "Text": voters((4, "Dave"))},
        {"Id": 24, "PostHistoryTypeId": 19, "PostId": 50, "RevisionGUID": "g-50-p",
         "CreationDate": at(12), "UserId": -1, "Text": voters((-1, "Community"))},
        # Answer 11 deleted and undeleted: events only.
        {"Id": 25, "PostHistoryTypeId": 12, "PostId": 11, "RevisionGUID": "g-11-d",
         "CreationDate": at(12, 12), "UserId": 4, "Comment": "via Vote",
         "Text": voters((4, "Dave"))},
        {"Id": 26, "PostHistoryTypeId": 13, "PostId": 11, "RevisionGUID": "g-11-ud",
         "CreationDate": at(12, 13), "UserId": 4, "Text": voters((4, "Dave"))},
        # Question 80: locked without an unlock.
        {"Id": 27, "PostHistoryTypeId": 14, "PostId": 80, "RevisionGUID": "g-80-l",
         "CreationDate": at(14), "UserId": 4, "Text": voters((4, "Dave"))},
        # The tag wiki's Markdown.
        {"Id": 28, "PostHistoryTypeId": 2, "PostId": 91, "RevisionGUID": "g-91-1",
         "CreationDate": at(1), "UserId": 1, "Text": "The **French** language."},
    ]  # fmt: skip
    links = [
        {"Id": 1, "CreationDate": at(8), "PostId": 40, "RelatedPostId": 10, "LinkTypeId": 1},
        {"Id": 2, "CreationDate": at(7), "PostId": 30, "RelatedPostId": 10, "LinkTypeId": 3},
        {"Id": 3, "CreationDate": at(11), "PostId": 50, "RelatedPostId": 999, "LinkTypeId": 1},
        {"Id": 4, "CreationDate": at(11), "PostId": 50, "RelatedPostId": 10, "LinkTypeId": 2},
    ]
    votes = [
        {"Id": 1, "PostId": 10, "VoteTypeId": 2, "CreationDate": "2015-03-02T00:00:00.000"},
        {"Id": 2, "PostId": 10, "VoteTypeId": 2, "CreationDate": "2015-03-02T00:00:00.000"},
        {"Id": 3, "PostId": 12, "VoteTypeId": 3, "CreationDate": "2015-03-03T00:00:00.000"},
        {"Id": 4, "PostId": 11, "VoteTypeId": 1, "CreationDate": "2015-03-04T00:00:00.000"},
        {"Id": 5, "PostId": 10, "VoteTypeId": 5, "UserId": 3, "CreationDate": at(4)},
        {"Id": 6, "PostId": 999, "VoteTypeId": 2, "CreationDate": "2015-03-04T00:00:00.000"},
    ]
    badges = [
        {"Id": 1, "UserId": 1, "Name": "Teacher", "Date": at(3), "Class": 3},
        {"Id": 2, "UserId": 2, "Name": "Student", "Date": at(3), "Class": 3},
    ]
    return {
        "Users.xml": users,
        "Tags.xml": tags,
        "Posts.xml": posts,
        "Comments.xml": comments,
        "PostHistory.xml": history,
        "PostLinks.xml": links,
        "Votes.xml": votes,
        "Badges.xml": badges,
    }


def write_dump(folder: Path, rows: dict[str, list[dict]] | None = None) -> Path:
    """Write the dump's files into ``folder`` (created); Users.xml without a BOM, the
    others with one, as real dumps mix both."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, file_rows in (rows or mini_rows()).items():
        xml_file(folder / name, ROOTS[name], file_rows, bom=name != "Users.xml")
    return folder


def run_import(path: Path | str, **options) -> str:
    """``import_stackexchange`` with its output returned (CommandError propagates)."""
    out = io.StringIO()
    call_command("import_stackexchange", str(path), stdout=out, stderr=out, **options)
    return out.getvalue()


def imported(site: str, kind: str, source_id) -> int:
    return SourceRow.objects.get(site=site, kind=kind, source_id=str(source_id)).target_id


def post(site: str, source_id) -> Post:
    return Post.objects.select_related("author", "parent").get(
        pk=imported(site, SourceKind.POST, source_id)
    )


__all__ = ["at", "imported", "mini_rows", "post", "run_import", "write_dump", "xml_file"]
