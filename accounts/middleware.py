from accounts.profiles import record_last_seen


class LastSeenMiddleware:
    """Records when a logged-in member was last seen, at most every
    ``LAST_SEEN_EVERY_MINUTES``: compared with the row the request already loaded, so one
    UPDATE when it is stale and no query otherwise (docs/rules.md, "Profiles and avatars")."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            record_last_seen(user)
        return self.get_response(request)
