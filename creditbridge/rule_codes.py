"""Every rule code outside the standard's record rules, in one catalogue.

The standard's rules (CB-FMT, CB-REC, CB-TL, CB-SJ, CB-PR, CB-ST, CB-PRV) judge records
and are listed in docs/standard.md. The codes here judge everything around a record:
the requests a member sends, the envelope a batch travels in, consents, disputes,
alert streams, the answers a client reads back, and the node's mapping of its own
files. An integrator sees them in `google.rpc.BadRequest` field violations, a node
operator in the rejection file. Codes are stable: a code is never reused for another
meaning. A test checks that every code the source uses is catalogued here or in the
standard, and that docs/rule-codes.md is this catalogue's rendering:

    python -m creditbridge.rule_codes > docs/rule-codes.md
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RuleCode:
    code: str
    checked_by: str  # who raises it: the exchange, the node, or a client reading an answer
    meaning: str


_EXCHANGE, _NODE, _CLIENT = "exchange", "node", "client"

RULE_CODES: tuple[RuleCode, ...] = (
    RuleCode("CB-REQ-001", _EXCHANGE, "a request's own identifiers are malformed: request_id of 1 to 64 "
             "characters, page_size not negative, page_token one this exchange gave"),
    RuleCode("CB-REQ-002", _EXCHANGE, "a furnishing batch holds 1 to max_batch_records records (5,000)"),
    RuleCode("CB-REQ-003", _EXCHANGE, "records are sealed to the exchange's current storage key epoch"),
    RuleCode("CB-REQ-004", _EXCHANGE, "a field the method needs is unset or UNSPECIFIED (subject, purpose)"),
    RuleCode("CB-FUR-001", _EXCHANGE, "a furnishing batch has a request_id"),
    RuleCode("CB-FUR-002", _EXCHANGE, "ephemeral_public_key is a 32-byte X25519 public key"),
    RuleCode("CB-FUR-003", _EXCHANGE, "storage_key_epoch starts at 1"),
    RuleCode("CB-FUR-004", _EXCHANGE, "a batch holds at most 5,000 records"),
    RuleCode("CB-FUR-005", _CLIENT, "the exchange's batch answer is incomplete or contradicts itself "
             "(outcome unset, counts that differ from the verdicts)"),
    RuleCode("CB-ENV-001", _EXCHANGE, "a sealed record or batch key cannot be opened with the storage key"),
    RuleCode("CB-ENV-002", _EXCHANGE, "the clear subject token differs from the one sealed in the record"),
    RuleCode("CB-ENV-003", _EXCHANGE, "the clear record token differs from the one sealed in the record"),
    RuleCode("CB-ENV-004", _EXCHANGE, "the clear record kind differs from the sealed record's kind"),
    RuleCode("CB-ENV-005", _EXCHANGE, "the opened payload is not a CreditRecord"),
    RuleCode("CB-CON-001", _EXCHANGE, "a consent's valid_from and valid_until are set and the window is "
             "neither empty nor inverted"),
    RuleCode("CB-CON-002", _EXCHANGE, "a consent's evidence_sha256 is a 32-byte SHA-256"),
    RuleCode("CB-CON-003", _EXCHANGE, "a consent covers at least one data category, none UNSPECIFIED"),
    RuleCode("CB-CON-004", _EXCHANGE, "a consent names its purpose"),
    RuleCode("CB-CON-005", _EXCHANGE, "a consent names its subject (a malformed token is CB-FMT-003)"),
    RuleCode("CB-CON-006", _EXCHANGE, "a consent's signing_key_epoch starts at 1"),
    RuleCode("CB-CON-007", _EXCHANGE, "a revocation on the subject's behalf names the subject"),
    RuleCode("CB-FRZ-001", _EXCHANGE, "a freeze request has a request_id of 1 to 64 characters and a "
             "32-byte SHA-256 of its evidence"),
    RuleCode("CB-DSP-001", _EXCHANGE, "a dispute names its subject (a malformed token is CB-FMT-003)"),
    RuleCode("CB-DSP-002", _EXCHANGE, "a dispute names what it disputes"),
    RuleCode("CB-DSP-003", _EXCHANGE, "a record dispute names the furnisher and the record; a score dispute "
             "names neither"),
    RuleCode("CB-DSP-004", _EXCHANGE, "a dispute's reason is 1 to 400 characters"),
    RuleCode("CB-DSP-005", _CLIENT, "the exchange's dispute lacks a field it always sends (opened_at, "
             "answer_due_on)"),
    RuleCode("CB-DSP-006", _EXCHANGE, "a record_ref is one this exchange gave in a report"),
    RuleCode("CB-DSP-007", _EXCHANGE, "a dispute answer is confirmed, corrected or deleted"),
    RuleCode("CB-DSP-008", _EXCHANGE, "a correction carries the disputed record, corrected; no other answer "
             "carries a record"),
    RuleCode("CB-DSP-009", _EXCHANGE, "the operator answers a score dispute confirmed or corrected, with an "
             "explanation of 1 to 400 characters and no record; no other answer carries an explanation"),
    RuleCode("CB-DSP-010", _EXCHANGE, "a subject's statement names an account or a score dispute, not both; "
             "it names a score dispute through AddStatement only, never in a furnished record"),
    RuleCode("CB-ALR-001", _CLIENT, "an alert lacks a field every alert has (kind, subject, occurred_at)"),
    RuleCode("CB-ALR-002", _EXCHANGE, "an alert stream's resume token is one this exchange gave"),
    RuleCode("CB-RPT-001", _CLIENT, "the report lacks a field the contract says it always carries"),
    RuleCode("CB-MAP-001", _NODE, "a date cell does not match the mapping's date pattern"),
    RuleCode("CB-MAP-002", _NODE, "a code cell is not in the mapping's translation table"),
    RuleCode("CB-MAP-003", _NODE, "an amount cell is not a number in the mapping's unit"),
    RuleCode("CB-MAP-004", _NODE, "an integer cell (term, age, birth year) is not a whole number"),
    RuleCode("CB-MAP-005", _NODE, "the subject identifier is missing or its type is not in the type map"),
    RuleCode("CB-MAP-006", _NODE, "the local reference (account number) is missing"),
    RuleCode("CB-MAP-007", _NODE, "a monthly-history cell or character cannot be read"),
    RuleCode("CB-MAP-008", _NODE, "the row does not have as many cells as the header"),
    RuleCode("CB-MAP-009", _NODE, "the mapped values cannot form a record (more than 60 history months)"),
    RuleCode("CB-ID-001", _NODE, "the resident identity number breaks GB 11643-1999 (form, check digit, "
             "birth date)"),
    RuleCode("CB-ID-002", _NODE, "another identifier type is not in its canonical form"),
    RuleCode("CB-ID-003", _NODE, "the local reference cannot be turned into an account token"),
)  # fmt: skip


def render() -> str:
    """docs/rule-codes.md."""
    lines = [
        "# Rule codes outside the record standard",
        "",
        "<!-- generated by `python -m creditbridge.rule_codes`; do not edit by hand -->",
        "",
        "The record standard's rules are in [standard.md](standard.md). These codes judge the",
        "requests, envelopes, consents, disputes and answers around records, and a node's",
        "mapping of its own files. An `INVALID_ARGUMENT` answer carries them in its",
        "`google.rpc.BadRequest` field violations (`reason`, and the start of `description`,",
        "next to the field path); a node writes them in its rejection file. A code is never",
        "reused for another meaning.",
        "",
        "| code | checked by | meaning |",
        "|---|---|---|",
    ]
    lines += [f"| {rule.code} | {rule.checked_by} | {rule.meaning} |" for rule in RULE_CODES]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
