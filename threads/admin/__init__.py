"""The admin for the Q&A core.

Services are the only writers (docs/architecture.md, "Where each kind of rule lives"): every add,
change and delete that moves a counter, a revision or reputation goes through ``threads.services``,
the same functions the site's views call; the admin holds no second copy of a transition.

- Posts: ``Question`` and ``Answer`` proxy admins (add → ``question_create`` /
  ``answer_create``; change → ``post_edit``, so a revision is made and ``body_html``
  re-rendered; delete → soft delete with ``post_delete``; "Undelete" → ``post_undelete``).
  ``Post`` itself is registered as a read-only lookup list (raw-id popups, autocomplete and
  links from other rows), whose change page redirects to the question or answer page.
- Counters, state fields (closed, locked, protected…) and ``body_html`` are read-only.
- Comments: add → ``comment_create``, delete → ``comment_delete``; the body is read-only
  (there is no comment edit service yet).
- Votes and comment votes: add, change and delete → ``vote_cast`` / ``vote_retract`` /
  ``comment_vote_cast`` / ``comment_vote_retract``.
- Revisions, tagged posts and the reputation ledger are history: read-only.

The services check who acts (the admin user; on an add form, the author, voter or
commenter chosen there), the target's state (deleted, locked, closed) and the input, as
they do for every entry point. The forms check text with ``threads.validation``, the site's
one validator, so a title too short or a bad tag is shown at its field; a refusal known only
when the service runs (a permission, a locked post, a rate limit) rolls the whole request
back and is shown as an error message on the page it came from (``ServiceRefusalsMixin``).

The package, one module per part of the site (importing this package registers them all):
``posts`` (with ``post_forms``), ``comments``, ``votes``, ``history`` and ``tags``; what
they share is in ``common`` (links, view-only admins and inlines), ``service_calls``
(``service_call`` / ``ServiceRefusalsMixin``, service deletes) and ``filters``.
"""

from threads.admin import comments, history, posts, tags, votes
from threads.admin.common import ReadOnlyAdmin
from threads.admin.posts import QuestionAdmin
from threads.admin.service_calls import ServiceRefusalsMixin, service_call

__all__ = [
    "QuestionAdmin",
    "ReadOnlyAdmin",
    "ServiceRefusalsMixin",
    "comments",
    "history",
    "posts",
    "service_call",
    "tags",
    "votes",
]
