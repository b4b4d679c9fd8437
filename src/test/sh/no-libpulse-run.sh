#!/usr/bin/env bash
# Proves the README's first command on a machine without PulseAudio's or XCB's libraries: the local run of
# examples/synthetic-demo.yaml (`./mvnw -q compile exec:java`) mixes, and its output file decodes, with every
# libpulse.so.0 and libxcb*.so* under /usr/lib (and /lib) replaced by /dev/null in a mount namespace of its own --
# what a fresh Debian machine with only a JDK looks like to the dynamic loader (issue 20).
#
#   sudo bash src/test/sh/no-libpulse-run.sh        # exit 0: passed (or skipped, with one line saying why)
#
# Control case: the bundled ffmpeg tool, which links libavdevice -> libpulse.so.0, must fail to start in that
# namespace; if it starts, the masking did not work and the test fails rather than passing for nothing.
# The output is checked outside the namespace with the bundled ffprobe (it links libpulse itself).
set -euo pipefail
cd "$(dirname "$0")/../../.."
if [ "$(id -u)" != 0 ]; then echo "no-libpulse-run: SKIPPED: needs root (unshare -m and bind mounts over system libraries)"; exit 0; fi
command -v unshare >/dev/null || { echo "no-libpulse-run: SKIPPED: unshare (util-linux) is not installed"; exit 0; }
SECONDS_TO_MIX="${MIXTASK_NO_LIBPULSE_SECONDS:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The bundled FFmpeg tools, straight from the Maven artifact the build resolves (the control case and the check).
./mvnw -B -ntp -q compile -Dcontrol-plane.skip
jar="$(find "${MAVEN_REPO:-$HOME/.m2/repository}/org/bytedeco/ffmpeg" -name 'ffmpeg-*-linux-x86_64-gpl.jar' | sort | tail -1)"
[ -n "$jar" ] || { echo "no-libpulse-run: FAILED: no ffmpeg-*-linux-x86_64-gpl.jar in the local Maven repository"; exit 1; }
unzip -q -o "$jar" 'org/bytedeco/ffmpeg/linux-x86_64-gpl/*' -d "$work/tools"
tools="$work/tools/org/bytedeco/ffmpeg/linux-x86_64-gpl"
chmod +x "$tools/ffmpeg" "$tools/ffprobe"

# The files themselves (a merged /usr makes /lib and /usr/lib the same): hiding them hides every name linking to them.
masked="$(find /usr/lib /lib -follow \( -name 'libpulse.so.0*' -o -name 'libxcb*.so*' \) -type f 2>/dev/null | xargs -r readlink -f | sort -u || true)"
echo "no-libpulse-run: hiding $(echo "$masked" | grep -c . || true) libraries: $(echo "$masked" | xargs -r -n1 basename | tr '\n' ' ')"

cat > "$work/inside.sh" <<INSIDE
set -euo pipefail
for f in $(echo "$masked" | tr '\n' ' '); do mount --bind /dev/null "\$f"; done
if LD_LIBRARY_PATH="$tools" "$tools/ffmpeg" -hide_banner -version >/dev/null 2>"$work/control.err"; then
  echo "no-libpulse-run: FAILED: the control case started: libpulse is still loadable, the masking did not work"; exit 1
fi
echo "no-libpulse-run: control case: the bundled ffmpeg (libavdevice) cannot start: \$(head -1 "$work/control.err")"
./mvnw -B -ntp -q -o compile exec:java -Dcontrol-plane.skip -Dexec.args="examples/synthetic-demo.yaml --duration $SECONDS_TO_MIX --out-dir $work/out" \
  > "$work/run.log" 2>&1 || { echo "no-libpulse-run: FAILED: the local run failed:"; tail -30 "$work/run.log"; exit 1; }
INSIDE
unshare -m --propagation private bash "$work/inside.sh"

out="$(find "$work/out" out -name 'demo.mp4' -newer "$work/inside.sh" 2>/dev/null | head -1 || true)"
[ -n "$out" ] || { echo "no-libpulse-run: FAILED: no output file demo.mp4; the run said:"; tail -20 "$work/run.log"; exit 1; }
video="$(LD_LIBRARY_PATH="$tools" "$tools/ffprobe" -v error -count_frames -select_streams v:0 \
  -show_entries stream=codec_name,width,height,nb_read_frames -of csv=p=0 "$out")"
audio="$(LD_LIBRARY_PATH="$tools" "$tools/ffprobe" -v error -select_streams a:0 -show_entries stream=codec_name -of csv=p=0 "$out")"
frames="${video##*,}"
min=$(( (SECONDS_TO_MIX - 2) * 15 ))
if [[ "$video" != h264,1280,360,* || "$audio" != aac || "$frames" -lt "$min" ]]; then
  echo "no-libpulse-run: FAILED: $out: video '$video' (want h264,1280,360 and >= $min frames), audio '$audio' (want aac)"; exit 1
fi
echo "no-libpulse-run: PASSED: mixed ${SECONDS_TO_MIX} s with no libpulse.so.0/libxcb on the loader's path: $frames frames of H.264 1280x360 + AAC decoded"
