#!/usr/bin/env bash
# The Debian packages the tests use as real peers and as a real node, installed by the README's test command
# (`./mvnw verify` runs this first) when run as root on Debian; otherwise it names the missing ones in one line and the
# tests that need them skip (or fail, in CI: MIXTASK_REQUIRE_CONTROL_PLANE=true).
#   libpulse0                             the bundled ffmpeg/ffprobe programs the media tests use as references and
#                                         probes link libavdevice, which links it (the project itself never loads it)
#   nginx + libnginx-mod-rtmp             the RTMP server of the media tests (publishers die, servers stop and start)
#   python3-gi + GStreamer's RTSP server  the RTSP server of the RTSP input tests
#   containerd runc iptables ipset iproute2 conntrack   a real node (src/test/node)
#   mmdebstrap                            the JRE base of the image the node tests run (src/test/node/build-base-image.sh)
set -euo pipefail
packages="libpulse0 nginx libnginx-mod-rtmp python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly containerd runc iptables ipset iproute2 conntrack mmdebstrap"
command -v dpkg >/dev/null || { echo "test-packages: not Debian; install the equivalents of: $(echo $packages)" >&2; exit 0; }
missing=$(for p in $packages; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done | tr '\n' ' ')
[ -z "${missing// /}" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "test-packages: missing Debian packages (the tests that need them skip): sudo apt-get install $missing" >&2
  exit 0
fi
echo "test-packages: installing $missing" >&2
apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
