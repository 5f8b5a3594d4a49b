"""The ports InferaDB listens on: one definition for the program, the tailnet policy and the rules."""

LEDGER_PORT = 50051  # Ledger gRPC (Raft peers and clients)
LEDGER_METRICS_PORT = 9090
ENGINE_HTTP_PORT = 8080  # the only listener Engine binds (inferadb/engine 08868a5, crates/engine/src/main.rs)
CONTROL_PORT = 9090
CONTROL_NODE_PORT = 30990  # Control's NodePort, what a client-access load balancer forwards to
HTTPS_PORT = 443
# Ledger ordinal n's NodePort (31051 + n): what its load balancer's target group forwards to. Fixed,
# inside Kubernetes' default NodePort range (30000-32767), so the security groups name exact ports.
LEDGER_NODE_PORT_BASE = 31051
