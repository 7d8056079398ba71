"""Bad input: malformed XML stops that file (named, with its line) and every row before the
spot is written; missing files; paths that are no dump at all."""

import shutil

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from dumps.models import SourceKind, SourceRow
from tests.dumps import mini_rows, post, run_import, write_dump, xml_file
from threads.models import Comment, Post, Revision

pytestmark = pytest.mark.django_db
User = get_user_model()


def comment_rows(count: int) -> list[dict]:
    return [
        {
            "Id": index,
            "PostId": 10,
            "Score": 0,
            "Text": f"Comment number {index} on the question.",
            "CreationDate": "2015-03-02T12:00:00.000",
            "UserId": 2,
        }
        for index in range(1, count + 1)
    ]


def break_file(path, *, after_rows: int) -> int:
    """Cut the file after ``after_rows`` rows and add a broken one; returns its line."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = lines[: 2 + after_rows]  # declaration + root + rows
    kept.append('  <row Id="99" PostId="10" Text="a < b is not well-formed" />\n')
    kept.append("</comments>\n")
    path.write_text("".join(kept), encoding="utf-8")
    return len(kept) - 1


def test_it_stops_a_malformed_file_naming_it_and_its_line_keeping_the_rows_before(tmp_path):
    rows = mini_rows()
    rows["Comments.xml"] = comment_rows(5)
    folder = write_dump(tmp_path / "mini", rows)
    line = break_file(folder / "Comments.xml", after_rows=5)

    with pytest.raises(CommandError) as failure:
        run_import(folder, batch_size=2)

    message = str(failure.value)
    assert "could not be read completely" in message
    assert failure.value.returncode == 1
    assert line == 8  # the broken row, after the declaration, the root and five rows
    # Rows 1–4 were two whole batches; row 5, in the batch the error broke, is kept too.
    imported = SourceRow.objects.filter(kind=SourceKind.COMMENT).values_list("source_id", flat=True)
    assert sorted(imported) == ["1", "2", "3", "4", "5"]
    assert Comment.objects.count() == 5
    # The other files were imported all the same.
    assert Revision.objects.filter(post=post("mini", 10)).count() == 3
    assert post("mini", 30).closed_at is not None


def test_it_reports_the_file_and_line_of_the_parse_error(tmp_path):
    folder = write_dump(tmp_path / "mini")
    line = break_file(folder / "Comments.xml", after_rows=1)

    out = tmp_path / "out.txt"
    with out.open("w") as stream, pytest.raises(CommandError):
        call_command("import_stackexchange", str(folder), stdout=stream, stderr=stream)

    text = out.read_text()
    assert f"Comments.xml: malformed XML at line {line}" in text
    assert "ERROR" in text  # in the summary table too


def test_it_reports_and_skips_a_missing_optional_file(mini):
    (mini / "Votes.xml").unlink()
    (mini / "Comments.xml").unlink()

    output = run_import(mini)

    assert "Votes.xml: missing, skipped" in output
    assert "Comments.xml: missing, skipped" in output
    assert "Import complete." in output
    assert not Comment.objects.exists()
    assert post("mini", 10).accepted_at is None  # no VoteTypeId 1 to date it
    assert Post.objects.questions().count() == 6


@pytest.mark.parametrize("required", ["Posts.xml", "Users.xml"])
def test_it_refuses_a_dump_without_a_required_file(mini, required):
    (mini / required).unlink()

    with pytest.raises(CommandError) as failure:
        run_import(mini)

    assert required in str(failure.value)
    assert failure.value.returncode == 1
    assert not Post.objects.exists()
    assert not User.objects.exists()


def test_it_refuses_a_path_that_does_not_exist(tmp_path):
    with pytest.raises(CommandError, match="no such file or folder"):
        run_import(tmp_path / "nowhere")


def test_it_refuses_a_file_that_is_not_an_archive(tmp_path):
    path = tmp_path / "dump.tar"
    path.write_text("not a dump")

    with pytest.raises(CommandError, match="expected a folder"):
        run_import(path)


def test_it_reads_files_with_and_without_a_byte_order_mark(tmp_path):
    rows = mini_rows()
    folder = write_dump(tmp_path / "mini", rows)
    assert (folder / "Posts.xml").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not (folder / "Users.xml").read_bytes().startswith(b"\xef\xbb\xbf")
    xml_file(folder / "Tags.xml", "tags", rows["Tags.xml"], bom=False)

    run_import(folder)

    assert User.objects.filter(username="mini-1").exists()
    assert Post.objects.questions().count() == 6


def test_it_finds_the_files_in_a_sub_folder(tmp_path):
    folder = write_dump(tmp_path / "outer" / "inner")
    shutil.move(str(folder), str(tmp_path / "outer" / "mini.meta"))

    run_import(tmp_path / "outer", site="mini")

    assert Post.objects.questions().count() == 6


def test_it_skips_rows_without_id_in_every_file_and_counts_them(tmp_path):
    rows = mini_rows()
    question = next(row for row in rows["Posts.xml"] if row["PostTypeId"] == 1)
    answer = next(row for row in rows["Posts.xml"] if row["PostTypeId"] == 2)
    for name, row in (
        ("Users.xml", rows["Users.xml"][1]),
        ("Tags.xml", rows["Tags.xml"][1]),
        ("Posts.xml", question),
        ("Posts.xml", answer),
        ("Comments.xml", rows["Comments.xml"][0]),
        ("PostLinks.xml", rows["PostLinks.xml"][0]),
    ):
        rows[name].append({**row, "Id": None})
    clean = write_dump(tmp_path / "clean")
    run_import(clean, site="clean")

    output = run_import(write_dump(tmp_path / "mini", rows), site="mini")

    skipped, current = {}, None
    for line in output.split("---\n", 1)[1].splitlines():
        if not line.startswith(" "):
            current = line.split()[0]
        elif "row without Id" in line:
            skipped[current] = int(line.split()[1])
    assert skipped == {
        "Users.xml": 1,
        "Tags.xml": 1,
        "Posts.xml": 2,
        "Comments.xml": 1,
        "PostLinks.xml": 1,
    }
    # Nothing else changed: the same rows as the clean dump's (tag texts and their history
    # aside: the tags kept the clean import's).
    tag_texts = {SourceKind.TAG_TEXT, SourceKind.TAG_TEXT_KEPT, SourceKind.TAG_REVISION}
    for kind in set(SourceKind.values) - tag_texts:
        mine = SourceRow.objects.filter(site="mini", kind=kind).count()
        assert mine == SourceRow.objects.filter(site="clean", kind=kind).count(), kind
