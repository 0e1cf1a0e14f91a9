"""Two writers on the embedded default (SQLite, a file, several server threads or processes).

Every service reads the row it changes before writing it. In SQLite's default (deferred)
transactions, two such writers both hold a read lock when they come to write; SQLite refuses the
second at once ("database is locked") instead of letting it wait, whatever the busy timeout, so two
API clients saving at the same moment got a 500. The settings begin SQLite transactions with the
write lock (IMMEDIATE), so the second writer waits for the first instead.
"""

import contextlib
import threading

import pytest
from django.conf import settings
from django.db import connections, transaction

BARRIER_SECONDS = 1


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    """A fresh SQLite file with the options the settings give the embedded default, as alias
    `writers` (whatever database the suite itself runs on)."""
    config = {
        **connections["default"].settings_dict,
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "db.sqlite3"),
        "OPTIONS": dict(settings.SQLITE_OPTIONS),
        **dict.fromkeys(("USER", "PASSWORD", "HOST", "PORT"), ""),
    }
    connections.settings["writers"] = config
    with django_db_blocker.unblock():
        with connections["writers"].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)")
            cursor.execute("INSERT INTO counter VALUES (1, 0)")
        yield "writers"
        connections["writers"].close()
    del connections.settings["writers"]


def read_then_write(alias: str, both_have_read: threading.Barrier, errors: list) -> None:
    """What a service does: read the row, then write it, in one transaction."""
    try:
        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
            cursor.execute("SELECT value FROM counter WHERE id = 1")
            (value,) = cursor.fetchone()
            # Makes the race certain; broken when the other writer waits for our lock instead.
            with contextlib.suppress(threading.BrokenBarrierError):
                both_have_read.wait(BARRIER_SECONDS)
            cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
    except Exception as error:
        errors.append(error)
    finally:
        connections[alias].close()


def test_two_writers_that_read_first_wait_for_each_other_instead_of_failing(
    file_database, django_db_blocker
):
    both_have_read = threading.Barrier(2)
    errors: list = []
    with django_db_blocker.unblock():
        writers = [
            threading.Thread(target=read_then_write, args=(file_database, both_have_read, errors))
            for _ in range(2)
        ]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join()
        with connections[file_database].cursor() as cursor:
            cursor.execute("SELECT value FROM counter WHERE id = 1")
            (value,) = cursor.fetchone()

    assert errors == []
    assert value == 2
