"""Rewords the default close reasons installed with one particular site's subject ("data
science") for ``QASITE["SITE"]["SUBJECT"]`` (docs/rules.md, "The site"). Only texts still
exactly as installed change: a text an admin edited is theirs."""

from django.db import migrations

from moderation.defaults import default_reasons

#: The texts migration 0002 installed that named a subject, by reason name and field.
INSTALLED = {
    ("Off-topic", "brief_description"): "This question does not appear to be about data "
    "science, within the scope of this site.",
    ("Off-topic", "post_notice"): "This question does not appear to be about data science, "
    "within the scope defined in the help center.",
    ("Career advice and job-market questions are off-topic here", "voter_guidance"): "The "
    "question asks for career advice or about the job market rather than about a "
    "data-science problem.",
    ("Career advice and job-market questions are off-topic here", "asker_guidance"): "Questions "
    "about careers, job titles, salaries or the job market are off-topic here. Ask about a "
    "data-science problem you are working on instead.",
    ("Questions about a specific commercial product's support", "asker_guidance"): "Contact the "
    "product's vendor for support. Questions about the underlying data-science technique are "
    "welcome here.",
}


def _defaults_by_name() -> dict[str, dict]:
    from core.conf import qasite_setting

    reasons: dict[str, dict] = {}
    for reason in default_reasons(qasite_setting("SITE.SUBJECT")):
        reasons[reason["name"]] = reason
        for child in reason.get("children", []):
            reasons[child["name"]] = child
    return reasons


def reword(apps, schema_editor):
    CloseReason = apps.get_model("moderation", "CloseReason")
    defaults = _defaults_by_name()
    for (name, field), installed in INSTALLED.items():
        CloseReason.objects.filter(name=name, **{field: installed}).update(
            **{field: defaults[name][field]}
        )


class Migration(migrations.Migration):
    dependencies = [("moderation", "0009_event_kind_account_destroyed")]
    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]
