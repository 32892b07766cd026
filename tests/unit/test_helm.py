"""Helm charts without the helm binary: values lookups, control lines, placeholders, one HL001 per chart."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hueylint.config import Settings
from hueylint.engine import build_project
from tests.helpers import lint, triples, write_tree

CHART = {
    "chart/Chart.yaml": "apiVersion: v2\nname: app\nversion: 0.1.0\n",
    "chart/values.yaml": "image:\n  repository: ghcr.io/me/app\n  tag: \"1.0\"\nworker:\n  replicas: 3\n"
                         "  enabled: true\n  debug: false\n",
    "chart/templates/_helpers.tpl": "{{- define \"app.labels\" -}}\napp: x\n{{- end }}\n",
    "chart/templates/deployment.yaml": """{{- if .Values.worker.enabled }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.worker.replicas }}
  template:
    spec:
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          command: ["gunicorn", "app.wsgi"]
        - name: worker
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          {{- if .Values.worker.debug }}
          command: ["sh", "-c", "huey_consumer app.huey"]
          {{- else }}
          command: ["huey_consumer", "app.huey", "-w", "{{ .Values.workers }}", "-g", "TERM", "-t", "25"]
          {{- end }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
{{- end }}
""",
}


def test_templated_replicas_sidecar_and_branches(tmp_path):
    write_tree(tmp_path, CHART)
    _ws, project, _ = build_project([tmp_path], Settings(root=tmp_path))
    [launch] = project.launches
    assert launch.unit == "helm:chart" and launch.loc.line == 16
    assert launch.instances.value == 3 and "templated" in launch.instances.where()
    assert "values.yaml:5" in launch.instances.where()
    assert "workers" not in launch.options or launch.options["workers"].unknown  # no default: unknown
    assert triples(lint(tmp_path), "HL001") == [] and triples(lint(tmp_path), "HL201") == []


def test_unreadable_template_gives_one_hl001_with_the_render_hint(tmp_path):
    files = dict(CHART)
    files["chart/templates/a.yaml"] = "kind: Pod\nspec: {{ .Values.x }} {{ .Values.y }}: [\n"
    files["chart/templates/b.yaml"] = "kind: Pod\nspec: [\n"
    write_tree(tmp_path, files)
    result = lint(tmp_path)
    [finding] = [f for f in result.findings if f.rule == "HL001"]
    assert "helm template . | hueylint check --stdin-filename rendered.yaml -" in finding.message


def test_cli_reads_rendered_chart_from_stdin(tmp_path):
    rendered = ("---\n# Source: app/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\n"
                "metadata:\n  name: w\nspec:\n  template:\n    spec:\n      containers:\n      - name: w\n"
                "        image: me/app\n        command: [huey_consumer, app.huey]\n")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    done = subprocess.run([sys.executable, "-m", "hueylint", "check", "--no-color", "--stdin-filename",
                           "rendered.yaml", "-"], input=rendered, capture_output=True, text=True, cwd=tmp_path)
    assert "rendered.yaml:11" in done.stdout and "HL101" in done.stdout, done.stdout + done.stderr


def test_fail_guard_line_in_an_undecided_branch_is_not_yaml_content(tmp_path):
    """Field test (ciso-assistant shape): `{{- fail "..." }}` alone on a line inside a list emits nothing."""
    files = dict(CHART)
    files["chart/templates/deployment.yaml"] = files["chart/templates/deployment.yaml"].replace(
        '          resources:\n',
        '          volumeMounts:\n            - name: tmp\n              mountPath: /tmp\n'
        '            {{- if and .Values.extraMounts (not .Values.extraVolumes) }}\n'
        '              {{- fail "extraMounts needs extraVolumes" }}\n'
        '            {{- end }}\n'
        '          resources:\n')
    write_tree(tmp_path, files)
    _ws, project, _ = build_project([tmp_path], Settings(root=tmp_path))
    assert len(project.launches) == 1
    assert triples(lint(tmp_path), "HL001") == []


def _without(*names: str) -> dict[str, str]:
    return {rel: text for rel, text in CHART.items() if rel.rsplit("/", 1)[-1] not in names}


def test_template_without_chart_yaml_is_a_chart_template(tmp_path):
    """No Chart.yaml (partial checkout): the folder above templates/ is the chart, values.yaml still counts."""
    write_tree(tmp_path, _without("Chart.yaml"))
    _ws, project, _ = build_project([tmp_path], Settings(root=tmp_path))
    [launch] = project.launches
    assert launch.unit == "helm:chart" and launch.instances.value == 3 and launch.loc.line == 16


def test_template_without_values_keeps_the_first_branch_with_unknown_values(tmp_path):
    """Neither Chart.yaml nor values.yaml: `{{ .Values.worker.replicas }}` is unknown (not 0, not dropped) and
    `{{- if .Values.worker.enabled }}` is undecidable, so the workload is read (its first branch)."""
    write_tree(tmp_path, _without("Chart.yaml", "values.yaml"))
    _ws, project, _ = build_project([tmp_path], Settings(root=tmp_path))
    [launch] = project.launches
    assert launch.unit == "helm:chart"
    assert not launch.instances.known and ".Values.worker.replicas" in launch.instances.unknown
    assert [t for t in launch.argv] == ["app.huey"]  # `if .Values.worker.debug`: its first branch, `sh -c`
    assert triples(lint(tmp_path), "HL201") == [("HL201", "chart/templates/deployment.yaml", 19)]


def test_template_named_alone_on_the_command_line(tmp_path):
    """`hueylint check chart/templates/deployment.yaml`: Chart.yaml is not walked, the template is still read."""
    write_tree(tmp_path, CHART)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    template = tmp_path / "chart/templates/deployment.yaml"
    assert triples(lint(tmp_path, paths=[template]), "HL301") == [("HL301", "chart/templates/deployment.yaml", 21)]


def test_helm_template_outside_a_templates_folder_is_recognised():
    from hueylint.formats import sniff

    text = "kind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n"
    assert sniff("?yaml", text, "worker.yaml") == "helm"
    assert sniff("?yaml", "kind: Pod\napiVersion: v1\nmetadata:\n  name: {{ name }}\n", "pod.yaml") == "kubernetes"


def test_jinja_manifest_in_an_ansible_templates_folder_is_not_a_helm_chart(tmp_path):
    """`roles/app/templates/worker.yaml` with `{% if %}`: a Jinja manifest (read with its tags dropped), not a
    Helm template whose missing chart would earn a "render it with helm" HL001."""
    write_tree(tmp_path, {"roles/app/templates/worker.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ app_name }}\nspec:\n"
        "{% if scaled %}\n  replicas: 3\n{% endif %}\n  template:\n    spec:\n      containers:\n"
        "        - name: huey\n          image: app\n          command: [huey_consumer, app.huey, -g, TERM, -t, '25']\n")})
    _ws, project, _ = build_project([tmp_path], Settings(root=tmp_path))
    [launch] = project.launches
    assert launch.unit == "kubernetes:roles/app/templates" and launch.instances.value == 3
    assert triples(lint(tmp_path), "HL001") == []


def _render(values: dict, text: str, values_known: bool = True) -> str:
    from hueylint.parsers.helm import _Renderer

    return _Renderer(values, "chart/values.yaml", values_known).render(text)


def test_function_calls_with_the_value_last_are_the_pipeline_go_templates_make_of_them():
    """Field test (Helm charts): `default D .Values.x`, `int .Values.x`, `quote .Values.x` are `.Values.x | f`."""
    values = {"w": {"replicas": 3, "grace": 40, "name": "", "timeout": 25}}
    text = ("replicas: {{ default 1 .Values.w.replicas }}\n"
            "grace: {{ int .Values.w.grace }}\n"
            "name: {{ default \"shop worker\" .Values.w.name }}\n"  # empty value: the default, spaces kept
            "missing: {{ default 2 .Values.w.absent | int }}\n"
            "t: {{ quote .Values.w.timeout }}\n"
            "root: {{ default 1 $.Values.w.replicas }}\n"
            "req: {{ required \"set w.grace\" .Values.w.grace }}\n"
            "other: {{ default 1 .Values.w.replicas .Values.w.grace }}\n")  # not a call sprig knows: unknown
    lines = _render(values, text).split("\n")
    assert lines[:7] == ["replicas: 3", "grace: 40", "name: shop worker", "missing: 2", 't: "25"', "root: 3",
                         "req: 40"]
    assert "__" in lines[7]  # a marker: the model's unknown value
    assert "__" in _render(values, 'x: {{ required "set it" .Values.w.absent }}\n')  # Helm would refuse: unknown


def test_and_or_eq_ne_conditions_are_decided_from_values():
    values = {"a": True, "b": False, "mode": "production", "n": 2}
    cases = {
        "and .Values.a .Values.b": False,
        "and .Values.a": True,
        "or .Values.b .Values.missing": False,
        "or .Values.b .Values.a": True,
        'eq .Values.mode "production"': True,
        'ne .Values.mode "production"': False,
        "eq .Values.n 2": True,
        'not eq .Values.mode "development"': True,
    }
    for condition, kept in cases.items():
        rendered = _render(values, f"{{{{- if {condition} }}}}\nx: 1\n{{{{- else }}}}\nx: 2\n{{{{- end }}}}\n")
        assert ("x: 1" in rendered) is kept and ("x: 2" in rendered) is not kept, condition


def test_undecidable_conditions_keep_the_first_branch():
    """An operand that is no `.Values` lookup, or no values.yaml at all: not decided, the first branch stays."""
    for condition, values_known in (("and .Values.a .Release.IsUpgrade", True),
                                    ('eq .Values.mode .Values.other', True),
                                    ("and .Values.a .Values.b", False)):
        values = {"a": True, "b": False, "mode": "x", "other": "x"} if values_known else {}
        rendered = _render(values, f"{{{{- if {condition} }}}}\nx: 1\n{{{{- else }}}}\nx: 2\n{{{{- end }}}}\n", values_known)
        assert "x: 1" in rendered and "x: 2" not in rendered, condition


def test_a_with_block_binds_the_dot_to_its_value():
    """`{{- with .Values.worker }}` ... `{{ .replicas }}` is `.Values.worker.replicas` (also in calls and
    conditions); `$.Values`, `.Release` stay what they are; `range` binds each item (unknown); the dot comes
    back after `end`, and a `with`'s `else` branch runs with the outer dot."""
    values = {"worker": {"enabled": True, "replicas": 4, "grace": 50}}
    text = ("{{- with .Values.worker }}\n"
            "replicas: {{ .replicas }}\n"
            "grace: {{ default 30 .grace | int }}\n"
            "{{- if .enabled }}\non: 1\n{{- end }}\n"
            "root: {{ $.Values.worker.replicas }}\n"
            "release: {{ .Release.Name }}\n"
            "{{- range .list }}\nitem: {{ .name }}\n{{- end }}\n"
            "{{- end }}\n"
            "{{- with .Values.absent }}\nnever: {{ .x }}\n{{- else }}\nouter: {{ .Values.worker.grace }}\n{{- end }}\n"
            "after: {{ .replicas }}\n")
    rendered = [line for line in _render(values, text).split("\n") if line]
    assert rendered[:4] == ["replicas: 4", "grace: 50", "on: 1", "root: 4"]
    assert rendered[4].startswith("release: __") and rendered[5].startswith("item: __")
    assert rendered[6] == "outer: 50" and rendered[7].startswith("after: __")


def test_a_parenthesised_pipeline_is_an_operand():
    """Field test (a SecObserve fork's chart: `{{- if eq (default "single" .Values.architecture) "ha" }}`
    around its background-worker Deployment): the sub-pipeline's value is compared, its default included."""
    text = '{{- if eq (default "single" .Values.architecture) "ha" }}\nx: 1\n{{- else }}\nx: 2\n{{- end }}\n'
    for values, kept in (({"architecture": "ha"}, True), ({}, False), ({"architecture": ""}, False),
                         ({"architecture": "single"}, False)):
        rendered = _render(values, text)
        assert ("x: 1" in rendered) is kept and ("x: 2" in rendered) is not kept, values
    # a sub-pipeline hueylint cannot evaluate leaves the `if` undecided: the first branch stays
    undecided = _render({}, '{{- if eq (printf "%s" .Values.a) "b" }}\nx: 1\n{{- else }}\nx: 2\n{{- end }}\n')
    assert "x: 1" in undecided and "x: 2" not in undecided
    assert _render({"a": {"on": True}}, "{{- if and (.Values.a.on) .Values.a.on }}\ny: 1\n{{- end }}\n").strip() == "y: 1"


def test_a_control_action_followed_by_a_yaml_comment_is_a_control_line():
    """Field test (bcgov/DriveBC.ca): ``{{- if .Values.x }} # why`` leaves ``# why``, a YAML comment: the line
    opens the block as a bare ``{{- if }}`` does (was: kept as text, the template was no YAML, HL001)."""
    text = ("spec:\n"
            "  {{- if .Values.restore }} # only when restoring\n"
            "  source: backup\n"
            "  {{- else }}   # a fresh cluster\n"
            "  source: empty\n"
            "  {{- end }} # restore\n"
            "  size: {{ .Values.size }} # a value line stays one\n")
    assert _render({"restore": False, "size": 3}, text).split("\n") == [
        "spec:", "", "", "", "  source: empty", "", "  size: 3 # a value line stays one", ""]
    # a "comment" with a quote in it may be a string the action goes on with: the line is not read as a control
    assert _render({"a": True}, "{{- if .Values.a }} # it's on\n") != "\n"  # a control line would be blanked


def test_a_raw_string_action_prints_its_text_verbatim_over_several_lines():
    """Field test (bcgov/DriveBC.ca): a Vault agent template in an annotation, printed by actions whose value
    is a Go raw string (``{{`{{- with secret "`}}``, over several lines up to the closing backtick): its braces
    are text, not `range`/`end` lines of the chart (which closed an `if` early: no YAML, HL001)."""
    text = ("{{- if .Values.enabled }}\n"
            "a: |\n"
            "  {{`{{- with secret \"`}}{{ .Values.path }}{{`\" }}\n"
            "  {{- range $k, $v := .Data.data }}\n"
            "  {{- end }}\n"
            "  {{- end `}} }}\n"
            "b: 1\n"
            "{{- end }}\n")
    rendered = _render({"enabled": False, "path": "kv/x"}, text).split("\n")
    assert rendered == ["", "", "", "", "", "", "", "", ""]  # the whole `if` is blanked, and only it
    kept = _render({"enabled": True, "path": "kv/x"}, text).split("\n")
    assert kept[2] == '  { {- with secret "kv/x" } }'
    assert kept[3:6] == ["  { {- range $k, $v := .Data.data } }", "  { {- end } }", "  { {- end  }}"]
    assert kept[6] == "b: 1"


def test_the_fullname_helper_of_helm_create_prints_fullname_override(tmp_path):
    """Field test (bcgov/DriveBC.ca): ``name: {{ template "app.fullname" . }}`` with ``fullnameOverride: tasks``
    and the ``helm create`` helper (``{{- if .Values.fullnameOverride }}`` first): the launch is named
    ``deployment/tasks/tasks`` (was the template text); unset, or a helper of another shape, stays unknown."""
    helper = ('{{- define "w.fullname" -}}\n{{- if .Values.fullnameOverride }}\n'
              '{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}\n{{- else }}\n'
              '{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}\n{{- end }}\n{{- end }}\n'
              '{{- define "w.other" -}}\n{{- .Values.fullnameOverride | default "x" }}\n{{- end }}\n')
    deployment = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ template \"w.fullname\" . }}\n"
                  "spec:\n  template:\n    spec:\n      containers:\n        - name: {{ include \"w.%s\" $ }}\n"
                  "          image: r/w:1\n          command: [huey_consumer, app.huey]\n")
    names = {}
    for case, (values, helper_name) in {"set": ("fullnameOverride: queue-\n", "fullname"),
                                        "unset": ("replicas: 1\n", "fullname"),
                                        "other": ("fullnameOverride: queue\n", "other")}.items():
        root = tmp_path / case
        write_tree(root, {"chart/Chart.yaml": "apiVersion: v2\nname: w\nversion: 1.0.0\n",
                          "chart/values.yaml": values, "chart/templates/_helpers.tpl": helper,
                          "chart/templates/w.yaml": deployment % helper_name})
        _ws, project, _ = build_project([root], Settings(root=root))
        [launch] = project.launches
        names[case] = launch.name
    assert names["set"] == "deployment/queue/queue"  # trimSuffix "-"
    assert names["unset"] == 'deployment/{{ template "w.fullname" . }}/{{ include "w.fullname" $ }}'
    assert names["other"] == 'deployment/queue/{{ include "w.other" $ }}'


