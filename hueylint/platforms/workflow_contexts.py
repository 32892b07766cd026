"""The values a GitHub Actions job's expressions take, for reading its steps' inputs as the runner does.

A workflow that builds several images from one job writes the names and Dockerfiles once, as expressions
the runner fills in for each job run: ``file: ${{ matrix.dockerfile }}``,
``images: ${{ needs.setup.outputs.registry }}/${{ matrix.image_name }}``.  GitHub's documentation
("Using a matrix for your jobs", "Contexts") gives the rules modelled here:

- ``strategy.matrix``: one job run per combination of the axes' values (each axis a list; the
  combinations are the cartesian product), less the combinations an ``exclude`` entry matches (all its
  keys equal); then each ``include`` entry is added to every combination none of whose original axis
  values it would overwrite, and becomes a combination of its own when it can be added to none (a matrix
  of ``include`` only is one job run per entry);
- ``needs.<job>.outputs.<name>``: the ``outputs:`` value of a job this job lists in ``needs``, when that
  value is literal text;
- ``steps.<id>.outputs.<name>``: what a ``run:`` step of the job writes to ``$GITHUB_OUTPUT``
  (:func:`step_outputs`);
- ``env.<NAME>``: the workflow's, then the job's, then the step's ``env:`` (the innermost wins), when
  literal;
- ``github.repository``, ``github.repository_owner``, ``github.event.repository.name``: the repository's
  identity, which a clone does not know: a marker (:mod:`hueylint.platforms.repository_images`), also inside
  an ``env:`` or ``outputs:`` value (``IMAGE_NAME: ${{ github.repository }}``);
- ``inputs.<name>`` of a reusable workflow (``on: workflow_call``, "Reusing workflows"): one set of values
  per job that calls it (``uses: ./.github/workflows/build.yml`` with ``with:``, that caller's own
  expressions filled in for each of its runs, so a caller's matrix gives one call per combination), the
  input's ``default`` for an input a call does not give; the defaults alone when no workflow of the
  repository calls it.

Only these plain property references are filled in (``${{ matrix.name }}``); any other expression, a
matrix or an output that is itself an expression (``${{ fromJSON(...) }}``), and a name not set stay as
written, so the caller keeps treating them as unknown.  Nothing runs.
"""

from __future__ import annotations

import itertools
import math
import re

from hueylint.platforms.repository_images import EXPRESSIONS, spelled
from hueylint.regexes import lazy_pattern

#: "A matrix will generate a maximum of 256 jobs per workflow run" (GitHub's "Running variations of jobs in a
#: workflow"): a workflow whose matrix gives more is refused, none of its jobs runs
MAX_MATRIX_JOBS = 256
#: the work a matrix's combinations may cost to build (axes' product times its ``include``/``exclude``
#: entries, each compared with each combination) before it is taken as one no run accepts: a matrix within
#: GitHub's limit costs a few thousand (``exclude`` may take a larger product down to 256 jobs), a hostile one
#: of ten axes of ten values was built whole (ten billion combinations: the run was killed for its memory)
_MATRIX_WORK = 64 * 1024

_EXPRESSION = lazy_pattern(r"\$\{\{\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)\s*\}\}")

JobContext = dict[str, str]
"""``{"matrix.image_name": "acme/api", "needs.setup.outputs.registry": "ghcr.io", "env.TAG": "1"}``."""


def job_contexts(workflow: dict, job_id: str, calls: list[dict[str, str]] | None = None,
                 limit: int | None = None) -> list[JobContext] | None:
    """The expression values of each run of job ``job_id`` of ``workflow`` (the parsed YAML mapping): one
    context per matrix combination (a single one for a job without a matrix or whose matrix is not known,
    an expression: its ``matrix.*`` names then stay unfilled, unknown), for each of ``calls``, the inputs
    the jobs calling a reusable workflow give it (:func:`caller_inputs`; its defaults when None or empty).
    None when there are more than ``limit`` runs (each caller's run times the matrix's jobs), told before they
    are made: the caller reads them as unknown."""
    jobs = workflow.get("jobs")
    if not isinstance(jobs, dict) or not isinstance(jobs.get(job_id), dict):
        return []
    job = jobs[job_id]
    shared: JobContext = {**_needed_outputs(jobs, job), **step_outputs(job)}
    for scope in (workflow, job):  # (an `env:` value may be a step's output: `${{ steps.login.outputs.registry }}`)
        shared.update({f"env.{name}": value for name, value in _literals(scope.get("env"), shared).items()})
    defaults = input_defaults(workflow)
    runs = [{**shared, **{f"inputs.{name}": value for name, value in {**defaults, **call}.items()}}
            for call in calls or [{}]]
    strategy = job.get("strategy")
    matrix = strategy.get("matrix") if isinstance(strategy, dict) else None
    combinations = matrix_combinations(matrix) if matrix is not None else None
    if limit is not None and len(runs) * len(combinations or [{}]) > limit:
        return None
    if combinations is None:
        return runs
    keys = {key for combination in combinations for key in combination}
    # a key another combination has but this one lacks is null, printed as an empty string
    return [{**run, **{f"matrix.{key}": combination.get(key, "") for key in keys}}
            for run in runs for combination in combinations]


