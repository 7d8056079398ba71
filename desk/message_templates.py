"""The moderator message templates, as data: a moderator picks one, edits its text and sends
it (docs/rules.md, "Suspensions and moderator messages"). Texts after Stack Exchange's."""

from dataclasses import dataclass


@dataclass(frozen=True)
class MessageTemplate:
    key: str
    label: str
    subject: str
    body: str


_HELP = (
    "If you have questions about this message, reply to it here: your reply reaches the "
    "moderators, and only them."
)

TEMPLATES = (
    MessageTemplate(
        "low_quality",
        "Low-quality posts",
        "Your posts need improvement",
        "We noticed that many of your recent posts are of low quality: they are hard to "
        "understand, lack the details needed to answer them, or do not answer the question "
        "asked.\n\nPlease read [how to ask](/help/on-topic/) before posting again, and edit "
        "your existing posts to improve them.\n\n" + _HELP,
    ),
    MessageTemplate(
        "rude_comments",
        "Rude or abusive comments",
        "Your comments",
        "Some of your recent comments were rude or abusive toward other members. Everyone "
        "here is expected to be kind, even when disagreeing: criticise the content, never "
        "the person.\n\nFurther comments of this kind will lead to a suspension.\n\n" + _HELP,
    ),
    MessageTemplate(
        "voting_irregularities",
        "Voting irregularities",
        "Voting irregularities on your account",
        "We found votes between your account and a few others that look coordinated "
        "(targeted voting, sock puppets or voting rings). Those votes have been or will be "
        "reversed.\n\nVote on the content, not the person, and use one account only.\n\n" + _HELP,
    ),
    MessageTemplate(
        "plagiarism",
        "Plagiarism",
        "Copying content without attribution",
        "Some of your posts copy text from elsewhere without saying where it comes from. "
        "Content written by others must be quoted, linked to its source and credited to its "
        "author; a post that is mostly copied should not be posted at all.\n\n" + _HELP,
    ),
    MessageTemplate(
        "self_promotion",
        "Excessive self-promotion",
        "Promoting your own product or site",
        "Many of your posts promote a product or site you are affiliated with. You may "
        "mention your own work when it answers the question, but you must disclose your "
        "affiliation in each post, and it must not be most of what you post.\n\n" + _HELP,
    ),
    MessageTemplate("custom", "Something else", "", _HELP),
)

BY_KEY = {template.key: template for template in TEMPLATES}
