"""docker-compose.yml and the CI examples in docs/ci-examples/, held to the Dockerfile: the same
command (a `--log` flag aside), the same ports, mounts of paths the image has, the same health
check. Each file is parsed with PyYAML, so a syntax error is reported as such."""
import os
import re
import shlex
from dataclasses import dataclass

import yaml

from context import BuildContext
from dockerfile import Image
from image_checks import copied_from, missing_file

SERVICE = "confluence-auth-mock"


class ComposeError(Exception):
    """A compose file or CI example that differs from the Dockerfile; the message names the file."""


@dataclass
class ComposeService:
    """What the smoke test runs for the compose service: its command, mounts and health check."""
    command: list[str]
    volumes: list[tuple[str, str]]
    healthcheck: list[str]


def without_log_flag(command: list[str]) -> list[str]:
    """The command with `--log FORMAT` left out: a request log changes nothing the image serves."""
    result, skip = [], False
    for word in command:
        if skip:
            skip = False
        elif word == "--log":
            skip = True
        elif not word.startswith("--log="):
            result.append(word)
    return result


def load(path: str, name: str) -> dict:
    """The YAML file at `path` (called `name` in messages) as a mapping."""
    try:
        with open(path, encoding="utf-8") as file:
            document = yaml.safe_load(file)
    except yaml.YAMLError as error:
        raise ComposeError(f"{name}: not valid YAML: {error}") from None
    if not isinstance(document, dict):
        raise ComposeError(f"{name}: not a YAML mapping")
    return document


def require(condition: bool, message: str) -> None:
    if not condition:
        raise ComposeError(message)


def container_ports(file: str, ports: list) -> list[int]:
    """The container side of each `HOST:CONTAINER` port mapping."""
    result = []
    for mapping in ports or []:
        match = re.fullmatch(r"(?:[\d.]+:)?(?:\d+:)?(\d+)(?:/tcp)?", str(mapping))
        require(match is not None, f"{file}: port mapping {mapping!r} is not HOST:CONTAINER")
        result.append(int(match.group(1)))
    return sorted(result)


def check_command(file: str, command: list[str], image: Image) -> None:
    require(without_log_flag(command) == image.runtime.cmd,
            f"{file}: the command {shlex.join(command)} differs from the Dockerfile's CMD {shlex.join(image.runtime.cmd)} (a --log flag aside)")


def check_ports(file: str, ports: list[int], image: Image) -> None:
    require(ports == sorted(image.runtime.ports),
            f"{file}: publishes container ports {ports}, but the image exposes {sorted(image.runtime.ports)}")


def check_compose(path: str, image: Image, context: BuildContext) -> tuple[list[str], ComposeService]:
    """The checks passed (one line each) and the service to run; raises ComposeError at the first difference."""
    file = os.path.relpath(path, context.root)
    service = (load(path, file).get("services") or {}).get(SERVICE)
    require(isinstance(service, dict), f"{file}: no service {SERVICE}")
    require(service.get("build") in (".", {"context": "."}), f"{file}: the service must build the repository's Dockerfile (build: .)")
    command = service.get("command") or []
    check_command(file, command, image)
    check_ports(file, container_ports(file, service.get("ports")), image)
    volumes = [check_volume(file, volume, image, context) for volume in service.get("volumes") or []]
    require(service.get("read_only") is True, f"{file}: the service must run read-only (read_only: true): the mock writes no file")
    test = (service.get("healthcheck") or {}).get("test")
    require(test == ["CMD"] + image.runtime.healthcheck.command,
            f"{file}: healthcheck test {test} differs from the Dockerfile's HEALTHCHECK {image.runtime.healthcheck.command}")
    check_health_timing(file, service["healthcheck"], image)
    extra = command[len(image.runtime.cmd):] if command[:len(image.runtime.cmd)] == image.runtime.cmd else []
    passed = [f"{file}: command = CMD{' + ' + shlex.join(extra) if extra else ''}, ports = EXPOSE, "
              f"volumes {' '.join(service.get('volumes') or [])} are image paths, read_only, healthcheck = HEALTHCHECK"]
    return passed, ComposeService(image.runtime.entrypoint + command, volumes, image.runtime.healthcheck.command)


def check_volume(file: str, volume: str, image: Image, context: BuildContext) -> tuple[str, str]:
    """`./HOST:/CONTAINER:ro`: the host folder exists, the image has the container path, mounted read-only."""
    parts = str(volume).split(":")
    require(len(parts) == 3 and parts[2] == "ro", f"{file}: volume {volume!r} must be ./HOST:/CONTAINER:ro (the image runs read-only)")
    host = os.path.normpath(os.path.join(context.root, parts[0]))
    require(os.path.isdir(host), f"{file}: volume {volume!r}: {parts[0]} is not a folder of the repository")
    require(any(copied_from(copy, parts[1]) for copy in image.runtime.copies),
            f"{file}: volume {volume!r}: the image has nothing at {parts[1]} ({missing_file(image, context, parts[1] + '/')})")
    return host, parts[1]


def check_health_timing(file: str, options: dict, image: Image) -> None:
    expected = image.runtime.healthcheck.options
    for name in ("interval", "timeout", "retries"):
        require(str(options.get(name)) == expected.get(name),
                f"{file}: health check {name} {options.get(name)} differs from the Dockerfile's {expected.get(name)}")
