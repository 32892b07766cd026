"""Programs an image compiles (Go, C, Rust) are no consumer launch; ``COPY --from`` follows a file to its stage.

Field test (nosnaws/tiam): a Go Battlesnake called Huey, ``go build -o huey`` in a builder stage and ``CMD
["./huey"]``, was reported as a consumer launch (HL004, HL101, HL102).
"""

from __future__ import annotations

import pytest

from hueylint.platforms.compiled import compiled_outputs
from tests.helpers import lint, triples, write_tree


def _programs(text: str, workdir: str = "/src", env: dict[str, str] | None = None) -> list[tuple[str, bool]]:
    return [(out.path, out.folder) for out in compiled_outputs(text, workdir, env)]


@pytest.mark.parametrize("run, workdir, expected", [
    # go build: -o file (relative to the working directory, either flag spelling), or an existing folder
    ("go build -o huey ./cmd/huey", "/src", [("/src/huey", False), ("/src/huey/huey", False)]),
    ("CGO_ENABLED=0 go build --ldflags='-s -w' -o=/out/app .", "/src", [("/out/app", False), ("/out/app/src", False)]),
    ("go build -o /usr/local/bin/ ./cmd/...", "/src", [("/usr/local/bin", True)]),
    # without -o: the package's last import-path element (a /vN element skipped), or the first .go file's name
    ("go build ./cmd/huey", "/src", [("/src/huey", False)]),
    ("go build example.com/huey/v2", "/w", [("/w/huey", False)]),
    ("go build main.go util.go", "/w", [("/w/main", False)]),
    ("go build", "/go/src/huey", [("/go/src/huey/huey", False)]),
    ("go build ./a ./b", "/src", []),  # several packages, no -o: built and discarded
    ("go build -C cmd/huey -o ../../bin/huey", "/src", [("/src/bin/huey", False), ("/src/bin/huey/huey", False)]),
    # go install: $GOBIN, else $GOPATH/bin (/go/bin in the golang images)
    ("go install ./cmd/huey", "/src", [("/go/bin", True)]),
    ("GOBIN=/usr/local/bin go install example.com/huey@latest", "/src", [("/usr/local/bin", True)]),
    # C compilers: -o FILE / -oFILE, else a.out; -c links nothing
    ("gcc -O2 -I include -o huey huey.c", "/src", [("/src/huey", False)]),
    ("x86_64-linux-gnu-gcc-12 -ohuey huey.c", "/src", [("/src/huey", False)]),
    ("cc huey.c", "/src", [("/src/a.out", False)]),
    ("gcc -c huey.c -o huey.o", "/src", []),
    # Rust: rustc -o / the crate file's name; cargo build below the target dir; cargo install into its root
    ("rustc -O huey.rs", "/src", [("/src/huey", False)]),
    ("cargo build --release", "/src", [("/src/target", True)]),
    ("cargo build --release --target-dir=/out", "/src", [("/out", True)]),
    ("cargo install --path . --root /usr/local", "/src", [("/usr/local/bin", True)]),
    # `cd` earlier in the RUN moves the working directory; `sh -c` code is read too
    ("cd cmd/huey && go build -o /bin/huey . && cd /", "/src", [("/bin/huey", False), ("/bin/huey/huey", False)]),
    ("sh -c 'cd /x && gcc -o huey main.c'", "/src", [("/x/huey", False)]),
    # not compilers
    ("pip install huey && echo go build -o huey", "/src", []),
])
def test_compiler_outputs(run, workdir, expected):
    assert _programs(run, workdir) == expected


def test_a_go_install_reads_the_images_gopath():
    assert _programs("go install ./cmd/huey", env={"GOPATH": "/home/app/go"}) == [("/home/app/go/bin", True)]


def _launches(tmp_path, dockerfile: str, files: dict[str, str] | None = None):
    write_tree(tmp_path, {"Dockerfile": dockerfile, **(files or {})})
    result = lint(tmp_path)
    return result, [launch.name for launch in result.project.launches]


