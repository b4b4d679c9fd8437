#!/usr/bin/env bash
# Builds the image the tests run, with no registry and no Docker daemon: the JRE base made by build-base-image.sh,
# then the application layers on it with Jib (the pom's "image" profile, the same recipe as the shipped image, whose
# base is eclipse-temurin:17-jre instead).
#
#   bash src/test/node/build-image.sh        # prints the path of the image tar
#
# Output: target/mixtask-operator-image.tar (docker-archive), named ghcr.io/streammix/mixtask-operator:0.1.0 (the
# chart's default image). Import it with `ctr -n k8s.io images import`, `k3s ctr images import` or
# `kind load image-archive`. Extra arguments go to Maven (e.g. -o).
set -euo pipefail
cd "$(dirname "$0")/../../.."
base="$(bash src/test/node/build-base-image.sh)"
tar="$PWD/target/mixtask-operator-image.tar"
started=$(date +%s)
./mvnw -B -ntp -q package -DskipTests -Dcontrol-plane.skip -Pimage -Dimage.base="tar://$base" -Dimage.tar="$tar" \
  -Djib.console=plain "$@" >&2
echo "build-image: $tar ($(du -m "$tar" | cut -f1) MB) in $(( $(date +%s) - started )) s" >&2
echo "$tar"