@pytest.mark.parametrize("override, printed, name", [
    ("queue--", '.Values.fullnameOverride | trunc 63 | trimSuffix "-"', "queue-"),  # trimSuffix drops one "-"
    ("q" * 61 + "--x", '.Values.fullnameOverride | trunc 63 | trimSuffix "-"', "q" * 61 + "-"),  # trunc 63, then one "-"
    # a helper whose override branch prints something else: not the override, stays the template text
    ("queue", 'printf "%s-worker" .Values.fullnameOverride', '{{ include "w.fullname" . }}'),
])
def test_the_fullname_helper_prints_what_helm_would(tmp_path, override, printed, name):
    helper = ('{{- define "w.fullname" -}}\n{{- if .Values.fullnameOverride }}\n{{- ' + printed + ' }}\n'
              '{{- else }}\n{{- .Release.Name }}\n{{- end }}\n{{- end }}\n')
    write_tree(tmp_path, {"chart/Chart.yaml": "apiVersion: v2\nname: w\nversion: 1.0.0\n",
                          "chart/values.yaml": f"fullnameOverride: {override}\n",
                          "chart/templates/_helpers.tpl": helper,
                          "chart/templates/w.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
                          "  name: {{ include \"w.fullname\" . }}\nspec:\n  template:\n    spec:\n      containers:\n"
                          "        - name: w\n          image: r/w:1\n          command: [huey_consumer, app.huey]\n"})
    _ws, project, _ = build_project([tmp_path], Settings(root=tmp_path))
    [launch] = project.launches
    assert launch.name == f"deployment/{name}/w"


