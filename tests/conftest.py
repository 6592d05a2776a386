"""Shared pytest set-up (append only: several helpers add to it)."""

from __future__ import annotations

import os

from hypothesis import settings

# The long local fuzz run: HYPOTHESIS_PROFILE=long .venv/bin/pytest tests/test_fuzz.py
# (tests/test_fuzz.py multiplies its own example counts by 100 under this profile).
settings.register_profile("long", deadline=None, print_blob=True)
if os.environ.get("HYPOTHESIS_PROFILE") == "long":
    settings.load_profile("long")
