"""Every refused bundle says why, and a refused bundle changes nothing at all."""

from __future__ import annotations

import struct
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practitioner_toolkit.store import Interpreter, IntervieweeDetails
from practitioner_toolkit.sync import (
    FORMAT_VERSION,
    BadSignatureError,
    BundleRejectedError,
    MalformedBundleError,
    NewerFormatError,
    NotABundleError,
    NotForThisDeviceError,
    RevokedDeviceError,
    TamperedError,
    TruncatedError,
    UnknownDeviceError,
    WrongTeamError,
    crypto,
)
from practitioner_toolkit.sync.bundle import BundleContent, encode_payload, seal_bundle
from tests.sync.conftest import Device, join, make_device, make_team, new_session


@pytest.fixture
def bundle(team: list[Device], tmp_path: Path) -> bytes:
    """A genuine bundle from a to the team, with a record that names a person."""
    a = team[0]
    case = a.ws.cases.open_case(IntervieweeDetails(given_name="Somchai", alias="Min"))
    session = a.ws.cases.start_session(case.id, "adult", "1", "en", "th", Interpreter(False))
    a.ws.cases.save_answer(session.id, "story", "held on a boat")
    return a.export(tmp_path / "genuine").path.read_bytes()


def _assert_refused(
    device: Device, data: bytes, error: type[BundleRejectedError]
) -> BundleRejectedError:
    """The bundle is refused with this reason, nothing changes, and the audit log says so."""
    before = device.ws.sync_state.canonical_snapshot()
    imported = device.ws.sync_state.imported_count()
    with pytest.raises(error) as caught:
        device.sync.import_bytes(data, name="x.ptkbundle")
    assert device.ws.sync_state.canonical_snapshot() == before
    assert device.ws.sync_state.imported_count() == imported
    last = device.ws.audit_entries(1)[0]
    assert last.detail == f"rejected={error.reason}"
    message = str(caught.value)
    assert message and "Somchai" not in message and "boat" not in message
    return caught.value


def _forge(
    *,
    team_id: str,
    sender: str,
    sign_seed: bytes,
    recipients: list[bytes],
    roster: list[bytes] | None = None,
    payload: bytes | None = None,
) -> bytes:
    bundle_id = uuid.uuid4().hex
    if payload is None:
        payload = encode_payload(
            BundleContent(
                bundle_id=bundle_id,
                team_id=team_id,
                sender=sender,
                created_at="2026-01-01T00:00:00.000Z",
                sender_clock=f"{1:012x}-0000-{sender}",
                seq_from=0,
                seq_to=0,
                full=False,
                hlc_min=None,
                hlc_max=None,
                rows=[],
                tombstones=[],
                conflicts=[],
            )
        )
    return seal_bundle(
        bundle_id=bundle_id,
        team_id=team_id,
        sender=sender,
        sign_seed=sign_seed,
        roster=roster or [],
        payload=payload,
        recipients=recipients,
    )


def _team_id(device: Device) -> str:
    team = device.ws.sync_state.team()
    assert team is not None
    return team.team_id


def test_an_unknown_device_is_refused(team: list[Device], tmp_path: Path) -> None:
    b = team[1]
    outsider_seed = crypto.new_secret()
    data = _forge(
        team_id=_team_id(b),
        sender="0123456789abcdef",
        sign_seed=outsider_seed,
        recipients=[b.sync.identity().box_key],
    )
    error = _assert_refused(b, data, UnknownDeviceError)
    assert "0123456789abcdef" in str(error)


def test_a_revoked_device_is_refused(team: list[Device], tmp_path: Path) -> None:
    a, b, c = team
    new_session(c)
    from_c = c.export(tmp_path / "c").path.read_bytes()
    a.sync.revoke_device(c.id)
    b.sync.import_file(a.export(tmp_path / "a").path)  # b learns of the revocation
    _assert_refused(b, from_c, RevokedDeviceError)


def test_a_forged_signature_is_refused(team: list[Device]) -> None:
    a, b, _ = team
    data = _forge(
        team_id=_team_id(b),
        sender=a.id,  # claims to be a, signed with another key
        sign_seed=crypto.new_secret(),
        recipients=[b.sync.identity().box_key],
    )
    _assert_refused(b, data, BadSignatureError)


