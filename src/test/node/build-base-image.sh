#!/usr/bin/env bash
# Builds the JRE 17 base image the tests put the application layers on: Debian bookworm, essential packages and
# openjdk-17-jre-headless only, made with mmdebstrap from Debian's mirror -- no registry, no Docker daemon.
# The shipped image uses eclipse-temurin:17-jre instead (pom.xml, image.base); this base has the same role: a glibc
# userland with a JRE on PATH.
#
#   bash src/test/node/build-base-image.sh     # prints the path of the tar
#
# Output: a docker-archive tar (what `docker save` writes; Jib reads it as `tar://<path>`), cached at
# ${MIXTASK_IMAGE_CACHE:-$HOME/.cache/mixtask-operator/images}/jre17-base.tar and reused when present
# (delete it to rebuild). No apt lists or package caches, no docs, man pages or locales.
# Needs: mmdebstrap, root (or working user namespaces), python3, and Debian's mirror (MIXTASK_DEBIAN_MIRROR).
set -euo pipefail

CACHE="${MIXTASK_IMAGE_CACHE:-$HOME/.cache/mixtask-operator/images}"
OUT="$CACHE/jre17-base.tar"
SUITE="${MIXTASK_DEBIAN_SUITE:-bookworm}"
MIRROR="${MIXTASK_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
TAG="mixtask-operator/jre17-base:${SUITE}"

if [ -s "$OUT" ]; then echo "$OUT"; exit 0; fi
command -v mmdebstrap >/dev/null || { echo "build-base-image: mmdebstrap is not installed (apt-get install mmdebstrap)" >&2; exit 1; }
mkdir -p "$CACHE"
WORK="$(mktemp -d "$CACHE/.base.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
started=$(date +%s)

# The JRE's postinst registers alternatives with man-page slaves: it fails when usr/share/man/man1 is missing,
# which path-exclude below would leave so; the essential hook creates the directory first.
# The customize hooks drop what no role loads: docs, man pages, locales, logs, debconf backups, apt's state; full Perl
# (~55 MB, pulled in by usrmerge only: nothing runs it; perl-base stays for dpkg); the JDK's ct.sym (javac's only).
mmdebstrap --variant=essential --format=tar \
  --include=openjdk-17-jre-headless \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/lintian/*' \
  --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook='chroot "$1" dpkg --purge --force-depends usrmerge libfile-find-rule-perl libnumber-compare-perl libtext-glob-perl perl perl-modules-5.36 libperl5.36 >/dev/null' \
  --customize-hook='rm -f "$1"/usr/lib/jvm/java-17-openjdk-amd64/lib/ct.sym' \
  --customize-hook='chroot "$1" java -version' \
  --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/* "$1"/var/cache/debconf/*-old "$1"/usr/share/man/*' \
  "$SUITE" "$WORK/layer.tar" "$MIRROR" >&2

# A docker-archive around the one layer: manifest.json, the config (named by its digest) and the layer.
python3 - "$WORK" "$TAG" <<'PY'
import hashlib, json, os, sys
work, tag = sys.argv[1], sys.argv[2]
h = hashlib.sha256()
with open(os.path.join(work, "layer.tar"), "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
diff_id = "sha256:" + h.hexdigest()
java_home = "/usr/lib/jvm/java-17-openjdk-amd64"
config = {
    "architecture": "amd64", "os": "linux",
    "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                       "JAVA_HOME=" + java_home, "LANG=C.UTF-8"],
               "Cmd": ["java", "-version"]},
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    "history": [{"created_by": "mmdebstrap --variant=essential --include=openjdk-17-jre-headless (src/test/node/build-base-image.sh)"}],
}
raw = json.dumps(config, separators=(",", ":")).encode()
config_name = hashlib.sha256(raw).hexdigest() + ".json"
with open(os.path.join(work, config_name), "wb") as f:
    f.write(raw)
os.makedirs(os.path.join(work, "layer"), exist_ok=True)
os.rename(os.path.join(work, "layer.tar"), os.path.join(work, "layer", "layer.tar"))
with open(os.path.join(work, "manifest.json"), "w") as f:
    json.dump([{"Config": config_name, "RepoTags": [tag], "Layers": ["layer/layer.tar"]}], f)
PY
tar -C "$WORK" -cf "$WORK/image.tar" manifest.json "$(cd "$WORK" && ls ./*.json | grep -v manifest | xargs -n1 basename)" layer/layer.tar
mv "$WORK/image.tar" "$OUT"
echo "build-base-image: $OUT ($(du -m "$OUT" | cut -f1) MB) in $(( $(date +%s) - started )) s" >&2
echo "$OUT"