def test_to_yaml_of_a_values_list_below_a_key_is_that_list_on_the_action_line():
    """Field test (Helm charts writing a worker's command from values: ``command:`` then ``{{- toYaml
    .Values.huey.command | nindent 12 }}``, also inside ``{{- with .Values.huey.command }}`` and inline after
    the key): the list values.yaml gives, written in flow form on the action's line so the template keeps its
    lines, with a note naming the values file; before, the action was unrendered and the container ran its
    image's command (no consumer launch)."""
    from hueylint.parsers.helm import _Renderer

    values = {"huey": {"command": ["python", "manage.py", "run_huey"], "args": ["-w", "4"], "grace": 60,
                       "resources": {"limits": {"cpu": 1}}, "empty": []}}
    text = ("command:\n"
            "  {{- toYaml .Values.huey.command | nindent 2 }}\n"
            "{{- with .Values.huey.args }}\n"
            "args:\n"
            "  {{- toYaml . | nindent 2 }}\n"
            "{{- end }}\n"
            "inline: {{- toYaml .Values.huey.args | nindent 2 }}\n"
            "grace:\n"
            "  {{- toYaml .Values.huey.grace | nindent 2 }}\n"
            "resources:\n"
            "  {{- toYaml .Values.huey.resources | nindent 2 }}\n"
            "missing:\n"
            "  {{- toYaml .Values.huey.absent | nindent 2 }}\n"
            "none:\n"
            "  {{- toYaml .Values.huey.empty | nindent 2 }}\n"
            "labels:\n"
            "  a: b\n"
            "  {{- toYaml .Values.huey.resources | nindent 2 }}\n")
    renderer = _Renderer(values, "chart/values.yaml")
    lines = renderer.render(text).split("\n")
    assert lines[1] == '  ["python", "manage.py", "run_huey"]'
    assert lines[4] == '  ["-w", "4"]' and lines[6] == 'inline:  ["-w", "4"]'
    assert lines[8] == "  60" and lines[10] == '  {"limits": {"cpu": 1}}'
    # unknown, empty (helm prints `[]`, no command) or not a key's whole value: unrendered, as before
    assert lines[12] == lines[14] == lines[17] == ""
    assert renderer.dropped == {13, 15, 18}
    assert renderer.expanded == [2, 5, 7, 9, 11]
    assert "templated `{{- toYaml .Values.huey.command | nindent 2 }}`, judged with its default " \
           '["python", "manage.py", "run_huey"] from chart/values.yaml' in renderer.notes[2]


