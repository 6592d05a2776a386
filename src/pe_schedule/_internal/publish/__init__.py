"""Publishing events: iCalendar bytes, one feed per audience, the ledger, safe writes."""
