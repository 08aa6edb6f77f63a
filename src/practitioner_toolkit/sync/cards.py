"""Device cards: the public half of a device's identity, as a small file or a QR code.

A card names the device (its id and a display name) and carries its two public keys, signed
with its own signing key so that a card damaged on the way is noticed. The signature cannot
prove *who* made the card: that is what the fingerprint is for. The supervisor approving the
card reads the fingerprint on their screen and compares it with the one the newcomer's
screen shows (in person or by phone) before approving.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno

from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.sync import crypto
from practitioner_toolkit.sync.errors import SyncError

CARD_FORMAT = "ptk-device-card"
CARD_VERSION = 1
DEVICE_ID = re.compile(r"^[0-9a-z]{4,64}$")
MAX_CARD_BYTES = 4096


class InvalidCardError(SyncError):
    """A device card that cannot be read or whose self-signature does not hold."""


@dataclass(frozen=True)
class DeviceCard:
    device_id: str
    name: str
    sign_key: bytes
    box_key: bytes

    @property
    def fingerprint(self) -> str:
        return crypto.fingerprint(self.sign_key, self.box_key)

    def fields(self) -> dict[str, Any]:
        """The card as JSON-ready fields (no signature): embedded in roster statements."""
        return {
            "device": self.device_id,
            "name": self.name,
            "sign": crypto.b64(self.sign_key),
            "box": crypto.b64(self.box_key),
        }

    @classmethod
    def from_fields(cls, data: Any) -> DeviceCard:
        if not isinstance(data, dict):
            raise ValueError("a card is an object")
        device_id, name = data.get("device"), data.get("name")
        if not isinstance(device_id, str) or not DEVICE_ID.fullmatch(device_id):
            raise ValueError("bad device id")
        if not isinstance(name, str) or not 0 < len(name) <= 80:
            raise ValueError("bad device name")
        return cls(
            device_id,
            name,
            crypto.unb64(data.get("sign"), crypto.KEY_BYTES),
            crypto.unb64(data.get("box"), crypto.KEY_BYTES),
        )

    def to_bytes(self, sign_seed: bytes) -> bytes:
        """The card file: canonical JSON signed by the device's own key."""
        if crypto.sign_public_key(sign_seed) != self.sign_key:
            raise ValueError("a card is signed by its own device key")
        body = _canonical({"format": CARD_FORMAT, "version": CARD_VERSION, **self.fields()})
        signature = crypto.sign(sign_seed, crypto.CARD_CONTEXT, body)
        return _canonical({**json.loads(body), "sig": crypto.b64(signature)})

    @classmethod
    def from_bytes(cls, data: bytes) -> DeviceCard:
        if len(data) > MAX_CARD_BYTES:
            raise InvalidCardError(N_("This file is too large to be a device card."))
        try:
            parsed = json.loads(data.decode("utf-8"))
            if not isinstance(parsed, dict) or parsed.get("format") != CARD_FORMAT:
                raise ValueError("not a card")
            if parsed.get("version") != CARD_VERSION:
                raise InvalidCardError(
                    N_("This device card was made by another version of Practitioner Toolkit.")
                )
            signature = crypto.unb64(parsed.pop("sig", None), crypto.SIGNATURE_BYTES)
            card = cls.from_fields(parsed)
        except InvalidCardError:
            raise
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidCardError(N_("This file is not a readable device card.")) from exc
        if not crypto.verify(card.sign_key, crypto.CARD_CONTEXT, _canonical(parsed), signature):
            raise InvalidCardError(
                N_("This device card was altered or damaged; ask for a new one.")
            )
        return card

    def write(self, path: Path, sign_seed: bytes) -> None:
        path.write_bytes(self.to_bytes(sign_seed))

    def write_qr(self, path: Path, sign_seed: bytes) -> None:
        """The same signed card as a QR code (PNG or SVG, chosen by the file suffix)."""
        suffix = path.suffix.lower()
        if suffix not in (".png", ".svg"):
            raise SyncError(N_("A QR code is saved as .png or .svg."))
        code = segno.make(self.to_bytes(sign_seed).decode("utf-8"), error="m", micro=False)
        code.save(str(path), scale=6, border=4)


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
