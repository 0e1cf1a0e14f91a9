"""Reads an uploaded PDF or HTML file in a process of its own, under limits it cannot outrun.

Run by `extraction` as `python -I sandbox.py KIND MAX_CHARS MAX_PAGES MAX_STREAM CPU_SECONDS
MEMORY_BYTES` with the file on standard input. Before it reads a byte of the file it caps its own
CPU time (the kernel sends SIGXCPU, then SIGKILL) and address space (an allocation past it is a
MemoryError), and pypdf's decompression and parsing budgets; the parent kills it on a wall-clock
timeout too. It stops extracting as soon as the text passes MAX_CHARS or the file has more than
MAX_PAGES pages, so what it writes back is bounded.

It prints the text as UTF-8 and exits 0, or exits with one of the codes below. It imports nothing
of Django or the project: a file that crashes it crashes only it.
"""

from __future__ import annotations

import io
import resource
import sys

OK = 0
TOO_MUCH_TEXT = 3
TOO_MANY_PAGES = 4
UNREADABLE = 5
NO_TEXT = 6
OVER_BUDGET = 7  # a decompression or parsing limit, or the memory cap

PDF_SEPARATOR = "\n\n"


class Refused(Exception):
    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


def limit_self(cpu_seconds: int, memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def pdf_text(data: bytes, max_chars: int, max_pages: int, max_stream: int) -> str:
    import dataclasses

    from pypdf import Configuration, PdfReader, overwrite_configuration
    from pypdf.errors import LimitReachedError

    budgets = {
        "maximum_declared_stream_length": max_stream,
        "array_based_stream_maximum_output_length": max_stream,
        "zlib_maximum_output_length": max_stream,
        "lzw_maximum_output_length": max_stream,
        "run_length_maximum_output_length": max_stream,
        "brotli_maximum_output_length": max_stream,
        "jbig2_maximum_output_length": max_stream,
        "image_maximum_buffer_size": max_stream,
        "stream_decoding_work_maximum_length": 4 * max_stream,
        "page_tree_maximum_entries": max_pages + 1,
    }
    known = {field.name for field in dataclasses.fields(Configuration)}
    overwrite_configuration(**{name: value for name, value in budgets.items() if name in known})
    try:
        reader = PdfReader(io.BytesIO(data))
        if len(reader.pages) > max_pages:
            raise Refused(TOO_MANY_PAGES)
        parts, total = [], 0
        for page in reader.pages:
            text = (page.extract_text() or "").strip()
            if not text:
                continue
            parts.append(text)
            total += len(text) + len(PDF_SEPARATOR)
            if total > max_chars + len(PDF_SEPARATOR):
                raise Refused(TOO_MUCH_TEXT)
    except Refused:
        raise
    except (LimitReachedError, MemoryError, RecursionError) as error:
        raise Refused(OVER_BUDGET) from error
    except Exception as error:  # any other failure of pypdf on a hostile file
        raise Refused(UNREADABLE) from error
    return PDF_SEPARATOR.join(parts)


def html_text(data: bytes, max_chars: int) -> str:
    """`data` is the page already decoded by the parent, as UTF-8."""
    import trafilatura

    try:
        text = trafilatura.extract(
            data.decode("utf-8"), include_comments=False, include_tables=False, favor_recall=True
        )
    except (MemoryError, RecursionError) as error:
        raise Refused(OVER_BUDGET) from error
    if not text or not text.strip():
        raise Refused(NO_TEXT)
    if len(text) > max_chars:
        raise Refused(TOO_MUCH_TEXT)
    return text


def main(argv: list[str]) -> int:
    kind = argv[1]
    max_chars, max_pages, max_stream, cpu_seconds, memory_bytes = (int(a) for a in argv[2:7])
    limit_self(cpu_seconds, memory_bytes)
    data = sys.stdin.buffer.read()
    try:
        if kind == "pdf":
            text = pdf_text(data, max_chars, max_pages, max_stream)
        else:
            text = html_text(data, max_chars)
        sys.stdout.buffer.write(text.encode("utf-8", "surrogatepass"))
        sys.stdout.buffer.flush()
    except Refused as refused:
        return refused.code
    except MemoryError:
        return OVER_BUDGET
    return OK


if __name__ == "__main__":
    sys.exit(main(sys.argv))
