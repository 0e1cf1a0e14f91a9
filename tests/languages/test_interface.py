"""Each language as its users meet it: a public page, an admin page, an API error and a digest.

English (en-gb) is the source language; ru is complete; kk and ky cover these screens.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from commitments import formatting
from commitments.models import StaffProfile
from commitments.reminders.delivery import deliver_digests
from commitments.reminders.email import build_digest_email
from commitments.reminders.planning import plan_digests
from commitments.rules import Status
from tests.support.admin import change_url, changelist_url, logged_in_staff
from tests.support.api import client_for
from tests.support.factories import CommitmentFactory, MeetingFactory, UserFactory

# What a reader of each language sees; the English column is what the pages always said.
EXPECTED = {
    "en-gb": {
        "prefix": "",
        "heading": "Commitments between Kazakhstan and Kyrgyzstan",
        "announced": "Announced",
        "category": "Border and transport",
        "amount": "1.34 billion USD",
        "date": "5 December 2024",
        "admin_owner": "Owner",
        "admin_logout": "Log out",
        "admin_keep_status": "— keep current status —",
        "api_title": "Bad Request",
        "api_detail": "Cannot move from “Announced” to “Completed”",
        "digest_subject": "1 stale commitment needs your review",
        "digest_hello": "Hello Aigerim,",
        "digest_edit": "Edit",
    },
    "ru": {
        "prefix": "/ru",
        "heading": "Обязательства Казахстана и Кыргызстана",
        "announced": "Объявлено",
        "category": "Граница и транспорт",
        "amount": "1,34 млрд долларов США",
        "date": "5 декабря 2024 г.",
        "admin_owner": "Ответственная сторона",
        "admin_logout": "Выйти",
        "admin_keep_status": "— оставить текущий статус —",
        "api_title": "Некорректный запрос",
        "api_detail": "Переход из статуса «Объявлено» в статус «Выполнено» недопустим",
        "digest_subject": "1 обязательство требует вашей проверки",
        "digest_hello": "Здравствуйте, Aigerim!",
        "digest_edit": "Изменить",
    },
    "kk": {
        "prefix": "/kk",
        "heading": "Қазақстан мен Қырғызстанның міндеттемелері",
        "announced": "Жарияланды",
        "category": "Шекара және көлік",
        "amount": "1,34 млрд АҚШ доллары",
        "date": "2024 жылғы 5 желтоқсан",
        "admin_owner": "Жауапты тарап",
        "admin_logout": "Шығу",
        "admin_keep_status": "— ағымдағы мәртебесін қалдыру —",
        "api_title": "Жарамсыз сұрау",
        "api_detail": "«Жарияланды» мәртебесінен «Орындалды» мәртебесіне ауысуға болмайды",
        "digest_subject": "1 міндеттеме сіздің тексеруіңізді қажет етеді",
        "digest_hello": "Құрметті Aigerim!",
        "digest_edit": "Өзгерту",
    },
    "ky": {
        "prefix": "/ky",
        "heading": "Казакстан менен Кыргызстандын милдеттенмелери",
        "announced": "Жарыяланды",
        "category": "Чек ара жана транспорт",
        "amount": "1,34 млрд АКШ доллары",
        "date": "2024-жылдын 5-декабры",
        "admin_owner": "Жооптуу тарап",
        "admin_logout": "Чыгуу",
        "admin_keep_status": "— учурдагы статусун калтыруу —",
        "api_title": "Жараксыз суроо",
        "api_detail": "«Жарыяланды» статусунан «Аткарылды» статусуна өтүүгө болбойт",
        "digest_subject": "1 милдеттенме сиздин текшерүүңүздү талап кылат",
        "digest_hello": "Урматтуу Aigerim!",
        "digest_edit": "Өзгөртүү",
    },
}
LANGUAGES = list(EXPECTED)


@pytest.fixture(params=LANGUAGES)
def code(request) -> str:
    """Each language in turn."""
    return request.param


@pytest.fixture
def expected(code) -> dict[str, str]:
    """What a reader of `code` sees."""
    return EXPECTED[code]


def html_lang(content: str) -> str:
    return re.search(r'<html lang="([^"]+)"', content).group(1)


def page_in(response, code: str, status: int = 200) -> str:
    """The page's HTML, once it has answered with `status` in language `code`."""
    content = response.content.decode()
    assert response.status_code == status
    assert html_lang(content) == code
    return content


