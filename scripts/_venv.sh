# shellcheck shell=bash
# Creates or reuses the repository's virtualenv (.venv) and installs the project into it.
#
# Sourced by scripts/test, scripts/demo and scripts/lint; defines functions only.
# The install runs again only when pyproject.toml (or the extras asked for, or the
# interpreter) changed since the last successful install: a stamp file in .venv
# records the hash of what was installed, so repeated runs start in a second.

cb_repo_root() {
    cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd
}

cb_say() {
    printf '==> %s\n' "$*" >&2
}

cb_die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# The interpreter that builds the venv: $CREDITBRIDGE_PYTHON, else python3.11, else
# python3 when it is 3.11 or newer.
cb_find_python() {
    local candidate
    for candidate in "${CREDITBRIDGE_PYTHON:-}" python3.11 python3; do
        [[ -n "$candidate" ]] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    cb_die "Python 3.11 or newer is needed (set CREDITBRIDGE_PYTHON to its path)."
}

# A venv is usable when its interpreter runs, is 3.11+, and pip imports.
cb_venv_usable() {
    local venv="$1"
    [[ -x "$venv/bin/python" ]] || return 1
    "$venv/bin/python" -c 'import sys, pip; sys.exit(sys.version_info < (3, 11))' \
        >/dev/null 2>&1
}

# What an install depends on: pyproject.toml, the interpreter and the checkout's path
# (an editable install points at it). The extras are in the stamp's file name.
cb_install_hash() {
    local root="$1" venv="$2"
    {
        cat "$root/pyproject.toml"
        "$venv/bin/python" -c 'import sys; print(sys.version)'
        printf 'root=%s\n' "$root"
    } | sha256sum | cut -d' ' -f1
}

# cb_stamp_matches VENV EXTRAS HASH: a dev install also satisfies a plain one.
cb_stamp_matches() {
    local venv="$1" extras="$2" want="$3" stamp
    for stamp in "$venv/.creditbridge-installed-${extras:-base}" \
        "$venv/.creditbridge-installed-dev"; do
        [[ -f "$stamp" ]] || continue
        [[ "$(cat "$stamp")" == "$want" ]] && return 0
    done
    return 1
}

# cb_install_project ROOT VENV EXTRAS: pip install -e, unless the stamp says it is done.
cb_install_project() {
    local root="$1" venv="$2" extras="$3" want spec="."
    want="$(cb_install_hash "$root" "$venv")"
    if cb_stamp_matches "$venv" "$extras" "$want"; then
        cb_say "virtualenv up to date ($venv)"
        return 0
    fi
    [[ -n "$extras" ]] && spec=".[$extras]"
    cb_say "installing the project into $venv: pip install -e \"$spec\""
    (cd "$root" && PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/python" -m pip install \
        --quiet --progress-bar off -e "$spec") \
        || cb_die "pip install -e \"$spec\" failed (see the messages above)."
    printf '%s\n' "$want" >"$venv/.creditbridge-installed-${extras:-base}"
}

# cb_ensure_venv [EXTRAS]: make .venv ready with `pip install -e ".[EXTRAS]"`, then put
# it first on PATH and export VIRTUAL_ENV. EXTRAS is "dev" or empty.
cb_ensure_venv() {
    local extras="${1:-}" root venv python lock_fd=""
    root="$(cb_repo_root)"
    venv="$root/.venv"
    if ! cb_venv_usable "$venv"; then
        python="$(cb_find_python)"
        cb_say "creating virtualenv $venv with $python"
        rm -rf "$venv"
        "$python" -m venv "$venv"
    fi
    # Parallel runs in one checkout take turns: one installs, the others then find
    # the stamp up to date.
    if command -v flock >/dev/null; then
        exec {lock_fd}>"$venv/.creditbridge-install.lock"
        flock "$lock_fd"
    fi
    cb_install_project "$root" "$venv" "$extras"
    if [[ -n "${lock_fd:-}" ]]; then
        exec {lock_fd}>&-
    fi
    export VIRTUAL_ENV="$venv"
    export PATH="$venv/bin:$PATH"
}
