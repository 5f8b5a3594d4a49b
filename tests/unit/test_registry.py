"""Preflight's image check against a loopback server that speaks the registry token protocol."""

from __future__ import annotations

import http.server
import json
from collections.abc import Iterator
from typing import Any

import pytest

from inferadb.model.images import Images
from preflight.registry import image_exists, pinned_images, split_reference
from tests.loopback_http import served_port, serving

TOKEN = "anonymous-pull-token"


@pytest.fixture
def registry() -> Iterator[str]:
    """`localhost:<port>`: 401 with a bearer challenge without the token, then 200 for `inferadb/ledger:good`
    and 404 for anything else; the token endpoint hands out TOKEN for the challenge's scope."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                realm = f"http://127.0.0.1:{served_port(self)}/token"
                self.send_response(401)
                self.send_header("WWW-Authenticate", f'Bearer realm="{realm}",service="test",scope="pull"')
                self.end_headers()
                return
            self.send_response(200 if self.path == "/v2/inferadb/ledger/manifests/good" else 404)
            self.end_headers()

        def do_GET(self) -> None:
            assert self.path == "/token?service=test&scope=pull"
            body = json.dumps({"token": TOKEN}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    with serving(Handler) as port:
        yield f"localhost:{port}"


def test_a_published_tag_passes_after_the_token_dance(registry: str) -> None:
    result = image_exists(f"{registry}/inferadb/ledger:good", 2.0, scheme="http")
    assert (result.status, result.message) == ("PASS", f"{registry}/inferadb/ledger:good exists")


def test_a_tag_that_was_never_published_fails(registry: str) -> None:
    result = image_exists(f"{registry}/inferadb/ledger:0.1.1", 2.0, scheme="http")
    assert result.status == "FAIL"
    assert "does not exist" in result.message


def test_an_unreachable_registry_is_a_warning_with_the_reason(unused_port: int) -> None:
    result = image_exists(f"localhost:{unused_port}/inferadb/ledger:good", 1.0, scheme="http")
    assert result.status == "WARN"
    assert "could not reach" in result.message


@pytest.fixture
def unused_port() -> int:
    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    port = int(server.server_address[1])
    server.server_close()
    return port


@pytest.mark.parametrize(
    ("reference", "parts"),
    [
        ("ghcr.io/inferadb/ledger:nightly-20260421", ("ghcr.io", "inferadb/ledger", "nightly-20260421")),
        (
            "registry.k8s.io/sig-storage/local-volume-provisioner:v2.7.0",
            ("registry.k8s.io", "sig-storage/local-volume-provisioner", "v2.7.0"),
        ),
        ("alpine:3.20", ("registry-1.docker.io", "library/alpine", "3.20")),
        ("localhost:5000/a/b@sha256:" + "a" * 64, ("localhost:5000", "a/b", "sha256:" + "a" * 64)),
    ],
)
def test_references_split_into_host_repository_and_version(reference: str, parts: tuple[str, str, str]) -> None:
    assert split_reference(reference) == parts


def test_only_the_images_a_deploy_pulls_are_checked() -> None:
    images = {name: f"r/{name}:1" for name in Images.model_fields}
    assert pinned_images(images) == sorted(f"r/{name}:1" for name in Images.model_fields)
