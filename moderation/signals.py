"""What moderation announces, for the apps built on it (notifications…), connected in their
``AppConfig.ready``. Sent inside the action's transaction, after its rows are written, so a
receiver's own rows commit or roll back with the action."""

from django.dispatch import Signal

#: ``event`` (a ``ModerationEvent``) was recorded.
event_recorded = Signal()
#: ``flag`` (a ``Flag``) was raised on a post or a comment.
flag_raised = Signal()
#: The flags with ids ``flag_ids`` were handled (their new state is on the rows).
flags_handled = Signal()
#: ``suspension`` (a ``ReviewSuspension``) took a reviewer's review privileges away.
review_suspended = Signal()
#: The review ``task`` was completed with ``outcome``.
review_completed = Signal()
