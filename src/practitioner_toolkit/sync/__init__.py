"""Sync by file: encrypted, signed bundles that merge without losing anything.

Border posts go days without a connection, so records travel as files: on a USB stick, in a
shared network folder, or in a folder that Syncthing, Nextcloud or a cloud drive keeps in step.

**Identity.** Each installation has an Ed25519 signing key and an X25519 encryption key,
generated on first use and kept in the encrypted workspace (``store.sync_state``). Its public
half is a *device card* (``cards``): a small signed JSON file, also printable as a QR code,
with a 20-character fingerprint people compare by eye or by phone.

**Team and trust** (``roster``). A supervisor's device founds a team; its signed *genesis* is
the team's root of trust, and the team fingerprint is the founder's. A newcomer hands over its
card; an admin device approves it after comparing fingerprints and gives back a *team file*
(sealed to the newcomer's key) holding the genesis and the signed roster statements; the
newcomer compares the team fingerprint before joining. Approvals and revocations are signed
statements that ride along in every bundle, and the roster is a pure function of the
statements known, so devices converge on it in any order. What this trust model does and
does not promise:

* only approved devices can read a bundle (it is encrypted to their keys) and only their
  bundles are accepted (signature, checked against the roster);
* trust starts at the fingerprint comparisons: a card or team file swapped on the way and not
  compared is the one attack the cryptography cannot catch;
* revocation stops future exchange with a device; it cannot erase what the device already
  received, and a revoked device's keys never come back (it would need new keys);
* the founding device cannot be revoked; if it is lost, the team is created anew;
* every device can read every record of the team: there is no per-record access control.

**Bundles** (``bundle``). A bundle holds every change since the last bundle this device sent
to its team (or everything: ``export_bundle(everything=True)``, and automatically when a new
device joined since). A change is a record's row state: each field with its hybrid logical
clock, which embeds the device that wrote it. Deletions travel as tombstones, and conflicts
(with their resolutions) travel too, so a supervisor on any device sees the same review list.
Rows received from others are sent on (relay), so devices converge whatever path, order,
subset or duplication the files take. Payload JSON is zlib-compressed, signed with the
sender's Ed25519 key, then encrypted with XChaCha20-Poly1305 under a random key wrapped for
each recipient with an X25519 sealed box; the cleartext header (magic, format version, team,
recipient key ids, wrapped keys, length) is the AEAD's associated data. Files are named
``<device>-<from>-<to>-<bundle id>.ptkbundle``, written under a temporary name and renamed.

**Import.** Everything is checked before anything is written: magic, format version, length
(truncated), team, decryption (tampered), the sender in the roster (unknown or revoked) and
its signature, then every field of the payload. Each refusal is a typed ``BundleRejectedError``
saying why. Then one transaction applies tombstones, rows (field by field: the higher clock
wins; a concurrent edit keeps the losing value in ``conflicts`` under an id every device
computes alike), conflicts and roster statements, and records the bundle id and sha256; a
bundle seen before changes nothing. A sender whose clock runs ahead gets a warning, not a
refusal.

**Folder sync** (``SyncService.sync_folder``). Export if there is anything new, then import
every bundle of other devices not yet imported; temporary files, files still being copied and
the conflict copies made by sync tools are skipped. Progress goes to a callback; the method
is meant to run in a worker thread.

**Acknowledgements.** Each bundle also lists the bundles its sender has taken in since its
previous one (they ride along; they never make a bundle on their own, so two devices never
answer each other forever). A device removes its own bundle from the sync folder once every
recipient that is still in the team has acknowledged it and it is older than ``KEEP_DAYS``
(a device restored from a backup can still find recent ones); bundles whose recipients are not
known (made before acknowledgements existed) stay.
"""

from practitioner_toolkit.sync.bundle import FORMAT_VERSION, SUFFIX, parse_file_name
from practitioner_toolkit.sync.cards import DeviceCard, InvalidCardError
from practitioner_toolkit.sync.crypto import normalise_fingerprint
from practitioner_toolkit.sync.errors import (
    REJECTIONS,
    BadSignatureError,
    BundleRejectedError,
    MalformedBundleError,
    NewerFormatError,
    NotABundleError,
    NotForThisDeviceError,
    RevokedDeviceError,
    SyncError,
    TamperedError,
    TruncatedError,
    UnknownDeviceError,
    WrongTeamError,
)
from practitioner_toolkit.sync.roster import Roster, RosterEntry
from practitioner_toolkit.sync.service import (
    CARD_SUFFIX,
    TEAM_SUFFIX,
    DeviceIdentity,
    ExportResult,
    FileResult,
    ImportResult,
    Progress,
    SyncReport,
    SyncService,
    SyncStatus,
    is_bundle_candidate,
)

__all__ = [
    "CARD_SUFFIX",
    "FORMAT_VERSION",
    "REJECTIONS",
    "SUFFIX",
    "TEAM_SUFFIX",
    "BadSignatureError",
    "BundleRejectedError",
    "DeviceCard",
    "DeviceIdentity",
    "ExportResult",
    "FileResult",
    "ImportResult",
    "InvalidCardError",
    "MalformedBundleError",
    "NewerFormatError",
    "NotABundleError",
    "NotForThisDeviceError",
    "Progress",
    "RevokedDeviceError",
    "Roster",
    "RosterEntry",
    "SyncError",
    "SyncReport",
    "SyncService",
    "SyncStatus",
    "TamperedError",
    "TruncatedError",
    "UnknownDeviceError",
    "WrongTeamError",
    "is_bundle_candidate",
    "normalise_fingerprint",
    "parse_file_name",
]
