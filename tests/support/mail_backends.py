"""Email backends for the reminder tests' failure paths."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    """Refuses the first `failures_left` sends like a mail server that is down, then delivers."""

    failures_left = 0
    # What each failure raises: a passing one by default; a test may set a permanent 550.
    error = None

    def send_messages(self, messages):
        if FlakyBackend.failures_left > 0:
            FlakyBackend.failures_left -= 1
            raise FlakyBackend.error or smtplib.SMTPServerDisconnected(
                "Connection unexpectedly closed"
            )
        return super().send_messages(messages)
