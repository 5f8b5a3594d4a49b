"""A warm evaluator: import the program and its provider SDKs once, then fork a fresh child per stack.

Each stack still runs in its own process (the SDK's runtime state is process-wide, see evaluate.py),
but the child starts with the program's modules already loaded, which is most of the cost of a stack:
about 2.7 s of imports against 0.6 s of evaluation on the shipped topology. This process is
single-threaded, so forking it is safe; the parent talks to it over stdin/stdout, one line per job:

    parent -> zygote   JOB.json<TAB>RESULT.json<TAB>LOG<NEWLINE>
    zygote -> parent   <exit code of the child><NEWLINE>

The child's stdout and stderr go to LOG. The zygote exits when its stdin closes.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
import traceback

# The provider modules the program declares resources from. The SDKs load a module's classes on
# first attribute access, so each is touched once here. A module missing from this list only costs
# time in each child, never correctness.
WARM_MODULES = (
    "components.program.main",
    "pulumi_aws.acm",
    "pulumi_aws.autoscaling",
    "pulumi_aws.cloudwatch",
    "pulumi_aws.ec2",
    "pulumi_aws.eks",
    "pulumi_aws.iam",
    "pulumi_aws.kms",
    "pulumi_aws.lb",
    "pulumi_aws.route53",
    "pulumi_aws.ssm",
    "pulumi_aws.vpc",
    "pulumi_command.local",
    "pulumi_kubernetes.apiextensions",
    "pulumi_kubernetes.apps",
    "pulumi_kubernetes.apps.v1",
    "pulumi_kubernetes.batch",
    "pulumi_kubernetes.batch.v1",
    "pulumi_kubernetes.core.v1",
    "pulumi_kubernetes.meta.v1",
    "pulumi_kubernetes.networking",
    "pulumi_kubernetes.networking.v1",
    "pulumi_kubernetes.policy",
    "pulumi_kubernetes.policy.v1",
    "pulumi_kubernetes.rbac",
    "pulumi_kubernetes.rbac.v1",
    "pulumi_kubernetes.storage",
    "pulumi_kubernetes.storage.v1",
    "pulumi_random",
    "pulumi_tailscale",
    "synth.evaluate",
)
EXIT_CRASHED = 3


def warm() -> None:
    for name in WARM_MODULES:
        # Any attribute outside the introspection set makes a lazily imported module load for real.
        hasattr(importlib.import_module(name), "__all__")


def run_child(job_path: str, result_path: str, log_path: str) -> None:
    """In the forked child: evaluate one stack, then leave without interpreter teardown."""
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    code = EXIT_CRASHED
    try:
        evaluate = sys.modules["synth.evaluate"]
        code = evaluate.main([job_path, result_path])
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve() -> None:
    warm()
    # Move everything imported so far out of the collector's sight: a collection in the child no
    # longer walks the provider SDKs' ~290k objects, which halves a stack's evaluation time.
    gc.freeze()
    for line in sys.stdin:
        job_path, result_path, log_path = line.rstrip("\n").split("\t")
        pid = os.fork()
        if pid == 0:
            run_child(job_path, result_path, log_path)
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status), flush=True)


if __name__ == "__main__":
    serve()
