"""Large TCP transfers across a 1280-byte tunnel, in network namespaces with real veth links.

  node (ns A, MTU 9000) ── router (ns R: forwards; `tailscale0` has MTU 1280) ── remote node (ns B, 9000)

Raft catch-up and snapshots are large messages; heartbeats are small. Without the MSS clamp, and with
ICMP "fragmentation needed" dropped on the way back to the sender (a security group without the
ICMP rule), a large transfer stalls while small messages pass. The router's rules are read from the
user data the plan renders. Needs root, `ip` and `nft` (.ci/run installs nftables; it sets
INFERADB_REQUIRE_NETNS=1 so a missing tool fails the run instead of skipping).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from inferadb.model.topology import load_topology
from inferadb.plan.region import TailnetPlan, plan_region
from inferadb.plan.router_boot import CLAMP_RULES, user_data

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD = 4 * 1024 * 1024
# No progress for this long is a stall: a working path moves the payload in well under a second.
STALL_SECONDS = 2
SERVER = f"""
import socket, sys
listener = socket.socket(); listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("0.0.0.0", 5001)); listener.listen(1); listener.settimeout(20)
connection, _ = listener.accept(); connection.settimeout({STALL_SECONDS})
received = 0
try:
    while chunk := connection.recv(65536):
        received += len(chunk)
except OSError:
    pass
print(received, flush=True)
"""
CLIENT = f"""
import socket, sys
client = socket.create_connection(("10.91.2.2", 5001), timeout={STALL_SECONDS})
try:
    client.sendall(b"x" * int(sys.argv[1]))
    client.shutdown(socket.SHUT_WR)
except OSError as exc:
    print(f"stalled: {{exc}}", flush=True)
    sys.exit(1)
"""


def available() -> bool:
    return os.geteuid() == 0 and shutil.which("ip") is not None and shutil.which("nft") is not None


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not available() and os.environ.get("INFERADB_REQUIRE_NETNS") != "1",
        reason="needs root, ip and nft (network namespaces)",
    ),
]


def sh(*command: str, namespace: str | None = None) -> None:
    prefix = ["ip", "netns", "exec", namespace] if namespace else []
    subprocess.run([*prefix, *command], check=True, capture_output=True, text=True)


@pytest.fixture
def path(worker_id: str) -> Iterator[dict[str, str]]:
    tag = f"{os.getpid()}"
    ns = {"a": f"mtu-a-{tag}", "r": f"mtu-r-{tag}", "b": f"mtu-b-{tag}"}
    for name in ns.values():
        sh("ip", "netns", "add", name)
    try:
        sh("ip", "link", "add", "a0", "netns", ns["a"], "type", "veth", "peer", "name", "r0", "netns", ns["r"])
        sh("ip", "link", "add", "tailscale0", "netns", ns["r"], "type", "veth", "peer", "name", "b0", "netns", ns["b"])
        for namespace, device, address, mtu in (
            (ns["a"], "a0", "10.91.1.2/24", "9000"),
            (ns["r"], "r0", "10.91.1.1/24", "9000"),
            (ns["r"], "tailscale0", "10.91.2.1/24", "1280"),
            (ns["b"], "b0", "10.91.2.2/24", "9000"),
        ):
            sh("ip", "addr", "add", address, "dev", device, namespace=namespace)
            sh("ip", "link", "set", device, "mtu", mtu, "up", namespace=namespace)
            sh("ip", "link", "set", "lo", "up", namespace=namespace)
        sh("ip", "route", "add", "default", "via", "10.91.1.1", namespace=ns["a"])
        sh("ip", "route", "add", "default", "via", "10.91.2.1", namespace=ns["b"])
        sh("sysctl", "-qw", "net.ipv4.ip_forward=1", namespace=ns["r"])
        yield ns
    finally:
        for name in ns.values():
            subprocess.run(["ip", "netns", "del", name], check=False, capture_output=True)


def drop_fragmentation_needed(namespace: str) -> None:
    """What a security group without the ICMP 3/4 rule does to the router's answer."""
    sh("nft", "add", "table", "inet", "sg", namespace=namespace)
    sh("nft", "add", "chain", "inet", "sg", "input", "{ type filter hook input priority 0; }", namespace=namespace)
    rule = ["icmp", "type", "destination-unreachable", "icmp", "code", "frag-needed", "drop"]
    sh("nft", "add", "rule", "inet", "sg", "input", *rule, namespace=namespace)


