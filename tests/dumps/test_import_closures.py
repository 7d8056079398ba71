"""Closures without PostHistory: a question closed in Posts.xml (ClosedDate) with a
duplicate link in PostLinks.xml (LinkTypeId 3) is closed as a duplicate of its target;
other closures without a close event keep an unknown reason; the report counts the
inferred ones."""

import pytest

from moderation.notices import CloseNotice
from tests.dumps import at, mini_rows, post, run_import, write_dump

pytestmark = pytest.mark.django_db

INFERRED = "closure without a close event: taken as a duplicate of the link's target"


def partial_dump(tmp_path, *, history=None, extra_links=()):
    """The test dump without PostHistory.xml (or with ``history`` rows only), and with a
    duplicate link from the open question 40 as well."""
    rows = mini_rows()
    if history is None:
        del rows["PostHistory.xml"]
    else:
        rows["PostHistory.xml"] = [row for row in rows["PostHistory.xml"] if history(row)]
    rows["PostLinks.xml"] += [
        {"Id": 5, "CreationDate": at(9), "PostId": 40, "RelatedPostId": 10, "LinkTypeId": 3},
        {"Id": 6, "CreationDate": at(9), "PostId": 30, "RelatedPostId": 11, "LinkTypeId": 3},
        *extra_links,
    ]
    return write_dump(tmp_path / "partial", rows)


def test_a_duplicate_link_of_a_closed_question_names_its_reason_and_target(tmp_path):
    output = run_import(partial_dump(tmp_path))

    question, target = post("partial", 30), post("partial", 10)
    notice = CloseNotice.of(question)
    assert notice.is_duplicate
    assert [(item.id, item.title) for item in notice.duplicates] == [(target.pk, target.title)]
    assert notice.source_reason.startswith("duplicate (inferred from PostLinks.xml")
    assert notice.closed_at == question.closed_at.isoformat()
    assert f"note          1  {INFERRED}" in output


def test_other_closures_without_history_keep_an_unknown_reason(tmp_path):
    run_import(partial_dump(tmp_path))

    unknown = CloseNotice.of(post("partial", 20))  # closed, no duplicate link
    assert not unknown.is_duplicate
    assert unknown.source_reason == "unknown (no close event in the dump)"
    assert post("partial", 40).close_notice is None  # a duplicate link, but open


def test_a_close_event_in_the_dump_wins_over_the_links(tmp_path):
    off_topic_20 = {
        "Id": 7,
        "CreationDate": at(5),
        "PostId": 20,
        "RelatedPostId": 10,
        "LinkTypeId": 3,
    }
    output = run_import(
        partial_dump(tmp_path, history=lambda row: row["PostId"] == 20, extra_links=[off_topic_20])
    )

    notice = CloseNotice.of(post("partial", 20))
    assert not notice.is_duplicate
    assert notice.source_reason == "Too localized"
    assert CloseNotice.of(post("partial", 30)).is_duplicate  # no close event: inferred
    assert f"note          1  {INFERRED}" in output


def test_a_rerun_infers_nothing_again(tmp_path):
    folder = partial_dump(tmp_path)
    run_import(folder)
    first = post("partial", 30).close_notice

    output = run_import(folder)

    assert post("partial", 30).close_notice == first
    assert INFERRED not in output
