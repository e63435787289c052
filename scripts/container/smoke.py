"""The Python half of scripts/container-smoke.sh: reads and checks the Dockerfile, the compose
file and the CI examples, and does the file work on the image's root. Every failure is one
message on standard error naming what broke, and exit status 1.

    smoke.py check                 the static checks (Dockerfile, compose file, CI examples), one line per file
    smoke.py shell                 the Dockerfile and compose service as bash assignments
    smoke.py build-context DIR     copies what the build stage copies into DIR (its .build kept)
    smoke.py populate ROOT BINARY  the runtime stage's COPY lines, BINARY standing for the build stage's product
    smoke.py user ROOT             the USER's uid, gid and groups in the root
    smoke.py libraries ROOT        which package each library of the binary comes from
    smoke.py volumes ROOT          the compose service's mount points exist in the root
    smoke.py slim ROOT             leaves out what Debian's slim images leave out
"""
import argparse
import os
import shlex
import shutil
import sys

from ci_examples import check_examples
from compose_checks import ComposeError, check_compose
from context import BuildContext, in_root, place
from dockerfile import DockerfileError, Image, parse
from image_checks import problems
from rootfs import RootError, check_libraries, slim, user

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read_image(options) -> tuple[Image, BuildContext]:
    context = BuildContext(options.repo)
    with open(options.dockerfile, encoding="utf-8") as file:
        image = parse(file.read())
    found = problems(image, context)
    if found:
        raise DockerfileError("\n".join(found))
    return image, context


def describe(image: Image) -> list[str]:
    build, runtime = image.build, image.runtime
    copies = "; ".join(map(str, runtime.copies))
    return [
        f"build stage swift:{build.swift_version}-{build.distribution}: {shlex.join(build.swift_build)} (installs {build.product} at {build.installed_at})",
        f"runtime stage {runtime.base}: packages {' '.join(runtime.packages)}; then " + "; ".join(runtime.commands),
        f"{copies}; USER {runtime.user}; EXPOSE {' '.join(map(str, runtime.ports))}",
        f"HEALTHCHECK {shlex.join(runtime.healthcheck.command)}; ENTRYPOINT + CMD: {shlex.join(runtime.command)}",
        "the command's files are in the image, it listens on the exposed ports, the health check asks one of them",
    ]


def check(options) -> None:
    image, context = read_image(options)
    for line in describe(image):
        print(f"Dockerfile: {line}")
    passed, _ = check_compose(options.compose, image, context)
    print("\n".join(passed + check_examples(options.examples, image, context)))


def bash_array(name: str, words) -> str:
    return f"{name}=({' '.join(shlex.quote(str(word)) for word in words)})"


def shell(options) -> None:
    image, context = read_image(options)
    _, service = check_compose(options.compose, image, context)
    build, runtime = image.build, image.runtime
    print("\n".join([
        f"build_swift_version={shlex.quote(build.swift_version)}",
        f"build_distribution={shlex.quote(build.distribution)}",
        bash_array("build_apt_packages", build.apt_packages),
        bash_array("swift_build", build.swift_build),
        bash_array("bin_path_command", build.bin_path_command),
        f"product={shlex.quote(build.product)}",
        f"suite={shlex.quote(runtime.suite)}",
        bash_array("packages", runtime.packages),
        bash_array("runtime_commands", runtime.commands),
        f"binary_in_image={shlex.quote(runtime.binary)}",
        f"image_user={shlex.quote(runtime.user)}",
        bash_array("ports", runtime.ports),
        bash_array("healthcheck", runtime.healthcheck.command),
        bash_array("image_command", runtime.command),
        bash_array("compose_command", service.command),
        bash_array("compose_mounts", [f"{host}:{container}" for host, container in service.volumes]),
        bash_array("compose_healthcheck", service.healthcheck),
    ]))


def build_context(options) -> None:
    """The build stage's WORKDIR as a folder: only what its COPY lines copy (`.dockerignore`
    honoured), so a source the build needs but the Dockerfile does not copy fails the build here too."""
    image, context = read_image(options)
    folder, workdir = options.paths[0], image.build.workdir
    os.makedirs(folder, exist_ok=True)
    for entry in os.listdir(folder):
        if entry != ".build":  # kept, so that a second run builds incrementally
            remove(os.path.join(folder, entry))
    for copy in image.build.copies:
        for source, target in context.targets(copy, workdir):
            if os.path.relpath(target, workdir).startswith(".."):
                raise DockerfileError(f"Dockerfile:{copy.line}: the build stage copies to {target}, outside its WORKDIR {workdir}")
            place(source, os.path.join(folder, os.path.relpath(target, workdir)))


def populate(options) -> None:
    """The runtime stage's COPY lines into the root; the build stage's product is BINARY."""
    image, context = read_image(options)
    root, binary = options.paths
    for copy in image.runtime.copies:
        pairs = [(binary, copy.destination)] if copy.from_stage else context.targets(copy)
        for source, target in pairs:
            place(source, in_root(root, target))
        print(f"{copy}: {len(pairs)} file{'s' if len(pairs) != 1 else ''}")


def image_user(options) -> None:
    image, _ = read_image(options)
    uid, gid, groups, home = user(options.paths[0], image.runtime.user)
    print(uid, gid, ",".join(map(str, groups)), home)


def libraries(options) -> None:
    image, _ = read_image(options)
    print("\n".join(check_libraries(options.paths[0], image.runtime.binary, image.runtime.packages)))


def volumes(options) -> None:
    """Compose mounts over these paths, so the image must have them (a mount point Docker would
    otherwise create in a read-only root)."""
    image, context = read_image(options)
    _, service = check_compose(options.compose, image, context)
    for _, container in service.volumes:
        if not os.path.isdir(in_root(options.paths[0], container)):
            raise RootError(f"{os.path.relpath(options.compose, options.repo)}: mounts over {container}, which the image root does not have")
    print(f"the image has {', '.join(container for _, container in service.volumes)}")


def remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.remove(path)


COMMANDS = {"check": (check, 0), "shell": (shell, 0), "build-context": (build_context, 1), "populate": (populate, 2),
            "user": (image_user, 1), "libraries": (libraries, 1), "volumes": (volumes, 1),
            "slim": (lambda options: slim(options.paths[0]), 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description="The container smoke test's checks and file work.")
    parser.add_argument("--repo", default=REPOSITORY, help="the build context (default: this repository)")
    parser.add_argument("--dockerfile", help="default: REPO/Dockerfile")
    parser.add_argument("--compose", help="default: REPO/docker-compose.yml")
    parser.add_argument("--examples", help="the CI examples' folder (default: REPO/docs/ci-examples)")
    parser.add_argument("command", choices=COMMANDS)
    parser.add_argument("paths", nargs="*")
    options = parser.parse_args()
    options.dockerfile = options.dockerfile or os.path.join(options.repo, "Dockerfile")
    options.compose = options.compose or os.path.join(options.repo, "docker-compose.yml")
    options.examples = options.examples or os.path.join(options.repo, "docs/ci-examples")
    function, arity = COMMANDS[options.command]
    if len(options.paths) != arity:
        parser.error(f"{options.command} takes {arity} path{'s' if arity != 1 else ''}")
    try:
        function(options)
    except (DockerfileError, ComposeError, RootError) as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
