"""A fresh clone's first run (issue 25): another port keeps the links in emails and feeds right."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_make_run_on_another_port_sets_site_url_to_it_unless_given():
    commands = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.1:8080"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    assert 'SITE_URL="${SITE_URL:-http://127.0.0.1:8080}"' in commands
    assert "runserver 127.0.0.1:8080" in commands
