"""The real `ptk` command: init, unlock-check, users, audit verify, stats, forms run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from practitioner_toolkit.cli import main
from practitioner_toolkit.store import Workspace

PASS = "border post passphrase"
MINI = Path(__file__).parents[1] / "forms" / "fixtures" / "mini.yaml"


@pytest.fixture
def initialised(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> str:
    monkeypatch.setenv("PTK_PASSPHRASE", PASS)
    assert main(["init", "--name", "Poipet border post", "--user", "dara"]) == 0
    out = capsys.readouterr().out
    code_line = out.split("RECOVERY CODE", 1)[1].splitlines()[1].strip()
    assert len(code_line) == 39
    return code_line


def test_init_shows_the_recovery_code_once_and_it_works(initialised: str) -> None:
    folder = Path(os.environ["PTK_DATA_DIR"]) / "workspaces" / "poipet-border-post"
    ws = Workspace.recover(folder, initialised, "dara", "a completely new one")
    ws.lock()
    assert initialised.replace("-", "") not in (folder / "keyring.json").read_text()


def test_unlock_check_stats_and_audit_verify(
    initialised: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["unlock-check", "--full"]) == 0
    assert "file is intact" in capsys.readouterr().out
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "Cases            0" in out and "Poipet border post" in out
    assert main(["audit", "verify"]) == 0
    assert "Audit log intact" in capsys.readouterr().out
    monkeypatch.setenv("PTK_PASSPHRASE", "wrong passphrase here")
    assert main(["stats"]) == 2
    assert "passphrase is not correct" in capsys.readouterr().err


def test_users_add_list_and_passwd(
    initialised: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (
        main(["users", "add", "sokha", "--display-name", "Sokha Chan", "--role", "screener"]) == 0
    )
    assert main(["users", "list"]) == 2  # two accounts now: which one unlocks?
    assert "--user" in capsys.readouterr().err
    assert main(["users", "list", "--user", "dara"]) == 0
    assert "sokha" in capsys.readouterr().out
    # The supervisor resets another user's passphrase: here the new one equals PASS.
    monkeypatch.setenv("PTK_PASSPHRASE", PASS)
    assert main(["users", "passwd", "sokha", "--user", "dara"]) == 0
    assert main(["unlock-check", "--user", "sokha"]) == 0
    assert "as sokha" in capsys.readouterr().out


def test_forms_run_prints_outcome_and_reasoning_in_khmer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(
        json.dumps({"consent": "yes", "who_recruited": "agent", "deceived": "yes", "hours": "yes"})
    )
    assert main(["forms", "run", str(MINI), "--answers", str(answers), "--lang", "km"]) == 0
    out = capsys.readouterr().out
    assert "ការពិនិត្យខ្លី" in out  # the form title in Khmer
    assert "តើការងារខុសពីការសន្យាទេ?" in out  # the indicator's question in Khmer


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"nope": "yes"}, "'nope' is not a question"),
        ({"age": 300}, "Age is between 0 and 120"),
        ([1, 2], "expected a JSON object"),
    ],
)
def test_forms_run_rejects_bad_answer_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], answers: object, message: str
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    assert main(["forms", "run", str(MINI), "--answers", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_the_installed_command_runs_as_a_separate_process(isolated_data_dir: Path) -> None:
    env = {**os.environ, "PTK_PASSPHRASE": PASS}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "practitioner_toolkit.cli",
            "init",
            "--name",
            "Ranong",
            "--user",
            "kim",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "practitioner_toolkit.cli", "audit", "verify"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0 and "intact" in result.stdout
    result = subprocess.run(
        [sys.executable, "-m", "practitioner_toolkit.cli", "stats"],
        capture_output=True,
        text=True,
        env={**env, "PTK_PASSPHRASE": "nope nope nope"},
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_training_init_and_reset(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PTK_PASSPHRASE", PASS)
    assert main(["training", "init", "--user", "trainer"]) == 0
    assert "fictional cases" in capsys.readouterr().out
    assert main(["training", "reset"]) == 0
    assert "demo cases loaded" in capsys.readouterr().out
    assert main(["init", "--name", "Real post", "--user", "officer"]) == 0
    capsys.readouterr()
    real = isolated_data_dir / "workspaces" / "real-post"
    assert main(["training", "reset", "--workspace", str(real)]) == 2
    assert "not a training workspace" in capsys.readouterr().err
