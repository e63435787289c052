"""The Dockerfile, read as the container smoke test reproduces it.

The build stage gives the inputs it copies, the `swift build` command and where it installs the
product; the runtime stage gives the Debian base, the packages of its `apt-get install`, its other
commands, its copies, user, ports, health check and command. An instruction or command the smoke
test cannot reproduce is an error naming its line, so the Dockerfile cannot grow a step the test
silently leaves out.
"""
import json
import re
import shlex
from dataclasses import dataclass


class DockerfileError(Exception):
    """A Dockerfile the smoke test cannot reproduce or that is wrong; the message names the line."""


@dataclass
class Instruction:
    line: int
    keyword: str
    arguments: str


@dataclass
class Copy:
    line: int
    source: str
    destination: str
    from_stage: str | None

    def __str__(self) -> str:
        return f"COPY {'--from=' + self.from_stage + ' ' if self.from_stage else ''}{self.source} {self.destination}"


@dataclass
class HealthCheck:
    line: int
    command: list[str]
    options: dict[str, str]


@dataclass
class BuildStage:
    name: str
    swift_version: str
    distribution: str
    workdir: str
    copies: list[Copy]
    apt_packages: list[str]
    swift_build: list[str]
    bin_path_command: list[str]
    product: str
    installed_at: str


@dataclass
class RuntimeStage:
    base: str
    suite: str
    packages: list[str]
    commands: list[str]
    copies: list[Copy]
    user: str
    ports: list[int]
    healthcheck: HealthCheck
    entrypoint: list[str]
    cmd: list[str]
    cmd_line: int

    @property
    def command(self) -> list[str]:
        """What the container runs: ENTRYPOINT followed by CMD."""
        return self.entrypoint + self.cmd

    @property
    def binary(self) -> str:
        """Where the image has the build stage's product (the first COPY --from; parsing requires one)."""
        return next(copy.destination for copy in self.copies if copy.from_stage)


@dataclass
class Image:
    build: BuildStage
    runtime: RuntimeStage


def instructions(text: str) -> list[Instruction]:
    """The instructions in order, continuation lines joined, comments and blank lines left out."""
    result, pending, start = [], "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        whole = pending + stripped
        pending = ""
        keyword, _, arguments = whole.partition(" ")
        result.append(Instruction(start, keyword.upper(), arguments.strip()))
    if pending:
        raise DockerfileError(f"Dockerfile:{start}: the last instruction ends with a line continuation")
    return result


def substitute(text: str, variables: dict[str, str], line: int) -> str:
    def value(match):
        name = match.group(1) or match.group(2)
        if name not in variables:
            raise DockerfileError(f"Dockerfile:{line}: ${name} has no ARG default")
        return variables[name]
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", value, text)


def exec_form(instruction: Instruction, text: str) -> list[str]:
    """A JSON array (exec form); the shell form is refused, as it would run through /bin/sh."""
    try:
        words = json.loads(text)
    except json.JSONDecodeError:
        words = None
    if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
        raise DockerfileError(f"Dockerfile:{instruction.line}: {instruction.keyword} must use the exec form "
                              f"[\"program\", \"argument\", ...], not {text!r}")
    return words


def shell_segments(command: str) -> list[str]:
    """A RUN command split at `&&`, each part stripped (the commands it chains)."""
    return [segment.strip() for segment in command.split("&&") if segment.strip()]


def apt_install_packages(segment: str) -> list[str] | None:
    """The packages of an `apt-get … install …` segment (options left out); None for any other segment."""
    if not segment.startswith("apt-get "):
        return None
    words = shlex.split(segment)
    if "install" not in words:
        return None
    return [word for word in words[words.index("install") + 1:] if not word.startswith("-")]


def parse_copy(instruction: Instruction) -> Copy:
    words = shlex.split(instruction.arguments)
    from_stage = None
    while words and words[0].startswith("--"):
        option = words.pop(0)
        if not option.startswith("--from="):
            raise DockerfileError(f"Dockerfile:{instruction.line}: COPY {option} is not reproduced by the smoke test")
        from_stage = option.removeprefix("--from=")
    if len(words) != 2:
        raise DockerfileError(f"Dockerfile:{instruction.line}: COPY needs exactly one source and one destination")
    return Copy(instruction.line, words[0], words[1], from_stage)


def split_stages(all_instructions: list[Instruction]) -> list[tuple[Instruction, list[Instruction]]]:
    """(FROM, the instructions after it) per stage; ARGs before the first FROM are substituted in FROM."""
    variables, stages = {}, []
    for instruction in all_instructions:
        if instruction.keyword == "ARG" and not stages:
            name, _, default = instruction.arguments.partition("=")
            variables[name] = default
        elif instruction.keyword == "FROM":
            arguments = substitute(instruction.arguments, variables, instruction.line)
            stages.append((Instruction(instruction.line, "FROM", arguments), []))
        elif not stages:
            raise DockerfileError(f"Dockerfile:{instruction.line}: {instruction.keyword} before the first FROM")
        else:
            stages[-1][1].append(instruction)
    if len(stages) != 2:
        raise DockerfileError(f"Dockerfile: {len(stages)} stages; the smoke test reproduces exactly two (build, runtime)")
    return stages


