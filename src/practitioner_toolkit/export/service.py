"""``export_records``: the one entry point the UI (from a worker thread) and the CLI call."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from practitioner_toolkit import __version__
from practitioner_toolkit.export import analyst, htcds
from practitioner_toolkit.export.collect import CaseFacts, Tally, case_ids, collect_case
from practitioner_toolkit.export.errors import ExportError
from practitioner_toolkit.export.fieldlist import (
    REFERRALS_KEY,
    FieldList,
    check_csv_rows,
    check_record,
    load_field_list,
)
from practitioner_toolkit.export.options import (
    ExportOptions,
    ExportSummary,
    check_request,
)
from practitioner_toolkit.export.writers import (
    analyst_csv_cell,
    atomic_output,
    htcds_csv_cell,
    write_csv,
    write_json,
    write_xlsx,
)
from practitioner_toolkit.forms import DISCLAIMER, FormRegistry
from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.store import Agency, Workspace

_log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


def export_records(
    workspace: Workspace,
    registry: FormRegistry,
    out_path: Path,
    options: ExportOptions,
    progress: Progress | None = None,
) -> ExportSummary:
    """Export the selected cases to ``out_path`` in ``options.format``.

    ``progress(done, total)`` is called once per case and once for the writing; it may raise
    to cancel, and then nothing is written. Safe to run in a worker thread that owns the
    workspace. Raises ``ExportError`` for anything the user can fix (its message names no
    personal data). Each case read is recorded in the audit log as a view.
    """
    check_request(out_path, options)
    if workspace.is_locked:
        raise ExportError(N_("The workspace is locked. Unlock it before exporting."))
    fields = load_field_list()
    ids = case_ids(workspace, options)
    total = len(ids) + 1
    _report(progress, 0, total)
    tally = Tally()
    agencies: dict[str, Agency | None] = {}
    cases: list[CaseFacts] = []
    for done, case_id in enumerate(ids, 1):
        cases.append(collect_case(workspace, case_id, options, tally, agencies))
        _report(progress, done, total)
    training = workspace.info.training
    codes = htcds.CodeTally()
    if options.format in ("htcds-csv", "htcds-json"):
        rows = _write_htcds(fields, cases, options, training, codes, out_path)
    else:
        rows = _write_analyst(fields, registry, cases, options, training, out_path)
    _report(progress, total, total)
    workspace.record_export(options.format, len(cases))
    _log.info("export written (%s, %d cases, %d rows)", options.format, len(cases), rows)
    return ExportSummary(
        path=out_path,
        format=options.format,
        cases=len(cases),
        sessions=tally.sessions,
        referrals=tally.referrals,
        rows=rows,
        personal_fields=tuple(f for f in options.include_personal),
        withheld_personal=tally.withheld_personal,
        unmapped_nationalities=codes.unmapped_nationalities,
        unmapped_languages=codes.unmapped_languages,
        phones_omitted=codes.phones_omitted,
        unreadable_outcomes=tally.unreadable_outcomes,
        missing_agencies=tally.missing_agencies,
        training=training,
    )


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


# -- HTCDS -----------------------------------------------------------------------------------


def _write_htcds(
    fields: FieldList,
    cases: Sequence[CaseFacts],
    options: ExportOptions,
    training: bool,
    codes: htcds.CodeTally,
    out_path: Path,
) -> int:
    records: list[dict[str, Any]] = []
    for case in cases:
        record: dict[str, Any] = htcds.case_record(fields, case, options, training, codes)
        record[REFERRALS_KEY] = [
            htcds.referral_record(fields, r, options, codes) for r in case.referrals
        ]
        records.append(record)
    problems = [p for n, r in enumerate(records, 1) for p in check_record(fields, r, n)]
    if problems:  # the mapping produced something the field list forbids: a bug
        _log.error(
            "HTCDS export failed its own check: %s %s", problems[0].field, problems[0].message
        )
        raise ExportError(
            N_("The export failed its own HTCDS check ({count} problems) and was not saved."),
            count=len(problems),
        )
    if options.format == "htcds-json":
        document = {
            "standard": "HTCDS",
            "standard_version": fields.version,
            "attribution": fields.attribution,
            "generator": f"Practitioner Toolkit {__version__}",
            "exported_at": _now(),
            "training": training,
            "disclaimer": DISCLAIMER,
            "records": records,
        }
        with atomic_output(out_path) as handle:
            write_json(handle, document)
        return len(records)
    header = list(htcds.case_columns(fields, options.include_personal)) + list(
        htcds.referral_columns(options.include_personal)
    )
    rows = [_flat_rows(record, header) for record in records]
    flat = [row for group in rows for row in group]
    problems = check_csv_rows(fields, header, flat)
    if problems:
        _log.error("HTCDS CSV failed its own check: %s %s", problems[0].field, problems[0].message)
        raise ExportError(
            N_("The export failed its own HTCDS check ({count} problems) and was not saved."),
            count=len(problems),
        )
    with atomic_output(out_path) as handle:
        return write_csv(handle, header, flat, bom=False)


def _flat_rows(record: dict[str, Any], header: list[str]) -> list[list[str]]:
    """One CSV row per referral (a case without referrals keeps one row)."""
    referrals: list[dict[str, Any]] = record[REFERRALS_KEY] or [{}]
    return [
        [htcds_csv_cell({**record, **referral}.get(name)) for name in header]
        for referral in referrals
    ]


# -- analyst ---------------------------------------------------------------------------------


def _write_analyst(
    fields: FieldList,
    registry: FormRegistry,
    cases: Sequence[CaseFacts],
    options: ExportOptions,
    training: bool,
    out_path: Path,
) -> int:
    header = analyst.columns(options.include_personal)
    rows = [
        [row[name] for name in header]
        for case in cases
        for row in analyst.session_rows(fields, registry, case, options.include_personal, training)
    ]
    with atomic_output(out_path) as handle:
        if options.format == "analyst-csv":
            text_rows = [[analyst_csv_cell(value) for value in row] for row in rows]
            return write_csv(handle, header, text_rows, bom=True)
        about: list[list[str | int | None]] = [
            ["generator", f"Practitioner Toolkit {__version__}"],
            ["exported_at", _now()],
            ["training", int(training)],
            ["cases", len(cases)],
            ["sessions", len(rows)],
            ["personal_fields", ";".join(options.include_personal) or None],
            ["disclaimer", DISCLAIMER],
        ]
        write_xlsx(handle, [("sessions", header, rows), ("about", ["key", "value"], about)])
    return len(rows)


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
