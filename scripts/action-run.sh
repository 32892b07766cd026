#!/usr/bin/env bash
# The shell step of action.yml: install hueylint into its own virtualenv, then run `hueylint check`.
#
# Inputs come from environment variables, so this runs the same way locally:
#
#   INPUT_PATHS="deploy app" INPUT_FORMAT=text INPUT_ARGS="--select HL1" scripts/action-run.sh
#
#   INPUT_PATHS    files or folders, split shell-style (default ".")
#   INPUT_FORMAT   github | sarif | text | json (default github)
#   INPUT_ARGS     extra `hueylint check` arguments, split shell-style (quotes work, nothing is evaluated)
#   INPUT_VERSION  a PyPI version (0.1.0, v0.1.0 or latest); empty installs the action's own checkout
#   INPUT_OUTPUT   report file (default hueylint.sarif for sarif, else stdout)
#   HUEYLINT_VENV  virtualenv to install into (default $RUNNER_TEMP/hueylint-venv); an existing one is reused
#   HUEYLINT_BASE_PYTHON  interpreter that creates the virtualenv (default python3)
#
# A virtualenv keeps the runner's Python untouched and avoids "externally managed environment" refusals.
# The exit code is hueylint's; it is also written to $GITHUB_OUTPUT as exit-code (with sarif-file).
set -euo pipefail

action_path="${GITHUB_ACTION_PATH:-$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)}"
venv="${HUEYLINT_VENV:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/hueylint-venv}"
python="$venv/bin/python"
[ -x "$python" ] || [ ! -x "$venv/Scripts/python.exe" ] || python="$venv/Scripts/python.exe"

if [ ! -x "$python" ]; then
  "${HUEYLINT_BASE_PYTHON:-python3}" -m venv "$venv"
  [ -x "$python" ] || python="$venv/Scripts/python.exe"
fi

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
"$python" -m pip install --disable-pip-version-check --quiet --upgrade "$spec" >&2
echo "::endgroup::" >&2

# Split shell-style without eval: "a b" 'c d' stay one argument each, $(...) stays text.
split() {
  "$python" -c 'import shlex, sys; sys.stdout.write("".join(w + "\0" for w in shlex.split(sys.argv[1])))' "$1"
}
paths=()
while IFS= read -r -d '' word; do paths+=("$word"); done < <(split "${INPUT_PATHS:-.}")
[ "${#paths[@]}" -gt 0 ] || paths=(.)
extra=()
while IFS= read -r -d '' word; do extra+=("$word"); done < <(split "${INPUT_ARGS:-}")

format="${INPUT_FORMAT:-github}"
output="${INPUT_OUTPUT:-}"
if [ "$format" = sarif ] && [ -z "$output" ]; then
  output="hueylint.sarif"
fi
command=("$python" -m hueylint check --format "$format")
[ -z "$output" ] || command+=(--output "$output")
command+=(${extra[@]+"${extra[@]}"} -- "${paths[@]}")

echo "hueylint check --format $format${output:+ --output $output}${INPUT_ARGS:+ $INPUT_ARGS} -- ${paths[*]}" >&2
status=0
"${command[@]}" || status=$?

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$status"
    if [ "$format" = sarif ]; then echo "sarif-file=$output"; fi
  } >> "$GITHUB_OUTPUT"
fi
exit "$status"