def parse_build_stage(start: Instruction, body: list[Instruction]) -> BuildStage:
    image, _, name = start.arguments.partition(" AS ")
    match = re.fullmatch(r"swift:(\d+\.\d+(?:\.\d+)?)-(\w+)", image.strip())
    if not match or not name.strip():
        raise DockerfileError(f"Dockerfile:{start.line}: the build stage must be FROM swift:VERSION-DISTRIBUTION AS NAME, not {start.arguments!r}")
    fields = {"workdir": "/", "copies": [], "apt_packages": []}
    for instruction in body:
        if instruction.keyword == "WORKDIR":
            fields["workdir"] = instruction.arguments
        elif instruction.keyword == "COPY":
            fields["copies"].append(parse_copy(instruction))
        elif instruction.keyword == "RUN":
            for segment in shell_segments(instruction.arguments):
                parse_build_command(instruction.line, segment, fields)
        else:
            raise DockerfileError(f"Dockerfile:{instruction.line}: the smoke test does not reproduce {instruction.keyword} in the build stage")
    if "swift_build" not in fields or "product" not in fields:
        raise DockerfileError(f"Dockerfile:{start.line}: the build stage must RUN `swift build …` and "
                              "`install … \"$(swift build … --show-bin-path)/PRODUCT\" DESTINATION`")
    return BuildStage(name=name.strip(), swift_version=match.group(1), distribution=match.group(2), **fields)


def parse_build_command(line: int, segment: str, fields: dict) -> None:
    """One command of a build-stage RUN. Only these are known: the test must never run an unknown
    build command on the machine itself."""
    packages = apt_install_packages(segment)
    if packages is not None:
        fields["apt_packages"] += packages
    elif segment.startswith("swift build"):
        fields["swift_build"] = shlex.split(segment)
    elif segment.startswith("install "):
        fields["bin_path_command"], fields["product"], fields["installed_at"] = parse_install(line, segment)
    elif segment not in ("apt-get update", "rm -rf /var/lib/apt/lists/*"):
        raise DockerfileError(f"Dockerfile:{line}: the smoke test does not reproduce the build stage's `{segment}`")


def parse_install(line: int, segment: str) -> tuple[list[str], str, str]:
    """`install -m 755 "$(swift build … --show-bin-path)/PRODUCT" DESTINATION`: the bin-path command, the product, where it goes."""
    match = re.fullmatch(r'install(?: -m \d+)? "\$\((swift build [^)]*--show-bin-path)\)/([\w.-]+)" (\S+)', segment)
    if not match:
        raise DockerfileError(f"Dockerfile:{line}: the smoke test reads the build stage's install as "
                              f"`install -m MODE \"$(swift build … --show-bin-path)/PRODUCT\" DESTINATION`, not `{segment}`")
    return shlex.split(match.group(1)), match.group(2), match.group(3)


def parse_healthcheck(instruction: Instruction) -> HealthCheck:
    options, rest = {}, instruction.arguments
    while rest.startswith("--"):
        option, _, rest = rest.partition(" ")
        name, _, value = option[2:].partition("=")
        options[name] = value
        rest = rest.strip()
    if not rest.startswith("CMD "):
        raise DockerfileError(f"Dockerfile:{instruction.line}: HEALTHCHECK must be [OPTIONS] CMD [\"program\", ...]")
    return HealthCheck(instruction.line, exec_form(instruction, rest.removeprefix("CMD ").strip()), options)


def parse_runtime_stage(start: Instruction, body: list[Instruction]) -> RuntimeStage:
    match = re.fullmatch(r"debian:(\w+)(?:-slim)?", start.arguments.strip())
    if not match:
        raise DockerfileError(f"Dockerfile:{start.line}: the runtime stage must be FROM debian:SUITE[-slim] (what debootstrap makes), not {start.arguments!r}")
    fields = {"packages": [], "commands": [], "copies": []}
    for instruction in body:
        parse_runtime_instruction(instruction, fields)
    for keyword in ("user", "ports", "healthcheck", "entrypoint", "cmd"):
        if keyword not in fields:
            raise DockerfileError(f"Dockerfile: the runtime stage has no {keyword.upper() if keyword != 'ports' else 'EXPOSE'}")
    if not any(copy.from_stage for copy in fields["copies"]):
        raise DockerfileError("Dockerfile: the runtime stage copies nothing from the build stage")
    return RuntimeStage(start.arguments.strip(), match.group(1), **fields)


def parse_runtime_instruction(instruction: Instruction, fields: dict) -> None:
    keyword, arguments = instruction.keyword, instruction.arguments
    if keyword == "RUN":
        for segment in shell_segments(arguments):
            packages = apt_install_packages(segment)
            if packages is not None:
                fields["packages"] += packages
            elif segment != "apt-get update":
                fields["commands"].append(segment)
    elif keyword == "COPY":
        fields["copies"].append(parse_copy(instruction))
    elif keyword == "USER":
        fields["user"] = arguments
    elif keyword == "EXPOSE":
        fields["ports"] = [int(port.removesuffix("/tcp")) for port in arguments.split()]
    elif keyword == "HEALTHCHECK":
        fields["healthcheck"] = parse_healthcheck(instruction)
    elif keyword == "ENTRYPOINT":
        fields["entrypoint"] = exec_form(instruction, arguments)
    elif keyword == "CMD":
        fields["cmd"], fields["cmd_line"] = exec_form(instruction, arguments), instruction.line
    elif keyword == "LABEL":
        pass  # metadata only: nothing to reproduce
    else:
        raise DockerfileError(f"Dockerfile:{instruction.line}: the smoke test does not reproduce {keyword} in the runtime stage; "
                              "teach scripts/container/dockerfile.py what it does to the image")


def parse(text: str) -> Image:
    (build_from, build_body), (runtime_from, runtime_body) = split_stages(instructions(text))
    try:
        build = parse_build_stage(build_from, build_body)
        runtime = parse_runtime_stage(runtime_from, runtime_body)
    except ValueError as error:  # shlex's unbalanced quotes, a port that is no number
        raise DockerfileError(f"Dockerfile: {error}") from None
    return Image(build, runtime)
