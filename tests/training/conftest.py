"""Shared fixtures for the training content: the bundled forms, loaded once."""

from __future__ import annotations

import pytest

from practitioner_toolkit import paths
from practitioner_toolkit.forms import FormRegistry


@pytest.fixture(scope="session")
def registry() -> FormRegistry:
    return FormRegistry.load(paths.forms_dir())
