"""Writing export files: atomically, in the target folder only, in CSV, JSON or XLSX.

Every file is written to a temporary file beside the target (created private, mode 0600)
and renamed over it once complete: a failure or a power cut never leaves half a file, and
no copy of the content goes anywhere else. That is also why XLSX is written here rather
than with openpyxl, whose writer stages every sheet in the system temp folder.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

from practitioner_toolkit.export.errors import ExportError
from practitioner_toolkit.export.fieldlist import CSV_FALSE, CSV_SEPARATOR, CSV_TRUE
from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.store.atomic import atomic_writer

Cell = str | int | bool | list[str] | None
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
XLSX_MAX_TEXT = 32_767  # Excel's limit for one cell


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """A binary file that becomes ``path`` only if the ``with`` block completes."""
    try:
        with atomic_writer(path) as handle:
            yield handle
    except OSError as exc:
        raise _save_error(path, exc) from None


def _save_error(path: Path, exc: OSError) -> ExportError:
    return ExportError(
        N_("The export could not be saved in {folder}: {reason}"),
        folder=str(path.parent),
        reason=exc.strerror or type(exc).__name__,
    )


# -- CSV -------------------------------------------------------------------------------------


def htcds_csv_cell(value: Cell) -> str:
    """HTCDS CSV: TRUE/FALSE, ``;`` between list values, empty for unknown; text verbatim."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return CSV_TRUE if value else CSV_FALSE
    if isinstance(value, list):
        return CSV_SEPARATOR.join(value)
    return str(value)


def analyst_csv_cell(value: Cell) -> str:
    """Analyst CSV: as HTCDS, but text that a spreadsheet would run as a formula is quoted."""
    text = htcds_csv_cell(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def write_csv(
    handle: IO[bytes],
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    bom: bool,
) -> int:
    text = io.TextIOWrapper(handle, encoding="utf-8-sig" if bom else "utf-8", newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    text.flush()
    text.detach()  # leave the binary handle open for the atomic rename
    return count


# -- JSON ------------------------------------------------------------------------------------


def write_json(handle: IO[bytes], document: dict[str, Any]) -> None:
    data = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    handle.write(data.encode("utf-8"))


# -- XLSX ------------------------------------------------------------------------------------

Sheet = tuple[str, Sequence[str], Iterable[Sequence[str | int | None]]]

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    "<sheets>{sheets}</sheets></workbook>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "{sheets}"
    '<Relationship Id="rIdStyles" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
_SHEET_REL = (
    '<Relationship Id="rId{n}" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet{n}.xml"/>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str, value: str | int | None, style: int = 0) -> str:
    styled = f' s="{style}"' if style else ""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return f'<c r="{ref}"{styled}><v>{value}</v></c>'
    text = escape(_XML_ILLEGAL.sub("", str(value))[:XLSX_MAX_TEXT])
    # Inline strings are never evaluated, so text that looks like a formula stays text.
    return f'<c r="{ref}"{styled} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet_xml(
    header: Sequence[str], rows: Iterable[Sequence[str | int | None]]
) -> tuple[str, int]:
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        "</sheetView></sheetViews><sheetData>"
    ]
    letters = [column_letter(i) for i in range(max(len(header), 1))]
    cells = "".join(_cell(f"{letters[i]}1", name, 1) for i, name in enumerate(header))
    parts.append(f'<row r="1">{cells}</row>')
    count = 0
    for count, row in enumerate(rows, 1):
        number = count + 1
        cells = "".join(_cell(f"{letters[i]}{number}", v) for i, v in enumerate(row))
        parts.append(f'<row r="{number}">{cells}</row>')
    parts.append("</sheetData>")
    if header:
        parts.append(f'<autoFilter ref="A1:{letters[len(header) - 1]}{count + 1}"/>')
    parts.append("</worksheet>")
    return "".join(parts), count


def write_xlsx(handle: IO[bytes], sheets: Sequence[Sheet]) -> int:
    """A minimal, valid workbook: bold frozen header, filters, inline strings. Returns rows."""
    total = 0
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        numbers = range(1, len(sheets) + 1)
        archive.writestr(
            "[Content_Types].xml",
            _CONTENT_TYPES.format(sheets="".join(_SHEET_TYPE.format(n=n) for n in numbers)),
        )
        archive.writestr("_rels/.rels", _ROOT_RELS)
        entries = "".join(
            f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
            for n, (name, _header, _rows) in zip(numbers, sheets, strict=True)
        )
        archive.writestr("xl/workbook.xml", _WORKBOOK.format(sheets=entries))
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            _WORKBOOK_RELS.format(sheets="".join(_SHEET_REL.format(n=n) for n in numbers)),
        )
        archive.writestr("xl/styles.xml", _STYLES)
        for n, (_name, header, rows) in zip(numbers, sheets, strict=True):
            xml, count = _sheet_xml(header, rows)
            archive.writestr(f"xl/worksheets/sheet{n}.xml", xml)
            total += count
    return total
