"""Lays out the demo consortium under a work directory: keys, member files and configs."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from creditbridge.keys.consortium import init_consortium
from creditbridge.population import MemberLayout, MemberSpec, PopulationConfig, write_population

REPO_MAPPINGS = Path(__file__).resolve().parents[3] / "node" / "mappings"
MEMBERS = (
    ("bank-a", MemberLayout.BANK, "a bank"),
    ("lender-b", MemberLayout.LENDER, "an online lender"),
    ("cfc-c", MemberLayout.LENDER, "a consumer-finance company"),
)
REGULATOR = "regulator"
_PURPOSES = ["loan_approval", "card_approval", "account_review", "guarantor_check", "self_inquiry"]
# Terms of membership the exchange enforces (purposes, and what each furnishes: reciprocity).
MEMBER_TERMS = {
    "bank-a": {"purposes": _PURPOSES, "furnishes": "full"},
    "lender-b": {"purposes": _PURPOSES, "furnishes": "full"},
    "cfc-c": {"purposes": ["loan_approval", "account_review"], "furnishes": "full"},
}
_FILES = {MemberLayout.BANK: ("accounts.csv", ","), MemberLayout.LENDER: ("loans.csv", "|")}
_ID_COLUMNS = {MemberLayout.BANK: "id_number", MemberLayout.LENDER: "cert_no"}


@dataclass(frozen=True, slots=True)
class MemberSetup:
    member_id: str
    description: str
    records_file: Path
    mapping: Path
    node_config: Path


@dataclass(frozen=True, slots=True)
class DemoConsortium:
    workdir: Path
    keys_dir: Path
    members: tuple[MemberSetup, ...]
    exchange_db: Path


def lay_out(workdir: Path, *, subjects: int, seed: int, as_of: date) -> DemoConsortium:
    workdir.mkdir(parents=True, exist_ok=True)
    keys_dir = workdir / "keys"
    if not (keys_dir / "consortium.json").exists():
        init_consortium(keys_dir, member_ids=[m for m, _, _ in MEMBERS], regulator_ids=[REGULATOR])
    population = workdir / "population"
    config = PopulationConfig(
        subjects=subjects,
        seed=seed,
        members=tuple(MemberSpec(m, layout) for m, layout, _ in MEMBERS),
        as_of=as_of,
    )
    write_population(config, population)
    members = []
    for member_id, layout, description in MEMBERS:
        node_config = workdir / "nodes" / f"{member_id}.toml"
        node_config.parent.mkdir(exist_ok=True)
        node_config.write_text(
            f'[node]\nmember_id = "{member_id}"\nkeys_dir = "{keys_dir}"\nlisten_address = "127.0.0.1:0"\n'
            f'[exchange]\ntarget = "localhost:0"\n'
            f'[outbox]\npath = "{workdir / "nodes" / member_id}-outbox.db"\n'
        )
        members.append(
            MemberSetup(
                member_id,
                description,
                population / member_id / _FILES[layout][0],
                REPO_MAPPINGS / f"{layout.value}.toml",
                node_config,
            )
        )
    return DemoConsortium(workdir, keys_dir, tuple(members), workdir / "exchange.db")


def point_nodes_at(consortium: DemoConsortium, port: int) -> None:
    """The exchange bound a free port; every node's config learns it."""
    for member in consortium.members:
        text = member.node_config.read_text()
        member.node_config.write_text(text.replace('target = "localhost:0"', f'target = "localhost:{port}"'))


def subject_known_to_several(consortium: DemoConsortium) -> str:
    """The resident ID of a person with accounts at the most members (the point of the demo)."""
    seen: Counter[str] = Counter()
    for (_member, layout, _), setup in zip(MEMBERS, consortium.members, strict=True):
        _name, delimiter = _FILES[layout]
        with setup.records_file.open(newline="") as handle:
            seen.update({row[_ID_COLUMNS[layout]] for row in csv.DictReader(handle, delimiter=delimiter)})
    return seen.most_common(1)[0][0]
