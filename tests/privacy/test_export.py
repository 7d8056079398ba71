"""Download my data: the export's contents, one request at a time, who may download it, its
expiry, and its cost in queries (docs/rules.md, "Your data")."""

import io
import json
import uuid
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent, AccountEventKind
from accounts.privileges import Privilege
from moderation.flags import flag_raise
from moderation.models import FlagKind
from notifications.follows import follow_set
from privacy import export, services
from privacy.models import DataExport, ExportState
from privacy.sweep import sweep
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from threads.services import post_delete, vote_cast

pytestmark = pytest.mark.django_db

SECTIONS = {
    "profile.json",
    "emails.json",
    "posts.json",
    "revisions.json",
    "comments.json",
    "votes.json",
    "comment_votes.json",
    "flags.json",
    "reputation.json",
    "close_votes.json",
    "reopen_votes.json",
    "reviews.json",
    "suggested_edits.json",
    "notifications.json",
    "follows.json",
    "watched_tags.json",
    "email_preferences.json",
    "moderator_messages.json",
    "suspensions.json",
    "account_log.json",
    "README.txt",
}


def _zip_of(user) -> dict:
    target = io.BytesIO()
    export.write_zip(user, target)
    with zipfile.ZipFile(target) as archive:
        return {
            name: archive.read(name).decode()
            if name.endswith(".txt")
            else json.loads(archive.read(name))
            for name in archive.namelist()
        }


def _busy_member():
    """A member who asked, answered, commented, voted, flagged and follows; and someone
    else who did the same on the same posts."""
    member = UserFactory(
        username="ada", display_name="Ada L", reputation=Privilege.FLAG.reputation + 50
    )
    other = UserFactory(username="bob", display_name="Bob", reputation=5000)
    question = QuestionFactory(author=member, title="A question about my own private data")
    gone = QuestionFactory(author=member, title="A question that was deleted afterwards")
    post_delete(actor=member, post=gone)
    theirs = QuestionFactory(author=other, title="Somebody else's question about things")
    AnswerFactory(author=member, question=theirs, body="My answer, with enough text in it.")
    AnswerFactory(author=other, question=question, body="Bob's answer, nothing of mine here.")
    CommentFactory(author=member, post=theirs, body="A comment of mine on their question")
    CommentFactory(author=other, post=question, body="A comment of Bob's on my question")
    vote_cast(user=member, post=theirs, value=1, rate_limited=False)
    vote_cast(user=other, post=question, value=1, rate_limited=False)
    flag_raise(flagger=member, post=theirs, kind=FlagKind.NEEDS_IMPROVEMENT)
    follow_set(user=member, question=theirs, active=True)
    return member, other, question, gone, theirs


def test_the_export_holds_every_section_and_only_the_members_data():
    member, other, question, gone, theirs = _busy_member()
    files = _zip_of(member)
    assert set(files) == SECTIONS
    assert files["profile.json"]["username"] == "ada"
    assert files["profile.json"]["email"] == "ada@example.com"
    posts = {post["id"]: post for post in files["posts.json"]}
    assert question.pk in posts and gone.pk in posts  # deleted posts included
    assert posts[gone.pk]["deleted_at"] is not None
    assert theirs.pk not in posts
    assert {revision["post_id"] for revision in files["revisions.json"]} >= {question.pk, gone.pk}
    assert [c["body"] for c in files["comments.json"]] == ["A comment of mine on their question"]
    assert [(v["post_id"], v["value"]) for v in files["votes.json"]] == [(theirs.pk, 1)]
    assert [f["post_id"] for f in files["flags.json"]] == [theirs.pk]
    assert files["reputation.json"], "the upvote Bob gave is in Ada's reputation history"
    assert theirs.pk in {f["question_id"] for f in files["follows.json"]}
    everything = json.dumps(files)
    assert "Bob's answer" not in everything
    assert "A comment of Bob's" not in everything
    assert "bob@example.com" not in everything


