"""What the moderation admins share: the refusals they report, who may moderate, and the
action bar with the choices an action reads."""

from django.contrib.admin.helpers import ActionForm

from accounts.privileges import is_moderator
from moderation.services import ModerationError
from threads.admin.service_calls import REFUSALS

#: ``ServiceRefusalsMixin.service_refusals`` of moderation's admins.
MODERATION_REFUSALS = (*REFUSALS, ModerationError)


def is_acting_moderator(user) -> bool:
    return is_moderator(user) and user.is_active


def action_form_with(choices: type) -> type[ActionForm]:
    """A changelist's action bar (``ModelAdmin.action_form``) with the fields of the form
    ``choices`` next to the action. Django checks only the action here (an invalid form
    reads "No action selected."); each action validates the fields it uses and says what is
    wrong."""

    class ChoicesActionForm(ActionForm, choices):
        field_order = ["action", "select_across", *choices.base_fields]

        def full_clean(self):
            super().full_clean()
            for name in choices.base_fields:
                self._errors.pop(name, None)

    name = choices.__name__.removesuffix("Fields") + "ActionForm"
    ChoicesActionForm.__name__ = ChoicesActionForm.__qualname__ = name
    return ChoicesActionForm
