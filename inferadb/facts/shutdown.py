"""How long a Ledger pod needs to stop cleanly.

inferadb/ledger 53c2112: after SIGTERM a leader first transfers leadership (up to 10 s), then Ledger
waits `pre_stop_delay_secs` (5) for endpoint removal, `grace_period_secs` (15) for load balancers,
`drain_timeout_secs` (30) for in-flight requests, then `pre_shutdown_timeout_secs` (60) for
snapshots and the Raft shutdown (`crates/types/src/config/resilience.rs`): 120 s in the worst case,
none of it configurable from outside.
"""

LEADER_TRANSFER_SECONDS = 10
LEDGER_SHUTDOWN_SECONDS = LEADER_TRANSFER_SECONDS + 5 + 15 + 30 + 60
PRE_STOP_SECONDS = 5
"""A preStop sleep, so the pod has left every Service before Ledger sees SIGTERM."""
SHUTDOWN_MARGIN_SECONDS = 25
LEDGER_GRACE_SECONDS = PRE_STOP_SECONDS + LEDGER_SHUTDOWN_SECONDS + SHUTDOWN_MARGIN_SECONDS
"""terminationGracePeriodSeconds (150): the preStop sleep, the 120 s worst case, and 25 s to spare
(the earlier 130 left 5 s)."""
