"""The layers pe_schedule is built from; not a public API (use :mod:`pe_schedule`).

Each sub-package is a layer and imports only from the layers below it, a rule
the import-linter contract in ``pyproject.toml`` enforces. Top to bottom:

- :mod:`.build` and :mod:`.serve`: a folder of feeds made, and served;
- :mod:`.render`: grids, event lists, announcements and the index page as text;
- :mod:`.publish`: iCalendar bytes, feeds per audience, the ledger, safe writing;
- :mod:`.schedule`: months and timings become dated events, and their sanity;
- :mod:`.declaration`: TOML files read into the model, and their JSON Schema;
- :mod:`.rules`: the registry of rule kinds, and the check;
- :mod:`.model`: plain values (months, zones, audiences, timing, programme,
  roster, event), knowing nothing of files.
"""
