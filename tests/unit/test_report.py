"""What the printed plan counts as a JOIN seed Ledger keeps: an IP:port literal, nothing else."""

from __future__ import annotations

from synth.report import _is_socket_address


def test_only_ip_literals_count_as_seeds_ledger_keeps() -> None:
    assert _is_socket_address("10.10.31.244:50051")
    assert _is_socket_address("[fd00::1]:50051")
    assert not _is_socket_address("ledger-us-west-1-0:50051")
    assert not _is_socket_address("10.10.31.244")