def test_a_to_yaml_value_that_is_no_yaml_in_flow_form_there_stays_unrendered(tmp_path):
    """``toYaml`` of a mapping followed by more keys of the same mapping (or of a list followed by more items)
    is block YAML helm merges, which one flow line cannot write: that action stays unrendered (no HL001 for
    the chart), the others of the template are still rendered."""
    files = {
        "chart/Chart.yaml": "apiVersion: v2\nname: app\nversion: 0.1.0\n",
        "chart/values.yaml": "worker:\n  command: [huey_consumer, app.huey.huey, -w, '4']\n  pod:\n"
                             "    terminationGracePeriodSeconds: 60\n  env:\n    - name: A\n      value: b\n",
        "chart/templates/worker.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  replicas: 2
  template:
    spec:
      {{- toYaml .Values.worker.pod | nindent 6 }}
      containers:
        - name: worker
          image: registry.example.com/app:1
          command:
            {{- toYaml .Values.worker.command | nindent 12 }}
          env:
            - name: B
              value: c
            {{- toYaml .Values.worker.env | nindent 12 }}
""",
        "app/__init__.py": "",
        "app/huey.py": "from huey import RedisHuey, crontab\nhuey = RedisHuey(url='redis://redis:6379')\n\n\n"
                       "@huey.periodic_task(crontab(minute='0'))\ndef nightly():\n    pass\n",
    }
    write_tree(tmp_path, files)
    _ws, project, _ = build_project([tmp_path], Settings(root=tmp_path))
    [launch] = project.launches
    assert launch.loc.line == 11 and launch.instances.value == 2
    result = lint(tmp_path)
    assert triples(result, "HL001") == []
    assert triples(result, "HL301") == [("HL301", "chart/templates/worker.yaml", 14)]


def test_to_yaml_written_as_a_pipeline_is_the_same_call():
    """``.Values.x | toYaml | nindent N`` and ``{{ .Values.x | toJson }}`` are ``toYaml .Values.x`` in Go templates."""
    from hueylint.parsers.helm import _Renderer

    values = {"huey": {"command": ["huey_consumer", "app.huey"], "args": ["-w", "2"]}}
    text = ("command:\n"
            "  {{- .Values.huey.command | toYaml | nindent 2 }}\n"
            "args: {{ .Values.huey.args | toJson }}\n"
            "other: {{ .Values.huey.args | toJson | b64enc }}\n")
    lines = _Renderer(values, "chart/values.yaml").render(text).split("\n")
    assert lines[1] == '  ["huey_consumer", "app.huey"]' and lines[2] == 'args:  ["-w", "2"]'
    assert lines[3].startswith("other: __")  # another function after it: unknown, as before
