"""The bundled forms: every version of every form, so old sessions re-display as they were.

Layout: ``screening_forms/<form-id>/<version>.yaml``. A new version of a form is a new file;
old files stay, because saved sessions name the version they used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from practitioner_toolkit.forms.loader import FormError, FormProblem, load_form_file
from practitioner_toolkit.forms.model import FormDefinition
from practitioner_toolkit.forms.validation import validate_form


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def load_and_validate(path: Path, display_name: str | None = None) -> FormDefinition:
    name = display_name or str(path)
    form, lines = load_form_file(path, name)
    validate_form(form, lines, name)
    return form


@dataclass
class FormRegistry:
    forms: dict[tuple[str, str], FormDefinition] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> FormRegistry:
        """Load and validate every form file under ``folder``; all problems are reported."""
        registry = cls()
        problems: list[FormProblem] = []
        for path in sorted(folder.glob("*/*.yaml")):
            display = str(path.relative_to(folder.parent))
            try:
                form = load_and_validate(path, display)
            except FormError as exc:
                problems.extend(exc.problems)
                continue
            if form.id != path.parent.name:
                problems.append(
                    FormProblem(display, None, "id", f"must match its folder {path.parent.name!r}")
                )
            if form.version != path.stem:
                problems.append(
                    FormProblem(display, None, "version", f"must match its file name {path.stem!r}")
                )
            registry.forms[form.key] = form
        problems.extend(registry._carry_over_problems())
        if problems:
            raise FormError(problems)
        return registry

    def _carry_over_problems(self) -> list[FormProblem]:
        """``carry_from`` must name a question of another bundled form with the same answers."""
        problems: list[FormProblem] = []
        for form in self.forms.values():
            display = f"screening_forms/{form.id}/{form.version}.yaml"
            for question in form.questions():
                for reference in question.carry_from:
                    source_id, _, source_question = reference.partition(".")
                    try:
                        source_form = self.latest(source_id)
                        source = source_form.question(source_question)
                    except KeyError:
                        problems.append(
                            FormProblem(
                                display,
                                None,
                                f"{question.id}.carry_from",
                                f"{reference!r} is not a question of a bundled form",
                            )
                        )
                        continue
                    if source.type is not question.type:
                        problems.append(
                            FormProblem(
                                display,
                                None,
                                f"{question.id}.carry_from",
                                f"{reference!r} is a {source.type.value} question, "
                                f"this one is {question.type.value}",
                            )
                        )
                    elif question.type.has_choices:
                        ours = {c.value for c in form.choices_for(question)}
                        theirs = {c.value for c in source_form.choices_for(source)}
                        if not theirs <= ours:
                            problems.append(
                                FormProblem(
                                    display,
                                    None,
                                    f"{question.id}.carry_from",
                                    f"{reference!r} has answers this question lacks: "
                                    f"{', '.join(sorted(theirs - ours))}",
                                )
                            )
        return problems

    def get(self, form_id: str, version: str) -> FormDefinition:
        try:
            return self.forms[(form_id, version)]
        except KeyError:
            raise KeyError(f"form {form_id} version {version} is not installed") from None

    def latest(self, form_id: str) -> FormDefinition:
        versions = [f for (fid, _), f in self.forms.items() if fid == form_id]
        if not versions:
            raise KeyError(f"no form {form_id!r} is installed")
        return max(versions, key=lambda f: _version_key(f.version))

    def current_forms(self) -> list[FormDefinition]:
        """The newest version of each form, in a stable order."""
        ids = sorted({fid for fid, _ in self.forms})
        return [self.latest(fid) for fid in ids]
