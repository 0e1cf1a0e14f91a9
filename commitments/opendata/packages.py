"""The published package: one zip file built ahead of the downloads that serve it.

Built into settings.OPENDATA_ROOT as `datapackage-<digest>.zip`, named by the first hex digits
of its SHA-256 (the download's ETag); `current.json` says which file is current and for which
state of the record (its last change). A download reads that small file, asks the database one
question (the record's last change: three indexed aggregates) and hands the file to the web
server: no row is read on a request once a package exists.

The record changing (`changes.commitment_changed`) asks for a rebuild after the transaction
commits; the asks of one OPENDATA_REBUILD_DELAY window share one Celery task (a `pending` marker
file), and a download that finds the package behind the record serves it anyway and asks too.
Files are written beside their final name and renamed into place, so a reader never sees half a
package; a download already streaming an older file keeps its open file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from celery import current_app
from django.conf import settings
from django.db import transaction

from .. import clock
from . import exporting, schema

log = logging.getLogger(__name__)

POINTER = "current.json"
PENDING = "pending"
LOCK = "building"
_PREFIX = "datapackage-"


@dataclass(frozen=True)
class Built:
    """A built package: its file, its ETag, and the record's last change it holds."""

    path: Path
    etag: str
    record: str  # the record's last change as the descriptor writes it ("" for an empty record)
    size: int

    @property
    def last_modified(self) -> dt.datetime | None:
        return schema.instant_of_text(self.record)


def root() -> Path:
    return Path(settings.OPENDATA_ROOT)


def record_state() -> str:
    """The record's last change as `Built.record` spells it (one query per table dated)."""
    return schema.instant_text(exporting.record_last_modified())


def current() -> Built | None:
    """The current package, or None when none was built (or its file is gone)."""
    try:
        pointer = json.loads((root() / POINTER).read_text(encoding="utf-8"))
        path = root() / pointer["file"]
        size = path.stat().st_size
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Built(path=path, etag=pointer["etag"], record=pointer["record"], size=size)


def _write_atomically(path: Path, data: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".", delete=False) as handle:
        handle.write(data)
    os.replace(handle.name, path)


def build() -> Built:
    """Build the package from the record as it is now and make it current."""
    folder = root()
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=folder, prefix=".", suffix=".zip")
    try:
        with os.fdopen(fd, "wb") as handle:
            descriptor = exporting.write_package(handle)
        digest = hashlib.sha256()
        with open(name, "rb") as written:
            for block in iter(lambda: written.read(1 << 20), b""):
                digest.update(block)
        etag = digest.hexdigest()[:32]
        path = folder / f"{_PREFIX}{etag}.zip"
        os.chmod(name, 0o644)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    record = descriptor.get("last_modified", "")
    pointer = {"file": path.name, "etag": etag, "record": record}
    _write_atomically(folder / POINTER, json.dumps(pointer).encode("utf-8"))
    for old in folder.glob(f"{_PREFIX}*.zip"):
        if old != path:
            old.unlink(missing_ok=True)  # an open download keeps reading its file
    return Built(path=path, etag=etag, record=record, size=path.stat().st_size)


def _fresh_marker(path: Path, max_age: float) -> bool:
    """Create `path` unless a younger one than `max_age` seconds exists; True if created."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        try:
            age = clock.now().timestamp() - path.stat().st_mtime
        except FileNotFoundError:
            return _fresh_marker(path, max_age)
        if age < max_age:
            return False
        path.unlink(missing_ok=True)  # left by a lost task or a crashed build
        return _fresh_marker(path, max_age)
    os.close(fd)
    return True


def request_rebuild() -> bool:
    """Ask for a rebuild in OPENDATA_REBUILD_DELAY seconds, unless one is already asked for.
    Never raises: a change or a download must not fail because the broker is away."""
    folder = root()
    delay = settings.OPENDATA_REBUILD_DELAY
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # A marker older than the delay plus a build's time means its task was lost.
        if not _fresh_marker(folder / PENDING, delay + settings.OPENDATA_BUILD_TIME_LIMIT):
            return False
        # By the task's name: the task's module imports this one, never the other way round.
        current_app.signature("commitments.opendata.rebuild").apply_async(countdown=delay)
    except Exception:
        (folder / PENDING).unlink(missing_ok=True)
        log.exception("Could not ask for the open data package to be rebuilt.")
        return False
    return True


def on_record_changed(**kwargs) -> None:
    """`changes.commitment_changed` receiver: a rebuild once the change is committed."""
    if settings.OPENDATA_REBUILD_ON_CHANGE:
        transaction.on_commit(request_rebuild)


def rebuild(*, force: bool = False) -> str:
    """Build the package unless it already holds the record's last change (always with force);
    what happened, in a word. One build at a time: another asked during it runs after."""
    folder = root()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PENDING).unlink(missing_ok=True)  # a change from now on asks again
    existing = current()
    if not force and existing is not None and existing.record == record_state():
        return "current"
    if not _fresh_marker(folder / LOCK, settings.OPENDATA_BUILD_TIME_LIMIT):
        request_rebuild()
        return "busy"
    try:
        built = build()
    finally:
        (folder / LOCK).unlink(missing_ok=True)
    return "unchanged" if existing is not None and existing.etag == built.etag else "built"


def for_download() -> tuple[Built, IO[bytes]]:
    """The package to serve now and its file, open: the current one (a rebuild asked for when
    the record has changed since), or one built on the spot when none exists yet. The file is
    opened before anything may replace it; a build that replaced it between reading the pointer
    and opening the file sends us to the new one."""
    for _attempt in range(3):
        existing = current()
        if existing is None:
            break
        try:
            handle = existing.path.open("rb")
        except FileNotFoundError:
            continue
        if existing.record != record_state():
            request_rebuild()
        return existing, handle
    built = build()
    return built, built.path.open("rb")