@pytest.mark.parametrize("dockerfile", [
    # one stage: the program compiled onto PATH
    "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /usr/local/bin/huey ./cmd/huey\nCMD [\"huey\"]\n",
    # a later stage named FROM the builder inherits its files
    "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o huey .\nFROM build\nCMD [\"./huey\", \"--port\", \"8080\"]\n",
    # cargo's target folder, copied by stage index into a folder on PATH
    "FROM rust:1.80\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n"
    "FROM debian:12-slim\nCOPY --from=0 /app/target/release/huey-bot /usr/local/bin/\nCMD [\"huey-bot\"]\n",
    # a C program through two stages
    "FROM gcc:14 AS cc\nWORKDIR /b\nCOPY huey.c .\nRUN gcc -o huey huey.c\n"
    "FROM debian:12 AS mid\nCOPY --from=cc /b/huey /opt/huey\n"
    "FROM debian:12\nCOPY --from=mid /opt /opt\nENTRYPOINT [\"/opt/huey\"]\n",
])
def test_a_compiled_program_named_huey_is_no_launch(tmp_path, dockerfile):
    result, names = _launches(tmp_path, dockerfile, {"huey.c": "int main(void) { return 0; }\n"})
    assert names == [] and triples(result) == []
    (dropped,) = result.project.dropped
    assert dropped.why.startswith("a program the image compiles (`") and dropped.why.endswith("not a huey consumer")


def test_a_repository_file_copied_over_the_compiled_one_is_what_runs(tmp_path):
    """The last writer wins: a COPY of a repository script after the RUN replaces the binary."""
    script = "#!/bin/sh\nexec huey_consumer app.huey -w 2\n"
    result, names = _launches(tmp_path, "FROM golang:1.22\nWORKDIR /src\nRUN go build -o huey ./cmd\n"
                              "COPY huey /src/huey\nCMD [\"./huey\"]\n", {"huey": script})
    assert names == ["Dockerfile"] and result.project.dropped == []


@pytest.mark.parametrize("dockerfile", [
    # a file from an image, not from a stage of this build: not known to be compiled, still followed up
    "FROM python:3.12\nCOPY --from=ghcr.io/acme/tools:1 /bin/huey /usr/local/bin/huey\nCMD [\"huey\"]\n",
    # a compiled wrapper with a word about huey after it may start the consumer: still a candidate
    "FROM golang:1.22\nWORKDIR /src\nRUN go build -o huey-runner .\nCMD [\"./huey-runner\", \"app.huey\"]\n",
])
def test_what_is_not_known_to_be_a_compiled_program_stays_a_candidate(tmp_path, dockerfile):
    result, _names = _launches(tmp_path, dockerfile)
    assert [f.rule for f in result.findings if f.rule == "HL004"] == ["HL004"]
    assert result.project.dropped == []


@pytest.mark.parametrize("copy, script", [
    ("COPY --from=scripts /build/start.sh /usr/local/bin/start-worker", "start-worker"),  # a file to a file
    ("COPY --from=scripts /build/ /srv/bin/", "/srv/bin/start.sh"),  # a folder's contents
    ("COPY --from=scripts /build/start.sh /srv/", "/srv/start.sh"),  # a file into a folder
])
def test_a_script_copied_from_an_earlier_stage_is_followed_to_the_repository(tmp_path, copy, script):
    dockerfile = (f"FROM python:3.12 AS scripts\nWORKDIR /build\nCOPY start.sh ./\nFROM python:3.12\n{copy}\n"
                  f"STOPSIGNAL SIGINT\nUSER app\nCMD [\"{script}\"]\n")
    result, names = _launches(tmp_path, dockerfile, {"start.sh": "#!/bin/sh\nhuey_consumer app.huey -t 5\n"})
    assert names == ["Dockerfile"]
    assert ("HL201", "Dockerfile", 8) in triples(result)
