"""A YAML or JSON file naming the consumer that is a Kubernetes manifest but for its ``apiVersion:`` or its
``kind:`` says so (:func:`hueylint.formats._half_manifest`): kubectl refuses such an object, so nothing of it
runs.  Field: ``#piVersion: apps/v1`` above ``kind: Deployment`` got "is not a compose file, Kubernetes manifest,
Helm template or ECS task definition hueylint recognises", which did not say what was missing."""

from __future__ import annotations

import pytest

from tests.helpers import notices_without_launches

GENERIC = ("mentions `huey_consumer` but is not a compose file, Kubernetes manifest, Helm template or ECS task "
           "definition hueylint recognises: not checked")
BODY = ("metadata:\n  name: huey\nspec:\n  template:\n    spec:\n      containers:\n        - name: huey\n"
        "          image: shop:1\n          command: [\"huey_consumer\", \"shop.huey\"]\n")


@pytest.mark.parametrize(("text", "reason"), [
    ("#piVersion: apps/v1\nkind: Deployment\n" + BODY,
     "mentions `huey_consumer` in a Kubernetes `kind: Deployment` that has no `apiVersion:` (kubectl refuses an "
     "object without one): not checked"),
    ("kind: 'StatefulSet'\n" + BODY,
     "mentions `huey_consumer` in a Kubernetes `kind: StatefulSet` that has no `apiVersion:` (kubectl refuses an "
     "object without one): not checked"),
    ("apiVersion: apps/v1\n#ind: Deployment\n" + BODY,
     "mentions `huey_consumer` in a Kubernetes object that has `apiVersion:` but no `kind:` (kubectl refuses an "
     "object without one): not checked"),
    ("kind: HueyWorker\n" + BODY, GENERIC),  # not a workload kind: some other tool's object
    ("jobs:\n  worker:\n    run: huey_consumer shop.huey\n", GENERIC),
])
def test_a_manifest_missing_its_api_version_or_kind_says_which(tmp_path, text, reason):
    assert notices_without_launches(tmp_path, {"k8s/huey.yaml": text}) == [("k8s/huey.yaml", reason)]


def test_a_json_object_missing_its_api_version(tmp_path):
    text = ('{\n  "kind": "Deployment",\n  "spec": {"template": {"spec": {"containers": [\n'
            '    {"name": "huey", "image": "shop:1", "command": ["huey_consumer", "shop.huey"]}]}}}\n}\n')
    assert notices_without_launches(tmp_path, {"k8s/huey.json": text}) == [("k8s/huey.json", (
        "mentions `huey_consumer` in a Kubernetes `kind: Deployment` that has no `apiVersion:` (kubectl refuses an "
        "object without one): not checked"))]
