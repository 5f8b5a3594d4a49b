"""`make deploy` (python -m deploy): preflight, every stack in priority order with the policy pack,
then `verify` (python -m deploy.verify), from a clone to a checked estate in one command."""
