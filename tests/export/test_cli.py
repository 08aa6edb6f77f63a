"""``ptk export`` and ``ptk export-check`` end to end, as a script would run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from practitioner_toolkit.cli import main
from practitioner_toolkit.export import SUFFIXES
from practitioner_toolkit.store import SHAREABLE_FIELDS, Workspace
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.export.conftest import GIVEN_NAME, populate


@pytest.fixture
def filled_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "ws"
    ws, _code = Workspace.create(
        folder,
        name="CLI post",
        username="supervisor",
        display_name="Supervisor",
        passphrase=PASSPHRASE,
        kdf=FAST_KDF,
    )
    populate(ws)
    ws.lock()
    monkeypatch.setenv("PTK_PASSPHRASE", PASSPHRASE)
    return folder


def test_export_then_check_an_htcds_file(
    filled_workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cases.json"
    argv = ["export", "--workspace", str(filled_workspace), "--user", "supervisor"]
    assert main([*argv, "--format", "htcds-json", "--out", str(out), "--decision-org", "NGO"]) == 0
    printed = capsys.readouterr().out
    assert "4 cases exported." in printed and f"Export saved to {out}" in printed
    assert main(["export-check", str(out)]) == 0
    assert "follows the HTCDS field list" in capsys.readouterr().out
    assert GIVEN_NAME not in out.read_text("utf-8")
    records = json.loads(out.read_text("utf-8"))["records"]
    assert [r["vic_TraffickingStatusDecisionMakingOrg"] for r in records].count("NGO") == 2


def test_export_with_details_status_and_dates(
    filled_workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sessions.xlsx"
    argv = ["export", "--workspace", str(filled_workspace), "--user", "supervisor"]
    code = main(
        [
            *argv,
            "--format",
            "analyst-xlsx",
            "--out",
            str(out),
            "--include",
            "given_name, sex",
            "--status",
            "open,referred",
            "--from",
            "2000-01-01",
            "--to",
            "2999-12-31",
        ]
    )
    assert code == 0
    assert "not agreed to share" in capsys.readouterr().out
    rows = list(openpyxl.load_workbook(out)["sessions"].iter_rows(values_only=True))
    assert len(rows) == 1 + 3  # the closed case is not selected
    assert GIVEN_NAME in {row[rows[0].index("given_name")] for row in rows[1:]}


def test_bad_options_fail_before_asking_for_a_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PTK_PASSPHRASE", raising=False)
    out = str(tmp_path / "x.csv")
    base = ["export", "--workspace", str(tmp_path / "nowhere"), "--format", "htcds-csv"]
    assert main([*base, "--out", out, "--include", "passport"]) == 2
    assert "passport" in capsys.readouterr().err
    assert main([*base, "--out", out, "--status", "pending"]) == 2
    assert "Unknown case status pending" in capsys.readouterr().err
    assert main([*base, "--out", str(tmp_path / "x.json")]) == 2
    assert "saved as a .csv file" in capsys.readouterr().err


def test_check_reports_problems_with_exit_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("ptk_CaseReference,prs_Gender\nR1,Woman\n", "utf-8")
    assert main(["export-check", str(bad)]) == 1
    captured = capsys.readouterr()
    assert "record 1: prs_Gender" in captured.out and "1 problem found." in captured.err
    assert main(["export-check", str(tmp_path / "absent.json")]) == 2


def test_no_temporary_file_outside_the_target_folder(
    filled_workspace: Path, tmp_path: Path
) -> None:
    temp = tmp_path / "system-temp"
    temp.mkdir()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "TEMP": str(temp), "TMP": str(temp)}
    for export_format, suffix in SUFFIXES.items():
        out = out_dir / f"{export_format}{suffix}"
        argv = ["export", "--workspace", str(filled_workspace), "--user", "supervisor"]
        argv += [
            "--format",
            export_format,
            "--out",
            str(out),
            "--include",
            ",".join(SHAREABLE_FIELDS),
        ]
        result = subprocess.run(
            [sys.executable, "-m", "practitioner_toolkit.cli", *argv],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert out.stat().st_mode & 0o077 == 0  # private to the user, like the workspace
    assert list(temp.iterdir()) == []
    assert len(list(out_dir.iterdir())) == 4
