"""The ports InferaDB listens on: one definition for the program, the tailnet policy and the rules."""

LEDGER_PORT = 50051  # Ledger gRPC (Raft peers and clients)
LEDGER_METRICS_PORT = 9090
ENGINE_PORTS = {"http": 8080, "grpc": 8081, "mesh": 8082}
CONTROL_PORT = 9090
