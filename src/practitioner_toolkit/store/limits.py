"""Limits the set-up screens show before any workspace is open (kept free of imports)."""

MIN_PASSPHRASE_LENGTH = 10
