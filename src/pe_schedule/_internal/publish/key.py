"""The key that names personal feeds: where it comes from, and the names it gives.

A personal feed's file name is a keyed hash of the programme and the person, so
a published folder reveals nobody's feed to someone without the key, and a
feed's address stays put across builds. The key is read from the environment or
a local file, never from the declaration (which is committed).

Kept apart from the feed writer so that ``build --check`` can tell which key a
folder was built with without loading the writer.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from pathlib import Path

from pe_schedule.exceptions import PeScheduleError

#: The environment variable holding the key for personal feed names.
KEY_VARIABLE = "PE_SCHEDULE_FEED_KEY"
#: The local secret file holding that key when the variable is unset (never committed).
KEY_FILE = ".pe-schedule-key"
#: The shortest key accepted: shorter keys would let names be brute-forced from ids.
MIN_KEY_LENGTH = 16
#: Hex digits of the keyed hash in a personal feed's name (128 bits).
_NAME_DIGITS = 32


def personal_name(programme_id: str, person_id: str, key: bytes) -> str:
    """The file name of one person's feed: a keyed hash, revealing nothing without the key.

    >>> personal_name("pe", "ada", b"0123456789abcdef")
    'person-c5e0ae9da87e16843ccd1caa6be2c6b5.ics'
    """
    message = f"{programme_id}\x00{person_id}".encode()
    digest = hmac.new(key, message, hashlib.sha256).hexdigest()
    return f"person-{digest[:_NAME_DIGITS]}.ics"


def feed_key(environ: Mapping[str, str], *places: Path) -> bytes | None:
    """The key for personal feed names, or ``None`` when none is configured.

    Args:
        environ: The environment; :data:`KEY_VARIABLE` wins when set.
        places: Folders to look for a :data:`KEY_FILE` in, in order.

    Raises:
        PeScheduleError: if the key found is shorter than :data:`MIN_KEY_LENGTH`.
    """
    source, text = KEY_VARIABLE, environ.get(KEY_VARIABLE, "").strip()
    if not text:
        for place in places:
            candidate = place / KEY_FILE
            if candidate.is_file():
                source, text = str(candidate), _key_text(candidate)
                break
    if not text:
        return None
    if len(text) < MIN_KEY_LENGTH:
        raise PeScheduleError(
            f"{source}: expected a feed key of at least {MIN_KEY_LENGTH} characters, "
            f"got {len(text)}"
        )
    return text.encode("utf-8")


def _key_text(path: Path) -> str:
    """The text of a key file, with a message naming it if it is not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8").strip()
    except UnicodeDecodeError as error:
        raise PeScheduleError(
            f"{path}: expected a feed key written as UTF-8 text, got a byte that is not "
            f"UTF-8 at byte {error.start + 1}"
        ) from None


__all__ = ["KEY_FILE", "KEY_VARIABLE", "MIN_KEY_LENGTH", "feed_key", "personal_name"]
