"""Training mode: a separate workspace of fictional cases, and guided scenarios.

Training workspaces are created with ``training=True`` (recorded in the keyring and the
database, shown on every screen and printed on every PDF). They are filled from
``assets/training/demo_cases.yaml`` and can be reset to that starting state at any time.
Real and training data never meet: they are different encrypted files with different keys.
"""

from practitioner_toolkit.training.demo import (
    DemoCase,
    create_training_workspace,
    load_demo_cases,
    populate_demo_workspace,
    reset_training_workspace,
)
from practitioner_toolkit.training.scenarios import Scenario, load_scenarios

__all__ = [
    "DemoCase",
    "Scenario",
    "create_training_workspace",
    "load_demo_cases",
    "load_scenarios",
    "populate_demo_workspace",
    "reset_training_workspace",
]
