"""Hostile files the ingestion tests build themselves: small PDFs that inflate to huge work, and a
text of one announcement repeated. Streams are compressed in chunks, so building a 300 MB stream
holds about a megabyte at a time."""

from __future__ import annotations

import zlib

CHUNK = 1024 * 1024


def _deflate(piece: bytes, total: int) -> bytes:
    """`piece` repeated to `total` bytes, deflated without ever holding the whole."""
    compressor = zlib.compressobj(9)
    chunk = piece * max(1, CHUNK // len(piece))
    out, left = [], total
    while left > 0:
        part = chunk[:left]
        out.append(compressor.compress(part))
        left -= len(part)
    out.append(compressor.flush())
    return b"".join(out)


def pdf(page_contents: list[int], streams: dict[int, bytes]) -> bytes:
    """A PDF whose page i draws the stream numbered page_contents[i] (several pages may share
    one), streams given deflated. Objects: 1 catalog, 2 pages, 3 font, streams from 10, pages
    after them."""
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    stream_ids = {}
    for n, (key, body) in enumerate(sorted(streams.items())):
        number = 10 + n
        stream_ids[key] = number
        objects[number] = (
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"
        )
    first_page = 10 + len(streams)
    kids = []
    for i, key in enumerate(page_contents):
        number = first_page + i
        kids.append(b"%d 0 R" % number)
        objects[number] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % stream_ids[key]
        )
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        if number in offsets:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def shared_stream_pdf(pages: int = 200, stream_bytes: int = 70 * 1024 * 1024) -> bytes:
    """`pages` pages sharing one content stream that inflates to `stream_bytes` of text."""
    line = b"BT /F1 12 Tf 72 720 Td (Kazakhstan and Kyrgyzstan agreed to build a road.) Tj ET\n"
    return pdf([0] * pages, {0: _deflate(line, stream_bytes)})


def huge_stream_pdf(stream_bytes: int = 300 * 1024 * 1024) -> bytes:
    """One page whose content stream inflates to `stream_bytes` (spaces)."""
    return pdf([0], {0: _deflate(b" " * 4096, stream_bytes)})


def many_operators_pdf(operators: int = 10_000_000) -> bytes:
    """One page with `operators` text operators."""
    return pdf([0], {0: _concat_deflate(b"BT /F1 12 Tf 72 720 Td\n", b"(a) Tj\n", operators)})


def _concat_deflate(head: bytes, line: bytes, count: int) -> bytes:
    compressor = zlib.compressobj(9)
    out = [compressor.compress(head)]
    chunk = line * (CHUNK // len(line))
    per_chunk = CHUNK // len(line)
    left = count
    while left > 0:
        n = min(left, per_chunk)
        out.append(compressor.compress(chunk[: n * len(line)]))
        left -= n
    out.append(compressor.compress(b"ET\n"))
    out.append(compressor.flush())
    return b"".join(out)


def repeated_announcement(size: int = 5 * 1024 * 1024) -> str:
    """One announcement, repeated to `size` characters."""
    sentence = (
        "Kazakhstan and Kyrgyzstan agreed to build a new border checkpoint at Karasu by 2027. "
    )
    return (sentence * (size // len(sentence) + 1))[:size].strip()
