"""The InferaDB CrossGuard policy pack: rules importable by tests, synth and `python -m policies.check`."""
