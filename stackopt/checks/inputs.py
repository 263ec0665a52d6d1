"""Validation of game inputs that several kinds' game classes share (no Pyomo, no files).

``player_names``
    every player name is a non-empty string (one :class:`~stackopt.errors.InputError` naming
    the field otherwise).
"""

from __future__ import annotations

from typing import Any

from stackopt.errors import InputError


def player_names(*named: tuple[str, Any], source: str | None = None) -> None:
    """Refuse a player name that is not a non-empty string; ``named`` are ``(field, name)``
    pairs, e.g. ``("leader.name", game.leader_name)``, and ``source`` the file, if any."""
    for field, name in named:
        if not isinstance(name, str) or not name.strip():
            raise InputError(
                f"player name must be a non-empty string, got {name!r}",
                source=source,
                field=field,
                fix="give the player a name",
            )
