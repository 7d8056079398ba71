"""Driving the Django admin in tests as a browser would: its URLs, what its change pages post
back, and how many queries its lists take."""

from django.db.models.fields.files import FieldFile
from django.urls import reverse

from tests.queries import assert_constant_queries as constant_page_queries


def admin_url(model, action: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=args)


def reload(obj):
    obj.refresh_from_db()
    return obj


def form_data(response, **changes) -> dict:
    """What a browser would post back from an admin change page, with ``changes`` applied
    (including the management forms of the inlines); unticked boxes and empty file fields
    are not sent."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is not None and not (isinstance(value, FieldFile) and not value):
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[formset.management_form.add_prefix(name)] = formset.management_form[name].value()
        for inline_form in formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None:
                    data[inline_form.add_prefix(name)] = value
    data.update(changes)
    return {name: value for name, value in data.items() if value is not False}


def post_changes(client, url: str, **changes):
    """Open the change page at ``url`` and save it with ``changes``."""
    return client.post(url, form_data(client.get(url), **changes))


def assert_constant_queries(client, model, add_rows) -> None:
    """``model``'s list takes as many queries with more rows (``add_rows`` adds some) as
    with a few."""
    constant_page_queries(client, admin_url(model, "changelist"), add_rows)
