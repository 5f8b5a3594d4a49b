"""The Tailscale sidecar for Ledger and Engine pods, in userspace mode (no privileges).

Userspace tailscaled accepts inbound tailnet connections and hands them to the pod's ports, but the
app's own outbound connections to tailnet names only work through a proxy the sidecar serves on
localhost: SOCKS5 (`socks5h://`, names resolved by tailscaled) or an HTTP CONNECT proxy, chosen by
`connectivity.ledger_outbound`. The app is pointed at it with the conventional proxy variables;
whether the pinned Ledger honours them must be verified (README, "Tailscale: the outbound path").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from inferadb.components.shared.pods import container_security, pod_identity_env
from inferadb.facts.capacity import SIDECAR_REQUESTS

PROXY_ADDRESS = "127.0.0.1:1055"
HEALTH_PORT = 9002
TAILSCALE_UID = 1000


@dataclass(frozen=True)
class SidecarSpec:
    image: str
    hostname: str
    """Tailnet hostname; may use $(POD_INDEX) / $(POD_NAME), e.g. ledger-us-west-1-$(POD_INDEX)."""
    auth_secret: str
    """Kubernetes Secret holding the auth key under `authkey`."""
    state_secret: str | None
    """Per-pod state Secret (stable identity, Ledger) or None for ephemeral in-memory state (Engine)."""
    outbound: Literal["socks5", "http-proxy"]


def tailscale_container(spec: SidecarSpec) -> dict[str, Any]:
    proxy = ("TS_SOCKS5_SERVER" if spec.outbound == "socks5" else "TS_OUTBOUND_HTTP_PROXY_LISTEN", PROXY_ADDRESS)
    state = (
        [{"name": "TS_KUBE_SECRET", "value": spec.state_secret}]
        if spec.state_secret
        else [{"name": "TS_KUBE_SECRET", "value": ""}, {"name": "TS_STATE_DIR", "value": "/tmp/tailscale"}]
    )
    return {
        "name": "tailscale",
        "image": spec.image,
        "env": [
            *pod_identity_env(),
            {"name": "TS_AUTHKEY", "valueFrom": {"secretKeyRef": {"name": spec.auth_secret, "key": "authkey"}}},
            {"name": "TS_USERSPACE", "value": "true"},
            {"name": "TS_HOSTNAME", "value": spec.hostname},
            {"name": "TS_ACCEPT_DNS", "value": "false"},
            {"name": "TS_SOCKET", "value": "/tmp/tailscaled.sock"},
            {"name": proxy[0], "value": proxy[1]},
            # containerboot's health endpoint: /healthz answers 200 once the node is up in the tailnet.
            {"name": "TS_ENABLE_HEALTH_CHECK", "value": "true"},
            {"name": "TS_LOCAL_ADDR_PORT", "value": f"[::]:{HEALTH_PORT}"},
            *state,
        ],
        "ports": [{"name": "ts-health", "containerPort": HEALTH_PORT}],
        "readinessProbe": {"httpGet": {"path": "/healthz", "port": HEALTH_PORT}, "periodSeconds": 10},
        "livenessProbe": {"tcpSocket": {"port": HEALTH_PORT}, "periodSeconds": 30, "failureThreshold": 4},
        "securityContext": container_security(TAILSCALE_UID),
        "resources": {"requests": dict(SIDECAR_REQUESTS), "limits": {"cpu": "200m", "memory": "256Mi"}},
        "volumeMounts": [{"name": "tailscale-tmp", "mountPath": "/tmp"}],
    }


def tailscale_volumes() -> list[dict[str, Any]]:
    return [{"name": "tailscale-tmp", "emptyDir": {"sizeLimit": "64Mi"}}]


def app_proxy_env(outbound: Literal["socks5", "http-proxy"]) -> list[dict[str, str]]:
    """What the app container needs to dial tailnet peers through the sidecar."""
    local = {"name": "NO_PROXY", "value": "localhost,127.0.0.1,.svc,.cluster.local"}
    if outbound == "socks5":
        return [{"name": "ALL_PROXY", "value": f"socks5h://{PROXY_ADDRESS}"}, local]
    return [
        {"name": "HTTP_PROXY", "value": f"http://{PROXY_ADDRESS}"},
        {"name": "HTTPS_PROXY", "value": f"http://{PROXY_ADDRESS}"},
        local,
    ]
