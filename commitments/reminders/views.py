"""The unsubscribe / snooze page linked from every digest; the signed token is the only credential.

GET only shows a confirmation: mail link scanners fetch links, and fetching must change nothing.
POST changes the preference. The view is CSRF-exempt because RFC 8058 one-click unsubscribe is a
POST from the mail provider, which has no CSRF cookie; CSRF protects actions riding on a logged-in
session, and this one rides on nothing but the signed token in its URL.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core import signing
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .. import clock
from ..formatting import DATIVE, long_date, without_double_stop
from ..languages import profile_language
from . import preferences
from .models import ReminderPreference
from .planning import is_snooze_running, reminder_today


def _bad_link(request, reason: str):
    return render(request, "reminders/bad_link.html", {"reason": reason}, status=400)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        user_id = preferences.user_id_from_token(token)
    except signing.BadSignature:
        return _bad_link(
            request, _("This unsubscribe link is not valid: it may have been altered.")
        )
    user = get_user_model().objects.select_related("staff_profile").filter(pk=user_id).first()
    if user is None:
        return _bad_link(request, _("This unsubscribe link belongs to an account that is gone."))
    # The page speaks the language of the emails it is about, when the recipient chose one,
    # and says so in its header (LocaleMiddleware would name the browser's language).
    language = profile_language(user) or translation.get_language()
    with translation.override(language):
        response = _preference_page(request, user)
    response["Content-Language"] = language
    return response


def _preference_page(request, user):

    done = None
    if request.method == "POST":
        # RFC 8058 one-click posts "List-Unsubscribe=One-Click" and means opt out.
        action = request.POST.get("action") or (
            "unsubscribe" if request.POST.get("List-Unsubscribe") == "One-Click" else ""
        )
        if action == "unsubscribe":
            preferences.reminder_opt_out(user.pk)
            done = _("Done: you are unsubscribed.")
        elif action == "resubscribe":
            preferences.reminder_resubscribe(user.pk)
            done = _("Done: you are resubscribed.")
        elif action == "snooze":
            try:
                days = int(request.POST.get("days", ""))
                until = preferences.reminder_snooze(user.pk, days, now=clock.now())
            except ValueError:
                choices = ", ".join(str(d) for d in preferences.SNOOZE_CHOICES)
                return _bad_link(
                    request,
                    _("days: choose one of %(choices)s days to snooze.") % {"choices": choices},
                )
            done = without_double_stop(
                _("Done: you are snoozed until %(date)s.") % {"date": long_date(until, DATIVE)}
            )
        else:
            return _bad_link(
                request, _("action: choose one of unsubscribe, snooze or resubscribe.")
            )

    preference = ReminderPreference.objects.filter(user=user).first()
    return render(
        request,
        "reminders/unsubscribe.html",
        {
            "email": user.email,
            "done": done,
            "preference": preference,
            "snoozed_until": _current_snooze(preference),
            "snooze_choices": preferences.SNOOZE_CHOICES,
        },
    )


def _current_snooze(preference: ReminderPreference | None) -> date | None:
    """The last day of a snooze still running; None once it has run out (digests come again,
    `planning.eligible_recipients`), so the page never calls a past snooze current."""
    until = preference.snoozed_until if preference else None
    return until if is_snooze_running(until, reminder_today(clock.now())) else None
