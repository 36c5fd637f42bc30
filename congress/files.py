"""Uploaded files judged by their content and read within bounds: the one guard under the
spreadsheets people import (congress/spreadsheets.py) and the drafts and written opinions they
upload (workflows/uploads.py).

- `read_bounded`: the bytes of an upload, refused past a size before they are all read.
- `kind`: what the first bytes say the file is (a zip archive such as .xlsx/.docx, the old
  OLE format of .xls/.doc, a PDF), whatever its name says.
- `open_archive`: an Office file's zip, refused on what its directory declares (members,
  unpacked size, compression ratio, the size of named parts) before anything is inflated:
  zipfile never inflates a member beyond its declared size, so the declared sizes bound the work.
- `count_in_part`: how many times a tag occurs in a part, read as it is inflated and given up
  past a limit (the shared strings of a workbook are counted before openpyxl loads them all).
- `Clock`: the time a reader may spend, checked as it goes.

What is over a bound raises `Refused` with a code and the figures; each reader words the
message for its own users ("This Word file...", "The spreadsheet...").
"""

import io
import re
import time
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

ZIP, OLE, PDF = "zip", "ole", "pdf"
# What reading a damaged archive's member may raise: a corrupt deflate stream is a zlib.error,
# which is none of zipfile's own.
INFLATE_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    ValueError,
    OSError,
    EOFError,
)
# lxml's options for every Office part we parse: no entities, no network, no DTD.
SAFE_XML = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}
# The compression ratio is judged only on members big enough to matter.
RATIO_FLOOR_BYTES = 1024 * 1024
_CHUNK = 64 * 1024


class Refused(Exception):
    """An upload over one of the bounds: `code` names it, `params` hold the figures."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


class Readable(Protocol):
    """A Django UploadedFile, or any binary file object."""

    def read(self, size: int = ..., /) -> bytes: ...


def read_bounded(uploaded: Readable, limit: int) -> bytes:
    """The whole upload (a Django UploadedFile or any binary file object), at most `limit`
    bytes: a larger one is refused by its declared size before it is read, else after
    `limit + 1` bytes. Refused codes: "too_large" (size = the declared size, or None), "empty"."""
    declared = getattr(uploaded, "size", None) or 0
    if declared > limit:
        raise Refused("too_large", size=declared, limit=limit)
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise Refused("too_large", size=None, limit=limit)
    if not data.strip():
        raise Refused("empty")
    return data


def kind(data: bytes) -> str | None:
    """ZIP (.xlsx, .docx, .odt, any zip), OLE (the old .xls/.doc), PDF, or None."""
    if data.startswith(b"PK\x03\x04"):
        return ZIP
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return OLE
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return PDF
    return None


@dataclass(frozen=True)
class ArchiveLimits:
    members: int
    unpacked_bytes: int
    compression_ratio: int
    # A part's name (or a folder ending in "/") -> the most it may unpack to.
    parts: Mapping[str, int] = field(default_factory=dict)


def open_archive(data: bytes, limits: ArchiveLimits) -> zipfile.ZipFile:
    """The zip of an Office file, checked on its declared sizes. Refused codes: "damaged",
    "members", "unpacked" (size, limit), "ratio" (ratio), "part" (name, size, limit)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise Refused("damaged") from error
    if len(members) > limits.members:
        raise Refused("members", count=len(members), limit=limits.members)
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.unpacked_bytes:
        raise Refused("unpacked", size=unpacked, limit=limits.unpacked_bytes)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR_BYTES and ratio > limits.compression_ratio:
            raise Refused("ratio", ratio=int(ratio))
        for name, limit in limits.parts.items():
            matches = (
                member.filename.startswith(name)
                if name.endswith("/")
                else (member.filename == name)
            )
            if matches and member.file_size > limit:
                raise Refused("part", name=member.filename, size=member.file_size, limit=limit)
    return archive


def count_in_part(archive: zipfile.ZipFile, name: str, tag: bytes, limit: int) -> int:
    """How many `<tag` elements (any namespace prefix) part `name` holds, read as it is
    inflated; past `limit`, Refused("count", name, limit). A part that is not there: 0."""
    try:
        archive.getinfo(name)
    except KeyError:
        return 0
    pattern = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,64}:)?" + re.escape(tag) + rb"[\s/>]")
    count, tail = 0, b""
    with archive.open(name) as part:
        while chunk := part.read(_CHUNK):
            window = tail + chunk
            # A match that starts in the last bytes may be cut by the chunk's end: it is
            # counted with the next chunk.
            cut = max(len(window) - 256, 0)
            count += sum(1 for m in pattern.finditer(window) if m.start() < cut)
            tail = window[cut:]
            if count > limit:
                raise Refused("count", name=name, limit=limit)
    count += len(pattern.findall(tail))
    if count > limit:
        raise Refused("count", name=name, limit=limit)
    return count


class Clock:
    """The time a reader may spend on one file."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def expired(self) -> bool:
        return time.monotonic() > self.deadline
