"""pe_schedule: declare a programme's activity grids as data, check them, publish feeds."""

from __future__ import annotations

from importlib.metadata import version

__version__ = version("pe-schedule")

__all__ = ["__version__"]
