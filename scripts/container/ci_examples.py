"""The CI examples in docs/ci-examples/, parsed with PyYAML and held to the Dockerfile: the command
the mock runs with (a `--log` flag aside; for the binary, the repository's folders standing for
the image's), the ports, and the health check. Every file there must have a check here."""
import glob
import os
import re
import shlex

from compose_checks import check_command, check_ports, container_ports, load, require, without_log_flag
from context import BuildContext
from dockerfile import Image
from image_checks import copied_from

PROGRAM = "confluence-auth-mock"
SHELL_OPERATORS = ("&", "&&", "||", ";", "|")


def jobs(document: dict) -> list[dict]:
    return [job for job in (document.get("jobs") or {}).values() if isinstance(job, dict)]


def health_url(image: Image) -> str:
    return next(word for word in image.runtime.healthcheck.command if "://" in word)


def option_value(options: list[str], name: str) -> str | None:
    return options[options.index(name) + 1] if name in options[:-1] else None


def github_service_container(file: str, document: dict, image: Image, context: BuildContext) -> str:
    """A job's service running the image: its ports, and docker options giving the same health check, read-only."""
    services = [service for job in jobs(document) for service in (job.get("services") or {}).values()
                if PROGRAM in str(service.get("image"))]
    require(len(services) == 1, f"{file}: no job has a service with the {PROGRAM} image")
    service = services[0]
    check_ports(file, container_ports(file, service.get("ports")), image)
    options = shlex.split(service.get("options") or "")
    command = shlex.split(option_value(options, "--health-cmd") or "")
    require(command == image.runtime.healthcheck.command,
            f"{file}: --health-cmd {shlex.join(command)} differs from the Dockerfile's HEALTHCHECK {shlex.join(image.runtime.healthcheck.command)}")
    for name, expected in image.runtime.healthcheck.options.items():
        given = option_value(options, f"--health-{name}")
        require(given == expected, f"{file}: --health-{name} {given} differs from the Dockerfile's HEALTHCHECK --{name}={expected}")
    require("--read-only" in options, f"{file}: the service must run read-only (--read-only), as docker-compose.yml does")
    return f"{file}: ports = EXPOSE, --health-cmd and its timing = HEALTHCHECK, --read-only"


def invocation(script: str, subcommand: str) -> list[str] | None:
    """The arguments of the first `…/confluence-auth-mock SUBCOMMAND …` in a shell script, up to a shell operator or redirection."""
    for line in script.splitlines():
        try:
            words = shlex.split(line)
        except ValueError:
            continue
        for index, word in enumerate(words[:-1]):
            if os.path.basename(word) == PROGRAM and words[index + 1] == subcommand:
                arguments = []
                for argument in words[index + 1:]:
                    if argument in SHELL_OPERATORS or re.match(r"\d?>", argument):
                        break
                    arguments.append(argument)
                return arguments
    return None


def repository_paths(image: Image, command: list[str]) -> list[str]:
    """The image's command with each file the image copies from the repository named by its repository path."""
    def local(argument: str) -> str:
        for copy in reversed(image.runtime.copies):
            source = copied_from(copy, argument) if argument.startswith("/") else None
            if source and not copy.from_stage:
                return source
        return argument
    return [local(argument) for argument in command]


def github_binary(file: str, document: dict, image: Image, context: BuildContext) -> str:
    """Steps that start the built binary with the image's command and wait on the image's health check."""
    scripts = "\n".join(str(step.get("run", "")) for job in jobs(document) for step in job.get("steps") or [])
    serve, health = invocation(scripts, "serve"), invocation(scripts, "health")
    expected = repository_paths(image, image.runtime.cmd)
    require(serve is not None and without_log_flag(serve) == expected,
            f"{file}: the mock's command {shlex.join(serve or [])} differs from the Dockerfile's CMD with repository paths {shlex.join(expected)}")
    require(health == image.runtime.healthcheck.command[1:] and image.runtime.healthcheck.command[0] == PROGRAM,
            f"{file}: the health check {shlex.join(health or [])} differs from the Dockerfile's HEALTHCHECK {shlex.join(image.runtime.healthcheck.command)}")
    return f"{file}: command = CMD (repository paths for /certs and /scenarios), health check = HEALTHCHECK"


def gitlab_service(file: str, document: dict, image: Image, context: BuildContext) -> str:
    """A job's `services:` entry with the image's command, and a wait on the health check's URL at the service's alias."""
    entries = [(job, service) for job in document.values() if isinstance(job, dict)
               for service in job.get("services") or [] if isinstance(service, dict) and PROGRAM in str(service.get("name"))]
    require(len(entries) == 1, f"{file}: no job has a services: entry with the {PROGRAM} image")
    job, service = entries[0]
    check_command(file, service.get("command") or image.runtime.cmd, image)
    url = re.match(r"https?://[^/:]+(:\d+)?(/\S*)", health_url(image))
    wanted = f"http://{service.get('alias')}{url.group(1) or ''}{url.group(2)}"
    scripts = "\n".join(str(line) for line in (job.get("before_script") or []) + (job.get("script") or []))
    require(wanted in scripts, f"{file}: the job does not wait on the health check's URL at the service's alias ({wanted})")
    return f"{file}: services: command = CMD, the job waits on {wanted} (the HEALTHCHECK's URL)"


CHECKS = {
    "github-actions-service-container.yml": github_service_container,
    "github-actions-binary.yml": github_binary,
    "gitlab-ci.yml": gitlab_service,
}


def check_examples(folder: str, image: Image, context: BuildContext) -> list[str]:
    """One line per example checked; ComposeError at the first difference or an example without a check."""
    present = {os.path.basename(path) for path in glob.glob(os.path.join(folder, "*.yml"))}
    unchecked, missing = sorted(present - set(CHECKS)), sorted(set(CHECKS) - present)
    relative = os.path.relpath(folder, context.root)
    require(not unchecked, f"{relative}: {', '.join(unchecked)} has no check in scripts/container/ci_examples.py")
    require(not missing, f"{relative}: {', '.join(missing)} is missing")
    return [CHECKS[name](f"{relative}/{name}", load(os.path.join(folder, name), f"{relative}/{name}"), image, context) for name in sorted(CHECKS)]