def test_the_request_is_built_in_the_background_and_shown_on_the_page(
    client, django_capture_on_commit_callbacks
):
    member, *_ = _busy_member()
    client.force_login(member)
    page = reverse("privacy-data", kwargs={"pk": member.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy-export", kwargs={"pk": member.pk}))
    assert response.status_code == 302
    (job,) = DataExport.objects.filter(user=member)
    assert job.state == ExportState.READY and job.file and job.size > 0
    assert job.expires_at - job.finished_at == timedelta(days=7)
    assert AccountEvent.objects.filter(user=member, kind=AccountEventKind.EXPORT_REQUESTED).exists()
    html = client.get(page).content.decode()
    assert "Ready to download" in html
    download = reverse("privacy-export-download", kwargs={"pk": member.pk, "export": job.pk})
    assert download in html
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert set(archive.namelist()) == SECTIONS


def test_one_export_at_a_time_and_a_replayed_post_queues_nothing(
    django_capture_on_commit_callbacks,
):
    member = UserFactory()
    with django_capture_on_commit_callbacks() as queued:
        first, created = services.export_request(user=member)
        again, created_again = services.export_request(user=member)
    assert created and not created_again and again == first
    assert len(queued) == 1, "one background job"
    assert DataExport.objects.filter(user=member).count() == 1
    # Built and ready: a replay of the same form (its token) still gets the same export.
    token = uuid.uuid4()
    services.export_build(first.pk)
    second, created = services.export_request(user=member, token=token)
    assert created
    services.export_build(second.pk)
    replay, created = services.export_request(user=member, token=token)
    assert not created and replay == second
    assert DataExport.objects.filter(user=member).count() == 2


def test_a_job_builds_its_export_once():
    member = UserFactory()
    job, _ = services.export_request(user=member)
    assert services.export_build(job.pk)
    assert not services.export_build(job.pk)


def test_only_the_owner_downloads_it(client):
    member, stranger = UserFactory(), UserFactory(is_moderator=True)
    job, _ = services.export_request(user=member)
    services.export_build(job.pk)
    mine = reverse("privacy-export-download", kwargs={"pk": member.pk, "export": job.pk})
    assert client.get(mine).status_code == 302  # to the login page
    client.force_login(stranger)
    assert client.get(mine).status_code == 404
    as_own = reverse("privacy-export-download", kwargs={"pk": stranger.pk, "export": job.pk})
    assert client.get(as_own).status_code == 404
    assert client.get(reverse("privacy-data", kwargs={"pk": member.pk})).status_code == 404
    with pytest.raises(PermissionDenied):
        services.export_open(user=stranger, export_id=job.pk)


def test_the_export_is_never_under_a_public_url(settings):
    member = UserFactory()
    job, _ = services.export_request(user=member)
    services.export_build(job.pk)
    job.refresh_from_db()
    location = str(services.private_storage().path(job.file))
    assert not location.startswith(str(settings.STATIC_ROOT))
    assert job.file.startswith(f"exports/{member.pk}/") and len(job.file) > 40


def test_expired_exports_are_removed_by_the_sweep(client):
    member = UserFactory()
    job, _ = services.export_request(user=member)
    services.export_build(job.pk)
    job.refresh_from_db()
    storage = services.private_storage()
    assert storage.exists(job.file)
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert sweep()["exports_expired"] == 0
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert sweep()["exports_expired"] == 1
        client.force_login(member)
        url = reverse("privacy-export-download", kwargs={"pk": member.pk, "export": job.pk})
        assert client.get(url).status_code == 404
    assert not storage.exists(job.file)
    job.refresh_from_db()
    assert job.state == ExportState.EXPIRED and job.file == ""


def test_the_sweep_builds_an_export_whose_job_was_lost():
    member = UserFactory()
    job, _ = services.export_request(user=member)  # no commit in the test: no job ran
    assert sweep()["exports_built"] == 0  # too recent: the queue may still run it
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert sweep()["exports_built"] == 1
    job.refresh_from_db()
    assert job.state == ExportState.READY


def _export_queries(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        export.write_zip(user, io.BytesIO())
    return len(captured)


def test_the_export_costs_a_constant_number_of_queries():
    member = UserFactory(reputation=Privilege.COMMENT_EVERYWHERE.reputation)
    question = QuestionFactory(author=member)
    CommentFactory(author=member, post=question)
    few = _export_queries(member)
    for _ in range(5):
        extra = QuestionFactory(author=member)
        CommentFactory(author=member, post=extra)
        AnswerFactory(author=member, question=extra)
    assert _export_queries(member) == few


def test_the_page_costs_a_constant_number_of_queries(client):
    member = UserFactory()
    client.force_login(member)
    url = reverse("privacy-data", kwargs={"pk": member.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    few = len(captured)
    for _ in range(4):
        job, _ = services.export_request(user=member)
        services.export_build(job.pk)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(captured) == few


def test_the_tab_shows_to_the_owner_only(client):
    member, other = UserFactory(), UserFactory()
    url = reverse("privacy-data", kwargs={"pk": member.pk})
    client.force_login(member)
    assert url in client.get(member.get_absolute_url()).content.decode()
    client.force_login(other)
    assert url not in client.get(member.get_absolute_url()).content.decode()


def test_the_page_offers_no_second_request_while_one_is_prepared(client):
    member = UserFactory()
    client.force_login(member)
    url = reverse("privacy-data", kwargs={"pk": member.pk})
    button = "Request a copy of my data"
    assert button in client.get(url).content.decode()
    job, _ = services.export_request(user=member)
    html = client.get(url).content.decode()
    assert button not in html and "being prepared" in html
    response = client.post(reverse("privacy-export", kwargs={"pk": member.pk}), follow=True)
    assert "already requested" in response.content.decode()
    assert DataExport.objects.filter(user=member).count() == 1
    services.export_build(job.pk)
    assert button in client.get(url).content.decode()


def test_an_export_a_worker_never_finished_fails_and_frees_the_member():
    member = UserFactory()
    job, _ = services.export_request(user=member)
    DataExport.objects.filter(pk=job.pk).update(state=ExportState.BUILDING)  # a killed worker
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        sweep()
        assert DataExport.objects.get(pk=job.pk).state == ExportState.BUILDING
    with time_machine.travel(timezone.now() + timedelta(hours=2, minutes=1)):
        sweep()
        assert DataExport.objects.get(pk=job.pk).state == ExportState.FAILED
        again, created = services.export_request(user=member)
    assert created and again != job
