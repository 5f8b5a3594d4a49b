"""Reaching the API: the topology's api_access rules and preflight's check of this machine's address."""

from __future__ import annotations

import http.server
from collections.abc import Iterator
from typing import Any

import pytest

from inferadb.model.eks import ApiAccess
from preflight.api_access import api_access, lookup_egress_ip
from tests.loopback_http import serving
from tests.unit.test_topology import rejects


def test_someone_must_be_able_to_reach_the_api(raw: dict[str, Any]) -> None:
    raw["eks"]["api_access"] = {"public_cidrs": [], "private_cidrs": []}
    rejects(raw, "eks.api_access", "no one can reach the API")


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("public_cidrs", ["0.0.0.0/0"], "opens the API endpoint to the internet"),
        ("public_cidrs", ["not-a-cidr"], "eks.api_access.public_cidrs"),
        ("private_cidrs", ["8.8.8.0/24"], "is not a private network range"),
    ],
)
def test_bad_api_access_is_rejected_with_its_field(
    raw: dict[str, Any], field: str, value: list[str], fragment: str
) -> None:
    raw["eks"]["api_access"][field] = value
    rejects(raw, "eks.api_access", fragment)


def test_the_old_field_says_where_it_moved(raw: dict[str, Any]) -> None:
    raw["eks"]["public_access_cidrs"] = ["198.18.0.0/24"]
    rejects(raw, "eks.public_access_cidrs moved: write eks.api_access.public_cidrs")


def access(public: list[str], private: list[str]) -> ApiAccess:
    return ApiAccess.model_validate({"public_cidrs": public, "private_cidrs": private})


@pytest.mark.parametrize(
    ("public", "private", "ip", "status", "fragment"),
    [
        (["203.0.113.0/24"], [], "203.0.113.9", "FAIL", "documentation range"),
        (["198.18.0.0/24"], [], None, "WARN", "egress address unknown"),
        (["198.18.0.0/24"], [], "198.18.0.7", "PASS", "is in eks.api_access.public_cidrs (198.18.0.0/24)"),
        (["198.18.0.0/24"], [], "198.19.5.5", "FAIL", "add 198.19.5.5/32"),
        (["198.18.0.0/24"], ["10.99.0.0/16"], "198.19.5.5", "WARN", "private_cidrs (10.99.0.0/16)"),
    ],
)
def test_preflight_says_whether_this_machine_reaches_the_api(
    public: list[str], private: list[str], ip: str | None, status: str, fragment: str
) -> None:
    (result,) = api_access(access(public, private), ip)
    assert result.status == status
    assert fragment in result.message


@pytest.fixture
def echo() -> Iterator[str]:
    """A loopback stand-in for checkip.amazonaws.com: the address and a newline, as the real one answers."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"198.18.0.7\n")

        def log_message(self, *_: Any) -> None:
            pass

    with serving(Handler) as port:
        yield f"http://127.0.0.1:{port}/"


def test_the_egress_lookup_reads_the_echo_service(echo: str) -> None:
    assert lookup_egress_ip(2.0, echo) == "198.18.0.7"


def test_the_egress_lookup_refuses_plain_http_elsewhere() -> None:
    with pytest.raises(ValueError, match="refusing"):
        lookup_egress_ip(2.0, "http://example.com/")
