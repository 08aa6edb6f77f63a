"""The bundle file: what one device sends its team, signed and then encrypted.

File layout (all integers big-endian)::

    magic    8 bytes   89 'PTKB' 0d 0a 1a  (a text-mode copy or a wrong file shows at once)
    version  u16       FORMAT_VERSION; a newer number is refused with NewerFormatError
    hlen     u32       length of the header
    header   hlen      JSON: {"team", "nonce", "to": [[key id, wrapped key], ...], "size"}
    body     size      XChaCha20-Poly1305(content key, nonce, inner, associated = all above)

Each wrapped key is the random 32-byte content key in an X25519 sealed box for one recipient
device; a key id is a hash of the recipient's public key, so the header does not list device
names. Because the whole cleartext part is the AEAD's associated data, changing any byte of
the file (team, recipient list, lengths, body) makes decryption fail.

The decrypted ``inner`` part::

    elen     u32       length of the envelope
    envelope elen      JSON: {"bundle", "team", "sender", "roster": [signed statements]}
    sig      64        Ed25519 by the sender over context | elen | envelope | sha256(payload)
    payload  rest      zlib(JSON content: rows, tombstones, conflicts; see ``encode_payload``)

Sign-then-encrypt: the receiver decrypts, finds the sender's key in its roster (the envelope
carries roster statements, each signed by an admin, so a device approved after the receiver's
last update is still recognised), checks that the key signed this envelope and payload, and
only then decompresses and reads the payload, which must name the same bundle, team and
sender. A team member may re-encrypt another's signed bundle (a relay); that is allowed.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from practitioner_toolkit.store import (
    ENTITIES,
    ConflictState,
    FieldClock,
    FieldValue,
    RowState,
    Tombstone,
    parse_hlc,
)
from practitioner_toolkit.sync import crypto
from practitioner_toolkit.sync.cards import DEVICE_ID
from practitioner_toolkit.sync.errors import (
    MalformedBundleError,
    NewerFormatError,
    NotABundleError,
    NotForThisDeviceError,
    TamperedError,
    TruncatedError,
)

MAGIC = b"\x89PTKB\r\n\x1a"
FORMAT_VERSION = 1
SUFFIX = ".ptkbundle"
_PREFIX = struct.Struct(">8sHI")
_U32 = struct.Struct(">I")
MAX_HEADER_BYTES = 1 << 20
MAX_PAYLOAD_BYTES = 1 << 30  # decompressed; a decompression bomb stops here
_BUNDLE_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_ACKS = 100_000
_FILE_NAME = re.compile(r"^([0-9a-z]{4,64})-(\d+)-(\d+)-([0-9a-f]{32})\.ptkbundle$")


# -- payload --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BundleContent:
    """A bundle's decoded payload."""

    bundle_id: str
    team_id: str
    sender: str
    created_at: str
    sender_clock: str
    seq_from: int
    seq_to: int
    full: bool
    hlc_min: str | None
    hlc_max: str | None
    rows: list[RowState] = field(repr=False)
    tombstones: list[Tombstone] = field(repr=False)
    conflicts: list[ConflictState] = field(repr=False)
    # Bundles the sender has taken in since its previous bundle (older readers ignore this).
    acks: tuple[str, ...] = ()


