"""The house as ARCHITECTURE.md draws it, read from the code's own imports.

Each sub-package of `commitments/` is one room and each top-level module another. No two rooms
import each other, even through others; the shared floors never import a part; the parts import
each other only along the arrows the drawing shows. A new import that breaks one of these fails
here, naming the file and the line.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGE = ROOT / "commitments"

GROUND = {
    "actors",
    "admin_kit",
    "changes",
    "clock",
    "formatting",
    "languages",
    "messages",
    "progress",
    "rules",
    "transliteration",
}
SHARED = {"models", "translation", "fields", "access", "search", "staff", "rest"}
SHARED |= {"services", "selectors"}
PARTS = {"admin", "api", "briefing", "events", "ingestion", "opendata", "public", "reminders"}
PARTS |= {"seeding"}
# The only imports between parts (ARCHITECTURE.md): sources are added through ingestion; the admin
# shows the reminders' in-doubt digests, offers the briefing's actions and exports commitments in
# the open data's columns; the open data dates the record by the outbox's last event.
PART_ARROWS = {
    ("api", "ingestion"),
    ("admin", "ingestion"),
    ("admin", "reminders"),
    ("admin", "briefing"),
    ("admin", "opendata"),
    ("opendata", "events"),
    ("opendata", "ingestion"),
}


def room_of(module: str) -> str | None:
    """The room of `commitments.x.y` (x), or None for a module outside the product app."""
    parts = module.split(".")
    if parts[0] != "commitments" or len(parts) < 2:
        return None
    return parts[1]


def module_of(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    names = list(relative.parts)
    if names[-1] == "__init__":
        names.pop()
    return ".".join(names)


def imports_of(path: Path) -> list[tuple[str, int]]:
    """Every module `path` imports (absolute names), with its line. Imports for type checkers
    only (under `if TYPE_CHECKING:`) run nowhere, so they are no arrow."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            node.body = []
    package = module_of(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            if node.module is None:  # from . import x: each name may be a module
                found += [(f"{module}.{alias.name}", node.lineno) for alias in node.names]
            else:
                found.append((module, node.lineno))
    return found


def room_imports() -> dict[tuple[str, str], list[str]]:
    """(importing room, imported room) -> where, for every import between two product rooms."""
    edges: dict[tuple[str, str], list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts or "management" in path.parts:
            continue
        here = room_of(module_of(path))
        for module, line in imports_of(path):
            there = room_of(module)
            if there and here and there != here:
                where = f"{path.relative_to(ROOT)}:{line}"
                edges.setdefault((here, there), []).append(where)
    return edges


def test_every_room_is_on_a_floor_of_the_drawing():
    rooms = {room_of(module_of(p)) for p in PACKAGE.glob("*.py")} | {
        p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()
    }
    top = {"api_urls", "apps", "management", "migrations", "templatetags", "__init__"}
    unplaced = rooms - GROUND - SHARED - PARTS - top - {None}
    assert unplaced == set(), "place each new module on a floor in ARCHITECTURE.md and here"


def test_no_two_rooms_import_each_other_even_through_others():
    edges = room_imports()
    graph: dict[str, set[str]] = {}
    for here, there in edges:
        graph.setdefault(here, set()).add(there)

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            room = todo.pop()
            if room == goal:
                return True
            if room not in seen:
                seen.add(room)
                todo.extend(graph.get(room, ()))
        return False

    circles = [(a, b, edges[(a, b)][0]) for (a, b) in edges if reaches(b, a)]
    assert circles == []


def test_the_ground_and_shared_floors_never_import_a_part():
    upward = {
        (here, there): where
        for (here, there), where in room_imports().items()
        if there in PARTS and here not in PARTS and here not in {"api_urls", "apps"}
    }
    assert upward == {}
    ground_up = {
        (here, there): where
        for (here, there), where in room_imports().items()
        if here in GROUND and there not in GROUND
    }
    assert ground_up == {}


def test_parts_import_each_other_only_along_the_drawn_arrows():
    between_parts = {
        (here, there): where
        for (here, there), where in room_imports().items()
        if here in PARTS and there in PARTS and (here, there) not in PART_ARROWS
    }
    assert between_parts == {}
