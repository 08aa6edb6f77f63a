"""The team roster: which devices may send and receive bundles, as signed statements.

A team starts with a *genesis* statement: the founding supervisor device's card, signed by
that device. Every later change is a statement signed by an *admin* device:

* ``approve`` a device card as ``member`` (or, by the founder only, as ``admin``);
* ``revoke`` one key of a device (by fingerprint).

The roster is a pure function of the set of statements known (``evaluate``), so devices that
hold the same statements agree on it whatever order they learned them in:

1. the founder is an admin and cannot be revoked;
2. a device is an admin if the founder approved it as one and the founder did not revoke it;
3. an approval counts if it is signed by a current admin;
4. a revocation counts if it is signed by the founder or by any device the founder ever
   approved as an admin; a revoked key never comes back (revoking an admin: founder only);
5. a device's entry is its latest counted, unrevoked approval.

Consequences, stated plainly: once the founder revokes an admin device, the approvals that
device signed stop counting (a lost admin laptop cannot keep rogue devices in the team), so
the founder re-approves any of them that should stay. A stolen admin device could revoke
members until the founder revokes it; a revoked device keeps whatever it had already received.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from practitioner_toolkit.sync import crypto
from practitioner_toolkit.sync.cards import DEVICE_ID, DeviceCard

KINDS = ("genesis", "approve", "revoke")
ROLES = ("admin", "member")
MAX_STATEMENT_BYTES = 4096


@dataclass(frozen=True)
class Statement:
    statement_id: str
    kind: str
    team_id: str
    signer: str
    at: str  # the signer's clock when signing: orders approvals of one device
    body: bytes = field(repr=False)
    signed: bytes = field(repr=False)  # the canonical JSON the signature covers
    signature: bytes = field(repr=False)
    card: DeviceCard | None = None  # genesis, approve
    role: str = "member"
    team_name: str | None = None  # genesis
    target: str | None = None  # revoke: the device
    target_key: str | None = None  # revoke: the fingerprint of the revoked keys

    def signed_by(self, sign_key: bytes) -> bool:
        return crypto.verify(sign_key, crypto.STATEMENT_CONTEXT, self.signed, self.signature)


def statement_id(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


def make_statement(sign_seed: bytes, fields: dict[str, Any]) -> tuple[str, bytes]:
    """Sign a statement; returns its id and its bytes (signature, then canonical JSON)."""
    signed = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    body = crypto.sign(sign_seed, crypto.STATEMENT_CONTEXT, signed) + signed
    parse_statement(body)  # never emit what a receiver would refuse
    return statement_id(body), body


def parse_statement(body: bytes) -> Statement:
    """Decode a statement's structure (the signature is checked against the roster later)."""
    if not crypto.SIGNATURE_BYTES < len(body) <= MAX_STATEMENT_BYTES:
        raise ValueError("bad statement size")
    signature, signed = body[: crypto.SIGNATURE_BYTES], body[crypto.SIGNATURE_BYTES :]
    data = json.loads(signed.decode("utf-8"))
    if not isinstance(data, dict) or data.get("kind") not in KINDS:
        raise ValueError("bad statement")
    kind = str(data["kind"])
    team_id, signer, at = data.get("team"), data.get("by"), data.get("at")
    if not all(isinstance(v, str) and v for v in (team_id, signer, at)):
        raise ValueError("bad statement header")
    if not DEVICE_ID.fullmatch(str(signer)):
        raise ValueError("bad signer")
    common: dict[str, Any] = {
        "statement_id": statement_id(body),
        "kind": kind,
        "team_id": str(team_id),
        "signer": str(signer),
        "at": str(at),
        "body": bytes(body),
        "signed": bytes(signed),
        "signature": bytes(signature),
    }
    if kind == "revoke":
        target, target_key = data.get("device"), data.get("key")
        if not isinstance(target, str) or not DEVICE_ID.fullmatch(target):
            raise ValueError("bad revoked device")
        if not isinstance(target_key, str) or not target_key:
            raise ValueError("bad revoked key")
        return Statement(**common, target=target, target_key=target_key)
    card = DeviceCard.from_fields(data.get("card"))
    role = data.get("role")
    if role not in ROLES:
        raise ValueError("bad role")
    if kind == "genesis":
        name = data.get("name")
        if not isinstance(name, str) or not 0 < len(name) <= 80 or role != "admin":
            raise ValueError("bad genesis")
        if card.device_id != signer:
            raise ValueError("the genesis is signed by its founder")
        return Statement(**common, card=card, role="admin", team_name=name)
    return Statement(**common, card=card, role=str(role))


@dataclass(frozen=True)
class RosterEntry:
    device_id: str
    name: str
    sign_key: bytes
    box_key: bytes
    role: str
    approved_by: str
    approved_at: str

    @property
    def fingerprint(self) -> str:
        return crypto.fingerprint(self.sign_key, self.box_key)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def card(self) -> DeviceCard:
        return DeviceCard(self.device_id, self.name, self.sign_key, self.box_key)


@dataclass(frozen=True)
class RevokedKey:
    device_id: str
    name: str
    sign_key: bytes
    fingerprint: str
    revoked_by: str


