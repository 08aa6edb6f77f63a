"""``ptk forms validate | run | list | print | import-xlsform``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from practitioner_toolkit import paths
from practitioner_toolkit.cli.common import CliError
from practitioner_toolkit.forms import (
    DISCLAIMER,
    FormDefinition,
    FormRegistry,
    ScreeningRun,
    evaluate,
    load_and_validate,
    text_in,
)
from practitioner_toolkit.forms.describe import outcome_lines
from practitioner_toolkit.i18n import LANGUAGE_CODES, _, set_language


def register(commands: Any) -> None:
    forms = commands.add_parser("forms", help="screening forms")
    sub = forms.add_subparsers(dest="forms_command", required=True, metavar="ACTION")

    validate = sub.add_parser("validate", help="check form files (default: all bundled forms)")
    validate.add_argument("files", nargs="*", type=Path)
    validate.set_defaults(handler=_validate)

    listing = sub.add_parser("list", help="list the bundled forms")
    listing.add_argument("--lang", choices=LANGUAGE_CODES, default="en")
    listing.set_defaults(handler=_list)

    xls = sub.add_parser(
        "import-xlsform", help="convert an XLSForm workbook (ODK, Kobo) into a form file"
    )
    xls.add_argument("workbook", type=Path)
    xls.add_argument("--out", type=Path, required=True, help="the YAML file to write")
    xls.set_defaults(handler=_import_xlsform)

    run = sub.add_parser("run", help="print the outcome and reasoning for a set of answers")
    run.add_argument("form", help="form id (newest version) or a path to a form file")
    run.add_argument("--version", help="a specific form version")
    run.add_argument("--answers", type=Path, required=True, help="JSON object of answers")
    run.add_argument("--lang", choices=LANGUAGE_CODES, default="en")
    run.set_defaults(handler=_run)

    printing = sub.add_parser("print", help="a blank paper checklist of a form, as a PDF")
    printing.add_argument("form", help="form id (newest version) or a path to a form file")
    printing.add_argument("--version", help="a specific form version")
    printing.add_argument("--lang", choices=LANGUAGE_CODES, required=True)
    printing.add_argument("--second-language", choices=LANGUAGE_CODES, metavar="LANG")
    printing.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    printing.add_argument("--page-size", choices=("A4", "Letter"), default="A4")
    printing.add_argument("--training", action="store_true", help="watermark every page")
    printing.set_defaults(handler=_print)


def load_registry() -> FormRegistry:
    return FormRegistry.load(paths.forms_dir())


def _validate(args: argparse.Namespace) -> int:
    if args.files:
        for path in args.files:
            if not path.exists():
                raise CliError(f"{path}: no such file")
            form = load_and_validate(path)
            print(f"{path}: OK ({form.id} {form.version}, {len(form.questions())} questions)")
        return 0
    registry = load_registry()
    for form in sorted(registry.forms.values(), key=lambda f: f.key):
        print(f"{form.id} {form.version}: OK ({len(form.questions())} questions)")
    print(f"{len(registry.forms)} form version(s) valid.")
    return 0


def _import_xlsform(args: argparse.Namespace) -> int:
    from practitioner_toolkit.forms.xlsform import XlsFormError, import_xlsform

    if not args.workbook.exists():
        raise CliError(f"{args.workbook}: no such file")
    try:
        result = import_xlsform(args.workbook)
    except XlsFormError as exc:
        raise CliError(str(exc)) from None
    if args.out.exists():
        raise CliError(f"{args.out} exists; choose another file name")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(result.yaml_text, encoding="utf-8")
    load_and_validate(args.out)
    form = result.form
    print(f"Imported {form.id} {form.version}: {len(form.questions())} questions -> {args.out}")
    if result.skipped:
        print(f"Not carried over ({len(result.skipped)}):")
        for line in result.skipped:
            print(f"  - {line}")
    return 0


def _list(args: argparse.Namespace) -> int:
    set_language(args.lang)
    for form in load_registry().current_forms():
        print(f"{form.id:<28} {form.version:<8} {text_in(form.title, args.lang)}")
    return 0


def _resolve_form(args: argparse.Namespace) -> FormDefinition:
    candidate = Path(args.form)
    if candidate.suffix in (".yaml", ".yml") and candidate.exists():
        return load_and_validate(candidate)
    registry = load_registry()
    try:
        return registry.get(args.form, args.version) if args.version else registry.latest(args.form)
    except KeyError as exc:
        raise CliError(str(exc.args[0])) from None


def read_answers(path: Path, form: FormDefinition) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CliError(f"{path}: not a JSON file ({exc})") from None
    if not isinstance(data, dict):
        raise CliError(f"{path}: expected a JSON object of question id -> answer")
    run = ScreeningRun(form, data)
    known = {q.id: q for q in form.questions()}
    for question_id, value in data.items():
        if question_id not in known:
            raise CliError(f"{path}: {question_id!r} is not a question of {form.id} {form.version}")
        problem = run.check_answer(known[question_id], value)
        if problem:
            raise CliError(f"{path}: {question_id}: {problem.message}")
    return data


def _run(args: argparse.Namespace) -> int:
    set_language(args.lang)
    form = _resolve_form(args)
    answers = read_answers(args.answers, form)
    result = evaluate(form, answers)
    print(f"{text_in(form.title, args.lang)}  [{form.id} {form.version}]")
    print()
    for line in outcome_lines(form, result, args.lang):
        print(line)
    if result.missing_required:
        print()
        print(
            _("Required questions not yet answered: {count}").format(
                count=len(result.missing_required)
            )
        )
    print()
    print(_(DISCLAIMER))
    return 0


def _print(args: argparse.Namespace) -> int:
    # Imported here: ReportLab and the fonts are needed by this command only.
    from practitioner_toolkit.referral import ReferralError, export_blank_checklist

    form = _resolve_form(args)
    try:
        export_blank_checklist(
            form,
            args.out,
            args.lang,
            second_language=args.second_language,
            page_size=args.page_size,
            training=args.training,
        )
    except ReferralError as exc:
        raise CliError(exc.translated()) from None
    print(f"Checklist {form.id} {form.version} ({args.lang}) saved to {args.out}")
    return 0
