"""Word boundaries for scripts without spaces come from ICU, never from a hand-made table."""

from __future__ import annotations

import pytest

from practitioner_toolkit.i18n import icu
from practitioner_toolkit.i18n.textbreak import (
    ZERO_WIDTH_SPACE,
    insert_break_hints,
    line_segments,
    strip_break_hints,
)


@pytest.mark.parametrize(
    ("locale", "text", "segments"),
    [
        ("km", "តើអ្នកត្រូវបានគេបង្ខំ", ("តើ", "អ្នក", "ត្រូវ", "បាន", "គេ", "បង្ខំ")),
        ("lo", "ທ່ານຖືກບັງຄັບໃຫ້ເຮັດວຽກບໍ່", ("ທ່ານ", "ຖືກ", "ບັງຄັບ", "ໃຫ້", "ເຮັດວຽກ", "ບໍ່")),
        ("th", "คุณถูกบังคับให้ทำงาน", ("คุณ", "ถูก", "บังคับ", "ให้", "ทำงาน")),
        ("my", "သင့်ကိုအလုပ်", ("သင့်", "ကို", "အလုပ်")),
        ("en", "Do you feel safe?", ("Do ", "you ", "feel ", "safe?")),
    ],
)
def test_ICU_finds_the_words(locale: str, text: str, segments: tuple[str, ...]) -> None:  # noqa: N802
    assert line_segments(text, locale) == segments


def test_offsets_survive_characters_outside_the_basic_plane() -> None:
    text = "ok 😀 คุณถูกบังคับ"
    assert "".join(line_segments(text, "th")) == text
    assert line_segments(text, "th")[-1] == "บังคับ"


def test_break_hints_are_invisible_and_only_in_complex_scripts() -> None:
    hinted = insert_break_hints("ທ່ານຖືກບັງຄັບ ok", "lo")
    assert ZERO_WIDTH_SPACE in hinted
    assert strip_break_hints(hinted) == "ທ່ານຖືກບັງຄັບ ok"
    assert insert_break_hints("plain English text", "en") == "plain English text"


def test_a_real_icu_library_is_in_use() -> None:
    boundaries = icu.backend()
    assert boundaries("ທ່ານຖືກ", "lo") == [0, 4, 7]
