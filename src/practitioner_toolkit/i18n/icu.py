"""ICU's line break iterator, from the ICU library that is already on the machine.

Qt links ICU on Linux and ships it inside the PySide6 wheel; Windows 10+ has ``icuuc.dll`` in
the system; macOS has ``libicucore``. Calling ICU's C API through ctypes gives the dictionary-
based word boundaries Thai, Khmer, Lao and Burmese need without bundling a second 40 MB copy
of ICU. Where none is found, the ``icu4py`` package is used instead.
"""

from __future__ import annotations

import ctypes
import re
import sys
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path

_UBRK_LINE = 2
_UBRK_DONE = -1
_lock = threading.Lock()


class _IcuLibrary:
    def __init__(self, library: ctypes.CDLL, suffix: str) -> None:
        def function(name: str) -> ctypes._NamedFuncPointer:
            return getattr(library, f"{name}{suffix}")  # type: ignore[no-any-return]

        self.open = function("ubrk_open")
        self.open.restype = ctypes.c_void_p
        self.open.argtypes = [
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_void_p,
            ctypes.c_int32,
            ctypes.POINTER(ctypes.c_int),
        ]
        self.first = function("ubrk_first")
        self.first.restype = ctypes.c_int32
        self.first.argtypes = [ctypes.c_void_p]
        self.next = function("ubrk_next")
        self.next.restype = ctypes.c_int32
        self.next.argtypes = [ctypes.c_void_p]
        self.close = function("ubrk_close")
        self.close.restype = None
        self.close.argtypes = [ctypes.c_void_p]

    def boundaries(self, text: str, locale: str) -> list[int]:
        """Break positions as indices into ``text`` (ICU counts UTF-16 code units)."""
        data = text.encode("utf-16-le")
        buffer = ctypes.create_string_buffer(data, len(data) + 2)
        status = ctypes.c_int(0)
        iterator = self.open(
            _UBRK_LINE, locale.encode("ascii"), buffer, len(data) // 2, ctypes.byref(status)
        )
        if not iterator or status.value > 0:  # ICU errors are positive, warnings negative
            raise OSError(f"ICU could not open a line break iterator (status {status.value})")
        try:
            units: list[int] = [self.first(iterator)]
            while (position := self.next(iterator)) != _UBRK_DONE:
                units.append(position)
        finally:
            self.close(iterator)
        return _utf16_to_indices(text, units)


def _utf16_to_indices(text: str, units: list[int]) -> list[int]:
    if text.isascii() or all(ord(ch) < 0x10000 for ch in text):
        return units
    index_of_unit: dict[int, int] = {}
    unit = 0
    for index, char in enumerate(text):
        index_of_unit[unit] = index
        unit += 2 if ord(char) >= 0x10000 else 1
    index_of_unit[unit] = len(text)
    return [index_of_unit[u] for u in units]


def _candidates() -> list[tuple[Path | str, str | None]]:
    """Libraries to try, with their symbol suffix (None: find it from the file name)."""
    found: list[tuple[Path | str, str | None]] = []
    try:
        import PySide6  # the wheel's own ICU (Linux, and some macOS builds)

        qt_lib = Path(PySide6.__file__).parent / "Qt" / "lib"
        found += [(path, None) for path in sorted(qt_lib.glob("libicuuc.so.*"))]
        found += [(path, None) for path in sorted(qt_lib.glob("libicuuc.*.dylib"))]
    except ImportError:
        pass
    if sys.platform == "win32":
        found += [("icuuc.dll", ""), ("icu.dll", "")]
    elif sys.platform == "darwin":
        found.append(("/usr/lib/libicucore.dylib", ""))
    else:
        import ctypes.util  # spawns helpers; only needed when Qt brings no ICU

        system = ctypes.util.find_library("icuuc")
        if system:
            found.append((system, None))
    return found


def _suffix_from_name(path: Path | str) -> str:
    version = re.search(r"icuuc\.(?:so\.)?(\d+)", str(path))
    return f"_{version.group(1)}" if version else ""


@cache
def _library() -> _IcuLibrary | None:
    for path, suffix in _candidates():
        try:
            library = ctypes.CDLL(str(path))
            icu = _IcuLibrary(library, _suffix_from_name(path) if suffix is None else suffix)
            icu.boundaries("ok", "en")
            return icu
        except (OSError, AttributeError):
            continue
    return None


def _icu4py_boundaries(text: str, locale: str) -> list[int]:
    from icu4py.breakers import LineBreaker

    return [0, *(end for _start, end in LineBreaker(text, locale).segments())]


@cache
def backend() -> Callable[[str, str], list[int]]:
    """The line-boundary function of the first ICU found (raises if there is none)."""
    library = _library()
    if library is not None:
        return library.boundaries
    try:
        import icu4py.breakers  # noqa: F401
    except ImportError:
        raise RuntimeError(
            "No ICU library was found for word breaking; install the icu4py package."
        ) from None
    return _icu4py_boundaries


def line_boundaries(text: str, locale: str = "en") -> list[int]:
    """Positions where a line may break, including 0 and ``len(text)``."""
    if not text:
        return [0]
    with _lock:  # one ICU iterator at a time: cheap, and safe for any ICU build
        return backend()(text, locale)
