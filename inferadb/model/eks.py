"""The `eks:` block of the topology: cluster access, endpoint exposure, logs, pinned add-ons."""

from __future__ import annotations

import ipaddress
import re
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

AddonName = Literal["vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent"]
REQUIRED_ADDONS: tuple[AddonName, ...] = ("vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns")
_ADDON_VERSION = re.compile(r"v[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}-eksbuild\.[0-9]{1,3}")
_PRINCIPAL = re.compile(r"arn:aws:iam::[0-9]{12}:(?:role|user)/[A-Za-z0-9+=,.@_/-]{1,512}")


class EksSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    admins: tuple[str, ...] = Field((), max_length=50)
    """IAM role or user ARNs given cluster-admin through EKS access entries."""
    # 40: the EKS quota "Public endpoint access CIDR ranges per cluster" (not adjustable), EKS service-quotas doc.
    public_access_cidrs: tuple[ipaddress.IPv4Network, ...] = Field((), max_length=40)
    """Empty: the API endpoint is private only. Otherwise public, limited to these ranges (never `/0`)."""
    log_retention_days: Literal[30, 60, 90, 180, 365, 731] = 90
    """Retention of the control-plane log group (all five log types)."""
    addons: dict[AddonName, str] = Field(default_factory=dict)
    """Pinned versions (`vX.Y.Z-eksbuild.N`) of `vpc-cni`, `kube-proxy`, `eks-pod-identity-agent` and
    `coredns`; kube-proxy must match the regions' `kubernetes_version`."""

    @field_validator("admins")
    @classmethod
    def _principals(cls, admins: tuple[str, ...]) -> tuple[str, ...]:
        for arn in admins:
            if not _PRINCIPAL.fullmatch(arn):
                raise ValueError(f"'{arn}' is not an IAM role or user ARN (arn:aws:iam::<account>:role/<name>)")
        return admins

    @field_validator("public_access_cidrs")
    @classmethod
    def _no_open_endpoint(cls, cidrs: tuple[ipaddress.IPv4Network, ...]) -> tuple[ipaddress.IPv4Network, ...]:
        for cidr in cidrs:
            if cidr.prefixlen == 0:
                raise ValueError(f"{cidr} opens the API endpoint to the internet; list your runners' egress ranges")
        # Ranges that add up to the internet (0.0.0.0/1 + 128.0.0.0/1) open it just as well.
        if any(net.prefixlen == 0 for net in ipaddress.collapse_addresses(cidrs)):
            listed = ", ".join(map(str, cidrs))
            raise ValueError(f"{listed} together cover the whole internet; list your runners' egress ranges only")
        return cidrs

    @model_validator(mode="after")
    def _addons_pinned(self) -> Self:
        missing = [name for name in REQUIRED_ADDONS if name not in self.addons]
        if missing:
            raise ValueError(
                f"eks.addons must pin a version for {', '.join(missing)} (e.g. vpc-cni: v1.19.2-eksbuild.1)"
            )
        for name, version in self.addons.items():
            if not _ADDON_VERSION.fullmatch(version):
                raise ValueError(f"eks.addons.{name} '{version}' is not an EKS add-on version (vX.Y.Z-eksbuild.N)")
        return self

    def kube_proxy_minor(self) -> str:
        """`1.31` from `v1.31.3-eksbuild.2`: kube-proxy must match the cluster's minor version."""
        return ".".join(self.addons["kube-proxy"].lstrip("v").split(".")[:2])
