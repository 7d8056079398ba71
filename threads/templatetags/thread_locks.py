"""What a lock still allows, for templates: the same table the actions check."""

from django import template

from threads import locks

register = template.Library()


@register.filter
def accepts(post, interaction: str) -> bool:
    """``{% if post|accepts:"edit" %}``: no lock on the post or its question refuses it."""
    return locks.allows(post, interaction)


@register.filter
def lock_refuses(post) -> str:
    """What the lock on ``post`` refuses, as a phrase: "votes, edits, comments or answers"."""
    return locks.refused_text(post)
