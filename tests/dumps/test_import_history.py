"""PostHistory: revisions (one per RevisionGUID, fields carried forward), closures and
reopenings with their reasons and voters, locks, protection and deletions as events, and
the question's final state."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model

from dumps.models import SourceKind
from moderation.models import CloseReason, ModerationEvent
from tests.dumps import imported, mini_rows, post, run_import, voters, write_dump
from threads.models import PERMANENT_LOCK_UNTIL, PostLink, Revision

pytestmark = pytest.mark.django_db
User = get_user_model()
BODY_20 = "What is the best French word ever?"


def user_id(source_id) -> int:
    return imported("mini", SourceKind.USER, source_id)


def events(source_post, kind=None):
    rows = ModerationEvent.objects.filter(post=post("mini", source_post)).order_by("created_at")
    return rows.filter(kind=kind) if kind else rows


def test_it_makes_one_revision_per_guid_numbered_in_time_order(mini):
    run_import(mini)

    revisions = list(Revision.objects.filter(post=post("mini", 10)).order_by("number"))
    assert [(r.number, r.kind) for r in revisions] == [
        (1, "initial"),
        (2, "edit"),
        (3, "rollback"),
    ]
    initial, edit, rollback = revisions
    assert initial.title == "How do I use the subjunctive?"
    assert initial.body == "How does the *subjonctif* work?\n\nFirst version."
    assert initial.tags == "french grammar"
    assert initial.editor_id == user_id(1)
    assert initial.created_at == datetime(2015, 3, 2, 10, tzinfo=UTC)
    # The edit's group changed title and body; the tags are carried forward.
    assert edit.title == "How do I use the subjunctive in French?"
    assert edit.body == "How does the *subjonctif* work? Vandalised."
    assert edit.tags == "french grammar"
    assert edit.summary == "better title"
    assert edit.editor_id == user_id(2)
    # The rollback changed the body only.
    assert rollback.title == edit.title
    assert rollback.body == "How does the *subjonctif* work?"
    assert rollback.summary == "Rollback to [g-10-1]"


def test_it_takes_tag_edits_and_title_and_tag_rollbacks(mini):
    run_import(mini)

    revisions = Revision.objects.filter(post=post("mini", 20)).order_by("number")
    assert [(r.kind, r.title, r.tags, r.body) for r in revisions] == [
        ("initial", "What is the best French word of all time?", "french", BODY_20),
        ("edit", "Best French word?", "french grammar", BODY_20),
        ("rollback", "What is the best French word of all time?", "french", BODY_20),
    ]


def test_it_keeps_the_display_name_of_a_deleted_editor(mini):
    run_import(mini)

    revision = Revision.objects.get(post=post("mini", 12))
    assert revision.editor is None
    assert revision.editor_name == "Ghost Writer"


def test_it_numbers_revisions_by_time_even_when_the_file_is_out_of_order(tmp_path):
    rows = mini_rows()
    history = rows["PostHistory.xml"]
    # Put question 10's edit (rows 6, 7) after its rollback (row 8) in the file.
    edit = [row for row in history if row["RevisionGUID"] == "g-10-2"]
    rest = [row for row in history if row["RevisionGUID"] != "g-10-2"]
    index = next(i for i, row in enumerate(rest) if row["RevisionGUID"] == "g-10-3") + 1
    rows["PostHistory.xml"] = rest[:index] + edit + rest[index:]
    run_import(write_dump(tmp_path / "mini", rows))

    revisions = Revision.objects.filter(post=post("mini", 10)).order_by("number")
    assert [r.created_at.day * 100 + r.created_at.hour for r in revisions] == [210, 310, 312]
    assert [r.number for r in revisions] == [1, 2, 3]


def test_it_closes_with_an_old_reason_id_keeping_the_source_label_and_voters(mini):
    output = run_import(mini)

    question = post("mini", 20)
    assert question.closed_at == datetime(2015, 3, 5, 10, tzinfo=UTC)
    notice = question.close_notice
    focus = CloseReason.objects.get(name="Needs more focus")
    assert notice["reason"] == focus.snapshot()
    assert notice["group"] is None
    assert notice["source_reason"] == "Too localized"
    assert notice["source_reason_id"] == "7"
    assert notice["voters"] == [
        {"id": user_id(3), "name": "Carol", "binding": False},
        {"id": user_id(4), "name": "Dave", "binding": False},
        {"id": None, "name": "Former Voter", "binding": False},  # deleted on the source site
    ]
    assert notice["duplicates"] == []
    assert notice["comments"] == []
    assert notice["closed_at"] == "2015-03-05T10:00:00+00:00"
    assert "voter absent (deleted on the source site): name kept" in output

    event = events(20, "closed").get()
    assert event.created_at == question.closed_at
    assert event.actor is None
    assert event.actor_name == "Community"
    assert event.reason == "Needs more focus"
    assert event.details == notice


def test_it_closes_as_duplicate_with_its_targets_and_a_duplicate_link(mini):
    run_import(mini)

    question = post("mini", 30)
    target = post("mini", 10)
    notice = question.close_notice
    assert notice["reason"]["kind"] == "duplicate"
    assert notice["source_reason"] == "Duplicate"
    assert notice["duplicates"] == [{"id": target.pk, "title": target.title}]
    assert notice["voters"] == [{"id": user_id(4), "name": "Dave", "binding": True}]
    assert PostLink.objects.filter(post=question, target=target, kind="duplicate").count() == 1

    event = events(30, "closed").get()
    assert event.actor_id == user_id(4)  # one voter: the closure is theirs
    assert event.actor_name == "Dave"


def test_it_adds_duplicate_targets_named_only_by_post_links(tmp_path):
    rows = mini_rows()
    for row in rows["PostHistory.xml"]:
        if row["Id"] == 18:
            row["Text"] = voters((4, "Dave"))  # no OriginalQuestionIds
    run_import(write_dump(tmp_path / "mini", rows))

    target = post("mini", 10)
    assert post("mini", 30).close_notice["duplicates"] == [{"id": target.pk, "title": target.title}]


@pytest.mark.parametrize(
    ("comment", "reason", "group", "label"),
    [
        ("1", "Duplicate", None, "Exact duplicate"),
        ("2", "Off-topic: Something else", "Off-topic", "Off topic"),
        ("3", "Opinion-based", None, "Subjective and argumentative"),
        ("4", "Needs details or clarity", None, "Not a real question"),
        ("10", "Needs details or clarity", None, "General reference"),
        ("20", "Off-topic: Something else", "Off-topic", "Noise or pointless"),
        ("102", "Off-topic: Something else", "Off-topic", "Off-topic"),
        ("103", "Needs details or clarity", None, "Unclear what you're asking"),
        ("104", "Needs more focus", None, "Too broad"),
        ("105", "Opinion-based", None, "Primarily opinion-based"),
        ("42", "Off-topic: Something else", "Off-topic", "unknown close reason 42"),
    ],
)
def test_it_maps_every_close_reason_id(tmp_path, comment, reason, group, label):
    rows = mini_rows()
    for row in rows["PostHistory.xml"]:
        if row["Id"] == 14:
            row["Comment"] = comment
    run_import(write_dump(tmp_path / "mini", rows))

    notice = post("mini", 20).close_notice
    assert notice["reason"]["name"] == reason
    assert (notice["group"] or {}).get("name") == group
    assert notice["source_reason"] == label
    assert notice["source_reason_id"] == comment


def test_it_records_a_reopening_and_leaves_the_question_open(mini):
    run_import(mini)

    question = post("mini", 40)
    assert question.closed_at is None
    assert question.close_notice is None
    closed, reopened = events(40)
    assert (closed.kind, reopened.kind) == ("closed", "reopened")
    assert closed.reason == "Needs details or clarity"
    assert reopened.created_at == datetime(2015, 3, 10, 10, tzinfo=UTC)
    assert reopened.actor_id == user_id(4)
    assert reopened.details["voters"] == [{"id": user_id(4), "name": "Dave", "binding": True}]


def test_it_records_locks_and_protection_with_their_final_state(mini):
    run_import(mini)

    unlocked = post("mini", 50)
    assert unlocked.locked_until is None
    assert unlocked.lock_kind == ""
    assert unlocked.protected_at == datetime(2015, 3, 12, 10, tzinfo=UTC)
    assert [e.kind for e in events(50)] == ["locked", "unlocked", "protected"]
    assert events(50, "locked").get().created_at == datetime(2015, 3, 11, 12, tzinfo=UTC)

    locked = post("mini", 80)  # a lock never lifted: a permanent historical lock
    assert locked.locked_until == PERMANENT_LOCK_UNTIL
    assert locked.lock_kind == "historical"
    assert locked.is_locked_permanently
    assert events(80, "locked").get().reason == "Historical significance"


def test_it_records_deletion_events_without_deleting_a_post_present_in_the_dump(mini):
    run_import(mini)

    answer = post("mini", 11)
    assert answer.deleted_at is None
    deleted, undeleted = events(11)
    assert (deleted.kind, undeleted.kind) == ("deleted", "undeleted")
    assert deleted.question == post("mini", 10)
    assert deleted.details["source_comment"] == "via Vote"


def test_it_gives_a_closed_question_without_close_history_an_honest_notice(tmp_path):
    rows = mini_rows()
    rows["PostHistory.xml"] = [r for r in rows["PostHistory.xml"] if r["PostId"] != 20]
    run_import(write_dump(tmp_path / "mini", rows))

    question = post("mini", 20)
    assert question.closed_at is not None
    assert question.close_notice["reason"]["name"] == "Off-topic: Something else"
    assert question.close_notice["source_reason"] == "unknown (no close event in the dump)"


def test_it_counts_history_types_it_does_not_keep(mini):
    output = run_import(mini)

    assert "unsupported PostHistoryTypeId 16 (Community Owned)" in output
    assert "post absent (deleted on the source site)" in output
