# Sourced by the tests' Go build scripts (kube/build-control-plane.sh, node/build-node-binaries.sh,
# prometheus/build-promtool.sh): what they share. Each sets SCRIPT (its name in messages) and SKIPS (what the tests do
# without its binaries) before it calls give_up or build_in_child.

# True when every tool named is an executable file in the directory given first.
have_all() { # dir, tool...
  local dir="$1" t
  shift
  for t in "$@"; do [ -x "$dir/$t" ] || return 1; done
}

# Says in one line why there are no binaries and exits 0 (the tests that need them skip), or 1 under
# MIXTASK_REQUIRE_CONTROL_PLANE=true (CI), where they must not skip.
give_up() { # why
  if [ "${MIXTASK_REQUIRE_CONTROL_PLANE:-}" = true ]; then echo "$SCRIPT: $1" >&2; exit 1; fi
  echo "$SCRIPT: $1; $SKIPS" >&2; exit 0
}

# Returns only in the build: the calling script runs again as a child (--inner) that builds, so that any failure there
# (no module proxy, a compile error) lands in give_up, with which the parent exits. Without Go it gives up at once.
build_in_child() { # what failed (for give_up), the script's own arguments
  local failed="$1"
  shift
  command -v go >/dev/null || give_up "Go is not installed"
  if [ "${1:-}" != --inner ]; then
    bash "$0" --inner || give_up "$failed"
    exit 0
  fi
}

# The toolchain's Go language version (1.24 for go1.24.5): the go directive of a go.mod written here.
go_language_version() {
  go env GOVERSION | sed 's/^go//; s/^\([0-9]*\.[0-9]*\).*/\1/'
}
