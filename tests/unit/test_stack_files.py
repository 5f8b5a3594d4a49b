"""Stack files and the topology describe the same regions; stack files hold no plain secrets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from inferadb.model.topology import load_topology
from inferadb.stack.files import StackConfigError, load_stack_config

ROOT = Path(__file__).resolve().parents[2]

STACK_FILES = sorted(ROOT.glob("Pulumi.*.yaml"))

SECRET_LIKE = re.compile(r"(token|secret|password|authkey|apikey|oauth)", re.IGNORECASE)


def test_every_stack_file_has_a_region_and_every_region_a_stack_file() -> None:
    regions = set(load_topology(ROOT / "topology.yaml").regions)
    stacks = {p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in STACK_FILES}
    assert stacks == regions


@pytest.mark.parametrize("path", STACK_FILES, ids=lambda p: p.name)
def test_stack_file_names_its_own_region(path: Path) -> None:
    stack = path.name.removeprefix("Pulumi.").removesuffix(".yaml")
    config, _ = load_stack_config(ROOT, "inferadb", stack, "<secret>")
    assert config["aws:region"] == stack


@pytest.mark.parametrize("path", STACK_FILES, ids=lambda p: p.name)
def test_secret_like_config_is_encrypted(path: Path) -> None:
    config = (yaml.safe_load(path.read_text()) or {}).get("config") or {}
    for key, value in config.items():
        if SECRET_LIKE.search(key):
            assert isinstance(value, dict), f"{path.name}: {key} must be secure:"
            assert set(value) == {"secure"}, f"{path.name}: {key} must be secure:"


def test_secure_values_become_secret_placeholders(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.us-west-1.yaml").write_text(
        "config:\n  aws:region: us-west-1\n  tailscale:apiKey:\n    secure: v1:AAAA\n  topology: other.yaml\n"
    )
    config, secret_keys = load_stack_config(tmp_path, "inferadb", "us-west-1", "<secret>")
    assert config["tailscale:apiKey"] == "<secret>"
    assert secret_keys == ["tailscale:apiKey"]
    assert config["inferadb:topology"] == "other.yaml"  # project keys are namespaced by the project


def test_stack_file_region_mismatch_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.eu-central-1.yaml").write_text("config:\n  aws:region: us-west-1\n")
    with pytest.raises(StackConfigError, match=r"Pulumi.eu-central-1.yaml: aws:region is 'us-west-1'"):
        load_stack_config(tmp_path, "inferadb", "eu-central-1", "<secret>")


def test_region_without_stack_file_gets_its_region(tmp_path: Path) -> None:
    assert load_stack_config(tmp_path, "inferadb", "us-east-2", "<secret>") == ({"aws:region": "us-east-2"}, [])


def test_a_misspelt_setting_is_an_error_that_suggests_the_right_one(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.us-west-1.yaml").write_text("config:\n  aws:region: us-west-1\n  inferadb:topolgy: x.yaml\n")
    with pytest.raises(
        StackConfigError, match=r"`inferadb:topolgy` is not a setting.*did you mean `inferadb:topology`"
    ):
        load_stack_config(tmp_path, "inferadb", "us-west-1", "<secret>")


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("- config\n", "must be a mapping"),
        ("config:\n  aws:region: us-west-1\n  aws:region: us-west-1\n", "appears twice"),
        ("config:\n  ~: x\n", "is not a string"),
        ("config: [1, 2]\n", "`config` must be a mapping"),
    ],
)
def test_a_malformed_stack_file_is_a_config_error(tmp_path: Path, content: str, why: str) -> None:
    (tmp_path / "Pulumi.us-west-1.yaml").write_text(content)
    with pytest.raises(StackConfigError, match=why):
        load_stack_config(tmp_path, "inferadb", "us-west-1", "<secret>")
