#!/bin/bash
# The two-input mix of WorkerMemoryBenchmark#twoInputMixAgainstFfmpeg, run by hand for 80 s with one or more workers
# and the ffmpeg CLI AT THE SAME TIME, so that a shared machine's load hits all of them alike (the benchmark runs them
# one after the other, and its ratio moves ~7 % from one set of runs to the next with other people's builds). Prints
# each process's CPU seconds per media second over 12..32 s (the benchmark's window, still inside the JIT's warm-up)
# and 50..80 s (steady state), its CPU by thread and its context switches per second; with PERF=1 it also records
# `perf record -e cpu-clock -F 1999 -g` of each process over 50..79 s into OUT/<n>.data (and a perf map of the JVMs).
#
#   ./mvnw -B -q -o package -DskipTests -Dcontrol-plane.skip -Dpromtool.skip
#   src/test/bench/steady-cpu.sh [APP[:EXTRA_JAVA_OPTIONS] ...]      (default: target/quarkus-app)
#   e.g. src/test/bench/steady-cpu.sh /tmp/old-quarkus-app target/quarkus-app:-XX:-UsePerfData
#
# It takes the machine's build lock itself (/tmp/mixtask-build.lock): it is a CPU measurement.
# JAVA_OPTIONS are the pod's for this spec as the benchmark prints them (WorkerHeap under a 1536 MiB limit).
set -uo pipefail
if [ -z "${STEADY_CPU_LOCKED:-}" ]; then
  exec env STEADY_CPU_LOCKED=1 flock /tmp/mixtask-build.lock "$0" "$@"
