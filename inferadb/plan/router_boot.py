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
IMDS = "http://169.254.169.254/latest"  # IMDSv2: a token first (the instance requires it)
READY_ATTEMPTS = 60
READY_INTERVAL_SECONDS = 10
"""How long the deploy waits for a router's boot report: 60 x 10 s = 10 min (a boot installs two
packages and joins the tailnet, a few minutes at most)."""


def status_prefix(region: str) -> str:
    """The SSM path under which a region's routers report their boots (their IAM grant's scope)."""
    return f"/inferadb/{region}/router-status/"


def status_parameter(region: str, zone: ZoneRouter) -> str:
    """Where a router reports a finished boot: `<instance id> <tailnet IPv4>`."""
    return status_prefix(region) + zone.hostname


def wait_for_report(region: str, zone: ZoneRouter, instance_id: str) -> str:
    """What the deploy runs (locally, with its own AWS credentials) before it points the zone's route
    at this router and moves on to the next zone's: until this instance has reported its boot."""
    name = status_parameter(region, zone)
    return "\n".join(
        [
            "set -u",
            f"for attempt in $(seq 1 {READY_ATTEMPTS}); do",
            f"  value=$(aws ssm get-parameter --region {region} --name {name} --query Parameter.Value "
            "--output text 2>/dev/null || true)",
            f'  case "$value" in "{instance_id} "*) echo "{zone.hostname}: $value"; exit 0;; esac',
            f"  sleep {READY_INTERVAL_SECONDS}",
            "done",
            f'echo "{zone.hostname} ({instance_id}) did not report a finished boot in {name} within '
            f'{READY_ATTEMPTS * READY_INTERVAL_SECONDS} s: see its console output (EC2, Get system log)" >&2',
            "exit 1",
        ]
    )


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
            "# Report the finished boot where the deploy waits for it (and verify reads it).",
            # `tailscale ip -4` prints this node's tailnet IPv4 address(es), one per line
            # (tailscale/tailscale@50129d4dfbbd5bfbd0428b87a35c48ba9a63fb32, v1.84.3,
            # cmd/tailscale/cli/ip.go: the -4 flag and runIP's outln loop).
            f'token=$(curl -sS -X PUT {IMDS}/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60")',
            f'instance=$(curl -sS -H "X-aws-ec2-metadata-token: $token" {IMDS}/meta-data/instance-id)',
            f"retry aws ssm put-parameter --region {region} --name {status_parameter(region, zone)} --type String "
            '--overwrite --value "$instance $(tailscale ip -4)"',
            "",
        ]
    )
