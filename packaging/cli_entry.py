"""Entry script of the packaged ``ptk`` command."""

import sys

from practitioner_toolkit.cli import main

sys.exit(main())
