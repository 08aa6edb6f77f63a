"""Where the application finds its bundled resources and keeps its workspaces.

Resources (fonts, screening forms, translations) live at the repository root in a checkout,
inside the wheel under ``_data`` when installed, and beside the executable in a PyInstaller
build; this module hides the difference from the rest of the code.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

APP_NAME = "PractitionerToolkit"
DATA_DIR_ENV = "PTK_DATA_DIR"


@cache
def resource_root() -> Path:
    """The folder holding ``assets/``, ``screening_forms/`` and ``translations/``."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    package_dir = Path(__file__).resolve().parent
    installed = package_dir / "_data"
    if installed.is_dir():
        return installed
    checkout = package_dir.parent.parent
    if (checkout / "screening_forms").is_dir():
        return checkout
    raise RuntimeError(f"bundled resources not found near {package_dir}")


def fonts_dir() -> Path:
    return resource_root() / "assets" / "fonts"


def forms_dir() -> Path:
    return resource_root() / "screening_forms"


def translations_dir() -> Path:
    return resource_root() / "translations"


def user_data_dir() -> Path:
    """Per-user data folder; ``PTK_DATA_DIR`` overrides it (portable installs, tests)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs  # only when no override is set: it is slow to import

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def workspaces_dir() -> Path:
    return user_data_dir() / "workspaces"


def log_dir() -> Path:
    return user_data_dir() / "logs"
