"""Move the User's content type from (qasite, user) to (accounts, user).

Permissions and admin log entries point at the content type row, so renaming the row keeps
them; leaving it would let stale-content-type clean-up delete them with the old app."""

from django.db import migrations


def content_type_to_accounts(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    old = content_types.filter(app_label="qasite", model="user").first()
    if old is None:  # a database created after the move
        return
    # post_migrate may already have created (accounts, user) on an earlier, partial run:
    # keep the old row, which the permissions and log entries point at.
    content_types.filter(app_label="accounts", model="user").delete()
    old.app_label = "accounts"
    old.save(update_fields=["app_label"])


def content_type_to_qasite(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    content_types.filter(app_label="accounts", model="user").update(app_label="qasite")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(content_type_to_accounts, content_type_to_qasite)]
