"""Broken card files: every problem names the file, the line where it can, and the field."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from practitioner_toolkit.guidance import GuidanceError, GuidanceProblem, load_library
from practitioner_toolkit.guidance.loader import DAMAGED
from practitioner_toolkit.i18n import _, set_language
from tests.guidance.conftest import CardWriter, valid_card


def _problems(folder: Path) -> list[GuidanceProblem]:
    with pytest.raises(GuidanceError) as caught:
        load_library(folder)
    return caught.value.problems


def _one(folder: Path, field: str) -> GuidanceProblem:
    found = [p for p in _problems(folder) if p.field == field]
    assert found, f"no problem reported for {field!r}: {_problems(folder)}"
    return found[0]


def test_a_valid_folder_loads(guidance_dir: Path, write_card: CardWriter) -> None:
    write_card("first-card", related=["second-card"])
    write_card("second-card", area="children", order=5)
    library = load_library(guidance_dir)
    assert [c.id for c in library] == ["first-card", "second-card"]
    assert library.get("first-card").related == ("second-card",)


def test_missing_language_names_file_line_and_field(
    guidance_dir: Path, write_card: CardWriter
) -> None:
    data = valid_card("no-khmer")
    del data["summary"]["km"]
    write_card("no-khmer", data)
    problem = _one(guidance_dir, "summary.km")
    assert problem.file == "guidance/no-khmer.yaml"
    assert problem.line is not None and problem.line > 1
    assert "all nine languages" in str(problem)
    assert str(problem).startswith(f"guidance/no-khmer.yaml:{problem.line}: summary.km: ")


def test_empty_text_and_unknown_language(guidance_dir: Path, write_card: CardWriter) -> None:
    data = valid_card("bad-texts")
    data["title"]["lo"] = "   "
    data["body"]["xx"] = "Text in a language the app does not have."
    write_card("bad-texts", data)
    assert "is empty" in _one(guidance_dir, "title.lo").message
    assert "unknown language" in _one(guidance_dir, "body.xx").message


def test_unknown_area(guidance_dir: Path, write_card: CardWriter) -> None:
    write_card("lost-card", area="prevention")
    problem = _one(guidance_dir, "area")
    assert "prevention" in str(problem) and "return_reintegration" in str(problem)
    assert problem.line == 2


def test_id_must_match_the_file_name(guidance_dir: Path, write_card: CardWriter) -> None:
    write_card("right-name", valid_card("wrong-name"))
    problem = _one(guidance_dir, "id")
    assert problem.file == "guidance/right-name.yaml"
    assert "wrong-name" in str(problem) and "right-name.yaml" in str(problem)


def test_duplicate_id_across_files(guidance_dir: Path, write_card: CardWriter) -> None:
    write_card("same-card")
    write_card("same-card", file_name="zz-copy.yaml")
    messages = [str(p) for p in _problems(guidance_dir)]
    assert any(
        m.startswith("guidance/zz-copy.yaml") and "already used by guidance/same-card.yaml" in m
        for m in messages
    ), messages


def test_broken_related_link(guidance_dir: Path, write_card: CardWriter) -> None:
    write_card("linking-card", related=["missing-card"])
    problem = _one(guidance_dir, "related[0]")
    assert problem.file == "guidance/linking-card.yaml"
    assert problem.line is not None
    assert "missing-card" in str(problem)


def test_related_to_itself_or_twice(guidance_dir: Path, write_card: CardWriter) -> None:
    write_card("other-card")
    write_card("self-card", related=["other-card", "self-card", "other-card"])
    assert "itself" in _one(guidance_dir, "related[1]").message
    assert "twice" in str(_one(guidance_dir, "related[2]"))


def test_keys_types_and_statuses(guidance_dir: Path, write_card: CardWriter) -> None:
    data = valid_card("odd-card", order="first", colour="red")
    del data["sources"]
    data["translations"]["en"] = "unreviewed"
    data["translations"]["th"] = "done"
    del data["translations"]["fil"]
    write_card("odd-card", data)
    fields = {p.field: p.message for p in _problems(guidance_dir)}
    assert fields["colour"] == "unknown key (check its spelling)"
    assert fields["order"] == "must be a whole number"
    assert "missing" in fields["sources"]
    assert "source" in fields["translations.en"]
    assert "unreviewed" in fields["translations.th"]
    assert "missing" in fields["translations.fil"]


def test_sources_need_a_citation_and_a_web_address(
    guidance_dir: Path, write_card: CardWriter
) -> None:
    write_card("cited-card", sources=[{"url": "ftp://example.org"}, {"citation": "Ok", "page": 3}])
    fields = {p.field for p in _problems(guidance_dir)}
    assert {"sources[0].citation", "sources[0].url", "sources[1].page"} <= fields


def test_wrong_bullets_and_non_nfc_text(guidance_dir: Path, write_card: CardWriter) -> None:
    data = valid_card("typo-card")
    data["body"]["th"] = "ย่อหน้า\n\n• ข้อแรก\n* ข้อสอง\n"
    data["summary"]["vi"] = unicodedata.normalize("NFD", "Tóm tắt tiếng Việt.")
    write_card("typo-card", data)
    problems = _problems(guidance_dir)
    bullets = [str(p) for p in problems if p.field == "body.th"]
    assert len(bullets) == 2 and "line 3 of the text" in bullets[0]
    assert "NFC" in _one(guidance_dir, "summary.vi").message


def test_title_must_be_one_line(guidance_dir: Path, write_card: CardWriter) -> None:
    data = valid_card("tall-title")
    data["title"]["en"] = "Two\nlines"
    write_card("tall-title", data)
    assert "single line" in _one(guidance_dir, "title.en").message


def test_yaml_syntax_and_duplicate_keys(guidance_dir: Path) -> None:
    (guidance_dir / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    (guidance_dir / "twice.yaml").write_text("id: twice\nid: again\n", encoding="utf-8")
    messages = [str(p) for p in _problems(guidance_dir)]
    assert any(m.startswith("guidance/broken.yaml:") and "not valid YAML" in m for m in messages)
    assert any(m.startswith("guidance/twice.yaml:2: id: ") and "twice" in m for m in messages)


def test_not_a_mapping_and_not_utf8(guidance_dir: Path) -> None:
    (guidance_dir / "list.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    (guidance_dir / "latin1.yaml").write_bytes("id: caf\xe9\n".encode("latin-1"))
    messages = [str(p) for p in _problems(guidance_dir)]
    assert any("list.yaml" in m and "mapping" in m for m in messages)
    assert any("latin1.yaml" in m and "UTF-8" in m for m in messages)


def test_every_problem_is_reported_at_once(guidance_dir: Path, write_card: CardWriter) -> None:
    write_card("first-bad", area="nowhere")
    write_card("second-bad", related=["nobody"])
    files = {p.file for p in _problems(guidance_dir)}
    assert files == {"guidance/first-bad.yaml", "guidance/second-bad.yaml"}


def test_empty_or_missing_folder(tmp_path: Path, guidance_dir: Path) -> None:
    assert "no guidance cards" in str(_problems(guidance_dir)[0])
    assert "does not exist" in str(_problems(tmp_path / "nowhere")[0])


def test_translated_message_heads_the_english_details(
    guidance_dir: Path, write_card: CardWriter
) -> None:
    write_card("lost-card", area="prevention")
    with pytest.raises(GuidanceError) as caught:
        load_library(guidance_dir)
    details = "guidance/lost-card.yaml:2: area: unknown area 'prevention'"
    assert str(caught.value).startswith(details)
    try:
        for code in ("en", "th"):
            set_language(code)
            message = caught.value.translated()
            headline, rest = message.split("\n", 1)
            assert headline == _(DAMAGED)
            assert rest == str(caught.value)
    finally:
        set_language("en")
