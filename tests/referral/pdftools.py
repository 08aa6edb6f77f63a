"""Looking at PDFs the way a reader does: poppler's pdftoppm and pdftotext.

No image library is needed: pixels are read from pdftoppm's PGM output.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import unicodedata
from dataclasses import dataclass
from html import unescape
from pathlib import Path

PDFTOPPM = shutil.which("pdftoppm")
PDFTOTEXT = shutil.which("pdftotext")


def squash(text: str) -> str:
    """NFC without any whitespace: scripts without spaces compare like this."""
    return "".join(unicodedata.normalize("NFC", text).split())


def marker_count(text: str, marker: str) -> int:
    """How often a marker appears, ignoring spaces and dashes.

    A dash the script font lacks is drawn in the Latin font, and text extraction of the
    rotated watermark may split the line around it.
    """

    def bare(value: str) -> str:
        return squash(value).replace("—", "")

    return bare(text).count(bare(marker))


def pdftotext(
    path: Path,
    *,
    page: int | None = None,
    crop: tuple[float, float, float, float] | None = None,
    password: str | None = None,
) -> str:
    """Text in drawing order (``-raw``: rows stay whole, columns do not interleave);
    ``crop`` is (x, y, width, height) in points from the top left."""
    assert PDFTOTEXT, "poppler-utils (pdftotext) is required"
    args = [PDFTOTEXT, "-raw", "-enc", "UTF-8", "-q"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    if crop is not None:
        x, y, w, h = crop
        args += [
            "-r",
            "72",
            "-x",
            str(int(x)),
            "-y",
            str(int(y)),
            "-W",
            str(int(w)),
            "-H",
            str(int(h)),
        ]
    if password is not None:
        args += ["-upw", password]
    args += [str(path), "-"]
    result = subprocess.run(args, capture_output=True, check=False, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"pdftotext failed ({result.returncode})")
    return result.stdout.decode("utf-8")


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float  # from the top
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class PageBox:
    width: float
    height: float


def words(path: Path) -> tuple[list[PageBox], list[Word]]:
    """Every word pdftotext finds, with its box in points (origin at the top left)."""
    assert PDFTOTEXT
    result = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", "-q", "-bbox", str(path), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    html = result.stdout.decode("utf-8")
    pages: list[PageBox] = []
    found: list[Word] = []
    token = re.compile(
        r'<page width="([\d.]+)" height="([\d.]+)">|'
        r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>'
    )
    for match in token.finditer(html):
        if match.group(1):
            pages.append(PageBox(float(match.group(1)), float(match.group(2))))
        else:
            x0, y0, x1, y1 = (float(match.group(i)) for i in range(3, 7))
            found.append(Word(len(pages), x0, y0, x1, y1, unescape(match.group(7))))
    return pages, found


def words_outside(
    path: Path, *, left: float = 0.0, right: float = 0.0, top: float = 0.0, bottom: float = 0.0
) -> list[Word]:
    """Words reaching into the given margins (points from each edge) or off the page."""
    pages, found = words(path)
    slack = 0.5
    return [
        w
        for w in found
        if w.x0 < left - slack
        or w.y0 < top - slack
        or w.x1 > pages[w.page - 1].width - right + slack
        or w.y1 > pages[w.page - 1].height - bottom + slack
    ]


def render_pngs(path: Path, out_dir: Path, *, dpi: int = 50, prefix: str = "page") -> list[Path]:
    """Every page as a PNG (for people to look at); returns the files, checked to be PNGs."""
    assert PDFTOPPM, "poppler-utils (pdftoppm) is required"
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [PDFTOPPM, "-r", str(dpi), "-png", str(path), str(out_dir / prefix)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    files = sorted(out_dir.glob(f"{prefix}-*.png"))
    for file in files:
        header = file.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR"
        width, height = struct.unpack(">II", header[16:24])
        assert width > 100 and height > 100
    return files


@dataclass(frozen=True)
class GreyImage:
    width: int
    height: int
    pixels: bytes  # row after row, 0 black .. 255 white

    def row(self, y: int) -> bytes:
        return self.pixels[y * self.width : (y + 1) * self.width]

    def ink(self, threshold: int = 200) -> int:
        """How many pixels are darker than ``threshold``."""
        return sum(1 for v in self.pixels if v < threshold)

    def dark_pixels_near_edge(self, band: int, threshold: int = 200) -> int:
        """Ink within ``band`` pixels of the page's edge: what a printer would cut off."""
        count = 0
        for y in range(self.height):
            row = self.row(y)
            if y < band or y >= self.height - band:
                count += sum(1 for v in row if v < threshold)
            else:
                count += sum(1 for v in row[:band] + row[-band:] if v < threshold)
        return count


def render_grey(path: Path, out_dir: Path, *, dpi: int = 50) -> list[GreyImage]:
    """Every page as greys (PGM: trivially parsed), for checks on the pixels."""
    assert PDFTOPPM
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [PDFTOPPM, "-r", str(dpi), "-gray", str(path), str(out_dir / "grey")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    images: list[GreyImage] = []
    for file in sorted(out_dir.glob("grey-*.pgm")):
        data = file.read_bytes()
        magic, width, height, maxval, pixels = data.split(maxsplit=4)
        assert magic == b"P5" and maxval == b"255"
        w, h = int(width), int(height)
        images.append(GreyImage(w, h, pixels[: w * h]))
    return images