def encode_payload(content: BundleContent) -> bytes:
    """Compact JSON (clocks listed once, rows as arrays per entity kind), zlib-compressed."""
    clock_index: dict[tuple[str, str], int] = {}
    rows: dict[str, dict[str, Any]] = {}
    for row in content.rows:
        spec = ENTITIES[row.entity]
        group = rows.setdefault(row.entity, {"fields": list(spec.fields), "items": []})
        values: list[FieldValue] = []
        clocks: list[int] = []
        for name in spec.fields:
            clock = row.clocks.get(name)
            if clock is None:
                values.append(None)
                clocks.append(-1)
            else:
                values.append(row.values[name])
                clocks.append(clock_index.setdefault((clock.hlc, clock.base), len(clock_index)))
        group["items"].append([row.entity_id, values, clocks])
    document = {
        "format": FORMAT_VERSION,
        "bundle": content.bundle_id,
        "team": content.team_id,
        "sender": content.sender,
        "created_at": content.created_at,
        "clock": content.sender_clock,
        "seq": [content.seq_from, content.seq_to],
        "full": content.full,
        "hlc": [content.hlc_min, content.hlc_max],
        "clocks": [list(pair) for pair in clock_index],
        "rows": rows,
        "tombstones": [[t.entity, t.entity_id, t.hlc] for t in content.tombstones],
        "conflicts": [
            [
                c.id,
                c.entity,
                c.entity_id,
                c.field,
                c.kept_value,
                c.kept_clock,
                c.lost_value,
                c.lost_clock,
                c.resolution,
                c.resolved_at,
                c.resolved_by,
                c.resolved_clock,
            ]
            for c in content.conflicts
        ],
        "acks": list(content.acks),
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"), 6)


def hlc_range(
    rows: Iterable[RowState], tombstones: Iterable[Tombstone]
) -> tuple[str | None, str | None]:
    stamps = [c.hlc for row in rows for c in row.clocks.values()]
    stamps += [t.hlc for t in tombstones]
    return (min(stamps), max(stamps)) if stamps else (None, None)


def decompress(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_PAYLOAD_BYTES)
    except zlib.error as exc:
        raise MalformedBundleError() from exc
    if inflater.unconsumed_tail or not inflater.eof:
        raise MalformedBundleError()
    return out


def decode_payload(data: bytes) -> BundleContent:
    """Parse and check every field of a payload before anything is written."""
    try:
        document = json.loads(decompress(data).decode("utf-8"))
        return _decode(document)
    except MalformedBundleError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise MalformedBundleError() from exc


def _hlc(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("clock")
    parse_hlc(value)
    return value


def _text(value: Any, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValueError("text")
    return value


def _decode(doc: Any) -> BundleContent:
    if not isinstance(doc, dict) or doc["format"] != FORMAT_VERSION:
        raise ValueError("format")
    bundle_id, team_id, sender = _text(doc["bundle"]), _text(doc["team"]), _text(doc["sender"])
    if not _BUNDLE_ID.fullmatch(bundle_id) or not DEVICE_ID.fullmatch(sender):
        raise ValueError("ids")
    seq_from, seq_to = doc["seq"]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (seq_from, seq_to)):
        raise ValueError("seq")
    hlc_min, hlc_max = doc["hlc"]
    pairs = doc["clocks"]
    if not isinstance(pairs, list):
        raise ValueError("clocks")
    clocks: list[FieldClock] = []
    for pair in pairs:
        hlc, base = pair
        clocks.append(FieldClock(_hlc(hlc), "" if base == "" else _hlc(base)))
    rows: list[RowState] = []
    groups = doc["rows"]
    if not isinstance(groups, dict):
        raise ValueError("rows")
    for entity, group in groups.items():
        spec = ENTITIES[entity]
        fields = group["fields"]
        if not isinstance(fields, list) or len(set(fields)) != len(fields):
            raise ValueError("fields")
        if set(fields) - set(spec.fields):
            raise ValueError("unknown field")
        width = len(fields)
        seen: set[str] = set()
        for entity_id, values, indexes in group["items"]:
            if not isinstance(entity_id, str) or entity_id in seen:
                raise ValueError("entity id")
            seen.add(entity_id)
            spec.key_values(entity_id)
            if len(values) != width or len(indexes) != width:
                raise ValueError("row width")
            row_values: dict[str, FieldValue] = {}
            row_clocks: dict[str, FieldClock] = {}
            for name, value, index in zip(fields, values, indexes, strict=True):
                if type(index) is not int or not -1 <= index < len(clocks):
                    raise ValueError("clock index")
                if index == -1:
                    continue  # the row does not carry this field
                if value is not None and type(value) not in (str, int, float):
                    raise ValueError("value type")
                row_values[name] = value
                row_clocks[name] = clocks[index]
            if not row_clocks:
                raise ValueError("empty row")
            rows.append(RowState(entity, entity_id, row_values, row_clocks))
    tombstones: list[Tombstone] = []
    for entity, entity_id, hlc in doc["tombstones"]:
        ENTITIES[entity].key_values(_text(entity_id))
        tombstones.append(Tombstone(entity, entity_id, _hlc(hlc)))
    conflicts: list[ConflictState] = []
    for item in doc["conflicts"]:
        if not isinstance(item, list) or len(item) != 12:
            raise ValueError("conflict")
        conflict = ConflictState(
            _text(item[0]),
            _text(item[1]),
            _text(item[2]),
            _text(item[3]),
            _text(item[4], optional=True),
            _hlc(item[5]),
            _text(item[6], optional=True),
            _hlc(item[7]),
            _text(item[8], optional=True),
            _text(item[9], optional=True),
            _text(item[10], optional=True),
            None if item[11] is None else _hlc(item[11]),
        )
        spec = ENTITIES[conflict.entity]
        spec.key_values(conflict.entity_id)
        if conflict.field not in spec.fields:
            raise ValueError("conflict field")
        conflicts.append(conflict)
    return BundleContent(
        bundle_id=bundle_id,
        team_id=team_id,
        sender=sender,
        created_at=_text(doc["created_at"]),
        sender_clock=_hlc(doc["clock"]),
        seq_from=seq_from,
        seq_to=seq_to,
        full=bool(doc["full"]),
        hlc_min=None if hlc_min is None else _hlc(hlc_min),
        hlc_max=None if hlc_max is None else _hlc(hlc_max),
        rows=rows,
        tombstones=tombstones,
        conflicts=conflicts,
        acks=_acks(doc.get("acks", [])),
    )


def _acks(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > MAX_ACKS:
        raise ValueError("acks")
    acks = tuple(_text(item) for item in value)
    if not all(_BUNDLE_ID.fullmatch(item) for item in acks):
        raise ValueError("ack id")
    return acks


# -- sealing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Envelope:
    """The decrypted, not yet verified, inner part of a bundle."""

    bundle_id: str
    team_id: str
    sender: str
    roster: list[bytes]
    signed: bytes = field(repr=False)
    signature: bytes = field(repr=False)
    payload: bytes = field(repr=False)

    def signed_by(self, sign_key: bytes) -> bool:
        return crypto.verify(sign_key, crypto.BUNDLE_CONTEXT, self.signed, self.signature)


@dataclass(frozen=True)
class SealedHeader:
    version: int
    team_id: str
    nonce: bytes
    wrapped: dict[str, bytes]
    associated: bytes = field(repr=False)
    body: bytes = field(repr=False)


def _signed_part(envelope_json: bytes, payload: bytes) -> bytes:
    return _U32.pack(len(envelope_json)) + envelope_json + hashlib.sha256(payload).digest()


def seal_bundle(
    *,
    bundle_id: str,
    team_id: str,
    sender: str,
    sign_seed: bytes,
    roster: Sequence[bytes],
    payload: bytes,
    recipients: Sequence[bytes],
) -> bytes:
    """Sign the envelope and payload, then encrypt them for every recipient box key."""
    envelope = json.dumps(
        {
            "bundle": bundle_id,
            "team": team_id,
            "sender": sender,
            "roster": [crypto.b64(s) for s in roster],
        },
        separators=(",", ":"),
    ).encode("ascii")
    signature = crypto.sign(sign_seed, crypto.BUNDLE_CONTEXT, _signed_part(envelope, payload))
    inner = _U32.pack(len(envelope)) + envelope + signature + payload
    content_key = crypto.new_secret()
    nonce = crypto.new_secret()[: crypto.NONCE_BYTES]
    size = len(inner) + 16  # the Poly1305 tag
    header = json.dumps(
        {
            "team": team_id,
            "nonce": crypto.b64(nonce),
            "to": sorted(
                [crypto.key_id(key), crypto.b64(crypto.seal(key, content_key))]
                for key in recipients
            ),
            "size": size,
        },
        separators=(",", ":"),
    ).encode("ascii")
    prefix = _PREFIX.pack(MAGIC, FORMAT_VERSION, len(header)) + header
    body = crypto.aead_encrypt(content_key, nonce, inner, prefix)
    assert len(body) == size
    return prefix + body


def read_header(data: bytes) -> SealedHeader:
    """Check the cleartext part: magic, version, lengths, header fields."""
    if len(data) < _PREFIX.size:
        if data and MAGIC.startswith(data[: len(MAGIC)]):
            raise TruncatedError()
        if not data:
            raise TruncatedError()
        raise NotABundleError()
    magic, version, header_len = _PREFIX.unpack_from(data)
    if magic != MAGIC:
        raise NotABundleError()
    if version > FORMAT_VERSION:
        raise NewerFormatError()
    if version < 1:
        raise TamperedError()
    if header_len > MAX_HEADER_BYTES:
        raise TamperedError()
    end = _PREFIX.size + header_len
    if len(data) < end:
        raise TruncatedError()
    try:
        header = json.loads(data[_PREFIX.size : end].decode("ascii"))
        team_id = _text(header["team"])
        nonce = crypto.unb64(header["nonce"], crypto.NONCE_BYTES)
        size = header["size"]
        if type(size) is not int or size < 16:
            raise ValueError("size")
        wrapped = {_text(kid): crypto.unb64(key) for kid, key in header["to"]}
    except (ValueError, TypeError, KeyError, UnicodeDecodeError) as exc:
        raise TamperedError() from exc
    if len(data) < end + size:
        raise TruncatedError()
    if len(data) > end + size:
        raise TamperedError()
    return SealedHeader(version, team_id, nonce, wrapped, data[:end], data[end:])


def open_envelope(header: SealedHeader, box_secret: bytes) -> Envelope:
    """Unwrap the content key for this device and decrypt; nothing is trusted yet."""
    wrapped = header.wrapped.get(crypto.key_id(crypto.box_public_key(box_secret)))
    if wrapped is None:
        raise NotForThisDeviceError()
    try:
        content_key = crypto.unseal(box_secret, wrapped)
        inner = crypto.aead_decrypt(content_key, header.nonce, header.body, header.associated)
    except crypto.CryptoFailureError as exc:
        raise TamperedError() from exc
    try:
        (length,) = _U32.unpack_from(inner)
        envelope_json = inner[4 : 4 + length]
        signature = inner[4 + length : 4 + length + crypto.SIGNATURE_BYTES]
        payload = inner[4 + length + crypto.SIGNATURE_BYTES :]
        if len(signature) != crypto.SIGNATURE_BYTES:
            raise ValueError("short")
        document = json.loads(envelope_json.decode("ascii"))
        bundle_id, team_id = _text(document["bundle"]), _text(document["team"])
        sender = _text(document["sender"])
        if not _BUNDLE_ID.fullmatch(bundle_id) or not DEVICE_ID.fullmatch(sender):
            raise ValueError("ids")
        roster = [crypto.unb64(s) for s in document["roster"]]
    except (ValueError, TypeError, KeyError, struct.error, UnicodeDecodeError) as exc:
        raise MalformedBundleError() from exc
    if team_id != header.team_id:
        raise TamperedError()
    return Envelope(
        bundle_id,
        team_id,
        sender,
        roster,
        _signed_part(envelope_json, payload),
        signature,
        payload,
    )


# -- file names -----------------------------------------------------------------------------


def file_name(sender: str, seq_from: int, seq_to: int, bundle_id: str) -> str:
    """``<device>-<from>-<to>-<bundle id>.ptkbundle``: one writer per name, sortable."""
    return f"{sender}-{seq_from:010d}-{seq_to:010d}-{bundle_id}{SUFFIX}"


@dataclass(frozen=True)
class BundleName:
    sender: str
    seq_from: int
    seq_to: int
    bundle_id: str


def parse_file_name(name: str) -> BundleName | None:
    match = _FILE_NAME.fullmatch(name)
    if match is None:
        return None
    return BundleName(match[1], int(match[2]), int(match[3]), match[4])
