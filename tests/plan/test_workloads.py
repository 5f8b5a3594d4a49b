"""Ledger, Engine and Control as they would run: replicas, placement, wiring, bootstrap, secrets."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

from components.workloads.bootstrap import BOOTSTRAP
from inferadb.model.topology import load_topology
from inferadb.plan.addressing import join_seeds
from inferadb.plan.admin_protoset import protoset
from inferadb.plan.bootstrap_script import BootstrapSteps, Voter, bootstrap_script
from policies.check import check_records
from tests.recorded import StackPlan

ROOT = Path(__file__).resolve().parents[2]

STS = "kubernetes:apps/v1:StatefulSet"

LEGACY = {"PEERS", "CLUSTER", "BOOTSTRAP_EXPECT", "LISTEN_ADDR", "DATA_DIR"}


def workload(stack: StackPlan, kind: str, name: str) -> dict[str, Any]:
    return next(r for r in stack.of_type(kind) if r["props"]["metadata"]["name"] == name)


def container(spec: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in spec["template"]["spec"]["containers"] if c["name"] == name)


def env(c: dict[str, Any]) -> dict[str, str]:
    return {e["name"]: e.get("value", "") for e in c["env"]}


def ledger(stack: StackPlan) -> dict[str, Any]:
    return workload(stack, STS, "inferadb-ledger")


def test_ledger_statefulset_shape(each_stack: StackPlan) -> None:
    resource = ledger(each_stack)
    spec = resource["props"]["spec"]
    assert spec["replicas"] == 3
    assert spec["podManagementPolicy"] == "Parallel"
    assert spec["persistentVolumeClaimRetentionPolicy"] == {"whenDeleted": "Retain", "whenScaled": "Retain"}
    (claim,) = spec["volumeClaimTemplates"]
    assert claim["spec"]["storageClassName"] == "local-nvme"
    assert claim["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert resource["protect"] is True
    assert resource["retainOnDelete"] is True
    # Pulumi must not wait for readiness that only comes after init.
    assert resource["props"]["metadata"]["annotations"] == {"pulumi.com/skipAwait": "true"}


def test_headless_service_publishes_not_ready_pods(each_stack: StackPlan) -> None:
    service = workload(each_stack, "kubernetes:core/v1:Service", "inferadb-ledger")["props"]["spec"]
    assert service["clusterIP"] == "None"
    assert service["publishNotReadyAddresses"] is True
    assert ledger(each_stack)["props"]["spec"]["serviceName"] == "inferadb-ledger"


def test_ledger_runs_only_on_its_pool_one_pod_per_node_spread_over_zones(each_stack: StackPlan) -> None:
    pod = ledger(each_stack)["props"]["spec"]["template"]["spec"]
    node_group = next(g for g in each_stack.of_type("aws:eks/nodeGroup:NodeGroup") if g["props"].get("taints"))
    (taint,) = node_group["props"]["taints"]
    assert pod["tolerations"] == [
        {"key": taint["key"], "operator": "Equal", "value": taint["value"], "effect": "NoSchedule"}
    ]
    terms = pod["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    assert terms == [{"matchExpressions": [{"key": "inferadb.io/pool", "operator": "In", "values": ["ledger"]}]}]
    (anti,) = pod["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    assert anti["topologyKey"] == "kubernetes.io/hostname"
    (spread,) = pod["topologySpreadConstraints"]
    assert spread["topologyKey"] == "topology.kubernetes.io/zone"
    assert spread["whenUnsatisfiable"] == "DoNotSchedule"


def test_ledger_pdb_selects_the_ledger_pods(each_stack: StackPlan) -> None:
    pdb = workload(each_stack, "kubernetes:policy/v1:PodDisruptionBudget", "inferadb-ledger")["props"]["spec"]
    labels = ledger(each_stack)["props"]["spec"]["template"]["metadata"]["labels"]
    assert pdb["maxUnavailable"] == 1
    assert pdb["selector"]["matchLabels"].items() <= labels.items()


def test_ledger_environment_is_the_current_variable_set(each_stack: StackPlan) -> None:
    region = each_stack.directory.name
    topology = load_topology(ROOT / "topology.yaml")
    variables = env(container(ledger(each_stack)["props"]["spec"], "ledger"))
    ledger_vars = {k.removeprefix("INFERADB__LEDGER__") for k in variables if k.startswith("INFERADB__LEDGER__")}
    assert not ledger_vars & LEGACY
    assert variables["INFERADB__LEDGER__REGION"] == topology.regions[region].ledger_jurisdiction
    assert variables["INFERADB__LEDGER__JOIN"].split(",") == join_seeds(topology)
    assert (
        variables["INFERADB__LEDGER__ADVERTISE"]
        == f"inferadb-ledger-$(POD_INDEX).{region}.ledger.inferadb.internal:50051"
    )
    assert variables["INFERADB__LEDGER__LISTEN"] == "0.0.0.0:50051"
    assert variables["INFERADB__LEDGER__DATA"] == "/var/lib/ledger"
    assert "ALL_PROXY" not in variables  # Ledger's peer channels read no proxy variable
    names = [e["name"] for e in container(ledger(each_stack)["props"]["spec"], "ledger")["env"]]
    assert names.index("POD_INDEX") < names.index("INFERADB__LEDGER__ADVERTISE")


def test_ledger_probes_use_tcp_not_the_standard_grpc_health(each_stack: StackPlan) -> None:
    ledger_container = container(ledger(each_stack)["props"]["spec"], "ledger")
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert ledger_container[probe]["tcpSocket"] == {"port": "grpc"}
    assert ledger_container["readinessProbe"] != ledger_container["livenessProbe"]


def test_ledger_pods_run_ledger_alone_without_a_token(each_stack: StackPlan) -> None:
    spec = ledger(each_stack)["props"]["spec"]["template"]["spec"]
    assert [c["name"] for c in spec["containers"]] == ["ledger"]
    assert spec["serviceAccountName"] == "inferadb-ledger"
    assert spec["automountServiceAccountToken"] is False


def _voters(region: str, *seeds: str) -> tuple[Voter, ...]:
    names = (f"inferadb-ledger-{n}.{region}.ledger.inferadb.internal:50051" for n in range(3))
    return tuple(Voter(name, f"{seed}:50051") for name, seed in zip(names, seeds, strict=True))


# Ordinal n's seed is its load balancer's address in zone n mod zones (2 zones west, 3 in Frankfurt).
WEST = _voters("us-west-1", "10.10.31.224", "10.10.63.225", "10.10.31.226")
FRANKFURT = _voters("eu-central-1", "10.20.31.224", "10.20.63.225", "10.20.95.226")
EXPECTED_BOOTSTRAP = {
    "us-west-1": BootstrapSteps(
        target="10.10.31.224:50051", run_init=True, voters=WEST, provision=("us-west-or", "us-east-va")
    ),
    "eu-central-1": BootstrapSteps(
        target="10.20.31.224:50051", run_init=False, voters=WEST + FRANKFURT, provision=("de-central-frankfurt",)
    ),
}


def test_every_region_bootstraps_its_own_nodes_and_only_the_primary_inits(each_stack: StackPlan) -> None:
    region = each_stack.directory.name
    job = each_stack.one("kubernetes:batch/v1:Job")
    config = next(
        c for c in each_stack.of_type("kubernetes:core/v1:ConfigMap") if c["props"]["metadata"]["name"] == BOOTSTRAP
    )
    assert config["urn"] in job["dependencies"]
    assert ledger(each_stack)["urn"] in job["dependencies"]
    # It dials ordinal 0's literal and waits for every advertised name: both must exist first.
    for kind in ("aws:lb/listener:Listener", "aws:autoscaling/attachment:Attachment", "aws:route53/record:Record"):
        assert {r["urn"] for r in each_stack.of_type(kind)} <= set(job["dependencies"]), kind
    assert job["deleteBeforeReplace"] is True
    spec = job["props"]["spec"]["template"]["spec"]
    (container,) = spec["containers"]
    assert container["command"] == ["/bin/sh", "/bootstrap/bootstrap.sh"]
    assert spec["volumes"] == [{"name": "bootstrap", "configMap": {"name": BOOTSTRAP}}]
    script = config["props"]["data"]["bootstrap.sh"]
    # The steps written out by hand from the shipped topology (not re-derived by the code under test):
    # ordinal 0's pinned address, init in the primary only, every voter deployed so far, the regions.
    assert script == bootstrap_script(EXPECTED_BOOTSTRAP[region])
    assert "TIMEOUT=900\n" in script  # the defaults: 15 minutes for the whole wait, a poll every 5 s
    assert "POLL=5\n" in script
    assert ("InitCluster" in script) is (region == "us-west-1")
    assert base64.b64decode(config["props"]["binaryData"]["admin.protoset"]) == protoset()
    digest = job["props"]["spec"]["template"]["metadata"]["annotations"]["inferadb.io/bootstrap-digest"]
    assert digest == hashlib.sha256(script.encode() + protoset()).hexdigest()[:16]  # a new script re-runs it


def test_engine_reads_its_own_regions_ledger_and_never_control(each_stack: StackPlan) -> None:
    deployment = workload(each_stack, "kubernetes:apps/v1:Deployment", "inferadb-engine")["props"]["spec"]
    engine = container(deployment, "engine")
    variables = env(engine)
    assert variables["INFERADB__ENGINE__STORAGE"] == "ledger"
    assert (
        variables["INFERADB__ENGINE__LEDGER__ENDPOINT"]
        == "http://inferadb-ledger-client.inferadb.svc.cluster.local:50051"
    )
    assert not any("control" in v for v in variables.values())
    assert [p["containerPort"] for p in engine["ports"]] == [8080]  # the only listener Engine binds
    paths = {engine[p]["httpGet"]["path"] for p in ("startupProbe", "readinessProbe", "livenessProbe")}
    assert paths == {"/startupz", "/readyz", "/livez"}
    assert [c["name"] for c in deployment["template"]["spec"]["containers"]] == ["engine"]  # no tailnet sidecar


def test_engine_is_held_at_zero_replicas_and_says_why(each_stack: StackPlan) -> None:
    # The pinned Engine speaks Ledger's namespace API, the pinned Ledger the organization API, and the
    # topology gives no namespace id: a crash-looping Deployment would help nobody.
    resource = workload(each_stack, "kubernetes:apps/v1:Deployment", "inferadb-engine")["props"]
    assert resource["spec"]["replicas"] == 0
    reason = resource["metadata"]["annotations"]["inferadb.io/held"]
    assert "'namespace' API" in reason
    assert "nightly-20260421" in reason
    assert "INFERADB__ENGINE__LEDGER__NAMESPACE_ID" not in env(container(resource["spec"], "engine"))


def test_control_listens_on_all_interfaces_and_reads_only_ledger(each_stack: StackPlan) -> None:
    control = workload(each_stack, STS, "inferadb-control")["props"]["spec"]
    variables = env(container(control, "control"))
    assert variables["INFERADB__CONTROL__LISTEN"] == "0.0.0.0:9090"
    assert variables["INFERADB__CONTROL__LEDGER_ENDPOINT"].startswith("http://inferadb-ledger-client.")
    assert variables["INFERADB__CONTROL__WORKER_ID"] == "$(POD_INDEX)"
    assert not any("engine" in v for v in variables.values())


def test_shipped_control_is_held_because_its_writes_cannot_reach_the_leader(each_stack: StackPlan) -> None:
    # 6 voters, a Control whose SDK ignores NotLeader, a Ledger that no longer forwards: no write path.
    resource = workload(each_stack, STS, "inferadb-control")["props"]
    assert resource["spec"]["replicas"] == 0
    reason = resource["metadata"]["annotations"]["inferadb.io/held"]
    assert "does not follow Ledger's NotLeader answers" in reason
    assert "with 6 Ledger voters" in reason


def test_the_evaluation_example_runs_ledger_and_control_together(evaluation: StackPlan) -> None:
    ledger_set = workload(evaluation, STS, "inferadb-ledger")["props"]
    control = workload(evaluation, STS, "inferadb-control")["props"]
    assert ledger_set["spec"]["replicas"] == 1
    assert control["spec"]["replicas"] == 1
    assert "inferadb.io/held" not in control["metadata"].get("annotations", {})
    assert env(container(control["spec"], "control"))["INFERADB__CONTROL__LEDGER_ENDPOINT"].startswith(
        "http://inferadb-ledger-client."
    )


def test_worker_ids_never_collide_across_regions(us_west_1: StackPlan, eu_central_1: StackPlan) -> None:
    ids: list[int] = []
    for stack in (us_west_1, eu_central_1):
        spec = workload(stack, STS, "inferadb-control")["props"]["spec"]
        start = spec["ordinals"]["start"]
        ids += range(start, start + 2)  # workloads.control_replicas, once Control's hold lifts
    assert len(ids) == len(set(ids))
    assert all(0 <= i <= 1023 for i in ids)
    assert ids == [0, 1, 100, 101]


def test_email_blinding_key_is_one_secret_every_ledger_and_control_read(
    us_west_1: StackPlan, eu_central_1: StackPlan
) -> None:
    reference = {"secretKeyRef": {"name": "inferadb-email-blinding", "key": "key"}}
    for stack in (us_west_1, eu_central_1):
        secret = workload(stack, "kubernetes:core/v1:Secret", "inferadb-email-blinding")
        assert secret["props"]["stringData"] == {"key": "[secret]"}
        for name, var in (("inferadb-ledger", "INFERADB__LEDGER__"), ("inferadb-control", "INFERADB__CONTROL__")):
            resource = workload(stack, STS, name)
            blinding = [e for e in container(resource["props"]["spec"], name.split("-")[1])["env"] if "valueFrom" in e]
            assert {"name": f"{var}EMAIL_BLINDING_KEY", "valueFrom": reference} in blinding
            assert secret["urn"] in resource["dependencies"]  # the pods start after the Secret exists
    assert us_west_1.exports["email_blinding_key"] == "[secret]"
    generated = us_west_1.one("random:index/randomId:RandomId")
    assert generated["protect"] is True
    assert generated["props"]["byteLength"] == 32
    # The DR region generates nothing: its key arrives from the primary's stack.
    assert eu_central_1.of_type("random:index/randomId:RandomId") == []
    assert (
        eu_central_1.one("pulumi:pulumi:StackReference")["urn"]
        in (workload(eu_central_1, "kubernetes:core/v1:Secret", "inferadb-email-blinding")["dependencies"])
    )


def test_control_runs_with_its_public_urls_and_no_key_file(each_stack: StackPlan) -> None:
    spec = workload(each_stack, STS, "inferadb-control")["props"]["spec"]
    control = container(spec, "control")
    variables = env(control)
    assert variables["INFERADB__CONTROL__FRONTEND_URL"] == "https://app.example.com"
    assert variables["INFERADB__CONTROL__WEBAUTHN_RP_ID"] == "example.com"
    assert variables["INFERADB__CONTROL__WEBAUTHN_ORIGIN"] == "https://app.example.com"
    assert "INFERADB__CONTROL__KEY_FILE" not in variables  # the pinned Control loads no key file
    assert [v["name"] for v in spec["template"]["spec"]["volumes"]] == ["tmp"]
    paths = {control[p]["httpGet"]["path"] for p in ("startupProbe", "readinessProbe", "livenessProbe")}
    assert paths == {"/startupz", "/readyz", "/livez"}


def test_stateless_workloads_have_pdbs_and_zone_spread(each_stack: StackPlan) -> None:
    for kind, name in (("kubernetes:apps/v1:Deployment", "inferadb-engine"), (STS, "inferadb-control")):
        spec = workload(each_stack, kind, name)["props"]["spec"]
        pdb = workload(each_stack, "kubernetes:policy/v1:PodDisruptionBudget", name)["props"]["spec"]
        assert pdb["maxUnavailable"] == 1
        assert pdb["selector"] == spec["selector"]
        assert spec["template"]["spec"]["topologySpreadConstraints"][0]["topologyKey"] == "topology.kubernetes.io/zone"


def test_namespace_enforces_restricted_and_is_protected(each_stack: StackPlan) -> None:
    namespace = next(
        n for n in each_stack.of_type("kubernetes:core/v1:Namespace") if n["props"]["metadata"]["name"] == "inferadb"
    )
    assert namespace["props"]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    assert namespace["protect"] is True
    assert namespace["retainOnDelete"] is True


def test_ledger_waits_for_every_secret_and_role_its_pods_use(each_stack: StackPlan) -> None:
    resource = ledger(each_stack)
    spec = resource["props"]["spec"]["template"]["spec"]
    referenced = {
        e["valueFrom"]["secretKeyRef"]["name"]
        for c in spec["containers"]
        for e in c.get("env", [])
        if "secretKeyRef" in e.get("valueFrom", {})
    }
    assert referenced == {"inferadb-email-blinding"}
    secrets = {s["props"]["metadata"]["name"]: s["urn"] for s in each_stack.of_type("kubernetes:core/v1:Secret")}
    for name in referenced:
        assert secrets[name] in resource["dependencies"], name


def test_engine_and_control_start_after_their_regions_bootstrap_job(each_stack: StackPlan) -> None:
    job = each_stack.one("kubernetes:batch/v1:Job")["urn"]
    for kind, name in (("kubernetes:apps/v1:Deployment", "inferadb-engine"), (STS, "inferadb-control")):
        assert job in workload(each_stack, kind, name)["dependencies"], name


def test_the_jobs_deadline_covers_every_wait_at_its_limit(each_stack: StackPlan) -> None:
    # 900 s for the target and for each voter in turn, plus 10 minutes for calls and retries.
    voters = {"us-west-1": 3, "eu-central-1": 6}[each_stack.directory.name]
    job = each_stack.one("kubernetes:batch/v1:Job")["props"]["spec"]
    assert job["activeDeadlineSeconds"] == 900 * (voters + 1) + 600


def test_a_started_ledger_pod_is_not_ready_before_its_catch_up_wait(each_stack: StackPlan) -> None:
    # No applied-index signal exists: the PDB and the rolling update wait for Ready, held back 300 s.
    probe = container(ledger(each_stack)["props"]["spec"], "ledger")["readinessProbe"]
    assert probe["initialDelaySeconds"] == 300
    per_ordinal = [
        s for s in each_stack.of_type("kubernetes:core/v1:Service") if s["props"]["spec"].get("type") == "NodePort"
    ]
    assert per_ordinal
    assert all(s["props"]["spec"]["publishNotReadyAddresses"] is True for s in per_ordinal)


def test_a_dev_estate_protects_nothing_and_production_everything(evaluation: StackPlan, us_west_1: StackPlan) -> None:
    # examples/evaluation.yaml is `environment: dev`: `make destroy` may tear it down.
    assert [r["name"] for r in evaluation.resources if r["protect"] or r["retainOnDelete"]] == []
    assert evaluation.one("aws:eks/cluster:Cluster")["props"]["deletionProtection"] is False
    shipped = {r["type"] for r in us_west_1.resources if r["protect"]}
    assert {"aws:eks/cluster:Cluster", "aws:kms/key:Key", "kubernetes:apps/v1:StatefulSet"} <= shipped
    assert us_west_1.one("aws:eks/cluster:Cluster")["props"]["deletionProtection"] is True


def test_the_pack_exempts_a_dev_estate_from_protection_and_no_other(evaluation: StackPlan) -> None:
    assert [v for v in check_records(evaluation.resources) if v.level == "mandatory"] == []
    production = json.loads(json.dumps(evaluation.resources))
    provider = next(
        r for r in production if r["type"] == "pulumi:providers:aws" and r["props"].get("region") == "us-west-1"
    )
    tags = provider["props"]["defaultTags"]
    encoded = isinstance(tags, str)
    document = json.loads(tags) if encoded else tags
    document["tags"]["inferadb:environment"] = "production"
    provider["props"]["defaultTags"] = json.dumps(document) if encoded else document
    fired = {v.rule for v in check_records(production) if v.level == "mandatory"}
    assert {"pulumi-protect-stateful", "pulumi-retain-on-delete-stateful"} <= fired
