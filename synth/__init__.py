"""Offline evaluation of the Pulumi program: `python -m synth` (see synth/cli.py)."""
