"""The `eks:` block of the topology: cluster access, endpoint exposure, logs, pinned add-ons."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from inferadb.model.workloads import moved

AddonName = Literal["vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent", "aws-ebs-csi-driver"]
REQUIRED_ADDONS: tuple[AddonName, ...] = ("vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns")
_ADDON_VERSION = re.compile(r"v[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}-eksbuild\.[0-9]{1,3}")
_PRINCIPAL = re.compile(r"arn:aws:iam::[0-9]{12}:(?:role|user)/[A-Za-z0-9+=,.@_/-]{1,512}")


DOCUMENTATION_RANGES = tuple(ipaddress.IPv4Network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"))
"""RFC 5737 example ranges: the shipped topology uses one; preflight refuses them."""


def documentation_cidrs(cidrs: Iterable[str | ipaddress.IPv4Network]) -> list[str]:
    """The CIDRs inside a documentation range: placeholders still to be replaced by real egress ranges."""
    networks = (ipaddress.IPv4Network(c) for c in cidrs)
    return [str(n) for n in networks if any(n.subnet_of(r) for r in DOCUMENTATION_RANGES)]


class ApiAccess(BaseModel):
    """Who reaches the cluster's API endpoint: an allow-listed public endpoint, private CIDRs, or both."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    # 40: the EKS quota "Public endpoint access CIDR ranges per cluster" (not adjustable), EKS service-quotas doc.
    public_cidrs: tuple[ipaddress.IPv4Network, ...] = Field((), max_length=40)
    """Egress ranges allowed to the public endpoint (your laptop, hosted CI runners); never `0.0.0.0/0`.
    Empty: the public endpoint is off."""
    private_cidrs: tuple[ipaddress.IPv4Network, ...] = Field((), max_length=20)
    """Networks routed to the VPC (a VPN, a peered network, a self-hosted runner's subnet) admitted on
    443 to the private endpoint by a rule on the cluster security group."""

    @field_validator("public_cidrs")
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

    @field_validator("private_cidrs")
    @classmethod
    def _private(cls, cidrs: tuple[ipaddress.IPv4Network, ...]) -> tuple[ipaddress.IPv4Network, ...]:
        for cidr in cidrs:
            if not cidr.is_private or cidr.prefixlen < 8:
                raise ValueError(f"{cidr} is not a private network range; private_cidrs reach the VPC's own endpoint")
        return cidrs

    @model_validator(mode="after")
    def _someone_reaches_it(self) -> Self:
        if not self.public_cidrs and not self.private_cidrs:
            raise ValueError(
                "no one can reach the API: list your egress ranges in public_cidrs, or the networks routed to the "
                "VPC (VPN, self-hosted runners) in private_cidrs"
            )
        return self


class EksSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    admins: tuple[str, ...] = Field((), max_length=50)
    """IAM role or user ARNs given cluster-admin through EKS access entries."""
    deployers: tuple[str, ...] = Field((), max_length=10, validate_default=True)
    """IAM role or user ARNs that run `pulumi up` (an operator, CI's deploy role), at least one: each
    gets a cluster-admin entry that stays whoever runs the update, and an update by anyone else stops
    before it changes anything. The identity running an update is never made admin for being the
    caller. Upgrading from a version that followed the caller: list that identity first."""
    api_access: ApiAccess
    """How whoever runs `pulumi up` reaches the Kubernetes API this stack creates."""
    preview_role: str | None = None
    """IAM role ARN of the pull-request preview: a read-only access entry (AmazonEKSViewPolicy)."""
    allow_extended_support: bool = False
    """Accept a Kubernetes version past EKS standard support (billed per cluster-hour) and set the cluster's
    upgrade policy to EXTENDED; otherwise the policy is STANDARD and such a version is rejected."""
    log_retention_days: Literal[30, 60, 90, 180, 365, 731] = 90
    """Retention of the control-plane log group (all five log types)."""
    addons: dict[AddonName, str] = Field(default_factory=dict)
    """Pinned versions (`vX.Y.Z-eksbuild.N`) of `vpc-cni`, `kube-proxy`, `eks-pod-identity-agent` and
    `coredns` (and `aws-ebs-csi-driver` with `monitoring.mode: install`); kube-proxy must match the
    regions' `kubernetes_version`."""

    @field_validator("deployers")
    @classmethod
    def _someone_deploys(cls, deployers: tuple[str, ...]) -> tuple[str, ...]:
        if not deployers:
            raise ValueError(
                "list the IAM roles (or users) that run `pulumi up`, e.g. "
                "[arn:aws:iam::<account>:role/inferadb-deploy]: your operator role and CI's deploy role; each gets "
                "a cluster-admin access entry"
            )
        return deployers

    @field_validator("admins", "deployers")
    @classmethod
    def _principals(cls, admins: tuple[str, ...]) -> tuple[str, ...]:
        for arn in admins:
            if not _PRINCIPAL.fullmatch(arn):
                raise ValueError(f"'{arn}' is not an IAM role or user ARN (arn:aws:iam::<account>:role/<name>)")
        return admins

    @model_validator(mode="after")
    def _deployers_not_admins(self) -> Self:
        both = sorted(set(self.admins) & set(self.deployers))
        if both:
            raise ValueError(
                f"eks.admins and eks.deployers both list {', '.join(both)}; EKS allows one access entry per "
                f"principal: keep it in eks.deployers only"
            )
        return self

    @field_validator("preview_role")
    @classmethod
    def _preview_principal(cls, arn: str | None) -> str | None:
        if arn is not None and not _PRINCIPAL.fullmatch(arn):
            raise ValueError(f"'{arn}' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)")
        return arn

    @model_validator(mode="before")
    @classmethod
    def _moved(cls, data: Any) -> Any:
        return moved(
            data,
            "eks.public_access_cidrs",
            "write eks.api_access.public_cidrs (and private_cidrs for a VPN or runner network routed to the VPC)",
        )

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
