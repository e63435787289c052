#!/usr/bin/env bash
# The container, proven without a container engine. Reads the Dockerfile (and checks
# docker-compose.yml and docs/ci-examples/ against it), builds the binary from exactly what the
# build stage copies with exactly its `swift build` command, makes the runtime stage's root with
# debootstrap (Debian minbase, the packages of its apt-get install line, trimmed as Debian's slim
# images are), runs its other commands, COPY lines and user there, then runs ENTRYPOINT + CMD as
# that user the way a container engine does: pid 1 of its own pid, network and mount namespaces,
# /proc and /sys mounted, the root read-only. Then the HEALTHCHECK inside the root, a client on this
# machine against the ports (HTTP, HTTPS with certs/ca.pem, the OAuth 3LO dance, a gateway call),
# the compose service (its command, read-only mounts and health check), a graceful stop, and the
# root's size as the image's. Every mount lives in a namespace of its own, so it goes when its
# processes do; the processes are killed on any exit. scripts/container/engine.sh does what a
# container engine would; scripts/container/smoke.py reads, checks and copies.
#
# Needs root (debootstrap, chroot, mounts), debootstrap, util-linux (unshare, nsenter), iproute2
# (ip), binutils (readelf), a Swift toolchain matching the build stage's, network access to a
# Debian mirror (CONTAINER_SMOKE_MIRROR, default http://deb.debian.org/debian), and python3 with
# PyYAML, requests and requests-oauthlib (Tests/Interop/requirements.txt; scripts/test.sh
# provides them). Works in .build/container-smoke (CONTAINER_SMOKE_DIR), where the debootstrap
# root is cached between runs and the last root stays for inspection.
set -euo pipefail
cd "$(dirname "$0")/.."
repository=$PWD
work=${CONTAINER_SMOKE_DIR:-$repository/.build/container-smoke}
mirror=${CONTAINER_SMOKE_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$work"
helper=(python3 "$repository/scripts/container/smoke.py")
# The PATH of Debian's images; the image's commands resolve against it inside the root.
image_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

step_count=0
step() { step_count=$((step_count + 1)); echo "[$step_count] $*"; }
say() { sed 's/^/    /'; }
fail() { echo "container smoke test FAILED: $*" >&2; exit 1; }

# helper ARGS: the Python half, its output indented; when it fails, what it printed and then its
# message, which names what broke, as the test's.
helper() {
  local status=0
  "${helper[@]}" "$@" >"$work/helper.out" 2>"$work/helper.err" || status=$?
  say <"$work/helper.out"
  [ $status -eq 0 ] || fail "$(cat "$work/helper.err")"
}
# helper_value ARGS: the Python half's output as a value, for $(...).
helper_value() { "${helper[@]}" "$@" 2>"$work/helper.err" || fail "$(cat "$work/helper.err")"; }

# shellcheck source=scripts/container/engine.sh
. "$repository/scripts/container/engine.sh"

trap cleanup EXIT
trap 'exit 130' INT TERM

step "reading the Dockerfile, docker-compose.yml and the CI examples"
python3 -c 'import yaml, requests, requests_oauthlib' 2>/dev/null ||
  fail "python3 lacks PyYAML, requests or requests-oauthlib: run scripts/test.sh (it installs Tests/Interop/requirements.txt), or pip install -r Tests/Interop/requirements.txt"
helper check
spec=$(helper_value shell)
eval "$spec"

step "checking this machine can run a container's root: root, namespaces, mounts"
[ "$(id -u)" = 0 ] || fail "needs root (debootstrap, chroot, and mounting /proc as a container engine does); run it as root"
for tool in debootstrap unshare nsenter chroot ip readelf; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install -y debootstrap util-linux iproute2 binutils)"
done
unshare --mount --net --pid --fork --kill-child sh -c 'mount -t proc proc /proc && ip link set lo up' ||
  fail "cannot make namespaces and mount /proc in them (unshare, above): a container engine's rights are needed (root with CAP_SYS_ADMIN)"
echo "    root, namespaces and mounts available"

step "building the binary as the build stage does"
swift_version=$(swift --version 2>/dev/null | grep -oE 'Swift version [0-9.]+' | grep -oE '[0-9.]+$' || true)
[[ "$swift_version" == "$build_swift_version" || "$swift_version" == "$build_swift_version".* ]] ||
  fail "the build stage uses Swift $build_swift_version (swift:$build_swift_version-$build_distribution), this machine has Swift ${swift_version:-none}"
distribution=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ "$distribution" = "$build_distribution" ] ||
  fail "the build stage builds on Debian $build_distribution, this machine is ${distribution:-unknown}: the binary would link another glibc"
for package in "${build_apt_packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || fail "the build stage installs $package, which this machine lacks (apt-get install -y $package)"
done
build=$work/build
helper build-context "$build"
started=$SECONDS
( cd "$build" && "${swift_build[@]}" ) >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; fail "${swift_build[*]} failed in the build stage's copy of the sources (above)"; }
binary=$(cd "$build" && "${bin_path_command[@]}")/$product
echo "    Swift $swift_version on $distribution, $build_distribution packages ${build_apt_packages[*]} present"
echo "    ${swift_build[*]} in what the build stage copies: $(tail -1 "$work/build.log") ($((SECONDS - started)) s)"
echo "    $binary: $(( $(stat -c %s "$binary") / 1048576 )) MB"

