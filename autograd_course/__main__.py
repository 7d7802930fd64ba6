"""``python -m autograd_course`` is the same as the ``autograd-course`` command."""

import sys

from .cli import main

sys.exit(main())
