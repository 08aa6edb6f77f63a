"""Entry script of the packaged desktop application."""

import sys

from practitioner_toolkit.ui import main

sys.exit(main())
