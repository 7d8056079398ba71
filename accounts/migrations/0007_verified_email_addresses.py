"""A primary allauth ``EmailAddress`` for every existing user with an address (verified,
as ``User.email_verified`` says: every user made before sign-up through allauth), so
that they log in by email and reset their password (docs/architecture.md, "Accounts").
Addresses shared by several users (compared without case) go to the first user only; users
who already have rows are left alone."""

from django.db import migrations


def addresses_create(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    taken = {email.lower() for email in EmailAddress.objects.values_list("email", flat=True)}
    having = set(EmailAddress.objects.values_list("user_id", flat=True).distinct())
    rows = []
    users = User.objects.exclude(email="").order_by("pk")
    for pk, email, verified in users.values_list("pk", "email", "email_verified").iterator(
        chunk_size=2000
    ):
        email = email.strip().lower()  # allauth keeps addresses in lower case
        if not email or pk in having or email in taken:
            continue
        taken.add(email)
        rows.append(EmailAddress(user_id=pk, email=email, verified=verified, primary=True))
    EmailAddress.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_account_event_log"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(addresses_create, migrations.RunPython.noop)]
