"""How `verify` reads a live region: kubectl with the stack's kubeconfig, Ledger's AdminService
through `kubectl port-forward`, and the route tables through the EC2 API.

Needs on the PATH: kubectl, and the AWS CLI v2 the kubeconfig calls (`aws eks get-token`). Ledger's
image has no shell, so nothing is exec'd in its pods: each is reached on 50051 through a port-forward.
Only the conclusions (deploy/checks.py) and the gRPC calls (deploy/ledger_calls.py, against loopback
stand-ins) are tested offline; this module needs a live estate.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3

from deploy.checks import ControlState
from deploy.ledger_calls import ClusterView, cluster_view, node_id
from inferadb.facts.names import CONTROL, HOLD_ANNOTATION, LEDGER, NAMESPACE
from inferadb.facts.ports import LEDGER_PORT
from inferadb.plan.router_boot import status_prefix

_FORWARDING = re.compile(r"Forwarding from 127\.0\.0\.1:(\d+)")


class LiveProbe:
    def __init__(self, outputs: dict[str, dict[str, Any]], replicas: dict[str, int], timeout: float = 10.0) -> None:
        self.outputs, self.replicas, self.timeout = outputs, replicas, timeout
        self._dir = tempfile.TemporaryDirectory(prefix="inferadb-verify-")

    def __enter__(self) -> LiveProbe:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove the kubeconfigs written for kubectl (they name the clusters and how to reach them)."""
        self._dir.cleanup()

    def _kubeconfig(self, region: str) -> str:
        path = Path(self._dir.name) / f"{region}.yaml"
        if not path.exists():
            path.write_text(str(self.outputs[region]["kubeconfig"]))
            path.chmod(0o600)
        return str(path)

    def _kubectl(self, region: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = ["kubectl", "--kubeconfig", self._kubeconfig(region), f"--request-timeout={self.timeout:g}s", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=self.timeout + 20, check=False)  # noqa: S603

    def api(self, region: str) -> str | None:
        result = self._kubectl(region, "version", "-o", "json")
        return None if result.returncode == 0 else (result.stderr.strip().splitlines() or ["no answer"])[-1]

    @contextlib.contextmanager
    def _forward(self, region: str, pod: str) -> Iterator[str]:
        command = ["kubectl", "--kubeconfig", self._kubeconfig(region), "-n", NAMESPACE, "port-forward"]
        process = subprocess.Popen(  # noqa: S603 - kubectl with this program's own arguments
            [*command, f"pod/{pod}", f":{LEDGER_PORT}"], stdout=subprocess.PIPE, text=True
        )
        try:
            line = process.stdout.readline() if process.stdout else ""
            match = _FORWARDING.search(line)
            if not match:
                raise OSError(f"kubectl port-forward to {pod} did not start ({line.strip()!r})")
            yield f"127.0.0.1:{match.group(1)}"
        finally:
            process.terminate()
            process.wait(timeout=10)

    def node_ids(self, region: str) -> dict[str, int | None]:
        found: dict[str, int | None] = {}
        for ordinal in range(self.replicas[region]):
            pod = f"{LEDGER}-{ordinal}"
            try:
                with self._forward(region, pod) as address:
                    found[f"{region}/{pod}"] = node_id(address, self.timeout)
            except (OSError, RuntimeError):
                found[f"{region}/{pod}"] = None
        return found

    def cluster(self, region: str) -> ClusterView | None:
        try:
            with self._forward(region, f"{LEDGER}-0") as address:
                return cluster_view(address, self.timeout)
        except (OSError, RuntimeError):
            return None

    def control(self, region: str) -> ControlState | None:
        result = self._kubectl(region, "-n", NAMESPACE, "get", "statefulset", CONTROL, "-o", "json")
        if result.returncode != 0:
            return None
        return control_state(json.loads(result.stdout))

    def route_problems(self, region: str) -> list[str]:
        tables = self.outputs[region].get("private_route_table_ids") or []
        ec2 = boto3.client("ec2", region_name=region)
        problems = []
        for table in ec2.describe_route_tables(RouteTableIds=list(tables))["RouteTables"]:
            for route in table["Routes"]:
                if route.get("State") == "blackhole":
                    problems.append(f"{table['RouteTableId']} -> {route.get('DestinationCidrBlock')} is a blackhole")
        return problems

    def router_reports(self, region: str) -> list[str] | None:
        """Each running router of the region (tag Name inferadb-router-<region>...) against its boot
        report in SSM (`<instance id> <tailnet address>`, written by its user data)."""
        ec2, ssm = boto3.client("ec2", region_name=region), boto3.client("ssm", region_name=region)
        filters = [
            {"Name": "tag:Name", "Values": [f"inferadb-router-{region}*"]},
            {"Name": "instance-state-name", "Values": ["running"]},
        ]
        routers = [i for r in ec2.describe_instances(Filters=filters)["Reservations"] for i in r["Instances"]]
        if not routers:
            return None
        silent = []
        for instance in routers:
            name = next(t["Value"] for t in instance.get("Tags", []) if t["Key"] == "Name")
            try:
                value = ssm.get_parameter(Name=status_prefix(region) + name)["Parameter"]["Value"]
            except ssm.exceptions.ParameterNotFound:
                value = ""
            if not str(value).startswith(f"{instance['InstanceId']} "):
                silent.append(f"{name} ({instance['InstanceId']}) has not reported a finished boot")
        return sorted(silent)


def control_state(statefulset: dict[str, Any]) -> ControlState:
    """Ready and desired pods of Control's StatefulSet, and its hold annotation."""
    annotations = (statefulset.get("metadata") or {}).get("annotations") or {}
    return ControlState(
        int((statefulset.get("status") or {}).get("readyReplicas") or 0),
        int((statefulset.get("spec") or {}).get("replicas") or 0),
        annotations.get(HOLD_ANNOTATION),
    )
