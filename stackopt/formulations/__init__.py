"""Formulations: games compiled into optimisation models. They know nothing of files or the CLI."""
