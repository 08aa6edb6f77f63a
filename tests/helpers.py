"""Test helpers that look at the real files on disk."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE_SIZE = 4096
RESERVE = 80  # SQLCipher 4: 16-byte IV + 64-byte HMAC-SHA512 at the end of every page
WAL_HEADER = 32
WAL_FRAME_HEADER = 24


def _decrypt_page(page: bytes, key: bytes, first: bool) -> bytes:
    iv = page[PAGE_SIZE - RESERVE : PAGE_SIZE - RESERVE + 16]
    start = 16 if first else 0  # page 1 starts with the file's salt
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(page[start : PAGE_SIZE - RESERVE]) + decryptor.finalize()


def decrypt_database_pages(path: Path, key: bytes) -> bytes:
    """Every page of a SQLCipher 4 file (raw key), decrypted, including free pages."""
    data = path.read_bytes()
    pages = [data[i : i + PAGE_SIZE] for i in range(0, len(data) - PAGE_SIZE + 1, PAGE_SIZE)]
    return b"".join(_decrypt_page(p, key, i == 0) for i, p in enumerate(pages))


def decrypt_wal_frames(path: Path, key: bytes) -> bytes:
    if not path.exists():
        return b""
    data = path.read_bytes()
    out = []
    offset = WAL_HEADER
    while offset + WAL_FRAME_HEADER + PAGE_SIZE <= len(data):
        page_number = int.from_bytes(data[offset : offset + 4], "big")
        frame = data[offset + WAL_FRAME_HEADER : offset + WAL_FRAME_HEADER + PAGE_SIZE]
        out.append(_decrypt_page(frame, key, page_number == 1))
        offset += WAL_FRAME_HEADER + PAGE_SIZE
    return b"".join(out)


def all_file_bytes(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def encodings_of(text: str) -> list[bytes]:
    """The ways a string could sit in a file: UTF-8, UTF-16 either way round."""
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]
