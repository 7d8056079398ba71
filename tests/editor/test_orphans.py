"""Saved posts claim the uploads their Markdown shows; the periodic job removes the uploads no
post shows after ``UPLOADS.ORPHAN_HOURS`` (docs/rules.md, "The editor and images in posts")."""

from datetime import timedelta

import pytest
import redis
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from rq.cron import CronScheduler

from editor.models import Upload
from editor.services import remove_orphan_uploads
from tests.editor.conftest import image_file, stored_files
from tests.factories import QuestionFactory
from threads import services
from threads.models import Post, Tag

pytestmark = pytest.mark.django_db


def upload(client) -> dict:
    response = client.post("/editor/uploads/", {"image": image_file()})
    assert response.status_code == 201
    return response.json()


def test_a_new_question_claims_its_images(client, uploader):
    Tag.objects.create(name="python", slug="python")
    shown, unused = upload(client), upload(client)
    question = services.question_create(
        author=uploader,
        title="How do I plot a histogram with matplotlib",
        body=f"Here is what I get:\n\n{shown['markdown']}\n\nWhat is wrong with the bins?",
        tags=["python"],
    )
    claimed = Upload.objects.get(path=shown["url"].removeprefix("/media/"))
    assert claimed.post == question
    assert Upload.objects.get(path=unused["url"].removeprefix("/media/")).post is None


def test_an_edit_claims_its_images(client, uploader):
    question = QuestionFactory(author=uploader)
    image = upload(client)
    latest = question.revisions.order_by("-number").first()
    services.post_edit(
        editor=uploader,
        post=question,
        title=question.title,
        body=question.body + "\n\n" + image["markdown"],
        tags=None,
        summary="screenshot",
        base_stamp=services.revision_stamp(latest),
    )
    assert Upload.objects.get().post == question


def test_the_job_removes_only_old_orphans(client, uploader, media_root):
    with time_machine.travel(timezone.now() - timedelta(hours=25)):
        old_orphan = upload(client)
        old_used = upload(client)
        old_in_text = upload(client)  # shown by a post saved before claiming existed
        QuestionFactory(author=uploader, body="See this: " + old_used["markdown"] + " for details")
    Post.objects.filter(pk=QuestionFactory(author=uploader).pk).update(
        body="A screenshot: " + old_in_text["markdown"]
    )
    recent = upload(client)
    assert len(stored_files(media_root)) == 4

    assert remove_orphan_uploads() == 1
    paths = set(Upload.objects.values_list("path", flat=True))
    assert paths == {
        image["url"].removeprefix("/media/") for image in (old_used, old_in_text, recent)
    }
    assert not default_storage.exists(old_orphan["url"].removeprefix("/media/"))
    assert len(stored_files(media_root)) == 3
    # The one found in a post's text is now claimed by it.
    assert Upload.objects.filter(post__isnull=True).count() == 1
    assert client.get(old_orphan["url"]).status_code == 404


def test_the_hours_come_from_settings(client, uploader, settings):
    settings.QASITE = {
        **settings.QASITE,
        "UPLOADS": {**settings.QASITE["UPLOADS"], "ORPHAN_HOURS": 1},
    }
    with time_machine.travel(timezone.now() - timedelta(hours=2)):
        upload(client)
    call_command("remove_orphan_uploads")
    assert not Upload.objects.exists()


def test_the_command_says_what_it_did(client, uploader, capsys):
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        upload(client)
    call_command("remove_orphan_uploads")
    assert "Removed 1 orphaned upload(s)." in capsys.readouterr().out


def test_it_is_in_the_site_schedule():
    scheduler = CronScheduler(connection=redis.Redis())  # reading needs no server
    scheduler.load_config_from_file("qasite.cron")
    jobs = {job.func: job for job in scheduler.get_jobs()}
    assert jobs[remove_orphan_uploads].interval == 3600
