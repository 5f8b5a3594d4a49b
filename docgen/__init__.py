"""`python -m docgen`: the tables in docs/ that are generated from the code (`--check`: drift only)."""
