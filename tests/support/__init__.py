"""Helpers the test modules import: factories, admin and API clients, scoping, reminder and
event rigs, the worker subprocesses. Fixtures live in the `conftest.py` files, as pytest finds
them there; no test module imports a `conftest.py`.

Left beside their tests: the URLconfs a test names in `ROOT_URLCONF` (`tests/public/error_urls.py`,
`tests/perf/urls.py`) and the writer program the event tests run (`python -m tests.events.writer`).
"""
