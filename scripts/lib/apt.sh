# Sourced by scripts that install Debian packages they need (stack, browsers): root or sudo,
# one `apt-get update` per run. Expects log() and die() from the caller.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else return 1
  fi
}

apt_updated=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 ||
    die "missing $*; install these packages with your system's package manager (Debian names: $*)"
  if [ "$apt_updated" -eq 0 ]; then
    log "apt-get update"
    as_root apt-get update -qq || die "apt-get update failed (need root or sudo); install: $*"
    apt_updated=1
  fi
  log "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
    die "apt-get install $* failed"
}
