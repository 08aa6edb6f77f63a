"""A blank screening checklist on paper, from the same form definition the app runs.

For posts without a laptop: the officer ticks boxes and writes answers on paper, then
enters them into the toolkit later, which computes the outcome. Skip logic cannot run on
paper, so a question that depends on earlier answers names the questions it depends on.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from practitioner_toolkit.forms import FormDefinition, Question, QuestionType, expressions, text_in
from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.referral.compose import BODY_BOLD, NOTE, Composer
from practitioner_toolkit.referral.pdf import Row

SCREENING_CHECKLIST = N_("Screening checklist")
CHECKLIST_FOOTER = N_(
    "Confidential once filled in. Enter the answers into the toolkit, then keep this paper "
    "locked away or destroy it."
)
_INDENT = 8 * mm

_FIXED_CHOICES: dict[str, str] = {
    "yes": N_("Yes"),
    "no": N_("No"),
    "unsure": N_("Unsure"),
}
DECLINED_LABEL = N_("Declined to answer")


class _ChecklistWriter:
    def __init__(self, form: FormDefinition, composer: Composer) -> None:
        self.form = form
        self.c = composer
        self.first = composer.first.setter.language
        self.second = composer.second.setter.language if composer.second else None
        self.numbers = {
            q.id: f"{s}.{i}"
            for s, section in enumerate(form.sections, 1)
            for i, q in enumerate(section.questions, 1)
        }

    def texts(self, local: dict[str, str] | None) -> tuple[str, str | None]:
        """A form text in the first language, and in the second if that differs."""
        one = text_in(local, self.first)
        two = text_in(local, self.second) if self.second else None
        return one, (two if two != one else None)

    def story(self) -> list[Flowable]:
        c = self.c
        story: list[Flowable] = []
        rows = c.title_text_rows(*self.texts(self.form.title), field=N_("Form title"))
        if self.form.description:
            one, two = self.texts(self.form.description)
            rows += c.text_rows(one, field=N_("Form description"), style=NOTE, second_text=two)
        story.append(c.block(rows, keep_first=len(rows)))
        story.append(self._before_you_start())
        for s_index, section in enumerate(self.form.sections, 1):
            head = c.heading_text_rows(
                *self.texts(section.title), field=N_("Section title"), number=str(s_index)
            )
            if section.hint:
                one, two = self.texts(section.hint)
                head += c.text_rows(one, field=N_("Section hint"), style=NOTE, second_text=two)
            if section.relevant:
                head += self._depends_rows(section.relevant, 0.0)
            first_question = self._question_rows(section.questions[0])
            # The heading always comes with its first question.
            story.append(
                c.block(
                    head + first_question,
                    keep_first=len(head) + len(first_question),
                    space_before=4 * mm,
                )
            )
            for question in section.questions[1:]:
                rows = self._question_rows(question)
                # A question stays on one page with its answer boxes.
                story.append(c.block(rows, keep_first=len(rows), space_before=2.5 * mm))
        closing = c.message_rows(
            N_(
                "After the interview, enter these answers into the toolkit: it gives the "
                "indicative outcome and the recommended referrals."
            ),
            style=NOTE,
        )
        story.append(c.block(closing, keep_first=len(closing), space_before=5 * mm))
        return story

    def _before_you_start(self) -> Flowable:
        c = self.c
        rows: list[Row] = []
        for label in (
            N_("Date and time:"),
            N_("Place (post):"),
            N_("Officer:"),
            N_("Case reference:"),
            N_("Language of the interview:"),
        ):
            rows += c.writing_rows(1, label=label)
        rows += c.label_lines_rows(N_("Interpreter used"))
        rows += c.choice_rows(
            [c.both(N_("Yes")), c.both(N_("No"))], field=N_("Interpreter used"), indent=0.0
        )
        rows += c.message_rows(
            N_(
                "Explain the purpose of the interview, that the person may refuse to answer "
                "any question and may stop at any time, and how the information will be "
                "used. Continue only with their consent."
            ),
            style=NOTE,
        )
        head = c.heading_rows(N_("Before you start"))
        return c.block(head + rows, keep_first=len(head) + len(rows), space_before=4 * mm)

    def _question_rows(self, question: Question) -> list[Row]:
        c = self.c
        label, label_second = self.texts(question.label)
        rows = c.numbered_rows(
            self.numbers[question.id],
            label,
            label_second,
            field=N_("Question"),
            style=BODY_BOLD,
            indent=_INDENT,
        )
        if question.hint:
            one, two = self.texts(question.hint)
            rows += c.text_rows(
                one, field=N_("Question hint"), style=NOTE, indent=_INDENT, second_text=two
            )
        if question.relevant:
            rows += self._depends_rows(question.relevant, _INDENT)
        kind = question.type
        if kind is QuestionType.NOTE:
            return rows
        choices: list[tuple[str, str | None]] = []
        if kind in (QuestionType.YES_NO, QuestionType.YES_NO_UNSURE):
            choices = [c.both(_FIXED_CHOICES[value]) for value in kind.fixed_values]
        elif kind.has_choices:
            if kind is QuestionType.MULTI:
                rows += c.message_rows(N_("Tick all that apply."), style=NOTE, indent=_INDENT)
            choices = [self.texts(choice.label) for choice in self.form.choices_for(question)]
        if choices:
            choices.append(c.both(DECLINED_LABEL))
            rows += c.choice_rows(choices, field=N_("Answer choices"), indent=_INDENT)
        else:
            rows += c.writing_rows(3 if kind is QuestionType.TEXT else 1, indent=_INDENT)
        return rows

    def _depends_rows(self, relevant: str, indent: float) -> list[Row]:
        """Paper cannot hide questions: name the ones this depends on instead."""
        try:
            refs = sorted(expressions.references(expressions.parse(relevant)))
        except expressions.ExpressionError:
            refs = []
        listed = ", ".join(self.numbers.get(ref, ref) for ref in refs)
        first, second = self.c.both(N_("Ask only if the answers to {questions} call for it."))
        return self.c.text_rows(
            first.format(questions=listed),
            field=N_("Skip logic"),
            style=NOTE,
            indent=indent,
            second_text=second.format(questions=listed) if second else None,
        )


def compose_checklist(form: FormDefinition, composer: Composer) -> list[Flowable]:
    return _ChecklistWriter(form, composer).story()
