"""Probes for the local static provisioner and its node-cleanup controller.

Neither binary serves a health endpoint: each serves only Prometheus metrics on `--listen-address`
(:8080, `--metrics-path` /metrics), read in kubernetes-sigs/sig-storage-local-static-provisioner at
v2.7.0 (4f81db7), `cmd/local-volume-provisioner/main.go` and `cmd/node-cleanup/main.go`. The
provisioner starts that server last, after its controller is running, so an answer on /metrics
means it got through start-up; a process whose HTTP server stops answering is restarted.
"""

from __future__ import annotations

from typing import Any

METRICS_PORT = 8080


def metrics_probes() -> dict[str, Any]:
    """readinessProbe and livenessProbe on the container's `metrics` port (the pack wants them distinct)."""
    get = {"httpGet": {"path": "/metrics", "port": "metrics"}}
    return {
        "readinessProbe": {**get, "periodSeconds": 10},
        "livenessProbe": {**get, "periodSeconds": 20, "timeoutSeconds": 5, "failureThreshold": 3},
    }
