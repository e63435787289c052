"""The image's root folder, made by debootstrap: Debian's slim trimming, the user the image runs
as, and which package each library of the binary comes from."""
import glob
import os
import re
import shutil
import subprocess

# What Debian's slim images leave out (documentation, manuals, translations) and the apt caches
# their apt configuration empties after every install; copyright files and locale.alias stay.
SLIM_REMOVED = ["usr/share/doc/*", "usr/share/groff/*", "usr/share/info/*", "usr/share/linda/*",
                "usr/share/lintian/overrides/*", "usr/share/locale/*", "usr/share/man/*",
                "var/cache/apt/archives/*.deb", "var/cache/apt/*.bin"]
SLIM_KEPT = ["usr/share/doc/*/copyright", "usr/share/locale/locale.alias"]


class RootError(Exception):
    """The root lacks what the image needs; the message says what and why."""


def slim(root: str) -> None:
    kept = {path for pattern in SLIM_KEPT for path in glob.glob(os.path.join(root, pattern))}
    for pattern in SLIM_REMOVED:
        for path in glob.glob(os.path.join(root, pattern)):
            if os.path.isdir(path) and not os.path.islink(path):
                inner = [kept_path for kept_path in kept if kept_path.startswith(path + "/")]
                if not inner:
                    shutil.rmtree(path)
                    continue
                for entry in os.listdir(path):
                    if os.path.join(path, entry) not in kept:
                        remove(os.path.join(path, entry))
            elif path not in kept:
                os.remove(path)


def remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.remove(path)


def user(root: str, spec: str) -> tuple[int, int, list[int], str]:
    """USER NAME[:GROUP] or UID[:GID] as Docker resolves it in the image: uid, gid, all group ids, home."""
    name, _, group = spec.partition(":")
    passwd = [line.split(":") for line in open(os.path.join(root, "etc/passwd"), encoding="utf-8") if line.count(":") >= 6]
    entry = next((fields for fields in passwd if name in (fields[0], fields[2])), None)
    if entry is None and not name.isdigit():
        raise RootError(f"USER {spec}: the image has no user {name} (its /etc/passwd)")
    uid = int(entry[2]) if entry else int(name)
    gid = int(group) if group.isdigit() else int(entry[3]) if entry else 0
    groups = [line.split(":") for line in open(os.path.join(root, "etc/group"), encoding="utf-8") if line.count(":") >= 3]
    if group and not group.isdigit():
        gid = next((int(fields[2]) for fields in groups if fields[0] == group), None)
        if gid is None:
            raise RootError(f"USER {spec}: the image has no group {group}")
    login = entry[0] if entry else name
    extra = [int(fields[2]) for fields in groups if login in fields[3].strip().split(",")]
    return uid, gid, sorted({gid, *extra}), entry[5] if entry else "/"


def installed_packages(root: str) -> dict[str, dict[str, str]]:
    """The root's dpkg status: package name to its fields (Priority, Essential, Depends, …)."""
    packages = {}
    text = open(os.path.join(root, "var/lib/dpkg/status"), encoding="utf-8").read()
    for stanza in text.strip().split("\n\n"):
        fields = dict(re.findall(r"^([\w-]+): (.*)$", stanza, re.MULTILINE))
        if "install ok installed" in fields.get("Status", ""):
            packages[fields["Package"]] = fields
    return packages


def dependencies(fields: dict[str, str], installed: dict) -> set[str]:
    """The installed packages a package depends on (of alternatives, the installed ones)."""
    names = set()
    for relation in (fields.get("Pre-Depends", "") + "," + fields.get("Depends", "")).split(","):
        for alternative in relation.split("|"):
            name = re.sub(r"\(.*?\)|:\w+", "", alternative).strip()
            if name in installed:
                names.add(name)
    return names


def closure(start: list[str], installed: dict) -> set[str]:
    """The packages `start` names (those installed) and everything they depend on."""
    pending, seen = [name for name in start if name in installed], set()
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            pending += dependencies(installed[name], installed)
    return seen


def base_packages(installed: dict) -> set[str]:
    """What the base image has before the runtime stage installs anything: debootstrap's minbase is
    the required and essential packages plus apt, with everything they depend on."""
    return closure([name for name, fields in installed.items()
                    if fields.get("Priority") == "required" or fields.get("Essential") == "yes" or name == "apt"], installed)


def library_owners(root: str) -> dict[str, str]:
    """Every shared library file in the root (its real path inside the root) to the package owning it."""
    owners = {}
    for listing in glob.glob(os.path.join(root, "var/lib/dpkg/info/*.list")):
        package = os.path.basename(listing).removesuffix(".list").split(":")[0]
        for line in open(listing, encoding="utf-8"):
            path = line.strip()
            if ".so" in path:
                owners[inside(root, path)] = package
    return owners


def inside(root: str, path: str) -> str:
    """A path as the root sees it, its links (such as /lib -> usr/lib) followed within the root."""
    real = os.path.realpath(os.path.join(root, path.lstrip("/")))
    return "/" + os.path.relpath(real, os.path.realpath(root))


def needed_libraries(root: str, binary: str) -> list[str]:
    """The shared libraries the binary names itself (its ELF NEEDED entries), read with readelf."""
    try:
        output = subprocess.run(["readelf", "-d", os.path.join(root, binary.lstrip("/"))], capture_output=True, text=True, check=True).stdout
    except FileNotFoundError:
        raise RootError("readelf (binutils) is missing on this machine: it reads which libraries the binary loads") from None
    return re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", output)


def resolved_libraries(root: str, binary: str) -> dict[str, str | None]:
    """Each library name to the path the root's dynamic loader finds for it (None: not found)."""
    output = subprocess.run(["chroot", root, "/usr/bin/ldd", binary], capture_output=True, text=True).stdout
    found = {}
    for line in output.splitlines():
        match = re.match(r"\s*(\S+) => (?:(/\S+)|not found)", line) or re.match(r"\s*(/\S+) \(0x", line)
        if match:
            found[os.path.basename(match.group(1))] = match.group(2) if match.re.groups == 2 else match.group(1)
    return found


def check_libraries(root: str, binary: str, named: list[str]) -> list[str]:
    """One line per library the binary needs and the package it comes from; RootError when one is
    missing or comes from a package that is neither in the base image nor named by the runtime
    stage (then the image has it only because something else happens to depend on it)."""
    installed = installed_packages(root)
    base, owners = base_packages(installed), library_owners(root)
    resolved = resolved_libraries(root, binary)
    lines, problems = [], []
    for library in needed_libraries(root, binary):
        path = resolved.get(library)
        package = owners.get(inside(root, path)) if path else None
        if package is None:
            problems.append(f"the binary needs {library}, which no package in the root provides "
                            "(the runtime stage's apt-get install lacks the package that has it)")
        elif package in named or package in base:
            lines.append(f"{library} from {package} ({'named by the runtime stage' if package in named else 'in the base image'})")
        else:
            dependents = sorted(name for name in closure(named, installed) if package in dependencies(installed[name], installed))
            problems.append(f"the binary loads {library} from {package}, which the runtime stage's apt-get install does not name: "
                            f"the image has it only as a dependency of {', '.join(dependents) or 'another package'}; add {package} to that line")
    if problems:
        raise RootError("\n".join(problems))
    return lines

