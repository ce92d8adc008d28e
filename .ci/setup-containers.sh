#!/usr/bin/env bash
# Prepare a real container engine for the dry-run tests (tests/dryrun, marker `container`).
#
# Idempotent: installs podman and its runtime from Debian packages, writes a containers.conf that
# works on these VMs (no CAP_SYS_RESOURCE, hybrid cgroups, no systemd/journald), builds a small
# Python base image offline with mmdebstrap and imports it only when it is missing, and starts
# podman's Docker-compatible API on a unix socket unless one already answers.
# It exports nothing: the variables the tests need are written to $STATE/env, which
# tests/dryrun/conftest.py reads.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.aml-dry-run/ci-engine"          # .aml-dry-run/ is git-ignored
IMAGE="localhost/aml-dryrun-pybase:bookworm"
TARBALL_CACHE="/var/cache/aml-migrate"        # survives fresh clones on the same machine
mkdir -p "$STATE" "$TARBALL_CACHE"

log() { echo "setup-containers: $*" >&2; }

install_packages() {
    local missing=()
    for pkg in podman runc netavark aardvark-dns catatonit mmdebstrap iptables; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    apt-get update -qq
    # netavark named explicitly, otherwise the older CNI plugins come in; netavark needs iptables
    # to set up any network (without it: "netavark: No such file or directory").
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        podman runc netavark aardvark-dns catatonit mmdebstrap iptables >/dev/null
}

write_config() {
    # Both ulimits are needed: podman's defaults cannot be set without CAP_SYS_RESOURCE.
    # crun refuses hybrid cgroups, there is no systemd and no journald. netavark is named because
    # Debian's podman package ships a CNI config that would otherwise select the CNI backend.
    cat >"$STATE/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
[network]
network_backend = "netavark"
EOF
}

debian_mirror() {
    # The mirror apt already uses (the first URIs: line of debian.sources, or a sources.list entry).
    local uri=""
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
    fi
    if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
        uri="$(awk '/^deb / && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list)"
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}

build_image() {
    if podman image exists "$IMAGE"; then
        return 0
    fi
    local tarball="$TARBALL_CACHE/pybase-bookworm.tar"
    if [ ! -s "$tarball" ]; then
        local mirror
        mirror="$(debian_mirror)"
        log "building $IMAGE root filesystem from $mirror (about a minute)"
        mmdebstrap --quiet --variant=essential --include=python3,python3-pip,python3-venv \
            --aptopt='APT::Install-Recommends "false"' \
            --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
            --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
            --customize-hook='rm -f "$1"/usr/lib/python3*/EXTERNALLY-MANAGED' \
            bookworm "$tarball.part.tar" "$mirror"   # the .tar suffix picks mmdebstrap's format
        mv "$tarball.part.tar" "$tarball"
    fi
    log "importing $IMAGE"
    podman import -q "$tarball" "$IMAGE" >/dev/null
}

socket_path() {
    # A unix socket path must stay under ~108 bytes; deep clones fall back to /run.
    local path="$STATE/podman.sock"
    if [ ${#path} -gt 100 ]; then
        path="/run/aml-migrate-$(echo -n "$ROOT" | sha1sum | cut -c1-12)/podman.sock"
        mkdir -p "$(dirname "$path")"
    fi
    echo "$path"
}

start_service() {
    local sock="$1"
    if curl -fsS --max-time 2 --unix-socket "$sock" http://d/_ping >/dev/null 2>&1; then
        return 0
    fi
    rm -f "$sock"
    log "starting podman system service on $sock"
    # setsid + nohup: the service outlives this script (and the test run that follows it).
    setsid nohup podman system service --time=0 "unix://$sock" >"$STATE/service.log" 2>&1 </dev/null &
    echo $! >"$STATE/service.pid"
    for _ in $(seq 1 50); do
        curl -fsS --max-time 2 --unix-socket "$sock" http://d/_ping >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    log "podman service did not answer on $sock; see $STATE/service.log"
    return 1
}

main() {
    install_packages
    write_config
    export CONTAINERS_CONF="$STATE/containers.conf"
    build_image
    local sock
    sock="$(socket_path)"
    start_service "$sock"
    cat >"$STATE/env" <<EOF
CONTAINERS_CONF=$STATE/containers.conf
DOCKER_HOST=unix://$sock
AML_DRYRUN_TEST_IMAGE=$IMAGE
EOF
    log "ready: $(tr '\n' ' ' <"$STATE/env")"
    cat "$STATE/env"
}

main "$@"
