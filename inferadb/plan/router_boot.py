"""The first-boot script of a Tailscale subnet router (Amazon Linux 2023), as plain text.

Flags read in tailscale/tailscale `cmd/tailscale/cli/up.go` and `ipn/prefs.go` at v1.84.3
(7648989): `--auth-key=file:<path>` reads the key from a file (it never shows in the process list);
`--snat-subnet-routes=false` keeps the source address, so the other region sees which node dialled;
inbound connections from advertised routes need that *and* `--stateful-filtering=false` (the
default, set explicitly); `--accept-routes` installs the other regions' subnets. The key is read
from an SSM SecureString parameter at boot, never written into the user data, and deleted from disk
after `tailscale up`; tailscaled keeps the node identity in /var/lib/tailscale across reboots and
instance recovery.
"""

from __future__ import annotations

from inferadb.facts.path_mtu import TUNNEL_TCP_MSS
from inferadb.facts.tailnet_acl import ROUTER_TAG
from inferadb.plan.region import RouterPlan, ZoneRouter

PACKAGE_REPO = "https://pkgs.tailscale.com/stable/amazon-linux/2023/tailscale.repo"
CLAMP_RULES = "/etc/inferadb/mss-clamp.nft"
CLAMP_UNIT = "inferadb-mss-clamp.service"


def mss_clamp_ruleset(tunnel: str = "tailscale0") -> str:
    """nftables rules that clamp the MSS of TCP handshakes crossing the tunnel, both ways.

    SYNs into the tunnel take the route's MTU (1280 through tailscale0); handshakes out of it get the
    tunnel's MSS outright, so a connection is clamped even when the other side's router is not. nft
    only ever lowers an MSS. Re-running the file replaces the table (the first line makes sure it
    exists, so the delete cannot fail). tests/e2e/test_path_mtu.py checks both rules on real TCP, the
    lowering-only behaviour included."""
    return "\n".join(
        [
            "table inet inferadb_mss",
            "delete table inet inferadb_mss",
            "table inet inferadb_mss {",
            "  chain forward {",
            "    type filter hook forward priority mangle; policy accept;",
            f'    oifname "{tunnel}" tcp flags syn tcp option maxseg size set rt mtu',
            f'    iifname "{tunnel}" tcp flags syn tcp option maxseg size set {TUNNEL_TCP_MSS}',
            "  }",
            "}",
            "",
        ]
    )


def _clamp_unit() -> str:
    return "\n".join(
        [
            "[Unit]",
            "Description=Clamp TCP MSS through the tailnet (tunnel MTU 1280)",
            "After=network-pre.target",
            "Before=tailscaled.service",
            "[Service]",
            "Type=oneshot",
            f"ExecStart=/usr/sbin/nft -f {CLAMP_RULES}",
            "RemainAfterExit=yes",
            "[Install]",
            "WantedBy=multi-user.target",
        ]
    )


def up_flags(zone: ZoneRouter, key_file: str) -> list[str]:
    return [
        f"--auth-key=file:{key_file}",
        f"--hostname={zone.hostname}",
        f"--advertise-tags={ROUTER_TAG}",
        f"--advertise-routes={','.join(zone.advertise_routes)}",
        "--accept-routes",
        "--accept-dns=false",  # the router resolves with the VPC's DNS (SSM, packages), never MagicDNS
        "--snat-subnet-routes=false",
        "--stateful-filtering=false",
    ]


def user_data(router: RouterPlan, zone: ZoneRouter, region: str, key_parameter: str) -> str:
    key_file = "/run/inferadb-router.key"
    return "\n".join(
        [
            "#!/bin/bash",
            "set -euo pipefail",
            "cat > /etc/sysctl.d/90-inferadb-router.conf <<'EOF'",
            "net.ipv4.ip_forward = 1",
            "EOF",
            "sysctl --system",
            "# The network may come up after the first boot step: retry what needs it.",
            'retry() { n=0; until "$@"; do n=$((n + 1)); [ "$n" -lt 30 ] || return 1; sleep 10; done; }',
            "# TCP MSS clamp into and out of the tunnel, kept across reboots by a unit (nftables).",
            "retry dnf install -y nftables",
            "mkdir -p /etc/inferadb",
            f"cat > {CLAMP_RULES} <<'EOF'",
            mss_clamp_ruleset().rstrip("\n"),
            "EOF",
            f"cat > /etc/systemd/system/{CLAMP_UNIT} <<'EOF'",
            _clamp_unit(),
            "EOF",
            f"systemctl enable --now {CLAMP_UNIT}",
            f"retry dnf config-manager --add-repo {PACKAGE_REPO}",
            f"retry dnf install -y tailscale-{router.tailscale_version}",
            "systemctl enable --now tailscaled",
            "umask 077",
            f"retry aws ssm get-parameter --region {region} --name {key_parameter} --with-decryption "
            f"--query Parameter.Value --output text > {key_file}",
            f"retry tailscale up {' '.join(up_flags(zone, key_file))}",
            f"rm -f {key_file}",
            "",
        ]
    )
