"""Reading and writing games and results. The only package that touches files."""
