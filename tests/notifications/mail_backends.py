"""Email backends for the mail tests: one that always fails, one that fails once."""

from django.core.mail.backends.locmem import EmailBackend


class BrokenBackend(EmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


class FailOnceBackend(EmailBackend):
    """Refuses the first send of the test (``failures`` counts), then delivers to the
    local outbox."""

    failures = 0

    def send_messages(self, messages):
        if FailOnceBackend.failures == 0:
            FailOnceBackend.failures += 1
            raise ConnectionRefusedError("the mail server is down, once")
        return super().send_messages(messages)