fi
[ $# -eq 0 ] && set -- target/quarkus-app
OUT=${OUT:-$(mktemp -d /tmp/steady-cpu.XXXXXX)}
PERF=${PERF:-0}
JAVA_OPTIONS="-XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmn2m -Xmx1348m
 -Dorg.bytedeco.javacpp.maxBytes=197132288 -Dorg.bytedeco.javacpp.maxPhysicalBytes=1610612736 -XX:MaxRAM=1536m"
CACHE=${JAVACPP_CACHE:-$HOME/.javacpp/cache}
FF=$(ls -d "$CACHE"/ffmpeg-*-linux-x86_64-gpl.jar/org/bytedeco/ffmpeg/linux-x86_64-gpl/ffmpeg | head -1)
export LD_LIBRARY_PATH=$(dirname "$FF")
echo "results in $OUT"

# The benchmark's inputs (WorkerBench.input), 110 s long.
mkdir -p "$OUT/in"
for t in 440:a 880:b; do
  "$FF" -hide_banner -loglevel error -y -f lavfi -i testsrc=size=640x360:rate=15 -f lavfi -i "sine=frequency=${t%:*}:sample_rate=48000" \
    -t 110 -c:v libx264 -preset veryfast -pix_fmt yuv420p -b:v 800k -g 30 -c:a aac -b:a 96k -ac 2 "$OUT/in/${t#*:}.mp4"
done

cpu() { awk '{print $14 + $15}' /proc/$1/stat; }
# name|ticks (utime + stime) or name|context switches, summed over the threads of a name
ticks() { for t in /proc/$1/task/*; do echo "$(cat $t/comm 2>/dev/null)|$(sed 's/.*) //' $t/stat 2>/dev/null | awk '{print $12 + $13}')"; done | sum_by_name; }
switches() { for t in /proc/$1/task/*; do echo "$(cat $t/comm 2>/dev/null)|$(awk '/^(non)?voluntary_ctxt_switches/{s+=$2} END{print s}' $t/status 2>/dev/null)"; done | sum_by_name; }
sum_by_name() { awk -F'|' '{a[$1] += $2} END {for (k in a) print k "|" a[k]}' | sort; }
# per_second BEFORE AFTER SECONDS UNITS_PER_S MIN: per name, (after - before) / SECONDS / UNITS_PER_S where at least MIN
per_second() { join -t'|' "$1" "$2" | awk -F'|' -v s=$3 -v u=$4 -v m=$5 '{r = ($3 - $2) / s / u; t += r; if (r >= m) printf "%s %.4g, ", $1, r} END {printf "total %.4g\n", t}'; }

pids=(); names=(); i=0
for spec in "$@"; do
  app=${spec%%:*}; extra=""; [[ $spec == *:* ]] && extra=${spec#*:}
  d="$OUT/worker$i"; mkdir -p "$d/out"; cp "$OUT"/in/*.mp4 "$d/out/"
  cat > "$d/spec.json" <<EOF
{"generation":1,"spec":{"inputs":[{"name":"in0","url":"$d/out/a.mp4","rect":{"layer":0,"top":0,"left":0,"bottom":360,"right":640}},
{"name":"in1","url":"$d/out/b.mp4","rect":{"layer":0,"top":0,"left":640,"bottom":360,"right":1280}}],
"outputs":[{"name":"out","url":"$d/out/engine.mp4","video":{"width":1280,"height":360,"fps":15,"bitrate":1000000},
"audio":{"bitrate":128000,"channels":2}}],"background":{"color":"#203040"}}}
EOF
  echo -n bench-token > "$d/token"
  env -u JAVA_TOOL_OPTIONS MIXTASK_SCRATCH_DIR="$d" MIXTASK_CONTROL_PORT=0 MIXTASK_MEDIA_PORT=0 MIXTASK_METRICS_PORT=0 \
    MIXTASK_BIND_ADDRESS=127.0.0.1 MIXTASK_SPEC_FILE="$d/spec.json" MIXTASK_TOKEN_FILE="$d/token" MALLOC_ARENA_MAX=2 \
    JAVA_TOOL_OPTIONS="$(echo $JAVA_OPTIONS) -Djava.io.tmpdir=$d $extra" \
    java -Dorg.bytedeco.javacpp.cachedir="$CACHE" -jar "$app/quarkus-run.jar" worker > "$d/log" 2>&1 &
  pids+=($!); names+=("worker $spec"); i=$((i + 1))
done
# The benchmark's ffmpeg command (WorkerMemoryBenchmark.ffmpegGrid, WorkerBench.liveInput/x264/aac).
"$FF" -hide_banner -nostdin -loglevel error -thread_type slice -threads 2 -re -i "$OUT/in/a.mp4" -thread_type slice -threads 2 \
  -re -i "$OUT/in/b.mp4" -f lavfi -i color=c=0x203040:s=1280x360:r=15 -filter_complex \
  '[2:v][0:v]overlay=0:0:eof_action=pass[o0];[o0][1:v]overlay=640:0:eof_action=pass[o1];[0:a][1:a]amix=inputs=2:normalize=0:duration=first[a];[o1]split=1[v0];[a]asplit=1[a0]' \
  -map '[v0]' -map '[a0]' -c:v libx264 -preset veryfast -tune zerolatency -b:v 1000000 -maxrate 1000000 -bufsize 1000000 -g 30 \
  -sc_threshold 0 -forced-idr 1 -threads 2 -c:a aac -b:a 128000 -ac 2 -ar 48000 -t 85 -y "$OUT/ffmpeg.mp4" &
pids+=($!); names+=("ffmpeg")
trap 'kill ${pids[*]} 2>/dev/null || true' EXIT

declare -A c12 c32 c50 c80
sleep 12; for p in "${pids[@]}"; do c12[$p]=$(cpu $p); done
sleep 20; for p in "${pids[@]}"; do c32[$p]=$(cpu $p); done
sleep 18; for p in "${pids[@]}"; do c50[$p]=$(cpu $p); ticks $p > "$OUT/t50.$p"; switches $p > "$OUT/s50.$p"; done
perfs=()
if [ "$PERF" = 1 ]; then
  for k in "${!pids[@]}"; do perf record -q -e cpu-clock -F 1999 -g -p ${pids[$k]} -o "$OUT/$k.data" -- sleep 29 2>/dev/null & perfs+=($!); done
fi
sleep 30; for p in "${pids[@]}"; do c80[$p]=$(cpu $p); ticks $p > "$OUT/t80.$p"; switches $p > "$OUT/s80.$p"; done
[ ${#perfs[@]} -gt 0 ] && wait "${perfs[@]}"
for k in "${!pids[@]}"; do
  p=${pids[$k]}
  if [ "$PERF" = 1 ] && [[ ${names[$k]} == worker* ]]; then jcmd $p Compiler.perfmap > /dev/null 2>&1 || true; fi
  printf "%s\n  CPU s per media s: 12..32 s %.4f, 50..80 s %.4f\n" "${names[$k]}" \
    "$(echo "(${c32[$p]} - ${c12[$p]}) / 100 / 20" | bc -l)" "$(echo "(${c80[$p]} - ${c50[$p]}) / 100 / 30" | bc -l)"
  echo "  by thread, 50..80 s: $(per_second "$OUT/t50.$p" "$OUT/t80.$p" 30 100 0.0005)"
  echo "  context switches per s, 50..80 s: $(per_second "$OUT/s50.$p" "$OUT/s80.$p" 30 1 1)"
done
