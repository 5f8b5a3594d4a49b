"""InferaDB multi-region deployment: one Pulumi stack per AWS region, all from topology.yaml.

`pulumi up --stack us-west-1` (then each later region in priority order), or offline:
`python -m synth --all`. The program lives in components/program/main.py.
"""

from components.program.main import main

main()
