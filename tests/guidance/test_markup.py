"""The card body markup: paragraphs and bullet points, nothing else."""

from __future__ import annotations

from practitioner_toolkit.guidance import paragraphs_and_bullets


def test_paragraphs_and_bullets() -> None:
    text = "First line\nsame paragraph.\n\nLead-in:\n- one\n- two\n  continued\n\nLast."
    assert paragraphs_and_bullets(text) == [
        ("p", "First line same paragraph."),
        ("p", "Lead-in:"),
        ("li", "one"),
        ("li", "two continued"),
        ("p", "Last."),
    ]


def test_an_unindented_line_after_a_bullet_starts_a_paragraph() -> None:
    assert paragraphs_and_bullets("- point\nNext paragraph") == [
        ("li", "point"),
        ("p", "Next paragraph"),
    ]


def test_blank_and_empty_input() -> None:
    assert paragraphs_and_bullets("") == []
    assert paragraphs_and_bullets("\n\n  \n") == []
    assert paragraphs_and_bullets("-\n- \n") == []


def test_scripts_without_spaces_are_kept_whole() -> None:
    assert paragraphs_and_bullets("- ถามเรื่องความปลอดภัย\n- សួរអំពីសុវត្ថិភាព") == [
        ("li", "ถามเรื่องความปลอดภัย"),
        ("li", "សួរអំពីសុវត្ថិភាព"),
    ]
