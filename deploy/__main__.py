import sys

from deploy.cli import main
from inferadb.facts.exit_codes import guarded

sys.exit(guarded(main, sys.argv[1:]))