step "making the runtime stage's root: debootstrap --variant=minbase $suite with ${packages[*]}"
key=$(printf '%s\n' "$suite" "$mirror" $(printf '%s\n' "${packages[@]}" | sort) | sha256sum | cut -c1-16)
base=$work/debootstrap-$key
if [ ! -f "$base/.complete" ]; then
  find "$work" -maxdepth 1 -name 'debootstrap-*' -exec rm -rf {} +  # earlier package lists' roots
  started=$SECONDS
  include=$(IFS=,; echo "${packages[*]}")
  debootstrap --variant=minbase --include="$include" "$suite" "$base" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap of $suite with $include failed (above; full log $work/debootstrap.log)"; }
  helper slim "$base"
  touch "$base/.complete"
  echo "    debootstrap took $((SECONDS - started)) s (kept as $base for the next run)"
else
  echo "    the debootstrap root made earlier for the same suite, mirror and packages ($base)"
fi
root=$work/root
rm -rf "$root"
cp -a "$base" "$root"
rm -f "$root/.complete"
echo "    $(chroot "$root" dpkg-query -W -f '.\n' | wc -l) packages; named: $(chroot "$root" dpkg-query -W -f '${Package} ${Version}, ' "${packages[@]}" | sed 's/, $//')"

step "the runtime stage's commands, COPY lines and user"
for command in "${runtime_commands[@]}"; do
  echo "    RUN $command"
  run_in_root "$command" 2>&1 | sed 's/^/      /' || fail "the runtime stage's RUN \`$command\` failed in the root (above)"
done
helper populate "$root" "$binary"
user_ids=$(helper_value user "$root")
read -r uid gid groups home <<<"$user_ids"
echo "    USER $image_user: uid $uid, gid $gid, groups $groups"
helper libraries "$root"

step "running the image: ENTRYPOINT + CMD as $image_user, pid 1 in its own namespaces, /proc and /sys mounted, the root read-only"
start_container image "" "${image_command[@]}"
wait_ready image
say <"$work/image.out"
for port in "${ports[@]}"; do
  grep -qE "listening on https?://0\.0\.0\.0:$port\$" "$work/image.out" ||
    fail "the image does not listen on 0.0.0.0:$port (EXPOSE $port), so a published port could not reach it: $(cat "$work/image.out")"
done
running_uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid_one/status")
[ "$running_uid" = "$uid" ] || fail "pid 1 runs as uid $running_uid, not the image's user $image_user ($uid)"
echo "    pid 1 is $(tr '\0' ' ' <"/proc/$pid_one/cmdline")(uid $running_uid)"
http_port=$(grep -oE 'listening on http://[^ ]+' "$work/image.out" | grep -oE '[0-9]+$')
https_port=$(grep -oE 'listening on https://[^ ]+' "$work/image.out" | grep -oE '[0-9]+$')

step "the HEALTHCHECK inside the root"
health_check HEALTHCHECK "${healthcheck[@]}"
health_check "HTTPS from inside, with the image's /certs/ca.pem:" "${image_command[0]}" health --url "https://127.0.0.1:$https_port/__admin/health" --ca /certs/ca.pem

step "a client outside the root against the published ports"
nsenter --net="/proc/$container_pid/ns/net" -- python3 "$repository/scripts/container/client.py" \
  --http "http://localhost:$http_port" --https "https://localhost:$https_port" --ca "$repository/certs/ca.pem" 2>&1 | say ||
  fail "the client against the image's ports failed (above)"

step "stopping the image as docker stop does"
stop_container image

step "the compose service: its command, its read-only mounts, its health check"
helper volumes "$root"
start_container compose "${compose_mounts[*]}" "${compose_command[@]}"
wait_ready compose
echo "    ${compose_command[*]}: $(grep -c 'listening on' "$work/compose.out") listeners, mounts ${compose_mounts[*]}"
health_check "healthcheck" "${compose_healthcheck[@]}"
stop_container compose
if [ -s "$work/compose.err" ]; then echo "    its request log: $(head -1 "$work/compose.err")"; fi

step "the image's size"
echo "    the root: $(du -sxm "$root" | cut -f1) MB (du; an estimate of the image's uncompressed size), of which the binary $(( $(stat -c %s "$root$binary_in_image") / 1048576 )) MB"

cleanup
sleep 0.2  # SIGKILLed processes are reaped by the kernel, not at once
processes=$(processes_in_root | wc -l)
mounts=$(grep -cF " $root" /proc/self/mountinfo || true)
[ "$processes" = 0 ] && [ "$mounts" = 0 ] || fail "after cleanup $processes processes still run in $root and $mounts mounts remain"
echo "cleanup: no process runs in the root, no mount remains"
echo "container smoke test passed"
