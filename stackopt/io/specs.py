"""Pydantic bases shared by the YAML formats of every kind.

Every spec refuses unknown keys (``extra="forbid"``, so :func:`.validation.parse_model` can name
the misspelt key and list the allowed ones). ``GameSpec`` holds the keys every ``kind:`` file
starts with; ``PlayerNameSpec`` is a player block that may only rename the player.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictSpec(BaseModel):
    """A YAML mapping that refuses unknown keys."""

    model_config = ConfigDict(extra="forbid")


class PlayerNameSpec(StrictSpec):
    """``{name: ...}`` (optional) for a leader/follower block."""

    name: str | None = None


class GameSpec(StrictSpec):
    """The keys every game file starts with: ``kind``, optional ``name`` and ``description``."""

    kind: str
    name: str | None = None
    description: str | None = None
