"""Checks against the real AWS account before `pulumi up`, and the state-backend bootstrap."""
