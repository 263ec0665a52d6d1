"""Game classes: validated, immutable descriptions of games. They know nothing of Pyomo."""

from .normal_form import NormalFormGame

__all__ = ["NormalFormGame"]
