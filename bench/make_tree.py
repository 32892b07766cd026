"""Generate a large synthetic repository for benchmarking hueylint.

The tree mimics a big monorepo: many Python modules of which only some
mention huey, a few Django apps with settings and tasks, units, supervisord
configs, Dockerfiles, compose and Kubernetes YAML, scripts, and plenty of
irrelevant files (docs, JS, data) that hueylint must skip cheaply.

    python bench/make_tree.py /tmp/bench-tree --services 40 --modules 3000
    python bench/make_tree.py /tmp/bench-tiny --services 1 --modules 0 --tiny 10000   # 10,000 tiny huey modules
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

UNIT = """[Unit]
Description=huey consumer {n}

[Service]
Type=exec
User=app
ExecStart=/srv/app/venv/bin/huey_consumer svc{n}.tasks.huey -w 4 -k thread{opts}
TimeoutStopSec={timeout}
Restart=always
ExecReload=/bin/kill -HUP $MAINPID
"""
DOCKERFILE = """FROM python:3.12-slim AS base
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
FROM base AS worker
COPY docker/entrypoint.sh /entrypoint.sh
USER app
ENTRYPOINT ["/entrypoint.sh"]
CMD ["huey_consumer", "svc{n}.tasks.huey", "-w", "2"{opts}]
"""
ENTRYPOINT = """#!/bin/sh
set -e
case "$1" in
  migrate) python manage.py migrate ;;
esac
exec "$@"
"""
COMPOSE = """services:
  web:
    build: .
    command: ["gunicorn", "svc{n}.wsgi"]
  worker:
    build:
      context: .
      target: worker
    stop_grace_period: {timeout}s
    restart: unless-stopped
"""
TASKS = """import os
from huey import RedisHuey, crontab
from huey.signals import SIGNAL_INTERRUPTED

huey = RedisHuey("svc{n}", url=os.environ["REDIS_URL"])


@huey.signal(SIGNAL_INTERRUPTED)
def requeue(signal, task, *args, **kwargs):
    huey.enqueue(task)


@huey.task()
def work_{n}(x):
    return x * 2


@huey.periodic_task(crontab(minute="*/5"))
@huey.lock_task("cleanup-{n}")
def cleanup_{n}():
    pass
"""
TINY = """from tiny.queue import huey


@huey.task()
def job_{n}(x):
    return x + {n}
"""
PLAIN = """\"\"\"An ordinary module that has nothing to do with task queues.\"\"\"
import json


def handler_{n}(event):
    data = json.loads(event)
    return {{"id": data.get("id"), "n": {n}}}


class Model{n}:
    def __init__(self, value):
        self.value = value

    def double(self):
        return self.value * 2
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--services", type=int, default=40)
    parser.add_argument("--modules", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tiny", type=int, default=0,
                        help="tiny huey modules (one task each, importing one shared instance) in tiny/")
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    root: Path = args.root
    root.mkdir(parents=True, exist_ok=True)
    (root / ".git").mkdir(exist_ok=True)

    def write(rel: str, text: str) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    for n in range(args.services):
        good = rnd.random() < 0.5
        opts = " -g TERM -t 55" if good else ""
        jopts = ', "-g", "TERM", "-t", "55"' if good else ""
        svc = f"services/svc{n}"
        write(f"{svc}/deploy/huey.service", UNIT.format(n=n, opts=opts, timeout=60 if good else 10))
        write(f"{svc}/Dockerfile", DOCKERFILE.format(n=n, opts=jopts))
        write(f"{svc}/docker/entrypoint.sh", ENTRYPOINT)
        write(f"{svc}/compose.yaml", COMPOSE.format(n=n, timeout=60 if good else 10))
        write(f"{svc}/svc{n}/__init__.py", "")
        write(f"{svc}/svc{n}/tasks.py", TASKS.format(n=n))
        write(f"{svc}/requirements.txt", "huey[redis]==3.5.4\nredis==5.2.1\n")
    for n in range(args.modules):
        write(f"lib/pkg{n % 50}/mod{n}.py", PLAIN.format(n=n))
        if n % 3 == 0:
            write(f"frontend/src/component{n}.js", f"export const c{n} = () => {n};\n" * 20)
        if n % 5 == 0:
            write(f"docs/page{n}.md", f"# Page {n}\n\nText.\n" * 30)
    if args.tiny:
        write("tiny/__init__.py", "")
        write("tiny/queue.py", "import os\nfrom huey import RedisHuey\n\nhuey = RedisHuey('tiny', url=os.environ['REDIS_URL'])\n")
        write("deploy/tiny.service", UNIT.format(n="-tiny", opts="", timeout=10).replace("svc-tiny.tasks.huey",
                                                                                        "tiny.queue.huey"))
    for n in range(args.tiny):
        if n % 100 == 0:
            write(f"tiny/pkg{n // 100}/__init__.py", "")
        write(f"tiny/pkg{n // 100}/job{n}.py", TINY.format(n=n))
    print(f"wrote {args.services} services, {args.modules} plain modules and {args.tiny} tiny huey modules under {root}")


if __name__ == "__main__":
    main()
