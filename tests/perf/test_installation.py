"""The performance lab is a separate app: the product runs without it, and production leaves it out.

A product module that imported the lab would break production, where `perf` is not installed (and
would pull the generator and the reference views into every process), so the rule is checked on
the source itself, not only by the tests that happen to import both.
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

PRODUCT = ("commitments", "tracker")
BASE_ENV = {
    k: v
    for k, v in os.environ.items()
    if not k.startswith(("DJANGO_", "DATABASE_", "TRACKER_PERF_LAB", "BENCHMARK_"))
}
PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "test-" + "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "tracker.example.org",
}


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_the_product_imports_nothing_from_the_lab():
    base = Path(settings.BASE_DIR)
    offenders = [
        f"{path.relative_to(base)} imports {name}"
        for package in PRODUCT
        for path in sorted((base / package).rglob("*.py"))
        for name in imported_modules(path)
        if name == "perf" or name.startswith("perf.")
    ]
    assert offenders == []


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**BASE_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "installed"),
    [
        ({}, True),
        ({"TRACKER_PERF_LAB": "false"}, False),
        (PRODUCTION, False),
        ({**PRODUCTION, "TRACKER_PERF_LAB": "true"}, True),
    ],
)
def test_the_lab_commands_exist_where_the_lab_is_installed(env, installed):
    result = manage("help", "benchmark", **env)
    if installed:
        assert result.returncode == 0, result.stderr
        assert "--quick" in result.stdout
    else:
        assert result.returncode == 1
        assert "Unknown command: 'benchmark'" in result.stderr


RESOLVE_BENCH = (
    "from django.urls import Resolver404, resolve\n"
    "try:\n"
    "    print(resolve('/bench/bare/commitments/').view_name)\n"
    "except Resolver404:\n"
    "    print('not mounted')\n"
)


@pytest.mark.parametrize(
    ("env", "answer"),
    [
        ({"BENCHMARK_REFERENCE_VIEWS": "true"}, "bench:bare-list"),
        ({"BENCHMARK_REFERENCE_VIEWS": "true", "TRACKER_PERF_LAB": "false"}, "not mounted"),
        ({"TRACKER_PERF_LAB": "true"}, "not mounted"),
    ],
)
def test_bench_urls_need_both_the_lab_and_the_switch(env, answer):
    result = manage("shell", "-v", "0", "-c", RESOLVE_BENCH, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == answer
