"""``python -m practitioner_toolkit`` starts the desktop application."""

import sys

from practitioner_toolkit.ui import main

sys.exit(main())
