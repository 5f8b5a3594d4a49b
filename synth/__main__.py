import sys

from inferadb.facts.exit_codes import guarded
from synth.cli import main

sys.exit(guarded(main, sys.argv[1:]))
