"""COPY as Docker does it from the build context: `.dockerignore` honoured, a folder's contents
copied into the destination, files owned by root with their modes kept."""
import fnmatch
import os
import shutil

from dockerfile import Copy, DockerfileError


class BuildContext:
    def __init__(self, root: str):
        self.root = os.path.abspath(root)
        self.ignored_patterns = read_dockerignore(os.path.join(self.root, ".dockerignore"))

    def is_ignored(self, relative: str) -> bool:
        """Whether `.dockerignore` leaves the path out (a pattern matching it or a folder above it)."""
        parts = relative.split("/")
        prefixes = ["/".join(parts[:count]) for count in range(1, len(parts) + 1)]
        return any(fnmatch.fnmatchcase(prefix, pattern) for prefix in prefixes for pattern in self.ignored_patterns)

    def files(self, source: str) -> list[str]:
        """The context-relative files a COPY of `source` takes (one file, or a folder's, recursively)."""
        path = os.path.join(self.root, source)
        if not os.path.isdir(path):
            return [source] if os.path.exists(path) and not self.is_ignored(source) else []
        found = []
        for folder, subfolders, names in os.walk(path):
            relative_folder = os.path.relpath(folder, self.root)
            subfolders[:] = [name for name in subfolders if not self.is_ignored(f"{relative_folder}/{name}")]
            found += [f"{relative_folder}/{name}" for name in sorted(names) if not self.is_ignored(f"{relative_folder}/{name}")]
        return found

    def targets(self, copy: Copy, workdir: str = "/") -> list[tuple[str, str]]:
        """What a context COPY does: (the file on this machine, its absolute path in the image) pairs."""
        files = self.files(copy.source)
        if not files:
            raise DockerfileError(f"Dockerfile:{copy.line}: COPY {copy.source}: no such file or folder in the build context")
        destination = os.path.normpath(os.path.join(workdir, copy.destination))
        source_is_folder = os.path.isdir(os.path.join(self.root, copy.source))
        pairs = []
        for relative in files:
            if source_is_folder:
                target = os.path.join(destination, os.path.relpath(relative, copy.source))
            elif copy.destination.endswith("/"):
                target = os.path.join(destination, os.path.basename(relative))
            else:
                target = destination
            pairs.append((os.path.join(self.root, relative), target))
        return pairs


def place(source: str, path: str) -> None:
    """Copies one file to `path`, its mode kept and, as in an image, owned by root."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    shutil.copy2(source, path, follow_symlinks=False)
    if os.geteuid() == 0:  # the image root is made as root; a build folder may be made by anyone
        os.lchown(path, 0, 0)


def in_root(root: str, image_path: str) -> str:
    """Where the absolute image path lies in the folder that stands for the image's `/`."""
    return os.path.join(root, os.path.normpath(image_path).lstrip("/"))


def read_dockerignore(path: str) -> list[str]:
    if not os.path.exists(path):
        return []
    patterns = []
    for line in open(path, encoding="utf-8"):
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        if pattern.startswith("!") or "**" in pattern:
            raise DockerfileError(f".dockerignore: {pattern!r}: exceptions and ** are not reproduced by the smoke test")
        patterns.append(pattern.strip("/"))
    return patterns
