"""The default close reasons (admins edit them afterwards; closures keep their own copy)."""

from django.db import migrations

from moderation.defaults import install_close_reasons


def install(apps, schema_editor):
    install_close_reasons(apps.get_model("moderation", "CloseReason"))


def remove(apps, schema_editor):
    CloseReason = apps.get_model("moderation", "CloseReason")
    CloseReason.objects.filter(parent__isnull=False).delete()
    CloseReason.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
