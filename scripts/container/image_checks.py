"""What can be checked of the image without building it: every COPY has its source, the command's
files are in the image, the ports it listens on are the exposed ones, the health check asks one
of them. Each problem names the Dockerfile line and what is wrong."""
import os
import re

from context import BuildContext
from dockerfile import Copy, Image


def copied_from(copy: Copy, path: str) -> str | None:
    """The source path (context-relative, or the other stage's) that `copy` puts at image `path`."""
    destination = os.path.normpath(copy.destination)
    if path == destination or (copy.destination.endswith("/") and path == os.path.join(destination, os.path.basename(copy.source))):
        return copy.source
    if path.startswith(destination + "/"):
        return os.path.join(copy.source, os.path.relpath(path, destination))
    return None


def missing_file(image: Image, context: BuildContext, path: str) -> str | None:
    """Why image `path` is not in the image, or None when a COPY puts it there."""
    for copy in reversed(image.runtime.copies):  # a later COPY overwrites an earlier one
        source = copied_from(copy, path)
        if source is None:
            continue
        if copy.from_stage or context.files(source):
            return None
        if source == copy.source:
            return f"COPY {copy.source} {copy.destination} (line {copy.line}) has no {copy.source} to copy"
        return f"COPY {copy.source} {copy.destination} (line {copy.line}) copies {copy.source}/, which has no {os.path.relpath(source, copy.source)}"
    return f"no COPY line puts anything at {os.path.dirname(path) or path}"


def check_command_files(image: Image, context: BuildContext) -> list[str]:
    runtime = image.runtime
    problems = []
    for argument in runtime.cmd:
        if argument.startswith("/"):
            reason = missing_file(image, context, os.path.normpath(argument))
            if reason:
                problems.append(f"Dockerfile:{runtime.cmd_line}: CMD names {argument}, which the image does not have: {reason}")
    return problems


def check_copy_sources(image: Image, context: BuildContext) -> list[str]:
    problems = []
    for copy in image.build.copies + image.runtime.copies:
        if copy.from_stage is None and not context.files(copy.source):
            problems.append(f"Dockerfile:{copy.line}: COPY {copy.source}: no such file or folder in the build context")
        elif copy.from_stage is not None and (copy.from_stage, copy.source) != (image.build.name, image.build.installed_at):
            problems.append(f"Dockerfile:{copy.line}: COPY --from={copy.from_stage} {copy.source}, but the build stage "
                            f"({image.build.name}) installs only {image.build.installed_at}")
    return problems


def listening_ports(command: list[str]) -> list[int]:
    """The ports `serve` binds: --port (8080 when absent) and --tls-port."""
    ports = {"--port": "8080"}
    for flag, value in zip(command, command[1:]):
        if flag in ("--port", "--tls-port"):
            ports[flag] = value
    return sorted(int(port) for port in ports.values() if port.isdigit())


def check_ports(image: Image) -> list[str]:
    runtime = image.runtime
    listening = listening_ports(runtime.cmd)
    problems = []
    if sorted(runtime.ports) != listening:
        problems.append(f"Dockerfile: EXPOSE {' '.join(map(str, runtime.ports))}, but the command listens on {' '.join(map(str, listening))}")
    for url in (argument for argument in runtime.healthcheck.command if "://" in argument):
        port = re.match(r"https?://[^/:]+:(\d+)", url)
        if not port or int(port.group(1)) not in listening:
            problems.append(f"Dockerfile:{runtime.healthcheck.line}: HEALTHCHECK asks {url}, not a port the command listens on ({' '.join(map(str, listening))})")
    return problems


def problems(image: Image, context: BuildContext) -> list[str]:
    """Every problem found, in Dockerfile order of concern: copies, the command's files, ports."""
    return check_copy_sources(image, context) + check_command_files(image, context) + check_ports(image)
