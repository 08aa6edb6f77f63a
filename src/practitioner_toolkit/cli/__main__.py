"""``python -m practitioner_toolkit.cli`` is the same as ``ptk``."""

import sys

from practitioner_toolkit.cli import main

sys.exit(main())
