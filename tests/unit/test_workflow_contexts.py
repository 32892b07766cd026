"""GitHub Actions expression values of a job run: matrix combinations, needed jobs' outputs, env."""

from __future__ import annotations

from hueylint.platforms.workflow_contexts import (
    caller_inputs,
    fill,
    job_contexts,
    matrix_combinations,
    step_context,
    step_outputs,
)


def test_axes_are_a_cartesian_product_less_excludes():
    matrix = {"python": ["3.11", 3.12], "image": ["web", "worker"],
              "exclude": [{"python": "3.11", "image": "web"}]}
    assert matrix_combinations(matrix) == [
        {"python": "3.11", "image": "worker"},
        {"python": "3.12", "image": "web"}, {"python": "3.12", "image": "worker"}]


def test_include_extends_matching_combinations_or_adds_its_own():
    """GitHub's example: `color: green` joins every combination (it overwrites no axis value),
    `animal: cat` only those with `fruit: apple`... and an entry matching none is a run of its own."""
    matrix = {"fruit": ["apple", "pear"], "animal": ["dog"],
              "include": [{"color": "green"}, {"fruit": "apple", "shape": "circle"},
                          {"fruit": "banana"}, {"fruit": "banana", "animal": "cat"}]}
    assert matrix_combinations(matrix) == [
        {"fruit": "apple", "animal": "dog", "color": "green", "shape": "circle"},
        {"fruit": "pear", "animal": "dog", "color": "green"},
        {"fruit": "banana"}, {"fruit": "banana", "animal": "cat"}]


def test_include_only_matrix_is_one_run_per_entry_and_scalars_print_as_the_runner_prints_them():
    matrix = {"include": [{"image": "api", "debug": True, "replicas": 2}, {"image": "jobs", "debug": False}]}
    assert matrix_combinations(matrix) == [{"image": "api", "debug": "true", "replicas": "2"},
                                           {"image": "jobs", "debug": "false"}]


def test_a_step_output_line_of_many_blanks_is_read_in_linear_time():
    """`echo NAME=VALUE >> $GITHUB_OUTPUT` was one pattern whose unquoted value and the blanks before `>>` shared
    a long run of blanks in every way: a `run:` line `echo a=` + 200,000 spaces + `x` took 77 s (quadratic).
    The line is split at its last `>>` first; the values read are the same."""
    import time

    started = time.perf_counter()
    blanks = " " * 200_000
    job = {"steps": [{"id": "s", "run": f"echo a={blanks}x\necho b={blanks}>> x\necho c=1{blanks}>> $GITHUB_OUTPUT\n"
                                        f'echo "d=2 " >>"$GITHUB_OUTPUT"\necho e=x>>y >> $GITHUB_OUTPUT\n'}]}
    assert step_outputs(job) == {"steps.s.outputs.c": "1", "steps.s.outputs.d": "2 ", "steps.s.outputs.e": "x>>y"}
    assert time.perf_counter() - started < 1


def test_a_matrix_written_as_an_expression_or_holding_one_is_unknown():
    assert matrix_combinations("${{ fromJSON(needs.plan.outputs.matrix) }}") is None
    assert matrix_combinations({"image": "${{ fromJSON(inputs.images) }}"}) is None
    assert matrix_combinations({"include": [{"image": ["a", "b"]}]}) is None


def test_job_contexts_fill_needed_outputs_env_and_matrix():
    workflow = {
        "env": {"OWNER": "acme", "SHA": "${{ github.sha }}"},
        "jobs": {
            "setup": {"outputs": {"registry": "ghcr.io", "tag": "${{ steps.t.outputs.tag }}"}},
            "other": {"outputs": {"registry": "quay.io"}},
            "build": {"needs": "setup", "env": {"OWNER": "acme-corp"},
                      "strategy": {"matrix": {"include": [{"image": "api"}, {"image": "worker"}]}}},
        },
    }
    contexts = job_contexts(workflow, "build")
    assert [fill("${{ needs.setup.outputs.registry }}/${{env.OWNER}}/${{ matrix.image }}:${{ github.sha }}", c)
            for c in contexts] == ["ghcr.io/acme-corp/api:${{ github.sha }}",
                                   "ghcr.io/acme-corp/worker:${{ github.sha }}"]
    # an output that is an expression, a job not needed, an env value that is an expression stay unknown
    assert fill("${{ needs.setup.outputs.tag }} ${{ needs.other.outputs.registry }} ${{ env.SHA }}",
                contexts[0]) == "${{ needs.setup.outputs.tag }} ${{ needs.other.outputs.registry }} ${{ env.SHA }}"
    assert fill("${{ env.OWNER }}", step_context(contexts[0], {"env": {"OWNER": "step"}})) == "step"


