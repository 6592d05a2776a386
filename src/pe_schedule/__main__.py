"""``python -m pe_schedule``: the ``pe-schedule`` command line."""

from __future__ import annotations

import sys

from pe_schedule.cli import main

if __name__ == "__main__":
    sys.exit(main())

__all__: list[str] = []
