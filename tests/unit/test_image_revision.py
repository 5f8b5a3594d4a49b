"""Preflight reads a declared build's revision label from a loopback registry that speaks the OCI
distribution protocol: a bearer challenge, an index, a manifest, a config blob behind a redirect to
storage that refuses the registry's token."""

from __future__ import annotations

import http.server
import json
from collections.abc import Iterator
from typing import Any

import pytest

from preflight.image_revision import revision_check
from tests.loopback_http import served_port, serving

TOKEN = "anonymous-pull-token"
LABELS = {
    "built": {"org.opencontainers.image.revision": "0123abcd4567ef890123abcd4567ef8901234567"},
    "unlabelled": {},
}


@pytest.fixture
def registry() -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def _json(self, document: dict[str, Any]) -> None:
            body = json.dumps(document).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path.startswith("/token"):
                self._json({"token": TOKEN})
            elif self.path.startswith("/storage/"):
                # Storage behind the redirect refuses a second credential, as S3 does.
                if self.headers.get("Authorization"):
                    self.send_response(400)
                    self.end_headers()
                    return
                self._json({"config": {"Labels": LABELS[self.path.rsplit("/", 1)[1]]}})
            elif self.headers.get("Authorization") != f"Bearer {TOKEN}":
                realm = f"http://127.0.0.1:{served_port(self)}/token"
                self.send_response(401)
                self.send_header("WWW-Authenticate", f'Bearer realm="{realm}",service="test",scope="pull"')
                self.end_headers()
            elif self.path.endswith("/manifests/sha256:amd64"):
                repository = self.path.split("/")[3]
                self._json({"config": {"digest": f"sha256:{repository}"}})
            elif "/manifests/" in self.path:  # a tag: an index of two platforms
                arm, amd = ({"architecture": a, "os": "linux"} for a in ("arm64", "amd64"))
                self._json(
                    {
                        "manifests": [
                            {"digest": "sha256:arm64", "platform": arm},
                            {"digest": "sha256:amd64", "platform": amd},
                        ]
                    }
                )
            elif "/blobs/" in self.path:
                label_set = self.path.rsplit(":", 1)[1]
                self.send_response(307)
                self.send_header("Location", f"http://127.0.0.1:{served_port(self)}/storage/{label_set}")
                self.end_headers()
            else:
                self.send_response(404)
                self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    with serving(Handler) as port:
        yield f"localhost:{port}"


def test_a_matching_label_passes(registry: str) -> None:
    result = revision_check(f"{registry}/inferadb/built:nightly-x", "0123abcd", "images.declared.0.commit", 2.0, "http")
    assert result.status == "PASS", result.message
    assert "built from 0123abcd4567ef890123abcd4567ef8901234567" in result.message


def test_another_commit_fails_naming_the_field(registry: str) -> None:
    result = revision_check(f"{registry}/inferadb/built:nightly-x", "fedcba98", "images.declared.0.commit", 2.0, "http")
    assert result.status == "FAIL"
    assert "not fedcba98: correct images.declared.0.commit" in result.message


def test_no_label_or_no_registry_is_a_warning(registry: str) -> None:
    unlabelled = revision_check(
        f"{registry}/inferadb/unlabelled:x", "0123abcd", "images.declared.0.commit", 2.0, "http"
    )
    assert unlabelled.status == "WARN"
    assert "carries no org.opencontainers.image.revision label" in unlabelled.message
    gone = revision_check("127.0.0.1:9/inferadb/built:x", "0123abcd", "images.declared.0.commit", 1.0, "http")
    assert gone.status == "WARN"
