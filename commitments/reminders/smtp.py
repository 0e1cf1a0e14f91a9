"""An SMTP backend that tells the delivery how far the conversation got.

The one boundary that matters is the end of DATA: once the final "." may have reached the server,
the message may have been accepted even if no answer comes back, so it must never be sent again.
`before_end_of_data` runs just before that "." is written, and the delivery records the phase in
the database there; if that write fails, the connection is dropped without the "." and the server
discards the message. The other phases are kept in memory and recorded with the outcome.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable

from django.core.mail.backends.smtp import EmailBackend

from .models import Reminder

Phase = Reminder.Phase
CRLF = b"\r\n"


class _PhasedMixin:
    backend: PhasedEmailBackend

    def __init__(self, *args, backend: PhasedEmailBackend, **kwargs):
        self.backend = backend
        backend.phase = Phase.CONNECT
        super().__init__(*args, **kwargs)

    def _get_socket(self, host, port, timeout):
        sock = super()._get_socket(host, port, timeout)
        self.backend.phase = Phase.GREETING
        return sock

    def mail(self, *args, **kwargs):
        self.backend.phase = Phase.MAIL
        return super().mail(*args, **kwargs)

    def data(self, msg):
        # smtplib.SMTP.data, with a hook between the body and the final "." (RFC 5321 4.1.1.4).
        self.backend.phase = Phase.DATA
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if isinstance(msg, str):
            msg = smtplib._fix_eols(msg).encode("ascii")
        body = smtplib._quote_periods(msg)
        if body[-2:] != CRLF:
            body += CRLF
        self.send(body)
        try:
            if self.backend.before_end_of_data is not None:
                self.backend.before_end_of_data()
        except BaseException:
            self.close()  # drop the socket: without the "." the server discards the message
            raise
        self.backend.phase = Phase.END_OF_DATA
        self.send(b"." + CRLF)
        code, reply = self.getreply()
        self.backend.phase = Phase.ANSWERED
        self.backend.last_answer = code
        return code, reply


class _PhasedSMTP(_PhasedMixin, smtplib.SMTP):
    pass


class _PhasedSMTPSSL(_PhasedMixin, smtplib.SMTP_SSL):
    pass


class PhasedEmailBackend(EmailBackend):
    """Django's SMTP backend; `phase` says how far the last message got."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.phase = Phase.CLAIMED
        self.last_answer: int | None = None
        self.before_end_of_data: Callable[[], None] | None = None

    @property
    def connection_class(self):
        cls = _PhasedSMTPSSL if self.use_ssl else _PhasedSMTP

        def connect(*args, **kwargs):
            return cls(*args, backend=self, **kwargs)

        return connect

    def start_message(self, before_end_of_data: Callable[[], None]) -> None:
        # A reused connection starts the next message at the envelope.
        self.phase = Phase.MAIL if self.connection else Phase.CONNECT
        self.last_answer = None
        self.before_end_of_data = before_end_of_data
