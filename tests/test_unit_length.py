"""Long units: no function in commitments/ runs over about 60 lines unless a comment right above
it (or above its first decorator) says why it is kept whole, starting "# Kept whole:".

A long function is usually several jobs, and the next change to one of them then means reading
all of them; the migrations are left out, as Django writes their shape.
"""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "commitments"
LONGEST = 60
REASON = "# Kept whole:"


def _functions(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _reason_above(lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    above = first - 2  # the line before the first one, 0-based
    while above >= 0 and lines[above].strip().startswith("#"):
        if lines[above].strip().startswith(REASON):
            return True
        above -= 1
    return False


def long_functions_without_a_reason(root: Path = APP) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        where = path.relative_to(root.parent)
        for node in _functions(path):
            length = node.end_lineno - node.lineno + 1
            if length > LONGEST and not _reason_above(lines, node):
                found.append(f"{where}:{node.lineno} {node.name} ({length})")
    return found


def test_no_function_in_the_app_is_long_without_a_reason():
    assert long_functions_without_a_reason() == []


@pytest.mark.parametrize(
    ("above", "reported"),
    [("", True), ("# Kept whole: one SQL statement, read top to bottom.\n", False)],
)
def test_a_long_function_is_reported_unless_a_reason_stands_above_it(tmp_path, above, reported):
    body = "".join(f"    x{n} = {n}\n" for n in range(LONGEST))
    (tmp_path / "long.py").write_text(f"{above}@staticmethod\ndef long():\n{body}")
    assert bool(long_functions_without_a_reason(tmp_path)) is reported
