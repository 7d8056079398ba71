"""A database made before the User moved from the app ``qasite`` to ``accounts`` migrates
forward with ``manage.py migrate`` and keeps every user, post, vote, permission, admin log
entry and login (docs/architecture.md, "Moving a model between apps")."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from tests.factories import DEMO_PASSWORD, AnswerFactory, QuestionFactory, UserFactory
from threads import services
from threads.models import Post, Vote


def _rewind_to_before_the_move():
    """Put back the rows the old layout left: its migration record and content type (after
    undoing the accounts migrations that came later than the move)."""
    call_command("migrate", "accounts", "0002", verbosity=0)
    recorder = MigrationRecorder(connection)
    recorder.migration_qs.filter(app="accounts").delete()
    recorder.record_applied("qasite", "0001_initial")
    ContentType.objects.filter(app_label="accounts", model="user").update(app_label="qasite")
    ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True)  # migrate runs its own transactions
def test_an_old_database_migrates_forward_and_keeps_everything(client):
    editor = UserFactory(username="old-editor", reputation=2000)
    voter = UserFactory(username="old-voter", reputation=200)
    question = QuestionFactory(author=editor)
    AnswerFactory(question=question)
    services.vote_cast(user=voter, post=question, value=1)
    user_type = ContentType.objects.get_for_model(get_user_model())
    change_user = Permission.objects.get(content_type=user_type, codename="change_user")
    editor.user_permissions.add(change_user)
    LogEntry.objects.create(
        user=editor,
        content_type=user_type,
        object_id=str(voter.pk),
        object_repr=str(voter),
        action_flag=CHANGE,
        change_message="[]",
    )
    counts = (get_user_model().objects.count(), Post.objects.count(), Vote.objects.count())
    _rewind_to_before_the_move()

    call_command("migrate", verbosity=0)

    applied = MigrationRecorder(connection).applied_migrations()
    assert ("accounts", "0001_initial") in applied
    assert ("accounts", "0002_user_content_type_from_qasite") in applied
    ContentType.objects.clear_cache()
    moved = ContentType.objects.get(pk=user_type.pk)
    assert (moved.app_label, moved.model) == ("accounts", "user")
    assert not ContentType.objects.filter(app_label="qasite").exists()
    assert counts == (get_user_model().objects.count(), Post.objects.count(), Vote.objects.count())
    editor = get_user_model().objects.get(username="old-editor")
    assert editor.has_perm("accounts.change_user")
    entry = LogEntry.objects.get(object_id=str(voter.pk))
    assert entry.content_type_id == user_type.pk
    assert entry.get_edited_object() == voter
    assert client.login(username="old-editor", password=DEMO_PASSWORD)


@pytest.mark.django_db
def test_a_session_made_before_the_move_stays_logged_in(client, settings):
    """Sessions store the backend's dotted path; Django logs out a session whose path is no
    longer configured, so the old one stays in AUTHENTICATION_BACKENDS."""
    user = UserFactory(username="returning", display_name="Returning Reader")
    client.force_login(user, backend="qasite.auth.ModelBackend")
    page = client.get("/").content.decode()
    assert "Returning Reader" in page
    assert 'action="/accounts/logout/"' in page

    settings.AUTHENTICATION_BACKENDS = ["accounts.auth.ModelBackend"]
    assert "Returning Reader" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_old_backend_path_never_authenticates(client):
    """A login tries the current backend once; the old path only reads existing sessions."""
    from qasite.auth import ModelBackend as OldPath

    UserFactory(username="someone")
    assert OldPath().authenticate(None, username="someone", password=DEMO_PASSWORD) is None
