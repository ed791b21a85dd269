# shellcheck shell=bash
# Runs named check steps, records how each ended, and prints the closing summary.
#
# Sourced by scripts/test and scripts/lint after scripts/_venv.sh (the venv must be on
# PATH). A failing step does not stop the others: the summary lists every result and
# cb_summary returns non-zero when any step failed.

CB_STEP_LINES=()
CB_STEP_FAILURES=0

cb_record() {
    CB_STEP_LINES+=("$(printf '  %-12s %-28s %s' "$1" "$2" "$3")")
}

# cb_step NAME COMMAND...: run COMMAND from the repository root, timed.
cb_step() {
    local name="$1" started rc=0
    shift
    printf '\n==> %s: %s\n' "$name" "$*" >&2
    started=$SECONDS
    (cd "$(cb_repo_root)" && "$@") || rc=$?
    if [[ $rc -eq 0 ]]; then
        cb_record "$name" "ok" "$((SECONDS - started))s"
    else
        cb_record "$name" "FAILED (exit $rc)" "$((SECONDS - started))s"
        CB_STEP_FAILURES=$((CB_STEP_FAILURES + 1))
    fi
}

cb_skip() {
    printf '\n==> %s: skipped (%s)\n' "$1" "$2" >&2
    cb_record "$1" "skipped" "$2"
}

cb_has_protos() {
    [[ -n "$(find "$(cb_repo_root)/proto" -name '*.proto' -print -quit 2>/dev/null)" ]]
}

# The static checks every change must pass: ruff (lint and format), mypy (config in pyproject.toml)
# and buf lint on the contract.
cb_lint_steps() {
    cb_step ruff ruff check .
    cb_step ruff-format ruff format --check .
    cb_step mypy mypy
    if cb_has_protos; then
        cb_step buf-lint buf lint proto
    else
        cb_skip buf-lint "no .proto files under proto/"
    fi
}

# cb_summary TITLE: print every step's result; fail when any step failed.
cb_summary() {
    local line
    printf '\n%s summary\n' "$1"
    for line in "${CB_STEP_LINES[@]}"; do
        printf '%s\n' "$line"
    done
    if [[ $CB_STEP_FAILURES -gt 0 ]]; then
        printf '%s: %d step(s) FAILED\n' "$1" "$CB_STEP_FAILURES"
        return 1
    fi
    printf '%s: all steps passed\n' "$1"
}
