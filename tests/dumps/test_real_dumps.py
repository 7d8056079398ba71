"""The real Stack Exchange dumps in ``shared/stackexchange/`` (beside the repository): each
imports with counts that match the files themselves, and an imported closed question's page
shows its reason and voters."""

import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils.html import escape

from dumps.models import SourceKind, SourceRow
from tests.dumps import run_import
from threads.models import Comment, Post, PostLink

pytestmark = pytest.mark.django_db

STACKEXCHANGE = Path(settings.BASE_DIR).parent / "shared" / "stackexchange"
SITES = (
    sorted(path.name for path in STACKEXCHANGE.iterdir() if (path / "Posts.xml").exists())
    if STACKEXCHANGE.is_dir()
    else []
)


def file_rows(site: str, name: str):
    for _, element in ET.iterparse(STACKEXCHANGE / site / name):
        if element.tag == "row":
            yield dict(element.attrib)
            element.clear()


def expected(site: str) -> dict:
    """Counts computed from the files, independently of the importer."""
    posts = list(file_rows(site, "Posts.xml"))
    types = Counter(row["PostTypeId"] for row in posts)
    questions = {row["Id"] for row in posts if row["PostTypeId"] == "1"}
    answers = {
        row["Id"] for row in posts if row["PostTypeId"] == "2" and row.get("ParentId") in questions
    }
    present = questions | answers
    closed = {row["Id"] for row in posts if row["PostTypeId"] == "1" and row.get("ClosedDate")}
    duplicates = {
        (row["PostId"], row["RelatedPostId"])
        for row in file_rows(site, "PostLinks.xml")
        if row["LinkTypeId"] == "3" and row["PostId"] in present and row["RelatedPostId"] in present
    }
    for row in file_rows(site, "PostHistory.xml"):
        if row["PostHistoryTypeId"] == "10" and row["PostId"] in closed:
            for original in json.loads(row.get("Text") or "{}").get("OriginalQuestionIds", []):
                if str(original) in questions:
                    duplicates.add((row["PostId"], str(original)))
    comments = sum(1 for row in file_rows(site, "Comments.xml") if row["PostId"] in present)
    return {
        "questions": types["1"],
        "answers": len(answers),
        "comments": comments,
        "closed": len(closed),
        "duplicate links": duplicates,
    }


def imported(site: str) -> dict:
    mapping = dict(
        SourceRow.objects.filter(site=site, kind=SourceKind.POST).values_list(
            "target_id", "source_id"
        )
    )
    posts = Post.objects.filter(pk__in=list(mapping))
    links = PostLink.objects.filter(post__in=posts, kind="duplicate")
    return {
        "questions": posts.questions().count(),
        "answers": posts.answers().count(),
        "comments": Comment.objects.filter(post__in=posts).count(),
        "closed": posts.filter(closed_at__isnull=False).count(),
        "duplicate links": {
            (mapping[post_id], mapping[target_id])
            for post_id, target_id in links.values_list("post_id", "target_id")
        },
    }


@pytest.fixture(params=SITES or ["(none)"])
def real_site(request):
    if not SITES:
        pytest.skip(f"No Stack Exchange dumps in {STACKEXCHANGE} (shared/ is beside the repo).")
    return request.param


def test_it_imports_a_real_dump_with_the_counts_of_its_files(real_site):
    output = run_import(STACKEXCHANGE / real_site)

    assert "Import complete." in output
    assert imported(real_site) == expected(real_site)


def test_it_shows_an_imported_closed_question_with_its_real_reason_and_voters(
    real_site, django_assert_max_num_queries
):
    run_import(STACKEXCHANGE / real_site)
    site_posts = SourceRow.objects.filter(site=real_site, kind=SourceKind.POST)
    closed = Post.objects.filter(
        pk__in=site_posts.values("target_id"), closed_at__isnull=False
    ).order_by("pk")
    assert closed.exists()

    for question in closed:
        notice = question.close_notice
        cache.clear()
        with django_assert_max_num_queries(8):
            response = Client().get(question.get_absolute_url())
        assert response.status_code == 200
        page = response.content.decode()
        for voter in notice["voters"]:
            assert escape(voter["name"]) in page
        if notice["reason"]["kind"] == "duplicate":
            assert "This question already has an answer here:" in page
            for target in notice["duplicates"]:
                assert escape(target["title"]) in page
        else:
            assert escape(notice["reason"]["post_notice"]) in page
