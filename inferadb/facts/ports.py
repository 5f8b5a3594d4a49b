"""The ports InferaDB listens on: one definition for the program, the tailnet policy and the rules."""

LEDGER_PORT = 50051  # Ledger gRPC (Raft peers and clients)
LEDGER_METRICS_PORT = 9090
ENGINE_HTTP_PORT = 8080  # the only listener Engine binds (inferadb/engine 08868a5, crates/engine/src/main.rs)
CONTROL_PORT = 9090