def input_defaults(workflow: dict) -> dict[str, str]:
    """The literal ``default`` of each input of a reusable workflow (``on.workflow_call.inputs``)."""
    trigger = workflow.get("on", workflow.get(True))  # YAML 1.1 readers take a bare `on` key for true
    call = trigger.get("workflow_call") if isinstance(trigger, dict) else None
    inputs = call.get("inputs") if isinstance(call, dict) else None
    return _literals({name: spec.get("default") for name, spec in inputs.items() if isinstance(spec, dict)}) \
        if isinstance(inputs, dict) else {}


def caller_inputs(workflows: list[tuple[str, dict]], target: str) -> list[dict[str, str]]:
    """The inputs each run of each job of ``workflows`` (``(path, parsed mapping)``) that calls the reusable
    workflow at repository path ``target`` (``uses: ./.github/workflows/build.yml``) gives it: its ``with:``
    values, the caller's own expressions filled in (a value still holding one stays so: unknown, not the
    input's default)."""
    calls: list[dict[str, str]] = []
    seen: set[tuple[tuple[str, str], ...]] = set()  # each call once (a set: 50 callers of 256 runs each)
    for _rel, workflow in workflows:
        jobs = workflow.get("jobs")
        for job_id, job in (jobs.items() if isinstance(jobs, dict) else ()):
            uses = job.get("uses") if isinstance(job, dict) else None
            if not isinstance(uses, str) or uses.split("@", 1)[0].strip().removeprefix("./") != target:
                continue
            given = job.get("with") if isinstance(job.get("with"), dict) else {}
            for context in job_contexts(workflow, str(job_id)) or ():
                call = {str(name): str(fill(_text(value) or "", context)) for name, value in given.items()}
                if tuple(call.items()) not in seen:
                    seen.add(tuple(call.items()))
                    calls.append(call)
    return calls


def step_context(context: JobContext, step: dict) -> JobContext:
    """``context`` with the step's own ``env:`` on top (the step's value wins)."""
    env = _literals(step.get("env"), context)
    return {**context, **{f"env.{name}": value for name, value in env.items()}} if env else context


def matrix_combinations(matrix: object) -> list[dict[str, str]] | None:
    """The combinations GitHub runs for ``strategy.matrix`` (see the module docstring), each a mapping of
    key to text (a number or boolean as the runner prints it); None when the matrix, an axis or an
    ``include``/``exclude`` list is an expression or not a mapping/list, or a value is not a scalar, and when it
    gives more than :data:`MAX_MATRIX_JOBS` jobs, which GitHub refuses to run (told without building a product
    far beyond that, :data:`_MATRIX_WORK`)."""
    if not isinstance(matrix, dict):
        return None
    axes: dict[str, list[str]] = {}
    for key, values in matrix.items():
        if key in ("include", "exclude"):
            continue
        if not isinstance(values, list):
            return None
        texts = [_text(value) for value in values]
        if any(text is None for text in texts):
            return None
        axes[str(key)] = [text for text in texts if text is not None]
    extras = []
    for key in ("include", "exclude"):
        entries = matrix.get(key, [])
        if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
            return None
        parsed = [{str(k): _text(v) for k, v in entry.items()} for entry in entries]
        if any(value is None for entry in parsed for value in entry.values()):
            return None
        extras.append([{k: v for k, v in entry.items() if v is not None} for entry in parsed])
    include, exclude = extras
    size = math.prod(len(values) for values in axes.values()) if axes else 0
    if size * (1 + len(include) + len(exclude)) + len(include) > _MATRIX_WORK:
        return None  # beyond what GitHub runs (MAX_MATRIX_JOBS), whatever the exclusions: no job of it is known
    combinations: list[dict[str, str]] = [dict(zip(axes, values)) for values in itertools.product(*axes.values())] \
        if axes else []
    combinations = [combination for combination in combinations
                    if not any(all(combination.get(k) == v for k, v in entry.items()) for entry in exclude)]
    originals = [dict(combination) for combination in combinations]  # an include merges into these only
    for entry in include:
        added = False
        for original, combination in zip(originals, combinations):
            if all(original[k] == v for k, v in entry.items() if k in original):
                combination.update(entry)
                added = True
        if not added:
            combinations.append(dict(entry))
    return combinations if len(combinations) <= MAX_MATRIX_JOBS else None


def fill(value: object, context: JobContext) -> object:
    """``value`` (a step input) with each ``${{ name }}`` that ``context`` knows replaced by its value; other
    expressions and values that are not text are returned as they are."""
    if not isinstance(value, str) or "${{" not in value:
        return value
    return _EXPRESSION.sub(lambda match: context.get(match.group(1), EXPRESSIONS.get(match.group(1), match.group(0))),
                           value)