def public_page(client, code: str, path: str = "/") -> str:
    """The public page at `path` under `code`'s prefix, answered in `code`."""
    return page_in(client.get(f"{EXPECTED[code]['prefix']}{path}"), code)


@pytest.fixture
def commitment(kz, kg):
    return CommitmentFactory(
        slug="logistics-complex",
        status=Status.ANNOUNCED,
        partners=["KG"],
        target_amount=Decimal("1340000000"),
        target_unit="USD",
        target_date=dt.date(2024, 12, 5),
        meeting=MeetingFactory(),
    )


# --- public pages ---------------------------------------------------------------------------


def test_public_list_speaks_the_language_of_its_prefix(client, commitment, code, expected):
    content = public_page(client, code)
    assert expected["heading"] in content
    assert expected["announced"] in content
    assert expected["category"] in content
    assert f'href="{expected["prefix"]}/commitments/logistics-complex/"' in content
    # Alternates for every language (search engines) and the switcher (people), no script.
    for other, prefix in (("en-gb", ""), ("ru", "/ru"), ("kk", "/kk"), ("ky", "/ky")):
        assert f'hreflang="{other}" href="http://testserver{prefix}/"' in content
        assert f'<a href="{prefix}/" hreflang="{other}" lang="{other}"' in content
    assert 'hreflang="x-default" href="http://testserver/"' in content


def test_commitment_page_formats_amounts_and_dates_for_its_language(
    client, commitment, code, expected
):
    content = public_page(client, code, "/commitments/logistics-complex/")
    assert expected["amount"] in content
    assert expected["date"] in content
    # The chart's coordinates stay numbers an SVG renderer reads, whatever the decimal comma.
    svg = content[content.index("<svg") : content.index("</svg>")]
    assert re.findall(r'(?:x|y|y1|y2|x1|x2|width|height)="[^"]*,[^"]*"', svg) == []


def test_english_keeps_its_old_addresses_and_feeds_keep_theirs(client, commitment):
    assert client.get("/commitments/logistics-complex/").status_code == 200
    assert client.get("/dashboard/").status_code == 200
    english = client.get("/feeds/status-changes.atom")
    russian = client.get("/ru/feeds/status-changes.atom")
    assert english.status_code == russian.status_code == 200
    assert b"Status changes of commitments" in english.content
    assert "Изменения статуса обязательств".encode() in russian.content
    assert client.get("/en-gb/").status_code == 404  # English has one address, unprefixed


def test_switching_language_keeps_the_page_and_its_query(client, commitment):
    content = client.get("/ru/?status=announced").content.decode()
    assert '<a href="/kk/?status=announced" hreflang="kk"' in content
    assert '<a href="/?status=announced" hreflang="en-gb"' in content
    assert 'aria-current="true">Русский</a>' in content


def test_a_missing_page_in_russian_is_a_russian_404(client, db):
    content = page_in(client.get("/ru/commitments/no-such-thing/"), "ru", status=404)
    assert "Страница не найдена" in content


# --- admin ----------------------------------------------------------------------------------


def test_admin_follows_the_staff_members_profile_language(client, commitment, code, expected):
    user = logged_in_staff(client, "KZ")
    StaffProfile.objects.create(user=user, language=code)
    content = page_in(client.get(changelist_url(), HTTP_ACCEPT_LANGUAGE="de"), code)
    assert expected["admin_owner"] in content  # our label
    assert expected["admin_logout"] in content  # Django's own catalogue
    assert expected["announced"] in content
    change = client.get(change_url(commitment)).content.decode()
    assert expected["announced"] in change
    assert expected["admin_keep_status"] in change  # the status menu's empty choice


