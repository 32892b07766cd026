"""`python -m`, app paths and scripts resolve against the service's own folder (its build context)."""

from __future__ import annotations

from hueylint.config import Settings
from hueylint.engine import build_project
from tests.helpers import write_tree

TASKS = "import os\nfrom huey import RedisHuey\n\nhuey = RedisHuey('x', host=os.getenv('REDIS'))\n\n\n" \
        "@huey.task()\ndef work(n):\n    return n\n"
CONSUMER = "from .tasks import huey\n\n\ndef main():\n    huey.create_consumer(workers=2).run()\n\n\n" \
           "if __name__ == '__main__':\n    main()\n"


def apps(root):
    """(platform, app entry, instance module) of every launch."""
    from hueylint.appmodel import app_for

    _ws, project, _ = build_project([root], Settings(root=root))
    found = []
    for launch in project.launches:
        app = app_for(project, launch)
        instance = app.instances[0].loc.path if app is not None and app.instances else None
        found.append((launch.platform, app.entry.rel if app is not None and app.entry else None, instance))
    return sorted(found)


def test_python_m_in_a_compose_build_context(git_repo):
    write_tree(git_repo, {
        "compose.yaml": "services:\n  worker:\n    build: ./services/feed-worker-v2\n"
                        "    command: python -m feedpkg.consumer\n",
        "services/feed-worker-v2/Dockerfile": "FROM python:3.12\nWORKDIR /srv\nCOPY . /srv\n",
        "services/feed-worker-v2/feedpkg/__init__.py": "",
        "services/feed-worker-v2/feedpkg/consumer.py": CONSUMER,
        "services/feed-worker-v2/feedpkg/tasks.py": TASKS,
    })
    assert apps(git_repo) == [("compose", "services/feed-worker-v2/feedpkg/consumer.py",
                               "services/feed-worker-v2/feedpkg/tasks.py")]


def test_package_main_and_copied_source_folder(git_repo):
    write_tree(git_repo, {
        "docker-compose.yml": "services:\n  worker:\n    build:\n      context: worker\n"
                              "      dockerfile: docker/Dockerfile\n    command: [\"python\", \"-m\", \"feedpkg\"]\n",
        "worker/docker/Dockerfile": "FROM python:3.12\nWORKDIR /app\nCOPY src/ /app\n",
        "worker/src/feedpkg/__init__.py": "",
        "worker/src/feedpkg/__main__.py": CONSUMER,
        "worker/src/feedpkg/tasks.py": TASKS,
    })
    assert apps(git_repo) == [("compose", "worker/src/feedpkg/__main__.py", "worker/src/feedpkg/tasks.py")]


def test_app_path_resolves_in_the_build_context(git_repo):
    write_tree(git_repo, {
        "deploy/compose.yaml": "services:\n  worker:\n    build: ../services/mail\n"
                               "    command: huey_consumer mailer.tasks.huey\n",
        "services/mail/Dockerfile": "FROM python:3.12\nWORKDIR /opt/app\nCOPY . .\n",
        "services/mail/mailer/__init__.py": "",
        "services/mail/mailer/tasks.py": TASKS,
    })
    assert apps(git_repo) == [("compose", "services/mail/mailer/tasks.py", "services/mail/mailer/tasks.py")]


def test_kubernetes_image_built_elsewhere_uses_the_only_service_folder_holding_the_module(git_repo):
    pod = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: w\nspec:\n  containers:\n    - name: w\n"
           "      image: registry/w:1\n      command: [python, -m, feedpkg.consumer]\n")
    files = {
        "k8s/pod.yaml": pod,
        "services/a/Dockerfile": "FROM python:3.12\n",
        "services/a/feedpkg/__init__.py": "",
        "services/a/feedpkg/consumer.py": CONSUMER,
        "services/a/feedpkg/tasks.py": TASKS,
    }
    write_tree(git_repo, files)
    assert apps(git_repo) == [("kubernetes", "services/a/feedpkg/consumer.py", "services/a/feedpkg/tasks.py")]
    # two service folders hold such a package: which one the image has is unknown, nothing is claimed
    write_tree(git_repo, {rel.replace("services/a/", "services/b/"): text for rel, text in files.items()
                          if rel.startswith("services/")})
    assert apps(git_repo) == []


def test_script_path_in_the_build_context(git_repo):
    script = "from mailer.tasks import huey\n\nif __name__ == '__main__':\n    huey.create_consumer().run()\n"
    write_tree(git_repo, {
        "compose.yaml": "services:\n  worker:\n    build: services/mail\n    command: python bin/run_worker.py\n"
                        "  beat:\n    build: services/mail\n    command: python /opt/app/bin/run_worker.py -n\n",
        "services/mail/Dockerfile": "FROM python:3.12\nWORKDIR /opt/app\nCOPY . .\n",
        "services/mail/bin/run_worker.py": script,
        "services/mail/mailer/__init__.py": "",
        "services/mail/mailer/tasks.py": TASKS,
    })
    assert apps(git_repo) == [("compose", "services/mail/bin/run_worker.py", "services/mail/mailer/tasks.py")] * 2


def test_working_dir_set_by_the_platform(git_repo):
    pod = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: w\nspec:\n  containers:\n    - name: w\n"
           "      image: me/worker\n      workingDir: /app/src\n      command: [python, -m, feedpkg]\n")
    write_tree(git_repo, {
        "compose.yaml": "services:\n  worker:\n    build: worker\n    image: me/worker\n"
                        "    working_dir: /app/src\n    command: python -m feedpkg\n",
        "k8s/pod.yaml": pod,
        "worker/Dockerfile": "FROM python:3.12\nWORKDIR /app\nCOPY . /app\n",
        "worker/src/feedpkg/__init__.py": "",
        "worker/src/feedpkg/__main__.py": CONSUMER,
        "worker/src/feedpkg/tasks.py": TASKS,
        "worker/feedpkg/__init__.py": "",  # a decoy at WORKDIR: the platform's working directory wins
        "worker/feedpkg/__main__.py": "print('not the consumer')\n",
    })
    assert apps(git_repo) == [("compose", "worker/src/feedpkg/__main__.py", "worker/src/feedpkg/tasks.py"),
                              ("kubernetes", "worker/src/feedpkg/__main__.py", "worker/src/feedpkg/tasks.py")]


def test_app_path_of_an_image_built_elsewhere_and_of_a_copied_source_folder(git_repo):
    pod = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: w\nspec:\n  containers:\n    - name: w\n"
           "      image: registry/w:1\n      command: [huey_consumer, feedpkg.tasks.huey]\n")
    write_tree(git_repo, {
        "k8s/pod.yaml": pod,
        "web/Dockerfile": "FROM python:3.12\nCOPY . /srv\n",  # two images: the pod's is not known
        "compose.yaml": "services:\n  worker:\n    build: worker\n    command: huey_consumer feedpkg.tasks.huey\n",
        "worker/Dockerfile": "FROM python:3.12\nWORKDIR /app\nCOPY src/ /app\n",
        "worker/src/feedpkg/__init__.py": "",
        "worker/src/feedpkg/tasks.py": TASKS,
    })
    assert apps(git_repo) == [("compose", "worker/src/feedpkg/tasks.py", "worker/src/feedpkg/tasks.py"),
                              ("kubernetes", "worker/src/feedpkg/tasks.py", "worker/src/feedpkg/tasks.py")]
