"""The admin's pages in tests: where they are, and what a browser posts back from their
forms."""

from django.urls import reverse


def admin_url(model, action: str, *args) -> str:
    """The admin page of ``model`` for ``action`` ("changelist", "add", "change"…; the
    row's id in ``args`` where the page needs one)."""
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=args)


def form_data(response, **changes) -> dict:
    """What a browser would post back from an admin change page, with ``changes`` applied:
    the form's values and its inlines' (with their management forms). A false value, like
    an unticked checkbox, is left out, as a browser leaves it out."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is not None:
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
