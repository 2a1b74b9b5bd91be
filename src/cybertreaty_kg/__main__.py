"""``python -m cybertreaty_kg`` runs the CLI."""

import sys

from .cli import main

sys.exit(main())
