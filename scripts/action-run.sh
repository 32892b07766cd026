#!/usr/bin/env bash
# The shell step of action.yml: install hueylint into its own virtualenv, then run `hueylint check`.
#
# Inputs come from environment variables, so this runs the same way locally:
#
#   INPUT_PATHS="deploy app" INPUT_FORMAT=text INPUT_ARGS="--select HL1" scripts/action-run.sh
#
#   INPUT_PATHS    files or folders, split shell-style (default "."); an unbalanced quote fails the step
#   INPUT_FORMAT   github | sarif | text | concise | json | gitlab (default github)
#   INPUT_ARGS     extra `hueylint check` arguments, split shell-style (quotes work, nothing is evaluated)
#   INPUT_VERSION  a PyPI version (0.1.0, v0.1.0 or latest); empty installs the action's own checkout
#   INPUT_OUTPUT   report file (default hueylint.sarif for sarif, else stdout)
#   HUEYLINT_VENV  virtualenv to install into (default $RUNNER_TEMP/hueylint-venv); an existing one is reused
#   HUEYLINT_BASE_PYTHON  interpreter that creates the virtualenv (default python3)
#
# A virtualenv keeps the runner's Python untouched and avoids "externally managed environment" refusals.
# No code of the checked-out repository ever runs: see the comment above the virtualenv creation.
# The exit code is hueylint's; it is also written to $GITHUB_OUTPUT as exit-code (with sarif-file).
set -euo pipefail

action_path="${GITHUB_ACTION_PATH:-$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)}"
venv="${HUEYLINT_VENV:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/hueylint-venv}"
python="$venv/bin/python"
hueylint="$venv/bin/hueylint"
if [ ! -x "$python" ] && [ -x "$venv/Scripts/python.exe" ]; then
  python="$venv/Scripts/python.exe" hueylint="$venv/Scripts/hueylint.exe"
fi

# The working directory is the checked-out repository, which may come from an untrusted pull request:
# `python -m X` would put it first on sys.path, so its own `venv/`, `pip/`, `re.py` or `hueylint/` would run
# instead of ours. Every interpreter here runs isolated (-I: no current folder, no PYTHON* variables, no user
# site), and hueylint runs as the virtualenv's console script, whose sys.path starts at the venv's bin folder.
if [ ! -x "$python" ]; then
  "${HUEYLINT_BASE_PYTHON:-python3}" -I -m venv "$venv"
  if [ ! -x "$python" ]; then python="$venv/Scripts/python.exe" hueylint="$venv/Scripts/hueylint.exe"; fi
fi

# Split an input shell-style without eval: "a b" 'c d' stay one argument each, $(...) stays text. A
# malformed input (an unbalanced quote) fails the step with one line naming the input, never runs without it.
split_input() {  # NAME VALUE FILE: NUL-separated words of VALUE into FILE
  "$python" -I -c '
import shlex, sys
name, value, target = sys.argv[1:]
try:
    words = shlex.split(value)
except ValueError as exc:
    print(f"::error title=hueylint::input `{name}` is not valid shell-style words ({exc}): {value!r}")
    sys.exit(2)
with open(target, "w", encoding="utf-8", newline="") as out:
    out.write("".join(word + "\0" for word in words))
' "$1" "$2" "$3"
}
words="$(mktemp)"
trap 'rm -f "$words"' EXIT
paths=()
split_input paths "${INPUT_PATHS:-.}" "$words" || exit 2
while IFS= read -r -d '' word; do paths+=("$word"); done < "$words"
[ "${#paths[@]}" -gt 0 ] || paths=(.)
extra=()
split_input args "${INPUT_ARGS:-}" "$words" || exit 2
while IFS= read -r -d '' word; do extra+=("$word"); done < "$words"

version="${INPUT_VERSION:-}"
version="${version#v}"
if [ "$version" = latest ]; then
  spec="hueylint"
elif [ -n "$version" ]; then
  spec="hueylint==$version"
else
  spec="$action_path"
fi
echo "::group::Install hueylint ($spec)" >&2
"$python" -I -m pip install --disable-pip-version-check --quiet --upgrade "$spec" >&2
echo "::endgroup::" >&2

format="${INPUT_FORMAT:-github}"
output="${INPUT_OUTPUT:-}"
if [ "$format" = sarif ] && [ -z "$output" ]; then
  output="hueylint.sarif"
fi
command=("$hueylint" check --format "$format")
[ -z "$output" ] || command+=(--output "$output")
command+=(${extra[@]+"${extra[@]}"} -- "${paths[@]}")

# The command exactly as it runs, each word quoted as bash would need it.
printf '%q ' "${command[@]}" | sed 's/ $//' >&2
echo >&2
status=0
"${command[@]}" || status=$?

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$status"
    if [ "$format" = sarif ]; then echo "sarif-file=$output"; fi
  } >> "$GITHUB_OUTPUT"
fi
exit "$status"
