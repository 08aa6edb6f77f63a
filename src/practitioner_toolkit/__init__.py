"""Practitioner Toolkit: offline screening, referral and record exchange for anti-trafficking work.

The package is split by capability; each sub-package has a small public surface:

- ``store``: the encrypted workspace (SQLCipher) and every service that reads or writes it.
- ``forms``: screening-form definitions, their validation and the screening engine.
- ``i18n``: languages, gettext catalogs, locale formatting and word breaking.
- ``referral``: referral PDFs and printable blank checklists.
- ``sync``: encrypted, signed bundle files that move records between devices.
- ``ui``: the PySide6 desktop application.
- ``cli``: the ``ptk`` command for headless work.
"""

__version__ = "0.1.0"
