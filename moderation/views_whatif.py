"""The policy what-if page (/moderation/what-if/, docs/rules.md, "Policy what-if"): a GET
form, and the replay of the log under the recorded and the proposed policy side by side.
Moderators only (anyone else gets a 404); it never writes."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.conf import qasite_setting
from moderation import rules, whatif
from moderation.forms import WhatIfForm
from moderation.views import activity_chart

COLUMNS = ("logged", "recorded", "proposed")
ROWS = (
    ("closed", "Closures"),
    ("questions_closed", "Questions closed"),
    ("close_median", "Median time to close"),
    ("close_mean", "Mean time to close"),
    ("reopened", "Reopenings"),
    ("questions_reopened", "Questions reopened"),
    ("reopen_median", "Median time to reopen"),
    ("reopen_mean", "Mean time to reopen"),
    ("untimed", "Imported closures and reopenings (their votes' times unknown)"),
    ("votes_ignored", "Votes the replay found already decided (not counted)"),
)
TIMES = {"close_median", "close_mean", "reopen_median", "reopen_mean"}


def duration(hours: float | None) -> str:
    if hours is None:
        return "—"
    return f"{hours:.1f} hours" if hours < 48 else f"{hours / 24:.1f} days"


def _table(comparison: whatif.Comparison) -> list[dict]:
    summaries = {name: getattr(comparison, name).summary() for name in COLUMNS}
    rows = []
    for key, label in ROWS:
        values = [summaries[name][key] for name in COLUMNS]
        if key in TIMES:
            cells = ["—", *(duration(value) for value in values[1:])]
        else:
            cells = ["—" if key in ("untimed", "votes_ignored") else values[0], *values[1:]]
        rows.append({"label": label, "cells": cells, "differs": values[1] != values[2]})
    return rows


def _charts(comparison: whatif.Comparison) -> list[dict]:
    weeks = comparison.weeks()
    charts = []
    for kind, title in (("closed", "Closures per week"), ("reopened", "Reopenings per week")):
        series = [
            {"week": row["week"], **{name: row[name][kind] for name in COLUMNS}} for row in weeks
        ]
        words = {"recorded": f"{kind}, recorded policy", "proposed": f"{kind}, proposed policy"}
        charts.append(
            {
                "id": kind,
                "title": title,
                "series": series,
                "svg": activity_chart(series, keys=words, when="week"),
            }
        )
    return charts


@login_required
@require_GET
def policy_whatif(request):
    try:
        rules.check_view_dashboard_permission(request.user)
    except PermissionDenied:
        raise Http404("No such page.") from None
    today = timezone.now().date()
    days = qasite_setting("WHATIF.DEFAULT_WINDOW_DAYS")
    initial = {
        "start": today - timedelta(days=days - 1),
        "end": today,
        "close_votes": qasite_setting("CLOSE_VOTES_TO_CLOSE"),
        "reopen_votes": qasite_setting("REOPEN_VOTES_TO_REOPEN"),
        "aging_days": qasite_setting("CLOSE_VOTE_AGING_DAYS"),
        "leave_open": qasite_setting("REVIEW.CLOSE_LEAVE_OPEN_TO_COMPLETE"),
        "leave_closed": qasite_setting("REVIEW.REOPEN_LEAVE_CLOSED_TO_COMPLETE"),
    }
    form = WhatIfForm(request.GET or None, initial=initial)
    context = {"form": form, "max_days": form.max_days}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        comparison = whatif.compare(
            start=data["start_at"],
            end=data["end_at"],
            proposed=form.policy(),
            include_imported=data["include_imported"],
        )
        context.update(comparison=comparison, table=_table(comparison), charts=_charts(comparison))
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "moderation/whatif.html", context, status=status)
