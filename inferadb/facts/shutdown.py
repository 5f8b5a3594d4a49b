"""How long a Ledger pod needs to stop cleanly.

inferadb/ledger 53c2112, `crates/types/src/config/resilience.rs`: after SIGTERM Ledger waits
`pre_stop_delay_secs` (5) for endpoint removal, `grace_period_secs` (15) for load balancers,
`drain_timeout_secs` (30) for in-flight requests, then `pre_shutdown_timeout_secs` (60) for
snapshots and the Raft shutdown: 110 s in the worst case, none of it configurable from outside.
"""

LEDGER_SHUTDOWN_SECONDS = 5 + 15 + 30 + 60
PRE_STOP_SECONDS = 5
"""A preStop sleep, so the pod has left every Service before Ledger sees SIGTERM."""
LEDGER_GRACE_SECONDS = 130
"""terminationGracePeriodSeconds: the preStop sleep, the 110 s of shutdown phases, and a margin."""
