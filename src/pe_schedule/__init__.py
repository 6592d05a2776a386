"""pe_schedule: declare a programme's activity grids as data, check them, publish feeds."""

from __future__ import annotations

from importlib.metadata import version

from pe_schedule.declaration import load
from pe_schedule.expand import events

__version__ = version("pe-schedule")

__all__ = ["__version__", "events", "load"]
