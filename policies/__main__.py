"""Entry point the Pulumi CLI runs for `pulumi preview --policy-pack policies`.

Constructing PolicyPack starts the analyzer's gRPC server and never returns, so this file does
nothing else; the rules live in importable modules. The CLI runs this file from the pack's own
directory, so the project root goes on the path for the absolute `policies.*` imports.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi_policy import EnforcementLevel, PolicyPack

from policies.pack import PACK_NAME, POLICIES

PolicyPack(name=PACK_NAME, policies=POLICIES, enforcement_level=EnforcementLevel.MANDATORY)
