"""``python -m cakupan``: see :mod:`cakupan.cli`."""

import sys

from cakupan.cli import main

sys.exit(main())