@dataclass(frozen=True)
class Roster:
    team_id: str
    team_name: str
    founder: DeviceCard
    entries: dict[str, RosterEntry]
    revoked: dict[str, list[RevokedKey]]
    accepted: frozenset[str]  # ids of the statements that count (these are kept and relayed)

    @property
    def fingerprint(self) -> str:
        """The team's fingerprint: its founder's, compared by a device when joining."""
        return self.founder.fingerprint

    def get(self, device_id: str) -> RosterEntry | None:
        return self.entries.get(device_id)

    def active(self) -> list[RosterEntry]:
        return [self.entries[d] for d in sorted(self.entries)]

    def is_admin(self, device_id: str) -> bool:
        entry = self.entries.get(device_id)
        return entry is not None and entry.is_admin

    def revoked_keys(self, device_id: str) -> list[RevokedKey]:
        return self.revoked.get(device_id, [])

    def digest(self) -> str:
        return hashlib.sha256("\n".join(sorted(self.accepted)).encode()).hexdigest()


def evaluate(genesis_body: bytes, statement_bodies: Iterable[bytes]) -> Roster:
    """The roster a set of statements defines (see the module docstring for the rules)."""
    genesis = parse_statement(genesis_body)
    if genesis.kind != "genesis" or genesis.card is None or genesis.team_name is None:
        raise ValueError("not a team genesis")
    founder = genesis.card
    if not genesis.signed_by(founder.sign_key):
        raise ValueError("the team genesis is not signed by its founder")
    team_id = genesis.team_id
    statements: dict[str, Statement] = {}
    for body in statement_bodies:
        try:
            parsed = parse_statement(body)
        except (ValueError, UnicodeDecodeError):
            continue  # unreadable statements count for nothing
        if parsed.team_id == team_id and parsed.kind != "genesis":
            statements[parsed.statement_id] = parsed
    ordered = sorted(statements.values(), key=lambda s: s.statement_id)
    accepted = {genesis.statement_id}

    # Rule 2: admins exist only by the founder's word.
    admin_approvals = [
        s
        for s in ordered
        if s.kind == "approve"
        and s.role == "admin"
        and s.signer == founder.device_id
        and s.card is not None
        and s.card.device_id != founder.device_id
        and s.signed_by(founder.sign_key)
    ]
    ever_admin_keys: dict[str, list[bytes]] = {founder.device_id: [founder.sign_key]}
    for s in admin_approvals:
        assert s.card is not None
        ever_admin_keys.setdefault(s.card.device_id, []).append(s.card.sign_key)

    # Rule 4: revocations by anyone who has ever been an admin; admins by the founder only.
    revoked: dict[str, list[RevokedKey]] = {}
    revoked_pairs: set[tuple[str, str]] = set()
    revocations: list[Statement] = []
    for s in ordered:
        if s.kind != "revoke" or s.target is None or s.target_key is None:
            continue
        if s.target == founder.device_id:
            continue
        if s.target in ever_admin_keys and s.signer != founder.device_id:
            continue
        keys = ever_admin_keys.get(s.signer, [])
        if any(s.signed_by(key) for key in keys):
            revocations.append(s)
            revoked_pairs.add((s.target, s.target_key))
            accepted.add(s.statement_id)

    admins: dict[str, bytes] = {founder.device_id: founder.sign_key}
    for s in admin_approvals:
        assert s.card is not None
        if (s.card.device_id, s.card.fingerprint) not in revoked_pairs:
            admins[s.card.device_id] = s.card.sign_key

    # Rule 3 and 5: approvals signed by a current admin; the latest per device wins.
    entries: dict[str, RosterEntry] = {
        founder.device_id: RosterEntry(
            founder.device_id,
            founder.name,
            founder.sign_key,
            founder.box_key,
            "admin",
            founder.device_id,
            genesis.at,
        )
    }
    chosen: dict[str, Statement] = {}
    for s in ordered:
        if s.kind != "approve" or s.card is None or s.card.device_id == founder.device_id:
            continue
        signer_key = admins.get(s.signer)
        if signer_key is None or not s.signed_by(signer_key):
            continue
        if s.role == "admin" and s.signer != founder.device_id:
            continue
        accepted.add(s.statement_id)
        device = s.card.device_id
        if (device, s.card.fingerprint) in revoked_pairs:
            continue
        best = chosen.get(device)
        if best is None or (s.at, s.statement_id) > (best.at, best.statement_id):
            chosen[device] = s
    for device, s in chosen.items():
        assert s.card is not None
        entries[device] = RosterEntry(
            device,
            s.card.name,
            s.card.sign_key,
            s.card.box_key,
            "admin" if device in admins else "member",
            s.signer,
            s.at,
        )
    # Revoked keys, with the card they belonged to where an approval named it.
    cards: dict[tuple[str, str], DeviceCard] = {}
    for s in ordered:
        if s.kind == "approve" and s.card is not None:
            cards[(s.card.device_id, s.card.fingerprint)] = s.card
    for s in revocations:
        assert s.target is not None and s.target_key is not None
        card = cards.get((s.target, s.target_key))
        revoked.setdefault(s.target, []).append(
            RevokedKey(
                s.target,
                card.name if card else s.target,
                card.sign_key if card else b"",
                s.target_key,
                s.signer,
            )
        )
    return Roster(
        team_id,
        genesis.team_name,
        founder,
        entries,
        revoked,
        frozenset(accepted - {genesis.statement_id}),
    )
