from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_content_type_from_qasite"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="suspended_until",
            field=models.DateTimeField(
                blank=True,
                help_text="Suspended while this is in the future (set by the moderator's desk).",
                null=True,
            ),
        ),
    ]
