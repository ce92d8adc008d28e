"""``python -m lint_plugin`` is ``aml-migrate``."""

import sys

from .cli import main

sys.exit(main())
