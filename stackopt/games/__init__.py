"""Game classes: validated, immutable descriptions of games. They know nothing of Pyomo."""

from stackopt.kinds.normal_form.game import NormalFormGame

__all__ = ["NormalFormGame"]
