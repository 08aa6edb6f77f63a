"""The few cryptographic operations sync needs, all from libsodium through PyNaCl.

* Ed25519 (``nacl.signing``) signs device cards, roster statements and bundles.
* X25519 sealed boxes (``nacl.public.SealedBox``) wrap a bundle's random content key once per
  recipient device, and a team file for the one device it is meant for.
* XChaCha20-Poly1305-IETF (``nacl.bindings``) encrypts a bundle's content under that key, with
  the cleartext header as associated data; its 24-byte nonce is safe to pick at random.

Each signature covers a context string first, so a signature made for one purpose (a card)
can never be replayed as another (a bundle). No primitive is implemented here.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

import nacl.bindings
import nacl.exceptions
import nacl.public
import nacl.signing

KEY_BYTES = 32
SIGNATURE_BYTES = 64
NONCE_BYTES = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES

CARD_CONTEXT = b"practitioner-toolkit device-card v1\x00"
STATEMENT_CONTEXT = b"practitioner-toolkit roster-statement v1\x00"
BUNDLE_CONTEXT = b"practitioner-toolkit bundle v1\x00"
_FINGERPRINT_CONTEXT = b"practitioner-toolkit fingerprint v1\x00"

# Crockford's base32: no I, L, O or U, so a fingerprint read aloud is not misheard.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_FINGERPRINT_CHARS = 20  # 100 bits, read as five groups of four


class CryptoFailureError(Exception):
    """A signature, seal or AEAD check failed (callers turn this into a typed rejection)."""


def new_secret() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def sign_public_key(seed: bytes) -> bytes:
    return bytes(nacl.signing.SigningKey(seed).verify_key)


def box_public_key(secret: bytes) -> bytes:
    return bytes(nacl.public.PrivateKey(secret).public_key)


def sign(seed: bytes, context: bytes, message: bytes) -> bytes:
    return bytes(nacl.signing.SigningKey(seed).sign(context + message).signature)


def verify(public_key: bytes, context: bytes, message: bytes, signature: bytes) -> bool:
    try:
        nacl.signing.VerifyKey(public_key).verify(context + message, signature)
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, TypeError):
        return False
    return True


def seal(recipient_box_key: bytes, data: bytes) -> bytes:
    return bytes(nacl.public.SealedBox(nacl.public.PublicKey(recipient_box_key)).encrypt(data))


def unseal(box_secret: bytes, data: bytes) -> bytes:
    try:
        return bytes(nacl.public.SealedBox(nacl.public.PrivateKey(box_secret)).decrypt(data))
    except (nacl.exceptions.CryptoError, nacl.exceptions.ValueError, TypeError) as exc:
        raise CryptoFailureError("sealed box did not open") from exc


def aead_encrypt(key: bytes, nonce: bytes, plaintext: bytes, associated: bytes) -> bytes:
    return bytes(
        nacl.bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, associated, nonce, key)
    )


def aead_decrypt(key: bytes, nonce: bytes, ciphertext: bytes, associated: bytes) -> bytes:
    try:
        return bytes(
            nacl.bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(
                ciphertext, associated, nonce, key
            )
        )
    except (nacl.exceptions.CryptoError, nacl.exceptions.ValueError, TypeError) as exc:
        raise CryptoFailureError("authenticated decryption failed") from exc


def fingerprint(sign_key: bytes, box_key: bytes) -> str:
    """A short code two people compare to be sure a card or team is the one they expect."""
    digest = hashlib.sha256(_FINGERPRINT_CONTEXT + sign_key + box_key).digest()
    value = int.from_bytes(digest[:16], "big") >> (128 - 5 * _FINGERPRINT_CHARS)
    chars = [_ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(_FINGERPRINT_CHARS))]
    code = "".join(chars)
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_fingerprint(text: str) -> str:
    """Accept a fingerprint as people type it: any case, spaces or dashes, O for 0, I/L for 1."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum()).translate(
        str.maketrans("OIL", "011")
    )
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def key_id(box_key: bytes) -> str:
    """Names a recipient in a bundle header without naming the device."""
    return hashlib.sha256(b"practitioner-toolkit key-id v1\x00" + box_key).hexdigest()[:16]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: object, length: int | None = None) -> bytes:
    """Strict base64 decoding; raises ValueError on anything unexpected."""
    if not isinstance(text, str):
        raise ValueError("expected base64 text")
    data = base64.b64decode(text.encode("ascii"), validate=True)
    if length is not None and len(data) != length:
        raise ValueError("wrong length")
    return data
