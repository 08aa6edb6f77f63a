"""AES-256 password protection for ReportLab, without the unmaintained ``pyaes``.

ReportLab 5.1's strongest option, ``StandardEncryption(strength=256)``, needs the pure-Python
``pyaes`` package (not installed here, and its output is padded twice) and uses revision 5,
whose password check is a single SHA-256: cheap to brute-force. This subclass plugs into the
same ReportLab hook (``doc.encrypt``) and writes revision 6 (PDF 2.0, ISO 32000-2 §7.6.4):
AES-256-CBC for every string and stream, and the iterated SHA-2 password hash, using the
``cryptography`` package the app already depends on. pypdf, poppler and Acrobat read it.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase.pdfdoc import DummyDoc, PDFDictionary, PDFName, PDFObject


def _password_bytes(password: str) -> bytes:
    """SASLprep's normalisation (NFKC), UTF-8, at most 127 bytes, as the standard says."""
    return unicodedata.normalize("NFKC", password).encode("utf-8")[:127]


def _aes_cbc_raw(key: bytes, iv: bytes, data: bytes) -> bytes:
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def _hash_r6(password: bytes, salt: bytes, user_key: bytes = b"") -> bytes:
    """Algorithm 2.B: SHA-256/384/512 chosen by AES output, at least 64 rounds."""
    k = hashlib.sha256(password + salt + user_key).digest()
    rounds = 0
    while True:
        block = (password + k + user_key) * 64
        e = _aes_cbc_raw(k[:16], k[16:32], block)
        choice = int.from_bytes(e[:16], "big") % 3
        k = (hashlib.sha256, hashlib.sha384, hashlib.sha512)[choice](e).digest()
        rounds += 1
        if rounds >= 64 and e[-1] <= rounds - 32:
            return k[:32]


class _EncryptDictionary(PDFObject):  # type: ignore[misc]  # untyped base
    """The /Encrypt dictionary; formatted through a dummy document so it stays in clear."""

    __RefOnly__ = 1

    def __init__(self, entries: dict[str, Any]) -> None:
        self.entries = entries

    def format(self, document: Any) -> bytes:
        formatted: bytes = PDFDictionary(self.entries).format(DummyDoc())
        return formatted


def _hex(data: bytes) -> str:
    return "<" + data.hex() + ">"


class Aes256Encryption(StandardEncryption):  # type: ignore[misc]  # untyped base
    """Pass as ``encrypt=`` to a ReportLab document; printing allowed, editing not."""

    def __init__(self, user_password: str, owner_password: str | None = None) -> None:
        # strength=128 only gets past the base class's pyaes check; revision 6 is set below.
        super().__init__(
            user_password,
            owner_password or secrets.token_urlsafe(32),
            canPrint=1,
            canModify=0,
            canCopy=1,
            canAnnotate=0,
            strength=128,
        )
        self.revision = 6
        self.prepared = 0

    def prepare(self, document: Any, overrideID: Any = None) -> None:  # noqa: N803 (base name)
        if self.prepared:
            raise ValueError("encryption already prepared")
        user = _password_bytes(self.userPassword)
        owner = _password_bytes(self.ownerPassword)
        self.key = os.urandom(32)
        zero_iv = bytes(16)
        user_validation, user_key_salt = os.urandom(8), os.urandom(8)
        self.U = _hash_r6(user, user_validation) + user_validation + user_key_salt
        self.UE = _aes_cbc_raw(_hash_r6(user, user_key_salt), zero_iv, self.key)
        owner_validation, owner_key_salt = os.urandom(8), os.urandom(8)
        self.O = _hash_r6(owner, owner_validation, self.U) + owner_validation + owner_key_salt
        self.OE = _aes_cbc_raw(_hash_r6(owner, owner_key_salt, self.U), zero_iv, self.key)
        self.P = int(self.permissionBits() - 2**31)
        perms = (
            (self.P & 0xFFFFFFFF).to_bytes(4, "little")
            + b"\xff\xff\xff\xff"
            + b"Tadb"
            + os.urandom(4)
        )
        encryptor = Cipher(algorithms.AES(self.key), modes.ECB()).encryptor()  # noqa: S305
        self.Perms = encryptor.update(perms) + encryptor.finalize()
        self.objnum = self.version = None
        self.prepared = 1

    def encode(self, t: str | bytes) -> bytes:
        """AES-256-CBC with a fresh IV in front, PKCS#7 padding (AESV3 crypt filter)."""
        if not self.prepared:
            raise ValueError("encryption not prepared")
        if isinstance(t, str):
            try:
                data = t.encode("latin-1")  # ReportLab's content strings are byte-valued
            except UnicodeEncodeError:
                data = t.encode("utf-8")
        else:
            data = bytes(t)
        padder = padding.PKCS7(128).padder()
        padded = padder.update(data) + padder.finalize()
        iv = os.urandom(16)
        return iv + _aes_cbc_raw(self.key, iv, padded)

    def info(self) -> _EncryptDictionary:
        if not self.prepared:
            raise ValueError("encryption not prepared")
        crypt_filter = PDFDictionary(
            {"AuthEvent": PDFName("DocOpen"), "CFM": PDFName("AESV3"), "Length": 32}
        )
        return _EncryptDictionary(
            {
                "Filter": PDFName("Standard"),
                "V": 5,
                "R": 6,
                "Length": 256,
                "CF": PDFDictionary({"StdCF": crypt_filter}),
                "StmF": PDFName("StdCF"),
                "StrF": PDFName("StdCF"),
                "O": _hex(self.O),
                "U": _hex(self.U),
                "OE": _hex(self.OE),
                "UE": _hex(self.UE),
                "P": self.P,
                "Perms": _hex(self.Perms),
                "EncryptMetadata": "true",
            }
        )
