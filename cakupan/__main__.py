"""``python -m cakupan``: see :mod:`cakupan.commands.cli`."""

import sys

from cakupan.commands.cli import main

sys.exit(main())