def test_a_job_without_a_matrix_or_with_an_unknown_one_runs_once_with_matrix_names_unfilled():
    workflow = {"jobs": {"plain": {"steps": []},
                         "dynamic": {"strategy": {"matrix": "${{ fromJSON(needs.plan.outputs.m) }}"}}}}
    assert job_contexts(workflow, "plain") == [{}]
    (context,) = job_contexts(workflow, "dynamic")
    assert fill("${{ matrix.image }}", context) == "${{ matrix.image }}"
    assert job_contexts(workflow, "missing") == []


def test_a_reusable_workflow_gets_each_callers_inputs_and_its_defaults():
    """`uses: ./.github/workflows/build.yml` with `with:`: one set of inputs per run of the calling job (its
    matrix filled in), the defaults for what a call leaves out; a value only the run knows stays unknown."""
    build = {True: {"workflow_call": {"inputs": {"image": {"type": "string"},
                                                 "file": {"type": "string", "default": "Dockerfile"}}}},
             "jobs": {"push": {"steps": []}}}
    caller = {"jobs": {"images": {
        "strategy": {"matrix": {"image": ["api", "worker"]}},
        "uses": "./.github/workflows/build.yml@main",
        "with": {"image": "acme/${{ matrix.image }}", "tag": "${{ github.sha }}"}}}}
    calls = caller_inputs([(".github/workflows/release.yml", caller)], ".github/workflows/build.yml")
    assert calls == [{"image": "acme/api", "tag": "${{ github.sha }}"}, {"image": "acme/worker", "tag": "${{ github.sha }}"}]
    assert [fill("${{ inputs.image }} ${{ inputs.file }}", c) for c in job_contexts(build, "push", calls)] == [
        "acme/api Dockerfile", "acme/worker Dockerfile"]
    assert [fill("${{ inputs.image }} ${{ inputs.file }}", c) for c in job_contexts(build, "push")] == [
        "${{ inputs.image }} Dockerfile"]  # nobody calls it: the defaults alone
    assert caller_inputs([(".github/workflows/release.yml", caller)], ".github/workflows/other.yml") == []


def test_a_matrix_every_combination_of_which_is_excluded_runs_nothing():
    workflow = {"jobs": {"none": {"strategy": {"matrix": {"a": ["x"], "exclude": [{"a": "x"}]}}}}}
    assert job_contexts(workflow, "none") == []


def test_a_matrix_of_more_jobs_than_github_runs_is_unknown_and_never_built_whole():
    """GitHub refuses a matrix of more than 256 jobs. A hostile workflow's ten axes of ten values were built whole
    (ten billion combinations: the run was killed for its memory); now such a matrix is unknown (no job of it runs,
    its `matrix.*` names stay unfilled) at once, and one of 256 jobs, or a larger product that `exclude` takes
    down to 256, is read."""
    import time

    started = time.perf_counter()
    assert matrix_combinations({f"d{i}": list(range(10)) for i in range(10)}) is None
    assert matrix_combinations({"a": list(range(16)), "b": list(range(17))}) is None  # 272 jobs
    assert matrix_combinations({"include": [{"n": i} for i in range(257)]}) is None
    assert time.perf_counter() - started < 0.5
    assert len(matrix_combinations({"a": list(range(16)), "b": list(range(16))}) or []) == 256
    assert len(matrix_combinations({"a": list(range(20)), "b": list(range(20)),
                                    "exclude": [{"a": i} for i in range(8)]}) or []) == 400 - 160


def test_step_outputs_written_to_github_output_and_the_repository_identity():
    job = {"steps": [
        {"id": "vars", "run": 'echo "IMAGE=ghcr.io/${GITHUB_REPOSITORY,,}"  >> "$GITHUB_OUTPUT"\n'
                              "echo TAG=1.2 >> ${GITHUB_OUTPUT}\n"
                              'echo "TWICE=a" >> $GITHUB_OUTPUT\necho "TWICE=b" >> $GITHUB_OUTPUT\n'
                              "echo 'RAW=${{ github.sha }}' >> $GITHUB_OUTPUT\n"},
        {"id": "old", "run": 'echo "::set-output name=registry::ghcr.io"'},
        {"run": 'echo "NOID=x" >> $GITHUB_OUTPUT'},
    ]}
    assert step_outputs(job) == {"steps.vars.outputs.IMAGE": "ghcr.io/%github-repository%",
                                 "steps.vars.outputs.TAG": "1.2", "steps.old.outputs.registry": "ghcr.io"}
    workflow = {"env": {"IMAGE_NAME": "${{ github.repository }}", "HUB": "${{ secrets.HUB_USER }}",
                        "OTHER": "${{ github.sha }}"},
                "jobs": {"build": job}}
    (context,) = job_contexts(workflow, "build")
    assert context["env.IMAGE_NAME"] == "%github-repository%" and context["env.HUB"] == "%ci-setting%"
    assert "env.OTHER" not in context
    assert fill("${{ github.repository_owner }}/${{ steps.old.outputs.registry }}/${{ github.sha }}", context) == \
        "%github-owner%/ghcr.io/${{ github.sha }}"
