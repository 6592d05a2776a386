"""Turning months and timings into dated events, and checking they can happen."""
