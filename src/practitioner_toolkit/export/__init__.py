"""Exporting screening and referral records: HTCDS 2.0 (CSV, JSON) and analyst tables.

- ``export_records(workspace, registry, path, ExportOptions(format=...), progress)``: write
  one export atomically and get an ``ExportSummary`` (counts, and notes on what was left out).
- ``check_request(path, options)``: the same checks on the request, without a workspace (run
  it before asking for a passphrase).
- ``validate_htcds_file(path)``: check an HTCDS file against the field list; ``[]`` if fine.
- ``load_field_list()``: the HTCDS field list (names, types, values, formats).

By default no personal detail leaves the workspace: a case is its pseudonymous reference
and its coded findings. Personal details are added only when chosen, and only for people who
agreed to share them on a referral (see ``collect``).
"""

from __future__ import annotations

from practitioner_toolkit.export.errors import ExportError
from practitioner_toolkit.export.fieldlist import (
    FieldList,
    FieldSpec,
    ValidationProblem,
    load_field_list,
    validate_htcds_file,
)
from practitioner_toolkit.export.options import (
    FORMAT_LABELS,
    FORMATS,
    SUFFIXES,
    ExportFormat,
    ExportOptions,
    ExportSummary,
    check_request,
)
from practitioner_toolkit.export.service import export_records

__all__ = [
    "FORMATS",
    "FORMAT_LABELS",
    "SUFFIXES",
    "ExportError",
    "ExportFormat",
    "ExportOptions",
    "ExportSummary",
    "FieldList",
    "FieldSpec",
    "ValidationProblem",
    "check_request",
    "export_records",
    "load_field_list",
    "validate_htcds_file",
]
