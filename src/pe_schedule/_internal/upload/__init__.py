"""Putting the feeds that ``pe-schedule build`` wrote where people read them: a bucket, a CalDAV calendar."""