def step_outputs(job: dict) -> JobContext:
    """``steps.<id>.outputs.<name>`` of the job's ``run:`` steps that write their outputs as GitHub documents
    ("Setting an output parameter"): ``echo "NAME=VALUE" >> "$GITHUB_OUTPUT"`` (or the retired
    ``echo "::set-output name=NAME::VALUE"``), each output written once in its step, its value as written
    (the shell expands it when the step runs: ``ghcr.io/${GITHUB_REPOSITORY,,}`` stays so, for the image name's
    reader).  A value in single quotes is taken as it is, one holding an expression is left unknown."""
    steps = job.get("steps")
    found: JobContext = {}
    for step in steps if isinstance(steps, list) else ():
        step_id = step.get("id") if isinstance(step, dict) else None
        action = action_of(step) if isinstance(step, dict) else ""
        if isinstance(step_id, str) and action in ACTION_OUTPUTS:
            found.update({f"steps.{step_id}.outputs.{name}": value for name, value in ACTION_OUTPUTS[action].items()})
            continue
        run = step.get("run") if isinstance(step, dict) else None
        if not isinstance(step_id, str) or not isinstance(run, str) or "GITHUB_OUTPUT" not in run \
                and "::set-output" not in run:
            continue
        written: dict[str, list[str]] = {}
        for line in run.splitlines():
            match = _output_line(line) or _SET_OUTPUT.match(line)
            if match is not None:
                value = match.group("value")
                written.setdefault(match.group("name"), []).append(value if match.group("q") else value.strip())
        found.update({f"steps.{step_id}.outputs.{name}": spelled(values[0]) for name, values in written.items()
                      if len(values) == 1 and "${{" not in values[0]})
    return found


def action_of(step: dict) -> str:
    """The action a step ``uses``, without its version, in lower case (``docker/build-push-action``); "" for
    none."""
    uses = step.get("uses")
    return uses.split("@", 1)[0].strip().lower() if isinstance(uses, str) else ""


#: the outputs of actions that log in to a registry, by the action's name: what the registry's host is, which a
#: clone does not know (``aws-actions/amazon-ecr-login``'s ``registry``: "The URI of the ECR private registry",
#: ACCOUNT.dkr.ecr.REGION.amazonaws.com)
ACTION_OUTPUTS: dict[str, dict[str, str]] = {"aws-actions/amazon-ecr-login": {"registry": "%ecr-registry%"}}

#: ``echo NAME=VALUE`` before the last ``>>`` of a line (its end's blanks removed), and the file after it
_OUTPUT_WRITE = lazy_pattern(r"""\s*echo\s+(?P<q>["']?)(?P<name>[A-Za-z_][\w-]*)=(?P<value>[^"'\n]*)(?P=q)""")
_OUTPUT_FILE = lazy_pattern(r"""\s*"?\$\{?GITHUB_OUTPUT\}?"?\s*""")
_SET_OUTPUT = lazy_pattern(r"""^\s*echo\s+(?P<q>["']?)::set-output\s+name=(?P<name>[\w-]+)::(?P<value>[^"'\n]*)(?P=q)\s*$""")


def _output_line(line: str) -> re.Match[str] | None:
    """``echo NAME=VALUE >> "$GITHUB_OUTPUT"``: split at the redirection first (one pattern for the whole line
    let an unquoted value and the blanks before ``>>`` share a long run of blanks in every way: quadratic)."""
    head, redirect, target = line.rpartition(">>")
    if not redirect or _OUTPUT_FILE.fullmatch(target) is None:
        return None
    return _OUTPUT_WRITE.fullmatch(head.rstrip())


def _needed_outputs(jobs: dict, job: dict) -> JobContext:
    needs = job.get("needs")
    names = [needs] if isinstance(needs, str) else [n for n in needs if isinstance(n, str)] \
        if isinstance(needs, list) else []
    found: JobContext = {}
    for name in names:
        other = jobs.get(name)
        outputs = other.get("outputs") if isinstance(other, dict) else None
        found.update({f"needs.{name}.outputs.{key}": value for key, value in _literals(outputs).items()})
    return found


def _literals(mapping: object, context: JobContext | None = None) -> dict[str, str]:
    """The entries of an ``env:``/``outputs:`` mapping whose values are literal text once the expressions
    ``context`` knows are filled in (no expression left)."""
    if not isinstance(mapping, dict):
        return {}
    texts = {str(key): _text(value) for key, value in mapping.items()}
    if context:
        texts = {key: fill(text, context) if text is not None else None for key, text in texts.items()}  # type: ignore[misc]
    texts = {key: spelled(text) if text is not None else None for key, text in texts.items()}  # github.repository
    return {key: text for key, text in texts.items() if text is not None and "${{" not in text}


def _text(value: object) -> str | None:
    """A scalar as the runner prints it in an expression: text, numbers, ``true``/``false``; None otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None
