"""Certificate checks: re-check a result against its game without solving anything."""
