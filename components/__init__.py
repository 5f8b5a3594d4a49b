"""Pulumi components, one concept a file; each takes one frozen `*Args` dataclass."""
