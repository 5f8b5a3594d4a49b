import sys

from preflight.cli import main

sys.exit(main(sys.argv[1:]))
