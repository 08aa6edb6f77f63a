"""The real ``ptk`` commands: team, devices and sync, from a founder and a newcomer."""

from __future__ import annotations

from pathlib import Path

import pytest

from practitioner_toolkit.cli import main
from practitioner_toolkit.store import Workspace
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.sync.conftest import make_device, make_team, new_session


def _ptk(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> tuple[int, str]:
    code = main([*args, "--workspace", str(folder), "--user", "supervisor"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_team_forms_and_syncs_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PTK_PASSPHRASE", PASSPHRASE)
    office, post = make_device(tmp_path / "office", "office"), make_device(tmp_path / "post", "p")
    case_id, _ = new_session(office)
    office.ws.lock()
    post.ws.lock()

    code, out = _ptk(capsys, office.folder, "team", "create", "Mae Sot team")
    assert code == 0 and "Team fingerprint:" in out
    team_fpr = out.split("Team fingerprint: ")[1].split()[0]

    card, qr = tmp_path / "post.ptkcard", tmp_path / "post.png"
    code, out = _ptk(
        capsys, post.folder, "devices", "card", "--out", str(card), "--qr", str(qr),
        "--name", "Border laptop 2",
    )  # fmt: skip
    assert code == 0 and qr.read_bytes().startswith(b"\x89PNG")
    device_fpr = out.split("Fingerprint: ")[1].split()[0]

    team_file = tmp_path / "post.ptkteam"
    code, out = _ptk(capsys, office.folder, "devices", "approve", str(card))
    assert code == 2 and "--fingerprint" in out  # no terminal: the comparison is required
    code, out = _ptk(
        capsys, office.folder, "devices", "approve", str(card), "--fingerprint", "AAAA-AAAA"
    )
    assert code == 2 and "stopped" in out
    code, out = _ptk(
        capsys, office.folder, "devices", "approve", str(card),
        "--fingerprint", device_fpr.lower(), "--team-file", str(team_file),
    )  # fmt: skip
    assert code == 0 and "Approved device" in out

    code, out = _ptk(capsys, post.folder, "team", "join", str(team_file), "--fingerprint", "X")
    assert code == 2
    code, out = _ptk(capsys, post.folder, "team", "join", str(team_file), "--fingerprint", team_fpr)
    assert code == 0 and "Joined team Mae Sot team (2 devices)" in out

    outbox = tmp_path / "outbox"
    code, out = _ptk(capsys, office.folder, "sync", "export", "--out", str(outbox))
    assert code == 0 and "everything: 2 records" in out
    bundle = next(outbox.glob("*.ptkbundle"))
    code, out = _ptk(capsys, post.folder, "sync", "import", str(bundle), str(bundle))
    assert code == 0 and "accepted" in out and "already imported" in out
    bad = tmp_path / "bad.ptkbundle"
    bad.write_bytes(bundle.read_bytes()[:-10])
    code, out = _ptk(capsys, post.folder, "sync", "import", str(bad))
    assert code == 1 and "rejected (truncated)" in out

    shared = tmp_path / "shared"
    shared.mkdir()
    code, out = _ptk(capsys, post.folder, "sync", "folder", str(shared), "--remember")
    assert code == 0 and "sent:" in out
    code, out = _ptk(capsys, office.folder, "sync", "folder", str(shared))
    assert code == 0 and "1 accepted" in out
    code, out = _ptk(capsys, post.folder, "sync", "folder")  # the remembered folder
    assert code == 0

    code, out = _ptk(capsys, post.folder, "sync", "status")
    assert code == 0 and "Mae Sot team" in out and "member" in out and str(shared) in out
    code, out = _ptk(capsys, office.folder, "devices", "list")
    assert code == 0 and "founder" in out and "Border laptop 2" in out
    code, out = _ptk(capsys, office.folder, "sync", "conflicts")
    assert code == 0 and "No conflicts" in out

    post_id = Workspace.unlock(post.folder, "supervisor", PASSPHRASE, kdf=FAST_KDF)
    device_id = post_id.info.device_id
    assert post_id.cases.get_case(case_id).reference
    post_id.lock()
    code, out = _ptk(capsys, office.folder, "devices", "revoke", device_id)
    assert code == 0 and "Revoked" in out
    code, out = _ptk(capsys, office.folder, "devices", "list")
    assert "REVOKED" in out


def test_resolving_a_conflict_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PTK_PASSPHRASE", PASSPHRASE)
    a, b = make_team(tmp_path / "devices", ["a", "b"])
    _, session_id = new_session(a)
    b.sync.import_file(a.export(tmp_path / "1").path)
    a.ws.cases.save_answer(session_id, "q", "no")
    b.ws.cases.save_answer(session_id, "q", "yes")
    a.sync.import_file(b.export(tmp_path / "2").path)
    a.ws.lock()
    b.ws.lock()

    code, listing = _ptk(capsys, a.folder, "sync", "conflicts")
    assert code == 0 and "field value" in listing
    lines = listing.splitlines()
    at = next(i for i, line in enumerate(lines) if "field value" in line)
    conflict_id = lines[at].split()[0]
    losing = "no" if '"no"' in lines[at + 2] else "yes"  # the "other" line
    code, out = _ptk(capsys, a.folder, "sync", "conflicts", "--resolve", conflict_id)
    assert code == 2 and "--keep" in out
    code, out = _ptk(
        capsys, a.folder, "sync", "conflicts", "--resolve", conflict_id, "--keep", "other"
    )
    assert code == 0 and "Resolved" in out
    ws = Workspace.unlock(a.folder, "supervisor", PASSPHRASE, kdf=FAST_KDF)
    try:
        assert ws.cases.get_session(session_id).answers["q"].value == losing
    finally:
        ws.lock()
