# What a container engine does, for scripts/container-smoke.sh (sourced by it): a RUN in the root,
# a container (pid 1 of new pid, network and mount namespaces, /proc and /sys mounted, the root
# read-only, as the image's user), a command inside it, a stop as `docker stop` does it, and a
# cleanup that leaves no process and no mount behind.
#
# It uses the smoke test's variables: work (its folder), root (the image root), image_path (the
# image's PATH), uid, gid, groups and home (the image's user), ports (the EXPOSEd ones), and fail.

# run_in_root COMMAND: a runtime-stage RUN, as root with /proc mounted, through /bin/sh as Docker runs it.
run_in_root() {
  unshare --mount --pid --fork --kill-child -- sh -c 'mount -t proc proc "$1/proc" && exec env -i PATH="$2" chroot "$1" /bin/sh -c "$3"' \
    run "$root" "$image_path" "$1"
}

# start_container NAME MOUNTS COMMAND...: COMMAND in the root as the image's user, pid 1 of new
# pid, network and mount namespaces; MOUNTS (HOST:CONTAINER, space-separated) bound read-only;
# the root itself read-only; /proc and /sys mounted. Standard output and error go to
# $work/NAME.out and .err; sets container_pid (the unshare process, whose namespaces these are).
start_container() {
  local name=$1 mounts=$2
  shift 2
  : >"$work/$name.out"
  unshare --mount --net --pid --fork --kill-child -- bash -c '
    set -e
    root=$1 mounts=$2 user=$3 groups=$4 home=$5 path=$6
    shift 6
    ip link set lo up
    mount --bind "$root" "$root"
    for mount in $mounts; do mount --bind -o ro "${mount%%:*}" "$root${mount#*:}"; done
    mount -o remount,bind,ro "$root"
    mount -t proc proc "$root/proc"
    mount -t sysfs -o ro sysfs "$root/sys"
    exec env -i PATH="$path" HOME="$home" HOSTNAME=container-smoke chroot --userspec="$user" --groups="$groups" "$root" "$@"
  ' container "$root" "$mounts" "$uid:$gid" "$groups" "$home" "$image_path" "$@" >"$work/$name.out" 2>"$work/$name.err" &
  container_pid=$!
  containers+=("$container_pid")
}

# wait_ready NAME: waits for one ready line per exposed port; sets pid_one (the container's pid 1 here).
wait_ready() {
  local name=$1 tries=0
  while [ "$(grep -c 'listening on' "$work/$name.out")" -lt "${#ports[@]}" ]; do
    if ! kill -0 "$container_pid" 2>/dev/null || [ $tries -ge 100 ]; then
      fail "$name: the command did not start (no ready line for every port within 10 s): $(cat "$work/$name.err")"
    fi
    sleep 0.1
    tries=$((tries + 1))
  done
  pid_one=$(cat "/proc/$container_pid/task/$container_pid/children")
  pid_one=${pid_one%% *}  # the file lists children space-separated; unshare has exactly one
}

# in_container COMMAND...: COMMAND in the running container's namespaces and root, as its user (a health check, `docker exec`).
in_container() {
  nsenter --target "$pid_one" --mount --net --pid -- env -i PATH="$image_path" HOME="$home" \
    chroot --userspec="$uid:$gid" --groups="$groups" "$root" "$@"
}

# health_check LABEL COMMAND...: runs a health check inside the root; fails naming it unless it exits 0.
health_check() {
  local label=$1 output status=0
  shift
  output=$(in_container "$@" 2>&1) || status=$?
  [ $status -eq 0 ] || fail "$label \`$*\` exited $status inside the root: $output"
  echo "    $label \`$*\` -> exit 0: $output"
}

# stop_container NAME: SIGTERM to pid 1, as `docker stop` sends, and its exit within docker's 10 s grace.
stop_container() {
  local name=$1 status=0
  kill -TERM "$pid_one"
  timeout 10 tail --pid="$container_pid" -f /dev/null || fail "$name: pid 1 did not stop within 10 s of SIGTERM"
  wait "$container_pid" || status=$?
  [ $status -eq 0 ] || fail "$name: pid 1 exited $status on SIGTERM: $(cat "$work/$name.err")"
  echo "    SIGTERM to pid 1: exit 0"
}

# The processes whose root is the image root: the containers' and anything they started.
processes_in_root() {
  local process
  for process in /proc/[0-9]*; do
    [ "$(readlink "$process/root" 2>/dev/null)" = "$root" ] && echo "${process#/proc/}"
  done
  return 0
}

containers=()
cleanup() {
  local pid child
  for pid in ${containers[@]+"${containers[@]}"}; do
    # Killing pid 1 ends its whole pid namespace. unshare's --kill-child alone is not enough: the
    # kernel forgets it when chroot --userspec changes the user.
    for child in $(cat "/proc/$pid/task/$pid/children" 2>/dev/null); do kill -KILL "$child" 2>/dev/null || true; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  containers=()
  if [ -n "${root:-}" ]; then
    for pid in $(processes_in_root); do kill -KILL "$pid" 2>/dev/null || true; done
  fi
  if [ -n "${root:-}" ] && grep -qF " $root" /proc/self/mountinfo; then
    echo "container smoke test: a mount under $root outlived its namespace; unmounting it" >&2
    grep -F " $root" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l
  fi
}
