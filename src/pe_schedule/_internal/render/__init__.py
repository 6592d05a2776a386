"""Text for people: grids, event lists, change announcements and the index page."""
