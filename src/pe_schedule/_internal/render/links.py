"""Each person's own feed address, for a mail merge.

Personal feeds are listed nowhere a subscriber can see (their unguessable
names keep them private), so the programme office sends each person their
link. :func:`personal_links` is that list as CSV: one row per person of the
roster with their team and the https, webcal and Google Calendar addresses of
their feed. It holds names and private links together: keep it out of the
published folder and out of version control.
"""

from __future__ import annotations

import csv
import io

from pe_schedule._internal.model.programme import Programme
from pe_schedule._internal.model.roster import require_roster
from pe_schedule._internal.publish.key import personal_name
from pe_schedule._internal.render.index_page import base_url_of, subscribe_links

#: The CSV's columns, in order.
COLUMNS = ("person", "name", "team", "team_name", "https", "webcal", "google")


def personal_links(
    programme: Programme, key: bytes, base_url: str, *, allow_http: bool = False
) -> str:
    """The CSV of every person's feed addresses under ``base_url``, in roster order.

    ``base_url`` follows the rule of a build's (:func:`base_url_of`): an absolute
    https address, plain http only with ``allow_http``; the links sent out must
    be the ones the published page shows.

    Raises:
        PeScheduleError: if the programme has no roster, or ``base_url`` is not
            such an address.
    """
    base_url_of(base_url, allow_http=allow_http)
    roster = require_roster(programme.roster, "a list of personal feed links")
    teams = {team.id: team for team in roster.teams}
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    for person in roster.people:
        links = subscribe_links(personal_name(programme.id, person.id, key), base_url)
        team = teams[person.team]
        addresses = (links["https"], links["webcal"], links["google"])
        writer.writerow((person.id, person.name, team.id, team.name, *addresses))
    return stream.getvalue()


__all__ = ["COLUMNS", "personal_links"]
