"""Packet sizes on the cross-region paths, and what keeps large Raft messages moving on them.

- Tailscale's tunnel MTU is 1280: `safeTUNMTU`, which `DefaultTUNMTU` returns without debug knobs
  (tailscale/tailscale `net/tstun/mtu.go`:79 and 133-150 at v1.84.3, 7648989); only its container
  image clamps TCP MSS, so a subnet router on an instance must clamp it itself.
- EC2 instances use 9001-byte jumbo frames inside a VPC; inter-Region VPC peering carries at most
  8500 (EC2 user guide, "Network maximum transmission unit (MTU) for your EC2 instance"). Path MTU
  discovery then needs ICMP type 3 code 4 ("fragmentation needed") to reach the sender, which a
  security group drops unless a rule admits it (same page, "Path MTU Discovery").
"""

from __future__ import annotations

TAILSCALE_TUNNEL_MTU = 1280
TUNNEL_TCP_MSS = TAILSCALE_TUNNEL_MTU - 20 - 20  # IPv4 and TCP headers without options
PEERING_MTU = 8500
INSTANCE_MTU = 9001
ICMP_DESTINATION_UNREACHABLE = 3
ICMP_FRAGMENTATION_NEEDED = 4