def test_admin_without_a_chosen_language_follows_the_browser(client, commitment):
    logged_in_staff(client, "KZ")
    content = client.get(changelist_url(), HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9").content.decode()
    assert html_lang(content) == "ru"
    content = client.get(changelist_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert html_lang(content) == "en-gb"


def test_staff_member_sets_their_own_language_from_the_admin_header(client, commitment):
    user = logged_in_staff(client, "KZ")
    header = client.get(reverse("admin:index")).content.decode()
    language_link = reverse("admin:commitments_staffprofile_changelist")
    assert f'href="{language_link}"' in header
    own = client.get(language_link)
    assert own.status_code == 302
    profile = StaffProfile.objects.get(user=user)
    assert own["Location"] == reverse("admin:commitments_staffprofile_change", args=[profile.pk])
    saved = client.post(own["Location"], {"language": "kk", "_save": "1"})
    assert saved.status_code == 302
    assert html_lang(client.get(changelist_url()).content.decode()) == "kk"


def test_staff_member_cannot_open_someone_elses_profile(client, db):
    other = UserFactory(username="other")
    profile = StaffProfile.objects.create(user=other, language="ru")
    logged_in_staff(client, "KZ")
    url = reverse("admin:commitments_staffprofile_change", args=[profile.pk])
    assert client.get(url).status_code in (302, 403, 404)
    client.post(url, {"language": "en-gb"})
    profile.refresh_from_db()
    assert profile.language == "ru"


# --- API ------------------------------------------------------------------------------------


def test_api_errors_follow_accept_language(commitment, kz_officer, code, expected):
    api = client_for(kz_officer)
    url = f"/api/v1/commitments/{commitment.pk}/transitions/"
    body = {"status": "completed", "note": "n"}
    response = api.post(url, body, format="json", HTTP_ACCEPT_LANGUAGE=code)
    problem = response.json()
    assert response.status_code == 400
    assert response["Content-Language"] == code
    assert "Accept-Language" in response["Vary"]
    assert problem["title"] == expected["api_title"]
    assert expected["api_detail"] in problem["errors"]["status"][0]


def test_api_error_title_in_russian_for_each_status(db, reader):
    api = client_for(reader)
    response = api.get("/api/v1/commitments/999999/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    assert response.json()["title"] == "Не найдено"
    assert response.json()["detail"] == "Не найдено."
    response = api.get("/api/v1/commitments/?page_size=0", HTTP_ACCEPT_LANGUAGE="ru")
    assert "Укажите целое число от 1 до" in response.json()["errors"]["page_size"][0]


# --- the digest -----------------------------------------------------------------------------

NOW = dt.datetime(2026, 11, 22, 4, 0, tzinfo=dt.UTC)


def test_digest_is_written_in_the_recipients_language(kz, code, expected, settings):
    settings.SITE_URL = "https://tracker.example.org"
    user = UserFactory(username="aigerim", first_name="Aigerim")
    StaffProfile.objects.create(user=user, language=code)
    stale = CommitmentFactory(last_reviewed_at=dt.datetime(2024, 12, 5, 6, 0, tzinfo=dt.UTC))
    before = translation.get_language()
    message = build_digest_email(user, [stale], period="2026-11-22", now=NOW)
    html = message.alternatives[0][0]
    assert message.subject == expected["digest_subject"]
    assert expected["digest_hello"] in message.body
    assert expected["date"] in message.body
    assert expected["announced"] in html
    assert expected["digest_edit"] in html
    assert html_lang(html) == code
    assert message.extra_headers["Content-Language"] == code
    assert translation.get_language() == before  # the override ends with the message


def test_digest_without_a_chosen_language_is_in_the_default_language(kz):
    user = UserFactory(username="bakyt", first_name="Bakyt")
    stale = CommitmentFactory(last_reviewed_at=dt.datetime(2024, 12, 5, 6, 0, tzinfo=dt.UTC))
    with translation.override("ru"):  # whatever the worker happens to have active
        message = build_digest_email(user, [stale], period="2026-11-22", now=NOW)
    assert message.subject == "1 stale commitment needs your review"


def test_reminder_run_sends_each_recipient_their_language(kz, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    russian = UserFactory(username="ru-officer", countries=["KZ"])
    english = UserFactory(username="en-officer", countries=["KZ"])
    StaffProfile.objects.create(user=russian, language="ru")
    # Without a choice a Kazakh officer who never opened the admin would get Kazakh (their
    # country's); this one chose English.
    StaffProfile.objects.create(user=english, language="en-gb")
    stale = CommitmentFactory(last_reviewed_at=NOW - dt.timedelta(days=60))
    stale.responsible_users.set([russian, english])
    deliver_digests(plan_digests(NOW).digests, now=NOW)
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[russian.email] == "1 обязательство требует вашей проверки"
    assert subjects[english.email] == "1 stale commitment needs your review"


# --- formats --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "amount", "small", "exact", "date"),
    [
        ("en-gb", "1.34 billion USD", "1,500 KGS", "2,000,000,000.50 USD", "5 December 2024"),
        (
            "ru",
            "1,34 млрд долларов США",
            "1 500 сомов",
            "2 000 000 000,50 USD",
            "5 декабря 2024 г.",
        ),
        (
            "kk",
            "1,34 млрд АҚШ доллары",
            "1 500 сом",
            "2 000 000 000,50 USD",
            "2024 жылғы 5 желтоқсан",
        ),
        (
            "ky",
            "1,34 млрд АКШ доллары",
            "1 500 сом",
            "2 000 000 000,50 USD",
            "2024-жылдын 5-декабры",
        ),
    ],
)
def test_amounts_and_dates_in_each_language(code, amount, small, exact, date):
    def shown(text: str) -> str:  # thousands are separated by no-break spaces outside English
        return text.replace("\xa0", " ")

    with translation.override(code):
        assert formatting.format_amount(Decimal("1340000000"), "USD") == amount
        assert shown(formatting.format_amount(Decimal("1500"), "KGS")) == small
        assert shown(formatting.format_exact(Decimal("2000000000.50"), "USD")) == exact
        assert formatting.long_date(dt.date(2024, 12, 5)) == date


def test_russian_unit_names_agree_with_the_number():
    with translation.override("ru"):
        assert formatting.format_amount(1, "USD") == "1 доллар США"
        assert formatting.format_amount(3, "USD") == "3 доллара США"
        assert formatting.format_amount(25, "USD") == "25 долларов США"
        assert formatting.format_amount(Decimal("1.5"), "USD") == "1,5 доллара США"
        assert formatting.format_amount(Decimal("2500000"), "KGS") == "2,5 млн сомов"
        assert formatting.format_amount(7, "widgets") == "7 widgets"  # unknown units stay


def test_unsubscribe_page_speaks_the_recipients_language(client, db):
    from commitments.reminders.preferences import unsubscribe_token

    user = UserFactory(username="aigerim")
    StaffProfile.objects.create(user=user, language="ky")
    url = reverse("reminders:unsubscribe", kwargs={"token": unsubscribe_token(user.pk)})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html_lang(page) == "ky"
    assert "Баш тартуу" in page
    done = client.post(url, {"action": "unsubscribe"}).content.decode()
    assert "Даяр: сиз таратуудан баш тарттыңыз." in done
    token = unsubscribe_token(user.pk)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    forged_url = reverse("reminders:unsubscribe", kwargs={"token": tampered})
    forged = client.get(forged_url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert html_lang(forged) == "ru"  # no recipient to ask: the browser's language
    assert "Ссылка для отказа от рассылки недействительна" in forged
