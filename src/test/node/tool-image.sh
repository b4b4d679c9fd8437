#!/usr/bin/env bash
# An OCI image archive holding one static binary as its entrypoint, for the test nodes' own tools (the pod sandbox's
# pause, the NetworkPolicy tests' netcheck). No registry serves images here, and these need no base: one layer with
# the binary at /NAME, a config, a manifest and an index naming the image, which `ctr images import` reads.
#
#   tool-image.sh IMAGE-NAME BINARY OUT.tar      e.g. registry.local/mixtask-test/pause:1 "$BIN/pause" pause.tar
set -euo pipefail
name="$1" binary="$2" out="$3"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs" "$work/oci/blobs/sha256"
tool="$(basename "$binary")"
install -m 0755 "$binary" "$work/rootfs/$tool"
blob() { # file media-type: stores the file as a blob, prints its descriptor
  local digest size
  digest="$(sha256sum "$1" | cut -d' ' -f1)"
  size="$(stat -c %s "$1")"
  cp "$1" "$work/oci/blobs/sha256/$digest"
  printf '{"mediaType":"%s","digest":"sha256:%s","size":%s}' "$2" "$digest" "$size"
}
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/rootfs" -cf "$work/layer.tar" "$tool"
layer_digest="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
layer="$(blob "$work/layer.tar" application/vnd.oci.image.layer.v1.tar)"
printf '{"architecture":"amd64","os":"linux","config":{"Entrypoint":["/%s"],"User":"65534:65534"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
  "$tool" "$layer_digest" > "$work/config.json"
config="$(blob "$work/config.json" application/vnd.oci.image.config.v1+json)"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":%s,"layers":[%s]}' \
  "$config" "$layer" > "$work/manifest.json"
manifest="$(blob "$work/manifest.json" application/vnd.oci.image.manifest.v1+json)"
printf '{"schemaVersion":2,"manifests":[%s]}' \
  "${manifest%\}},\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"},\"annotations\":{\"io.containerd.image.name\":\"$name\",\"org.opencontainers.image.ref.name\":\"${name##*:}\"}}" \
  > "$work/oci/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' > "$work/oci/oci-layout"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/oci" -cf "$out" oci-layout index.json blobs
