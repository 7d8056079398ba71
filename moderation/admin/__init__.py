"""The admin for moderation.

Services are the only writers (docs/architecture.md, "Where each kind of rule lives"): the question
admin's Close, Reopen, Lock, Unlock, Protect and Unprotect actions check ``moderation.rules`` and
call ``moderation.services`` (which call ``threads.services`` for the state change), exactly as
the site's views do; the admin holds no second copy of a transition.

- Close reasons are data the admins edit (texts, active flag, order). Off-topic's
  site-specific sub-reasons are edited inline under the group. Closures keep a snapshot of
  the texts in force, so editing a reason never rewrites a closed question; a reason that
  has votes can't be deleted (``PROTECT``): untick "Active" to retire it.
- Close and reopen votes are history: read-only lists.
- Moderation events are the append-only public record: view only, no actions.
- Review tasks, reviews and review suspensions are written only by the review services
  (``moderation.tasks`` / ``moderation.reviews``): read-only lists. There is no service
  to lift a suspension yet, so the admin offers none either.
- Flags are raised on the site; the flag list's "Mark helpful" and "Decline" actions call
  ``moderation.flags.flag_handle`` with the moderator, as the flag queue does.

The package, one module per part (importing it registers them all): ``close_reasons``,
``votes``, ``events``, ``reviews``, ``flags`` and ``questions`` (the question admin's
moderation actions); what they share is in ``base``. It builds on ``threads.admin`` (its
links, view-only admins and ``service_call`` / ``ServiceRefusalsMixin``), never the other
way round.
"""

from moderation.admin import close_reasons, events, flags, questions, reviews, votes

__all__ = ["close_reasons", "events", "flags", "questions", "reviews", "votes"]
