"""Plain values: what a programme is, knowing nothing of files, dates or feeds."""