def test_a_byte_flipped_in_the_body_is_refused(team: list[Device], bundle: bytes) -> None:
    flipped = bytearray(bundle)
    flipped[len(bundle) // 2] ^= 0x01
    _assert_refused(team[1], bytes(flipped), TamperedError)


def test_a_byte_flipped_in_the_header_is_refused(team: list[Device], bundle: bytes) -> None:
    flipped = bytearray(bundle)
    position = bundle.index(b'"size":') + 2  # inside the cleartext header
    flipped[position] ^= 0x20
    _assert_refused(team[1], bytes(flipped), TamperedError)


@pytest.mark.parametrize("keep", [0, 5, 12, 100, -1])
def test_a_truncated_bundle_is_refused(team: list[Device], bundle: bytes, keep: int) -> None:
    _assert_refused(team[1], bundle[:keep], TruncatedError)


def test_trailing_bytes_are_refused(team: list[Device], bundle: bytes) -> None:
    _assert_refused(team[1], bundle + b"\x00", TamperedError)


def test_a_bundle_of_another_team_is_refused(team: list[Device], tmp_path: Path) -> None:
    others = make_team(tmp_path / "other-team", ["x", "y"])
    try:
        new_session(others[0])
        data = others[0].export(tmp_path / "x").path.read_bytes()
        _assert_refused(team[1], data, WrongTeamError)
    finally:
        for device in others:
            device.ws.lock()


def test_a_newer_format_is_refused_with_advice(team: list[Device], bundle: bytes) -> None:
    newer = bundle[:8] + struct.pack(">H", FORMAT_VERSION + 1) + bundle[10:]
    error = _assert_refused(team[1], newer, NewerFormatError)
    assert "newer version" in str(error)


def test_a_file_that_is_no_bundle_is_refused(team: list[Device], tmp_path: Path) -> None:
    _assert_refused(team[1], b"%PDF-1.7\n" + b"x" * 100, NotABundleError)
    _assert_refused(team[1], team[0].sync.card_bytes(), NotABundleError)


def test_a_bundle_for_other_devices_is_refused(team: list[Device], tmp_path: Path) -> None:
    a = team[0]
    late = make_device(tmp_path / "late", "late")
    try:
        new_session(a)
        before_joining = a.export(tmp_path / "early").path.read_bytes()
        join(a, late)
        _assert_refused(late, before_joining, NotForThisDeviceError)
    finally:
        late.ws.lock()


def test_signed_nonsense_is_refused(team: list[Device]) -> None:
    a, b, _ = team
    data = _forge(
        team_id=_team_id(b),
        sender=a.id,
        sign_seed=a.sync.identity().sign_seed,
        recipients=[b.sync.identity().box_key],
        payload=b"not zlib at all",
    )
    _assert_refused(b, data, MalformedBundleError)


def test_a_signed_payload_naming_another_sender_is_refused(team: list[Device]) -> None:
    a, b, c = team
    # a signs (correctly) an envelope from a around a payload that claims c sent it.
    payload = encode_payload(
        BundleContent(
            bundle_id=uuid.uuid4().hex,
            team_id=_team_id(b),
            sender=c.id,
            created_at="2026-01-01T00:00:00.000Z",
            sender_clock=f"{1:012x}-0000-{c.id}",
            seq_from=0,
            seq_to=0,
            full=False,
            hlc_min=None,
            hlc_max=None,
            rows=[],
            tombstones=[],
            conflicts=[],
        )
    )
    data = _forge(
        team_id=_team_id(b),
        sender=a.id,
        sign_seed=a.sync.identity().sign_seed,
        recipients=[b.sync.identity().box_key],
        payload=payload,
    )
    _assert_refused(b, data, MalformedBundleError)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(position=st.integers(min_value=0), bits=st.integers(min_value=1, max_value=255))
def test_any_flipped_byte_is_refused_and_changes_nothing(
    team: list[Device], bundle: bytes, position: int, bits: int
) -> None:
    b = team[1]
    flipped = bytearray(bundle)
    flipped[position % len(bundle)] ^= bits
    before = b.ws.sync_state.canonical_snapshot()
    with pytest.raises(BundleRejectedError):
        b.sync.import_bytes(bytes(flipped))
    assert b.ws.sync_state.canonical_snapshot() == before


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(keep=st.integers(min_value=0))
def test_any_truncation_is_reported_as_truncated(
    team: list[Device], bundle: bytes, keep: int
) -> None:
    with pytest.raises(TruncatedError):
        team[1].sync.import_bytes(bundle[: keep % len(bundle)])


def test_the_genuine_bundle_is_accepted_after_all(team: list[Device], bundle: bytes) -> None:
    result = team[1].sync.import_bytes(bundle)
    assert result.outcome is not None and result.outcome.rows == 3