def rendered_clamp() -> str:
    """The clamp file as the shipped primary's router writes it at first boot."""
    plan = plan_region(load_topology(ROOT / "topology.yaml"), "us-west-1")
    assert isinstance(plan.connectivity, TailnetPlan)
    router = plan.connectivity.router
    script = user_data(router, router.zones[0], "us-west-1", "/inferadb/router-key")
    start = script.index(f"cat > {CLAMP_RULES} <<'EOF'\n") + len(f"cat > {CLAMP_RULES} <<'EOF'\n")
    return script[start : script.index("\nEOF\n", start)] + "\n"


def wait_listening(namespace: str) -> None:
    """Until the server in `namespace` listens on 5001 (a few tries)."""
    for _ in range(50):
        probe = subprocess.run(
            ["ip", "netns", "exec", namespace, "ss", "-ltn", "sport = :5001"], capture_output=True, text=True
        )
        if "5001" in probe.stdout:
            return


def transfer(ns: dict[str, str], size: int = PAYLOAD) -> int:
    """Bytes the remote node received of `size` sent by the local node."""
    server = subprocess.Popen(
        ["ip", "netns", "exec", ns["b"], sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True
    )
    try:
        wait_listening(ns["b"])
        subprocess.run(
            ["ip", "netns", "exec", ns["a"], sys.executable, "-c", CLIENT, str(size)],
            capture_output=True,
            timeout=30,
            check=False,
        )
        out, _ = server.communicate(timeout=30)
        return int(out.strip() or 0)
    finally:
        server.kill()


def test_a_large_transfer_stalls_without_the_clamp_when_fragmentation_needed_is_dropped(path: dict[str, str]) -> None:
    drop_fragmentation_needed(path["a"])
    assert transfer(path, 1000) == 1000  # small messages (heartbeats) still pass
    assert transfer(path) < PAYLOAD


def test_the_rendered_clamp_carries_it_with_icmp_still_dropped(path: dict[str, str], tmp_path: Path) -> None:
    drop_fragmentation_needed(path["a"])
    rules = tmp_path / "mss-clamp.nft"
    rules.write_text(rendered_clamp())
    sh("nft", "-f", str(rules), namespace=path["r"])
    assert transfer(path) == PAYLOAD


def test_admitting_fragmentation_needed_alone_also_carries_it(path: dict[str, str]) -> None:
    # Path MTU discovery, as in peering mode (8500 on the path, 9001 on instances): the ICMP rules.
    assert transfer(path) == PAYLOAD


SMALL_MSS_SERVER = """
import socket
listener = socket.socket(); listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 500)  # advertises an MSS below the tunnel's
listener.bind(("0.0.0.0", 5001)); listener.listen(1); listener.settimeout(20)
connection, _ = listener.accept(); connection.settimeout(5); connection.recv(1)  # until the client leaves
"""
CLIENT_MSS = """
import socket
client = socket.create_connection(("10.91.2.2", 5001), timeout=8)
print(client.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG))
"""


def test_the_clamp_never_raises_a_smaller_mss(path: dict[str, str], tmp_path: Path) -> None:
    # The rule out of the tunnel sets 1240 outright; the kernel only ever lowers an MSS, so a peer
    # that asks for less keeps it (otherwise the rule would need a `maxseg size > 1240` guard).
    rules = tmp_path / "mss-clamp.nft"
    rules.write_text(rendered_clamp())
    sh("nft", "-f", str(rules), namespace=path["r"])
    server = subprocess.Popen(["ip", "netns", "exec", path["b"], sys.executable, "-c", SMALL_MSS_SERVER])
    try:
        wait_listening(path["b"])
        client = subprocess.run(
            ["ip", "netns", "exec", path["a"], sys.executable, "-c", CLIENT_MSS],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    finally:
        server.wait(timeout=30)
    assert int(client.stdout) <= 500
