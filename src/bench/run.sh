#!/usr/bin/env bash
# The benchmark of multiarch-maven-plugin against Jib (jib-maven-plugin 3.5.2) and buildah, on this machine,
# in one sitting, against one local registry. See docs/benchmarks.md.
#
#   bash src/bench/run.sh                 # everything, 5 runs per figure
#   BENCH_RUNS=7 bash src/bench/run.sh    # more runs
#   BENCH_ONLY="w2 w3" bash src/bench/run.sh   # some parts: floor w1 shared w2 w3 reactor five timings big gains supply
#   BENCH_COMPARE_REF=HEAD bash src/bench/run.sh   # also: our goals at that git ref against the working tree
#                                                  # (what the changes since then gained), same sitting;
#   BENCH_ONLY=gains BENCH_COMPARE_REF=REF bash src/bench/run.sh   # only that comparison
#
# It installs what is missing (buildah, docker-registry, time, the cross compilers: apt-get, with sudo when
# not root), builds and installs the plugin into its own local repository under target/bench (chained to
# ~/.m2/repository, offline when possible), starts its own docker-registry on 127.0.0.1 with a free port
# and storage under target/bench, with a counting TCP proxy in front of it through which every tool talks,
# runs every workload, and prints the table (also written to target/bench/results.md).
#
# Every timing is the wall time of a whole process (/usr/bin/time), the median of BENCH_RUNS runs with min
# and max; ratios are ours/peer from the same sitting. Nothing here is part of ./mvnw verify.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SRC=$ROOT/src/bench
BENCH=$ROOT/target/bench
RUNS=${BENCH_RUNS:-5}
ONLY=" ${BENCH_ONLY:-floor w1 shared w2 w3 reactor five timings big supply} "
M2=$BENCH/m2
TAIL=${BENCH_M2_TAIL:-$HOME/.m2/repository}
PLUGIN_VERSION=0.1.0-SNAPSHOT

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] FAILED: %s\n' "$*" >&2; exit 1; }
wants() { [[ "$ONLY" == *" $1 "* ]]; }

# ------------------------------------------------------------------------------------------------ tools
ensure_tools() {
  declare -A need=([buildah]=buildah [docker-registry]=docker-registry [gcc]=gcc
    [aarch64-linux-gnu-gcc]=gcc-aarch64-linux-gnu [arm-linux-gnueabihf-gcc]=gcc-arm-linux-gnueabihf
    [powerpc64le-linux-gnu-gcc]=gcc-powerpc64le-linux-gnu [s390x-linux-gnu-gcc]=gcc-s390x-linux-gnu)
  local missing=()
  for cmd in "${!need[@]}"; do command -v "$cmd" >/dev/null 2>&1 || missing+=("${need[$cmd]}"); done
  [ -x /usr/bin/time ] || missing+=(time)
  [ -e /usr/lib/x86_64-linux-gnu/libc.a ] || [ "$(uname -m)" != x86_64 ] || missing+=(libc6-dev)
  command -v java >/dev/null 2>&1 || die "a JDK 17+ is needed on the PATH"
  [ ${#missing[@]} -eq 0 ] && return
  log "installing ${missing[*]}"
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "not root and no sudo; as root: apt-get install -y ${missing[*]}"
    sudo=(sudo -n)
  fi
  { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"; } \
    >"$BENCH/apt.log" 2>&1 || die "apt-get could not install ${missing[*]} (see $BENCH/apt.log)"
  [ "$(id -u)" -eq 0 ] || die "buildah runs as root here (vfs storage under target/bench); run the benchmark as root"
}

# ---------------------------------------------------------------------------------------------- maven
MVN=("$ROOT/mvnw" -B -ntp -nsu "-Dmaven.repo.local=$M2" "-Dmaven.repo.local.tail=$TAIL")

install_plugin() {
  log "building and installing the plugin into $M2"
  ( cd "$ROOT" && "${MVN[@]}" -q -o install -DskipTests ) >"$BENCH/logs/install.log" 2>&1 \
    || ( cd "$ROOT" && "${MVN[@]}" -q install -DskipTests ) >>"$BENCH/logs/install.log" 2>&1 \
    || { tail -40 "$BENCH/logs/install.log"; die "cannot build the plugin"; }
}

# the plugin as it was at BENCH_COMPARE_REF, installed as version 0.1.0-compare next to the working tree's
COMPARE_VERSION=0.1.0-compare
install_compare() {
  local ref=$1 dir=$BENCH/compare-src
  log "building the plugin at $ref as $COMPARE_VERSION"
  rm -rf "$dir"; mkdir -p "$dir"
  ( cd "$ROOT" && git archive --format=tar "$ref" ) | tar -xf - -C "$dir" || die "cannot read $ref from git"
  sed -i "0,/<version>$PLUGIN_VERSION<\/version>/s//<version>$COMPARE_VERSION<\/version>/" "$dir/pom.xml"
  ( cd "$dir" && "${MVN[@]}" -q -o install -DskipTests -Dmaven.test.skip=true -Dinvoker.skip=true ) >"$BENCH/logs/install-compare.log" 2>&1 \
    || ( cd "$dir" && "${MVN[@]}" -q install -DskipTests -Dmaven.test.skip=true -Dinvoker.skip=true ) >>"$BENCH/logs/install-compare.log" 2>&1 \
    || { tail -40 "$BENCH/logs/install-compare.log"; die "cannot build the plugin at $ref"; }
}

# ------------------------------------------------------------------------------------------- registry
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 20000 ))
    if ! { (exec 3<>"/dev/tcp/127.0.0.1/$p"); } 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port found"
}

http_status() { # http_status PORT PATH → status code (or 000)
  local line
  if { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null; then
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
    read -r -t 5 line <&3 || true
    exec 3<&- 3>&-
    echo "$line" | awk '{print $2}'
  else
    echo 000
  fi
}

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

start_registry() {
  REG_PORT=$(free_port)
  local dir=$BENCH/registry
  rm -rf "$dir"; mkdir -p "$dir/data"
  cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  level: info
  formatter: json
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$REG_PORT
  secret: multiarch-bench-secret
EOF
  docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
  PIDS+=($!)
  REG_LOG=$dir/registry.log
  PROXY_PORT=$(free_port); CONTROL_PORT=$(free_port)
  java "$SRC/CountingProxy.java" "$PROXY_PORT" "$REG_PORT" "$CONTROL_PORT" >"$dir/proxy.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do
    [ "$(http_status "$PROXY_PORT" /v2/)" = 200 ] && break
    sleep 0.2
  done
  [ "$(http_status "$PROXY_PORT" /v2/)" = 200 ] || die "the registry did not come up (see $dir/registry.log, $dir/proxy.log)"
  REG=127.0.0.1:$PROXY_PORT
  log "registry on 127.0.0.1:$REG_PORT (data $dir/data), reached through the counting proxy at $REG"
}

counters() { # → "UP DOWN CONNECTIONS"
  local line
  exec 4<>"/dev/tcp/127.0.0.1/$CONTROL_PORT"; read -r line <&4; exec 4<&- 4>&-
  echo "$line"
}
requests() { grep -c '"msg":"response completed' "$REG_LOG" || true; }

# ------------------------------------------------------------------------------------------ measuring
# measure NAME DIR COMMAND... : runs COMMAND in DIR under /usr/bin/time and appends
# "WALL_S RSS_KB BYTES_UP BYTES_DOWN REQUESTS" to $BENCH/results/NAME
measure() {
  local name=$1 dir=$2; shift 2
  local before after r0 r1 timefile=$BENCH/tmp/time
  before=($(counters)); r0=$(requests)
  if ! ( cd "$dir" && /usr/bin/time -f '%e %M' -o "$timefile" "$@" ) >>"$BENCH/logs/$name.log" 2>&1; then
    tail -40 "$BENCH/logs/$name.log" >&2
    die "$name: $* (log: $BENCH/logs/$name.log)"
  fi
  sleep 0.05 # the registry writes its last log line after the response
  after=($(counters)); r1=$(requests)
  echo "$(tail -1 "$timefile") $(( after[0] - before[0] )) $(( after[1] - before[1] )) $(( r1 - r0 ))" >>"$BENCH/results/$name"
}

# stat NAME COLUMN → "median min max" (column 1 wall s, 2 RSS KB, 3 bytes up, 4 bytes down, 5 requests)
stat() {
  [ -s "$BENCH/results/$1" ] || { echo "- - -"; return; }
  awk -v c="$2" '{print $c}' "$BENCH/results/$1" | sort -g | awk '{a[NR]=$1}
    END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; print m, a[1], a[NR] }'
}
med() { stat "$1" "${2:-1}" | awk '{print $1}'; }
# the two medians added: a step and the step before it, e.g. package + push
med_sum() { awk -v a="$(med "$1")" -v b="$(med "$2")" 'BEGIN{print a+b}'; }
fmt_time() { stat "$1" 1 | awk '$1=="-"{print "–"; next} {printf "%.2f (%.2f–%.2f)", $1, $2, $3}'; }
fmt_mb() { med "$1" "$2" | awk '$1=="-"{print "–"; next} {printf "%.1f MB", $1 / 1e6}'; }
fmt_rss() { med "$1" 2 | awk '$1=="-"{print "–"; next} {printf "%.0f MB", $1 / 1024}'; }
fmt_req() { med "$1" 5 | awk '$1=="-"{print "–"; next} {printf "%d", $1}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "-" && b != "-") printf "%.2f", a / b; else print "–" }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { if (r == "–") print "–"; else if (r <= t) print "met"; else print "**missed**" }'; }

# ------------------------------------------------------------------------------------------ workloads
# the plugin's {platform}: containerd's canonical format, arm64's default v8 not written (linux-arm64)
slug() { echo "${1/arm64\/v8/arm64}" | tr / -; }
PLATFORMS5=(linux/amd64 linux/arm64/v8 linux/arm/v7 linux/ppc64le linux/s390x)

compile_hello() { # compile_hello PLATFORM OUTPUT
  local cc flags=()
  case "$1" in
    linux/amd64) cc=gcc ;;
    linux/arm64/v8) cc=aarch64-linux-gnu-gcc ;;
    linux/arm/v7) cc=arm-linux-gnueabihf-gcc ;;
    linux/ppc64le) cc=powerpc64le-linux-gnu-gcc ;;
    linux/s390x) cc=s390x-linux-gnu-gcc ;;
  esac
  mkdir -p "$(dirname "$2")"
  "$cc" -static -O2 ${flags[@]+"${flags[@]}"} -o "$2" "$ROOT/src/it/common/hello.c"
}

OURS_CACHE=$BENCH/cache/multiarch
W2_CACHE=$BENCH/cache/multiarch-w2   # W2 starts from nothing every run, without touching W1's cache
JIB_BASE_CACHE=$BENCH/cache/jib-base
REGISTRY_FLAGS=()
set_registry_flags() {
  REGISTRY_FLAGS=("-Dbench.registry=$REG" "-Dmultiarch.insecureRegistries=$REG" "-Dmultiarch.cacheDirectory=$OURS_CACHE")
  JIB_FLAGS=("-Dbench.registry=$REG" -Djib.allowInsecureRegistries=true -Djib.disableUpdateChecks=true
    "-Djib.baseImageCache=$JIB_BASE_CACHE")
}

# the base image: 2 platforms x 3 layers of random bytes (30 + 15 + 5 MB)
make_base() {
  local dir=$BENCH/base
  rm -rf "$dir"; mkdir -p "$dir"; cp "$SRC/base/pom.xml" "$dir/"
  for p in linux-amd64 linux-arm64; do
    mkdir -p "$dir/data/$p/l1" "$dir/data/$p/l2" "$dir/data/$p/l3"
    head -c 30000000 /dev/urandom >"$dir/data/$p/l1/blob"
    head -c 15000000 /dev/urandom >"$dir/data/$p/l2/blob"
    head -c 5000000 /dev/urandom >"$dir/data/$p/l3/blob"
  done
  log "building the base image (2 platforms, ~50 MB each) and pushing it to $REG/bench/base:1"
  ( cd "$dir" && "${MVN[@]}" package multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$REG/bench/base:1" \
    "-Dmultiarch.cacheDirectory=$BENCH/cache/base-build" ) >"$BENCH/logs/base.log" 2>&1 \
    || { tail -40 "$BENCH/logs/base.log"; die "cannot build the base image"; }
}

# the W1 application, twice (one copy per tool), with 300 generated classes
make_app() {
  local dir=$1
  rm -rf "$dir"; mkdir -p "$dir"; cp -r "$SRC/w1-app/." "$dir/"
  local gen=$dir/src/main/java/bench/gen
  mkdir -p "$gen"
  {
    echo "package bench.gen;"
    echo "/** Generated. */"
    echo "public final class Registry {"
    echo "  private Registry() {}"
    echo "  public static int count() {"
    echo "    int n = 0;"
    for i in $(seq -w 0 299); do echo "    n += new Gen$i().weight();"; done
    echo "    return n;"
    echo "  }"
    echo "}"
  } >"$gen/Registry.java"
  for i in $(seq -w 0 299); do
    cat >"$gen/Gen$i.java" <<EOF
package bench.gen;

/** Generated class $i of the benchmark application. */
public final class Gen$i {
  private final java.util.Map<String, Integer> values = new java.util.TreeMap<>();

  public Gen$i() {
    for (int i = 0; i < 16; i++) {
      values.put("key-$i-" + i, i * $((10#$i + 1)));
    }
  }

  public int weight() {
    int sum = 0;
    for (int v : values.values()) {
      sum += v;
    }
    return sum + describe().length();
  }

  public String describe() {
    StringBuilder b = new StringBuilder("Gen$i{");
    values.forEach((k, v) -> b.append(k).append('=').append(v).append(','));
    return b.append('}').toString();
  }

  public java.util.List<String> keys() {
    return new java.util.ArrayList<>(values.keySet());
  }
}
EOF
  done
}

set_version() { # set_version DIR VALUE: the one-class change of the incremental case
  sed -i "s/VALUE = \"[^\"]*\"/VALUE = \"$2\"/" "$1/src/main/java/bench/app/Version.java"
}

run_w1() {
  local ours=$BENCH/w1/ours jib=$BENCH/w1/jib
  make_app "$ours"; make_app "$jib"
  log "W1: warming up (dependencies, Jib, caches)"
  ( cd "$ours" && "${MVN[@]}" -Pours package multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$REG/w1/warmup-ours" ) \
    >"$BENCH/logs/w1-warmup-ours.log" 2>&1 || { tail -40 "$BENCH/logs/w1-warmup-ours.log"; die "W1 warm-up (ours)"; }
  ( cd "$jib" && "${MVN[@]}" -Pjib package jib:build "${JIB_FLAGS[@]}" "-Dimage=$REG/w1/warmup-jib" ) \
    >"$BENCH/logs/w1-warmup-jib.log" 2>&1 || { tail -40 "$BENCH/logs/w1-warmup-jib.log"; die "W1 warm-up (Jib)"; }
  ( cd "$ours" && "${MVN[@]}" -q dependency:build-classpath -Dmdep.includeScope=runtime \
    "-Dmdep.outputFile=$BENCH/tmp/classpath.txt" ) >"$BENCH/logs/w1-classpath.log" 2>&1 || true
  tr ':' '\n' <"$BENCH/tmp/classpath.txt" 2>/dev/null | xargs -r du -cb 2>/dev/null | tail -1 | awk '{print $1}' \
    >"$BENCH/results/w1-dependency-bytes" || true
  find "$ours/target/classes" -name '*.class' | wc -l >"$BENCH/results/w1-class-count"

  for i in $(seq 1 "$RUNS"); do
    log "W1 run $i/$RUNS"
    # Maven's floor on the same project, in the same run
    measure w1-floor "$ours" "${MVN[@]}" -o -Pours validate "${REGISTRY_FLAGS[@]}"
    # cold: empty target repositories, caches warm
    measure w1-cold-ours-package "$ours" "${MVN[@]}" -Pours package "${REGISTRY_FLAGS[@]}"
    measure w1-cold-ours-push "$ours" "${MVN[@]}" -Pours multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$REG/w1/ours-$i"
    measure w1-cold-jib-package "$jib" "${MVN[@]}" -Pjib package "${JIB_FLAGS[@]}"
    measure w1-cold-jib-build "$jib" "${MVN[@]}" -Pjib jib:build "${JIB_FLAGS[@]}" "-Dimage=$REG/w1/jib-$i"
    # warm: nothing changed, same repositories
    measure w1-warm-ours-package "$ours" "${MVN[@]}" -Pours package "${REGISTRY_FLAGS[@]}"
    measure w1-warm-ours-push "$ours" "${MVN[@]}" -Pours multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$REG/w1/ours-$i"
    measure w1-warm-jib-package "$jib" "${MVN[@]}" -Pjib package "${JIB_FLAGS[@]}"
    measure w1-warm-jib-build "$jib" "${MVN[@]}" -Pjib jib:build "${JIB_FLAGS[@]}" "-Dimage=$REG/w1/jib-$i"
    # incremental: one class changed
    set_version "$ours" "run-$i"; set_version "$jib" "run-$i"
    measure w1-incr-ours-package "$ours" "${MVN[@]}" -Pours package "${REGISTRY_FLAGS[@]}"
    measure w1-incr-ours-push "$ours" "${MVN[@]}" -Pours multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$REG/w1/ours-$i"
    measure w1-incr-jib-package "$jib" "${MVN[@]}" -Pjib package "${JIB_FLAGS[@]}"
    measure w1-incr-jib-build "$jib" "${MVN[@]}" -Pjib jib:build "${JIB_FLAGS[@]}" "-Dimage=$REG/w1/jib-$i"
    # cold with empty local caches (a fresh CI runner): no target/, no tool cache, empty target repository
    rm -rf "$ours/target" "$jib/target" "$OURS_CACHE" "$JIB_BASE_CACHE"
    measure w1-fresh-ours-package "$ours" "${MVN[@]}" -Pours package "${REGISTRY_FLAGS[@]}"
    measure w1-fresh-ours-push "$ours" "${MVN[@]}" -Pours multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$REG/w1/ours-fresh-$i"
    measure w1-fresh-jib-package "$jib" "${MVN[@]}" -Pjib package "${JIB_FLAGS[@]}"
    measure w1-fresh-jib-build "$jib" "${MVN[@]}" -Pjib jib:build "${JIB_FLAGS[@]}" "-Dimage=$REG/w1/jib-fresh-$i"
    # the whole sequence as one Maven run, as `mvn deploy` runs it: package and the push in one JVM
    measure w1-seq-cold-ours "$ours" "${MVN[@]}" -Pours package multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$REG/w1/seq-ours-$i"
    measure w1-seq-cold-jib "$jib" "${MVN[@]}" -Pjib package jib:build "${JIB_FLAGS[@]}" "-Dimage=$REG/w1/seq-jib-$i"
    measure w1-seq-warm-ours "$ours" "${MVN[@]}" -Pours package multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$REG/w1/seq-ours-$i"
    measure w1-seq-warm-jib "$jib" "${MVN[@]}" -Pjib package jib:build "${JIB_FLAGS[@]}" "-Dimage=$REG/w1/seq-jib-$i"
    set_version "$ours" "seq-$i"; set_version "$jib" "seq-$i"
    measure w1-seq-incr-ours "$ours" "${MVN[@]}" -Pours package multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$REG/w1/seq-ours-$i"
    measure w1-seq-incr-jib "$jib" "${MVN[@]}" -Pjib package jib:build "${JIB_FLAGS[@]}" "-Dimage=$REG/w1/seq-jib-$i"
    rm -rf "$ours/target" "$jib/target" "$OURS_CACHE" "$JIB_BASE_CACHE"
    measure w1-seq-fresh-ours "$ours" "${MVN[@]}" -Pours package multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$REG/w1/seq-ours-fresh-$i"
    measure w1-seq-fresh-jib "$jib" "${MVN[@]}" -Pjib package jib:build "${JIB_FLAGS[@]}" "-Dimage=$REG/w1/seq-jib-fresh-$i"
  done
  # unique bytes of one W1 image: what a cold push must send at least (the application's four layers and
  # two configs; base layers are mounted) — read from the layout, not from a tool's report
  unique_layout_bytes "$ours/target/multiarch/oci" "$(base_layer_digests)" >"$BENCH/results/w1-unique-bytes"
}

base_layer_digests() {
  find "$BENCH/base/target/multiarch/oci/blobs/sha256" -type f -size +1M -printf '%f\n' | sort
}

# unique_layout_bytes LAYOUT EXCLUDED_DIGESTS: bytes of every blob and manifest of the layout's image
# except the excluded (mounted) blobs and index.json's own entry
unique_layout_bytes() {
  local layout=$1 excluded=$2 total=0 f
  for f in "$layout"/blobs/sha256/*; do
    grep -qx "$(basename "$f")" <<<"$excluded" && continue
    total=$(( total + $(stat_size "$f") ))
  done
  echo "$total"
}
stat_size() { wc -c <"$1" | tr -d ' '; }

run_shared() {
  # 5 platforms against 1 with shared application layers: the W1 application from scratch
  local dir=$BENCH/w1/ours
  [ -d "$dir" ] || make_app "$dir"
  log "shared layers: 1 platform against 5"
  for i in $(seq 1 "$RUNS"); do
    measure shared-1 "$dir" "${MVN[@]}" -Pours package multiarch:push "${REGISTRY_FLAGS[@]}" -Dbench.from=scratch \
      -Dmultiarch.platforms=linux/amd64 "-Dmultiarch.image=$REG/shared/one-$i" -Dmultiarch.outputDirectory=target/shared-1 \
      -Dmultiarch.layout=target/shared-1
    measure shared-5 "$dir" "${MVN[@]}" -Pours package multiarch:push "${REGISTRY_FLAGS[@]}" -Dbench.from=scratch \
      "-Dmultiarch.platforms=$(IFS=,; echo "${PLATFORMS5[*]}")" "-Dmultiarch.image=$REG/shared/five-$i" \
      -Dmultiarch.outputDirectory=target/shared-5 -Dmultiarch.layout=target/shared-5
  done
}

BUILDAH_ROOT=$BENCH/buildah
buildah_cmd() { echo "buildah --storage-driver vfs --root $BUILDAH_ROOT/root --runroot $BUILDAH_ROOT/runroot"; }

run_w2() {
  local dir=$BENCH/w2
  rm -rf "$dir"; mkdir -p "$dir"; cp "$SRC/w2/pom.xml" "$dir/"
  for p in "${PLATFORMS5[@]}"; do compile_hello "$p" "$dir/bin/$(slug "$p")/hello"; done
  # buildah: from scratch, copy, config, commit per platform; manifest create/add; manifest push --all
  local script=$dir/buildah.sh B
  B=$(buildah_cmd)
  {
    echo "set -e"
    echo "cd '$dir'"
    echo "$B manifest create w2list >/dev/null"
    for p in "${PLATFORMS5[@]}"; do
      local s os arch variant
      s=$(slug "$p"); IFS=/ read -r os arch variant <<<"$p"
      echo "c=\$($B from scratch)"
      echo "$B copy \$c bin/$s/hello /usr/local/bin/hello >/dev/null"
      echo "$B config --os $os --arch $arch ${variant:+--variant $variant} --entrypoint '[\"/usr/local/bin/hello\"]' \$c"
      echo "$B commit -q \$c w2-$s >/dev/null"
      echo "$B manifest add w2list containers-storage:localhost/w2-$s:latest >/dev/null"
    done
    echo "$B manifest push -q --all --tls-verify=false w2list \"docker://\$1\""
  } >"$script"
  log "W2: warming up"
  rm -rf "$BUILDAH_ROOT"
  ( cd "$dir" && bash "$script" "$REG/w2/warmup-buildah" ) >"$BENCH/logs/w2-warmup-buildah.log" 2>&1 \
    || { tail -40 "$BENCH/logs/w2-warmup-buildah.log"; die "W2 warm-up (buildah)"; }
  ( cd "$dir" && "${MVN[@]}" package multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$REG/w2/warmup-ours" ) \
    >"$BENCH/logs/w2-warmup-ours.log" 2>&1 || { tail -40 "$BENCH/logs/w2-warmup-ours.log"; die "W2 warm-up (ours)"; }
  for i in $(seq 1 "$RUNS"); do
    log "W2 run $i/$RUNS"
    measure w2-floor "$dir" "${MVN[@]}" -o validate
    rm -rf "$dir/target" "$W2_CACHE"
    measure w2-ours "$dir" "${MVN[@]}" package multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.cacheDirectory=$W2_CACHE" \
      "-Dmultiarch.image=$REG/w2/ours-$i"
    rm -rf "$dir/target" "$W2_CACHE"
    # like for like: buildah makes no SBOM and no provenance
    measure w2-bare "$dir" "${MVN[@]}" package multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.cacheDirectory=$W2_CACHE" \
      "-Dmultiarch.image=$REG/w2/bare-$i" -Dmultiarch.attestations=false
    # Maven's JVM with its first JIT compiler only (C1): on two cores, C2's compiling takes CPU a short run needs
    measure w2-floor-c1 "$dir" env "MAVEN_OPTS=${MAVEN_OPTS:-} -XX:TieredStopAtLevel=1" "${MVN[@]}" -o validate
    rm -rf "$dir/target" "$W2_CACHE"
    measure w2-c1 "$dir" env "MAVEN_OPTS=${MAVEN_OPTS:-} -XX:TieredStopAtLevel=1" "${MVN[@]}" package multiarch:push \
      "${REGISTRY_FLAGS[@]}" "-Dmultiarch.cacheDirectory=$W2_CACHE" "-Dmultiarch.image=$REG/w2/c1-$i"
    rm -rf "$BUILDAH_ROOT"
    measure w2-buildah "$dir" bash "$script" "$REG/w2/buildah-$i"
  done
  unique_layout_bytes "$dir/target/multiarch/oci" "" >"$BENCH/results/w2-unique-bytes"
}

run_w3() {
  local dir=$BENCH/w3 src=$REG/w3/src
  rm -rf "$dir"; mkdir -p "$dir"; cp "$SRC/w3/pom.xml" "$dir/"
  [ -d "$BENCH/w2/bin" ] || die "W3 needs W2's binaries: run with BENCH_ONLY including w2"
  log "W3: pushing five per-architecture images to $src"
  ( cd "$BENCH/w2" && "${MVN[@]}" package multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$src" \
    '-Dmultiarch.platformTags={platform}' ) >"$BENCH/logs/w3-setup.log" 2>&1 || { tail -40 "$BENCH/logs/w3-setup.log"; die "W3 setup"; }
  local sources=() p
  for p in "${PLATFORMS5[@]}"; do sources+=("$src:$(slug "$p")"); done
  local script=$dir/buildah.sh B
  B=$(buildah_cmd)
  {
    echo "set -e"
    echo "$B manifest create w3list >/dev/null"
    for s in "${sources[@]}"; do echo "$B manifest add --tls-verify=false w3list docker://$s >/dev/null"; done
    echo "$B manifest push -q --all --tls-verify=false w3list \"docker://\$1\""
  } >"$script"
  ( cd "$dir" && "${MVN[@]}" multiarch:create "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$src:warmup-ours" \
    "-Dmultiarch.sources=$(IFS=,; echo "${sources[*]}")" ) >"$BENCH/logs/w3-warmup-ours.log" 2>&1 \
    || { tail -40 "$BENCH/logs/w3-warmup-ours.log"; die "W3 warm-up (ours)"; }
  for i in $(seq 1 "$RUNS"); do
    log "W3 run $i/$RUNS"
    measure w3-floor "$dir" "${MVN[@]}" -o validate
    measure w3-ours "$dir" "${MVN[@]}" multiarch:create "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$src:index-ours-$i" \
      "-Dmultiarch.sources=$(IFS=,; echo "${sources[*]}")"
    rm -rf "$BUILDAH_ROOT"
    measure w3-buildah "$dir" bash "$script" "$src:index-buildah-$i"
  done
}

run_floor() {
  local dir=$BENCH/w1/ours
  [ -d "$dir" ] || make_app "$dir"
  for i in $(seq 1 "$RUNS"); do
    measure w1-floor "$dir" "${MVN[@]}" -o -Pours validate "${REGISTRY_FLAGS[@]}"
  done
}

# `mvn deploy` of a reactor: a library and two Java applications, each an image for two platforms on the bench
# base; the jars go to a file repository. Cold: new repositories; warm: the same deploy again.
run_reactor() {
  local ours=$BENCH/reactor/ours jib=$BENCH/reactor/jib repo=$BENCH/reactor/deployed
  rm -rf "$BENCH/reactor"; mkdir -p "$ours" "$jib"
  cp -r "$SRC/reactor/." "$ours/"; cp -r "$SRC/reactor/." "$jib/"
  local deploy=(deploy "-DaltDeploymentRepository=bench::file://$repo")
  log "reactor: warming up"
  ( cd "$ours" && "${MVN[@]}" -Pours "${deploy[@]}" "${REGISTRY_FLAGS[@]}" -Dbench.repo=reactor-warmup-ours ) \
    >"$BENCH/logs/reactor-warmup-ours.log" 2>&1 || { tail -40 "$BENCH/logs/reactor-warmup-ours.log"; die "reactor warm-up (ours)"; }
  ( cd "$jib" && "${MVN[@]}" -Pjib "${deploy[@]}" "${JIB_FLAGS[@]}" -Dbench.repo=reactor-warmup-jib ) \
    >"$BENCH/logs/reactor-warmup-jib.log" 2>&1 || { tail -40 "$BENCH/logs/reactor-warmup-jib.log"; die "reactor warm-up (Jib)"; }
  for i in $(seq 1 "$RUNS"); do
    log "reactor run $i/$RUNS"
    measure reactor-floor "$ours" "${MVN[@]}" -o -Pours validate "${REGISTRY_FLAGS[@]}"
    measure reactor-cold-ours "$ours" "${MVN[@]}" -Pours "${deploy[@]}" "${REGISTRY_FLAGS[@]}" "-Dbench.repo=reactor-ours-$i"
    measure reactor-cold-jib "$jib" "${MVN[@]}" -Pjib "${deploy[@]}" "${JIB_FLAGS[@]}" "-Dbench.repo=reactor-jib-$i"
    measure reactor-warm-ours "$ours" "${MVN[@]}" -Pours "${deploy[@]}" "${REGISTRY_FLAGS[@]}" "-Dbench.repo=reactor-ours-$i"
    measure reactor-warm-jib "$jib" "${MVN[@]}" -Pjib "${deploy[@]}" "${JIB_FLAGS[@]}" "-Dbench.repo=reactor-jib-$i"
  done
}

# the W1 application for five platforms on the two-platform base (the three it lacks from scratch), package and
# push as one Maven run, against the same for its two platforms; no peer builds this
run_five() {
  local dir=$BENCH/w1/ours
  [ -d "$dir" ] || make_app "$dir"
  cp "$SRC/w1-app/pom.xml" "$dir/pom.xml" # the profile "five"
  ( cd "$dir" && "${MVN[@]}" -Pfive package multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$REG/five/warmup" \
    -Dmultiarch.outputDirectory=target/five -Dmultiarch.layout=target/five ) >"$BENCH/logs/five-warmup.log" 2>&1 \
    || { tail -40 "$BENCH/logs/five-warmup.log"; die "five-platform warm-up"; }
  for i in $(seq 1 "$RUNS"); do
    log "five platforms on a two-platform base, run $i/$RUNS"
    measure five-floor "$dir" "${MVN[@]}" -o -Pfive validate "${REGISTRY_FLAGS[@]}"
    measure five-two "$dir" "${MVN[@]}" -Pours package multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$REG/five/two-$i" \
      -Dmultiarch.outputDirectory=target/five-two -Dmultiarch.layout=target/five-two
    measure five-five "$dir" "${MVN[@]}" -Pfive package multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$REG/five/five-$i" \
      -Dmultiarch.outputDirectory=target/five -Dmultiarch.layout=target/five
  done
}

# where the time goes: one run of each workload's step with -Dmultiarch.timings, its table kept
run_timings() {
  local ours=$BENCH/w1/ours
  rm -rf "$BENCH/cache/timings" "$BENCH/cache/timings-w2"
  [ -d "$ours" ] || make_app "$ours"
  timed_table() { # timed_table NAME DIR MAVEN-ARGS…
    local name=$1 dir=$2; shift 2
    ( cd "$dir" && "${MVN[@]}" "$@" -Dmultiarch.timings ) >"$BENCH/logs/timings-$name.log" 2>&1 \
      || { tail -40 "$BENCH/logs/timings-$name.log"; die "timings: $name"; }
    sed -n 's/^\[INFO\] //p' "$BENCH/logs/timings-$name.log" | awk '/multiarch: timings:/ {p=1; print; next} p && /^  / {print; next} {p=0}' \
      >"$BENCH/results/timings-$name.txt"
  }
  log "timings of each workload's step"
  timed_table w1-package-fresh "$ours" -Pours clean package "${REGISTRY_FLAGS[@]}" "-Dmultiarch.cacheDirectory=$BENCH/cache/timings"
  timed_table w1-package-warm "$ours" -Pours package "${REGISTRY_FLAGS[@]}" "-Dmultiarch.cacheDirectory=$BENCH/cache/timings"
  timed_table w1-push-cold "$ours" -Pours multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.cacheDirectory=$BENCH/cache/timings" \
    "-Dmultiarch.image=$REG/timings/w1"
  if [ -d "$BENCH/w2/bin" ]; then
    rm -rf "$BENCH/w2/target"
    timed_table w2 "$BENCH/w2" package multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.cacheDirectory=$BENCH/cache/timings-w2" \
      "-Dmultiarch.image=$REG/timings/w2"
  fi
  if [ -d "$BENCH/w3" ]; then
    local sources=() p
    for p in "${PLATFORMS5[@]}"; do sources+=("$REG/w3/src:$(slug "$p")"); done
    timed_table w3 "$BENCH/w3" multiarch:create "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$REG/w3/src:index-timings" \
      "-Dmultiarch.sources=$(IFS=,; echo "${sources[*]}")"
  fi
}

run_big() {
  local dir=$BENCH/big
  rm -rf "$dir"; mkdir -p "$dir/data"; cp "$SRC/big/pom.xml" "$dir/"
  head -c 1073741824 /dev/urandom >"$dir/data/big.bin"
  rm -rf "$BENCH/cache/big"
  log "1 GiB layer with -Xmx256m: a first build (the layer is written) and a second (nothing changed)"
  local saved=${MAVEN_OPTS-}
  export MAVEN_OPTS="-Xmx256m"
  measure big-first "$dir" "${MVN[@]}" -o package "-Dmultiarch.cacheDirectory=$BENCH/cache/big"
  measure big-again "$dir" "${MVN[@]}" -o package "-Dmultiarch.cacheDirectory=$BENCH/cache/big"
  export MAVEN_OPTS="$saved"
  rm -f "$dir/data/big.bin"
}

# the cost of attestations and signatures: W1 and W2 package + push to an empty repository, with neither, with
# attestations (the default), with attestations and signatures (both formats, the default), and with attestations
# and cosign 3's bundles only, runs alternating
run_supply() {
  local ours=$BENCH/w1/ours w2=$BENCH/w2 key=$BENCH/keys/signing.pem i v
  if ! wants w1; then
    wants shared || make_base
    make_app "$ours"
  fi
  if [ ! -d "$w2/bin" ]; then
    rm -rf "$w2"; mkdir -p "$w2"; cp "$SRC/w2/pom.xml" "$w2/"
    for p in "${PLATFORMS5[@]}"; do compile_hello "$p" "$w2/bin/$(slug "$p")/hello"; done
  fi
  mkdir -p "$BENCH/keys"
  [ -f "$key" ] || openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$key" 2>/dev/null \
    || die "openssl could not make a signing key"
  ( cd "$ours" && "${MVN[@]}" -Pours package multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$REG/supply/warmup" \
    "-Dmultiarch.signingKey=$key" ) >"$BENCH/logs/supply-warmup.log" 2>&1 \
    || { tail -40 "$BENCH/logs/supply-warmup.log"; die "supply-chain warm-up"; }
  for i in $(seq 1 "$RUNS"); do
    log "supply chain run $i/$RUNS"
    for v in none attest signed bundle; do
      local flags=()
      case $v in
        none) flags=(-Dmultiarch.attestations=false) ;;
        signed) flags=("-Dmultiarch.signingKey=$key") ;;
        bundle) flags=("-Dmultiarch.signingKey=$key" -Dmultiarch.signatureFormat=bundle) ;;
      esac
      measure "supply-w1-$v" "$ours" "${MVN[@]}" -Pours package multiarch:push "${REGISTRY_FLAGS[@]}" "${flags[@]}" \
        "-Dmultiarch.image=$REG/supply/w1-$v-$i"
      rm -rf "$w2/target" "$W2_CACHE"
      measure "supply-w2-$v" "$w2" "${MVN[@]}" package multiarch:push "${REGISTRY_FLAGS[@]}" "${flags[@]}" \
        "-Dmultiarch.cacheDirectory=$W2_CACHE" "-Dmultiarch.image=$REG/supply/w2-$v-$i"
    done
  done
  # what a push must send at least, with the attestations (they are in the layout; base layers are mounted)
  unique_layout_bytes "$ours/target/multiarch/oci" "$(base_layer_digests)" >"$BENCH/results/supply-w1-unique-bytes"
  unique_layout_bytes "$w2/target/multiarch/oci" "" >"$BENCH/results/supply-w2-unique-bytes"
}

# the working tree against BENCH_COMPARE_REF, alternating, for the steps the changes touch
run_gains() {
  local ours=$BENCH/w1/ours w2=$BENCH/w2 w3=$BENCH/w3 v label i
  # alone (BENCH_ONLY=gains), it prepares what it needs: the base image, the W1 application, W2's binaries
  # and W3's per-architecture images
  if ! wants w1; then
    wants shared || make_base
    make_app "$ours"
    ( cd "$ours" && "${MVN[@]}" -Pours package "${REGISTRY_FLAGS[@]}" ) >"$BENCH/logs/gain-setup.log" 2>&1 \
      || { tail -40 "$BENCH/logs/gain-setup.log"; die "comparison set-up (W1)"; }
  fi
  if ! wants w2; then
    rm -rf "$w2"; mkdir -p "$w2"; cp "$SRC/w2/pom.xml" "$w2/"
    for p in "${PLATFORMS5[@]}"; do compile_hello "$p" "$w2/bin/$(slug "$p")/hello"; done
  fi
  # a plugin from before the canonical {platform} (linux-arm64) looks for arm64's file under linux-arm64-v8
  [ -d "$w2/bin/linux-arm64-v8" ] || cp -r "$w2/bin/linux-arm64" "$w2/bin/linux-arm64-v8"
  if ! wants w3; then
    rm -rf "$w3"; mkdir -p "$w3"; cp "$SRC/w3/pom.xml" "$w3/"
    ( cd "$w2" && "${MVN[@]}" package multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.image=$REG/w3/src" \
      "-Dmultiarch.cacheDirectory=$W2_CACHE" '-Dmultiarch.platformTags={platform}' ) >>"$BENCH/logs/gain-setup.log" 2>&1 \
      || { tail -40 "$BENCH/logs/gain-setup.log"; die "comparison set-up (W3)"; }
  fi
  local sources=() p
  for p in "${PLATFORMS5[@]}"; do sources+=("$REG/w3/src:$(slug "$p")"); done
  for i in $(seq 1 "$RUNS"); do
    log "comparison with $BENCH_COMPARE_REF, run $i/$RUNS"
    for v in compare now; do
      local version=$PLUGIN_VERSION; [ "$v" = compare ] && version=$COMPARE_VERSION
      # W1 package, nothing changed (the layer cache)
      measure "gain-w1-package-$v" "$ours" "${MVN[@]}" -Pours package "${REGISTRY_FLAGS[@]}" "-Dmultiarch.version=$version"
      # W1 push to an empty repository, then again (nothing to do)
      measure "gain-w1-cold-push-$v" "$ours" "${MVN[@]}" -Pours multiarch:push "${REGISTRY_FLAGS[@]}" \
        "-Dmultiarch.version=$version" "-Dmultiarch.image=$REG/gain/$v-$i"
      measure "gain-w1-warm-push-$v" "$ours" "${MVN[@]}" -Pours multiarch:push "${REGISTRY_FLAGS[@]}" \
        "-Dmultiarch.version=$version" "-Dmultiarch.image=$REG/gain/$v-$i"
      # W2, package + push from nothing
      rm -rf "$w2/target" "$W2_CACHE"
      measure "gain-w2-$v" "$w2" "${MVN[@]}" package multiarch:push "${REGISTRY_FLAGS[@]}" "-Dmultiarch.version=$version" \
        "-Dmultiarch.cacheDirectory=$W2_CACHE" \
        "-Dmultiarch.image=$REG/gain/w2-$v-$i"
      # W3
      measure "gain-w3-$v" "$w3" "${MVN[@]}" multiarch:create "${REGISTRY_FLAGS[@]}" "-Dmultiarch.version=$version" \
        "-Dmultiarch.image=$REG/w3/src:gain-$v-$i" "-Dmultiarch.sources=$(IFS=,; echo "${sources[*]}")"
    done
  done
}

# ---------------------------------------------------------------------------------------------- table
row() { printf '| %s |\n' "$(IFS='|'; echo "$*" | sed 's/|/ | /g')"; }

report() {
  local out=$BENCH/results.md floor w1floor
  {
    echo "Machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr);" \
      "$(java -version 2>&1 | head -1); Maven 3.9.11 (./mvnw); jib-maven-plugin 3.5.2; $(buildah --version | cut -d' ' -f1-3);" \
      "docker-registry $(docker-registry --version 2>/dev/null | awk '{print $3}'). $RUNS runs per figure; $(date -u +%Y-%m-%d)." \
      "Load average (1 min) at the start $LOAD_START, at the end $(cut -d' ' -f1 /proc/loadavg)."
    echo
    if [ -s "$BENCH/results/w1-floor" ] || [ -s "$BENCH/results/w1-cold-ours-push" ]; then
      w1floor=$(med w1-floor)
      echo "W1: $(( $(cat "$BENCH/results/w1-dependency-bytes" 2>/dev/null || echo 0) / 1000000 )) MB of dependency jars," \
        "$(cat "$BENCH/results/w1-class-count" 2>/dev/null || echo ?) classes; base 2 platforms x 50 MB (random)." \
        "Maven's floor \`mvn -o validate\` on the same project: $(fmt_time w1-floor) s."
      echo
      row "W1 case" "ours: multiarch:push s" "Jib: jib:build s" "ratio" "target" "" "over the floor: ours / Jib s" "uploaded ours / Jib" "requests ours / Jib" "RSS ours / Jib" "ours: package s" "Jib: package s"
      row "---" "---" "---" "---" "---" "---" "---" "---" "---" "---" "---" "---"
      local c t r label
      for c in cold fresh warm incr; do
        case $c in
          cold) label="cold (empty target repository)"; t=0.7 ;;
          fresh) label="cold, empty local caches"; t=0.5 ;;
          warm) label="warm (nothing changed)"; t=0.5 ;;
          incr) label="incremental (one class)"; t=0.7 ;;
        esac
        r=$(ratio "$(med "w1-$c-ours-push")" "$(med "w1-$c-jib-build")")
        row "$label" "$(fmt_time "w1-$c-ours-push")" "$(fmt_time "w1-$c-jib-build")" "$r" "≤ $t" "$(verdict "$r" "$t")" \
          "$(awk -v a="$(med "w1-$c-ours-push")" -v b="$(med "w1-$c-jib-build")" -v f="$w1floor" 'BEGIN{printf "%.2f / %.2f", a - f, b - f}')" \
          "$(fmt_mb "w1-$c-ours-push" 3) / $(fmt_mb "w1-$c-jib-build" 3)" \
          "$(fmt_req "w1-$c-ours-push") / $(fmt_req "w1-$c-jib-build")" \
          "$(fmt_rss "w1-$c-ours-push") / $(fmt_rss "w1-$c-jib-build")" \
          "$(fmt_time "w1-$c-ours-package")" "$(fmt_time "w1-$c-jib-package")"
      done
      echo
      echo "Unique bytes of one W1 image without its (mounted) base layers: $(awk '{printf "%.1f MB", $1 / 1e6}' "$BENCH/results/w1-unique-bytes" 2>/dev/null)." \
        "Downloaded by the fresh-runner case (base layers, median): ours package $(fmt_mb w1-fresh-ours-package 4), ours push $(fmt_mb w1-fresh-ours-push 4), Jib $(fmt_mb w1-fresh-jib-build 4)." \
        "Whole sequence, package + push against package + jib:build (medians): cold $(ratio "$(med_sum w1-cold-ours-package w1-cold-ours-push)" "$(med_sum w1-cold-jib-package w1-cold-jib-build)")," \
        "fresh $(ratio "$(med_sum w1-fresh-ours-package w1-fresh-ours-push)" "$(med_sum w1-fresh-jib-package w1-fresh-jib-build)")," \
        "warm $(ratio "$(med_sum w1-warm-ours-package w1-warm-ours-push)" "$(med_sum w1-warm-jib-package w1-warm-jib-build)")," \
        "incremental $(ratio "$(med_sum w1-incr-ours-package w1-incr-ours-push)" "$(med_sum w1-incr-jib-package w1-incr-jib-build)")."
      echo
      if [ -s "$BENCH/results/w1-seq-cold-ours" ]; then
        echo "W1 whole sequence: \`package\` then the push. Two Maven runs are the medians of the two steps above added;" \
          "one Maven run is \`mvn package multiarch:push\` against \`mvn package jib:build\` (one JVM, as \`mvn deploy\` runs them)," \
          "measured on its own. The target applies to the ratio of one Maven run."
        echo
        row "W1 whole sequence" "two runs: ours s" "two runs: Jib s" "ratio" "one run: ours s" "one run: Jib s" "ratio" "target" "" "one run over the floor: ours / Jib s" "uploaded ours / Jib" "downloaded ours / Jib" "RSS ours / Jib"
        row "---" "---" "---" "---" "---" "---" "---" "---" "---" "---" "---" "---" "---"
        local two_o two_j
        for c in cold fresh warm incr; do
          case $c in
            cold) label="cold (empty target repository)"; t=0.6 ;;
            fresh) label="fresh runner (empty local caches)"; t=0.5 ;;
            warm) label="warm (nothing changed)"; t=0.6 ;;
            incr) label="incremental (one class)"; t=0.7 ;;
          esac
          two_o=$(printf '%.2f' "$(med_sum "w1-$c-ours-package" "w1-$c-ours-push")")
          two_j=$(printf '%.2f' "$(med_sum "w1-$c-jib-package" "w1-$c-jib-build")")
          r=$(ratio "$(med "w1-seq-$c-ours")" "$(med "w1-seq-$c-jib")")
          row "$label" "$two_o" "$two_j" "$(ratio "$two_o" "$two_j")" "$(fmt_time "w1-seq-$c-ours")" "$(fmt_time "w1-seq-$c-jib")" \
            "$r" "≤ $t" "$(verdict "$r" "$t")" \
            "$(awk -v a="$(med "w1-seq-$c-ours")" -v b="$(med "w1-seq-$c-jib")" -v f="$w1floor" 'BEGIN{printf "%.2f / %.2f", a - f, b - f}')" \
            "$(fmt_mb "w1-seq-$c-ours" 3) / $(fmt_mb "w1-seq-$c-jib" 3)" "$(fmt_mb "w1-seq-$c-ours" 4) / $(fmt_mb "w1-seq-$c-jib" 4)" \
            "$(fmt_rss "w1-seq-$c-ours") / $(fmt_rss "w1-seq-$c-jib")"
        done
        echo
        r=$(awk -v a="$(med w1-warm-ours-package)" -v b="$(med w1-warm-jib-package)" 'BEGIN{printf "%.2f", a - b}')
        echo "W1 \`build\` with nothing changed: ours \`package\` $(fmt_time w1-warm-ours-package) s against the same lifecycle" \
          "without our goal (the Jib project's \`package\`) $(fmt_time w1-warm-jib-package) s: the goal costs $r s" \
          "(target ≤ 0.3 s: $(verdict "$r" 0.3)); its own phases are under [where the time goes](#where-the-time-goes)."
        echo
      fi
    fi
    if [ -s "$BENCH/results/reactor-cold-ours" ]; then
      echo "Reactor: \`mvn deploy\` of a library and two Java applications (each an image of linux/amd64 and linux/arm64 on" \
        "the W1 base; [src/bench/reactor](../src/bench/reactor)), the jars to a file repository. Maven's floor" \
        "\`mvn -o validate\` on the reactor: $(fmt_time reactor-floor) s."
      echo
      row "reactor \`mvn deploy\`" "ours s" "Jib s" "ratio" "over the floor: ours / Jib s" "uploaded ours / Jib" "requests ours / Jib" "RSS ours / Jib"
      row "---" "---" "---" "---" "---" "---" "---" "---"
      for c in cold warm; do
        [ "$c" = cold ] && label="cold (new repositories)" || label="again, nothing changed"
        row "$label" "$(fmt_time "reactor-$c-ours")" "$(fmt_time "reactor-$c-jib")" \
          "$(ratio "$(med "reactor-$c-ours")" "$(med "reactor-$c-jib")")" \
          "$(awk -v a="$(med "reactor-$c-ours")" -v b="$(med "reactor-$c-jib")" -v f="$(med reactor-floor)" 'BEGIN{printf "%.2f / %.2f", a - f, b - f}')" \
          "$(fmt_mb "reactor-$c-ours" 3) / $(fmt_mb "reactor-$c-jib" 3)" "$(fmt_req "reactor-$c-ours") / $(fmt_req "reactor-$c-jib")" \
          "$(fmt_rss "reactor-$c-ours") / $(fmt_rss "reactor-$c-jib")"
      done
      echo
    fi
    if [ -s "$BENCH/results/five-five" ]; then
      echo "Five platforms on a two-platform base (the W1 application; linux/amd64 and linux/arm64 on the base, arm/v7," \
        "ppc64le and s390x from scratch), \`mvn package multiarch:push\` to an empty repository: $(fmt_time five-five) s," \
        "$(fmt_mb five-five 3) uploaded, $(fmt_req five-five) requests; the same for its two platforms $(fmt_time five-two) s," \
        "$(fmt_mb five-two 3), $(fmt_req five-two) requests; five / two = $(ratio "$(med five-five)" "$(med five-two)");" \
        "Maven's floor $(fmt_time five-floor) s. No peer builds this (Jib takes every platform from one base)."
      echo
    fi
    if ls "$BENCH/results"/timings-*.txt >/dev/null 2>&1; then
      echo "#### Where the time goes"
      echo
      echo "One run of each step with \`-Dmultiarch.timings\`, in the same sitting (milliseconds; the registry requests" \
        "summed up, each is in the log):"
      echo
      local f
      for f in "$BENCH/results"/timings-*.txt; do
        echo "\`$(basename "$f" .txt | sed 's/^timings-//')\`:"
        echo
        echo '```text'
        # the phases, and the registry requests summed up (each is in the log: target/bench/logs/timings-*.log)
        awk '/ → / { n++; sum += $2; if (!first) first = $1; if ($1 + $2 > last) last = $1 + $2; next } { print }
          END { if (n) printf "  %d registry requests, %.0f ms in all (side by side: %.0f ms from the first to the end of the last)\n", n, sum, last - first }' "$f"
        echo '```'
        echo
      done
    fi
    if [ -s "$BENCH/results/w2-ours" ] || [ -s "$BENCH/results/w3-ours" ]; then
      row "W2 / W3" "ours s" "Maven floor s" "ours − floor s" "buildah s" "(ours − floor) / buildah" "target" "" "uploaded ours / buildah" "unique" "requests ours / buildah" "RSS ours / buildah"
      row "---" "---" "---" "---" "---" "---" "---" "---" "---" "---" "---" "---"
      local w net label uniq
      for w in w2 w2-bare w2-c1 w3; do
        local ours=$w-ours floor=$w-floor other=$w-buildah
        [ "$w" = w2-bare ] && { ours=w2-bare; floor=w2-floor; other=w2-buildah; }
        [ "$w" = w2-c1 ] && { ours=w2-c1; floor=w2-floor-c1; other=w2-buildah; }
        [ -s "$BENCH/results/$ours" ] || continue
        net=$(awk -v a="$(med "$ours")" -v b="$(med "$floor")" 'BEGIN{printf "%.2f", a - b}')
        r=$(ratio "$net" "$(med "$other")")
        case $w in
          w2) label="W2: 5 native platforms from scratch (package + push)"
            uniq=$(awk '{printf "%.2f MB", $1 / 1e6}' "$BENCH/results/w2-unique-bytes" 2>/dev/null) ;;
          w2-bare) label="W2 without attestations (\`-Dmultiarch.attestations=false\`: buildah makes none)"; uniq="–" ;;
          w2-c1) label="W2, Maven's JVM with C1 only (\`MAVEN_OPTS=-XX:TieredStopAtLevel=1\`, floor likewise)"; uniq="–" ;;
          w3) label="W3: index of 5 existing images (create)"; uniq="–" ;;
        esac
        [ "$w" = w3 ] && t=1.0 || t=0.5
        row "$label" "$(fmt_time "$ours")" "$(fmt_time "$floor")" "$net" "$(fmt_time "$other")" "$r" "≤ $t" "$(verdict "$r" "$t")" \
          "$(fmt_mb "$ours" 3) / $(fmt_mb "$other" 3)" "$uniq" "$(fmt_req "$ours") / $(fmt_req "$other")" \
          "$(fmt_rss "$ours") / $(fmt_rss "$other")"
      done
      echo
    fi
    if [ -s "$BENCH/results/shared-5" ]; then
      r=$(ratio "$(med shared-5)" "$(med shared-1)")
      echo "Shared application layers (W1 application from scratch, package + push to an empty repository):" \
        "1 platform $(fmt_time shared-1) s, $(fmt_mb shared-1 3) uploaded; 5 platforms $(fmt_time shared-5) s," \
        "$(fmt_mb shared-5 3) uploaded; 5/1 = $r (target ≤ 1.3: $(verdict "$r" 1.3))."
      echo
    fi
    if [ -s "$BENCH/results/gain-w1-package-now" ]; then
      echo "Working tree against \`$BENCH_COMPARE_REF\` ($(cd "$ROOT" && git rev-parse --short "$BENCH_COMPARE_REF")), same sitting, runs alternating:"
      echo
      row "step" "at $BENCH_COMPARE_REF s" "now s" "now / before" "requests before / now" "uploaded before / now"
      row "---" "---" "---" "---" "---" "---"
      local g
      for g in w1-package w1-cold-push w1-warm-push w2 w3; do
        case $g in
          w1-package) label="W1 \`package\`, nothing changed" ;;
          w1-cold-push) label="W1 \`multiarch:push\`, empty repository" ;;
          w1-warm-push) label="W1 \`multiarch:push\`, again" ;;
          w2) label="W2 \`package multiarch:push\`" ;;
          w3) label="W3 \`multiarch:create\`" ;;
        esac
        row "$label" "$(fmt_time "gain-$g-compare")" "$(fmt_time "gain-$g-now")" \
          "$(ratio "$(med "gain-$g-now")" "$(med "gain-$g-compare")")" \
          "$(fmt_req "gain-$g-compare") / $(fmt_req "gain-$g-now")" "$(fmt_mb "gain-$g-compare" 3) / $(fmt_mb "gain-$g-now" 3)"
      done
      echo
    fi
    if [ -s "$BENCH/results/supply-w1-none" ]; then
      echo "Supply chain: package + push to an empty repository, without attestations, with them (the default)," \
        "with them and signatures of the index and every child (\`signatureFormat\` both, the default), and with" \
        "them and cosign 3's bundles only (\`signatureFormat\` bundle), runs alternating:"
      echo
      row "workload" "none s" "attestations s" "+ signatures (both) s" "+ signatures (bundle) s" "attestations / none" "signed both / none" "signed bundle / none" "target" "" "uploaded none / attest / both / bundle" "unique with attestations" "requests none / attest / both / bundle"
      row "---" "---" "---" "---" "---" "---" "---" "---" "---" "---" "---" "---" "---"
      local w ra rs rb
      for w in w1 w2; do
        ra=$(ratio "$(med "supply-$w-attest")" "$(med "supply-$w-none")")
        rs=$(ratio "$(med "supply-$w-signed")" "$(med "supply-$w-none")")
        rb=$(ratio "$(med "supply-$w-bundle")" "$(med "supply-$w-none")")
        row "$( [ "$w" = w1 ] && echo "W1 (Java, 2 platforms on a registry base)" || echo "W2 (5 native platforms from scratch)")" \
          "$(fmt_time "supply-$w-none")" "$(fmt_time "supply-$w-attest")" "$(fmt_time "supply-$w-signed")" \
          "$(fmt_time "supply-$w-bundle")" "$ra" "$rs" "$rb" "≤ 1.10" "both $(verdict "$rs" 1.10), bundle $(verdict "$rb" 1.10)" \
          "$(fmt_mb "supply-$w-none" 3) / $(fmt_mb "supply-$w-attest" 3) / $(fmt_mb "supply-$w-signed" 3) / $(fmt_mb "supply-$w-bundle" 3)" \
          "$(awk '{printf "%.2f MB", $1 / 1e6}' "$BENCH/results/supply-$w-unique-bytes" 2>/dev/null)" \
          "$(fmt_req "supply-$w-none") / $(fmt_req "supply-$w-attest") / $(fmt_req "supply-$w-signed") / $(fmt_req "supply-$w-bundle")"
      done
      echo
    fi
    if [ -s "$BENCH/results/big-first" ]; then
      echo "1 GiB layer, \`MAVEN_OPTS=-Xmx256m mvn -o package\`: first build $(fmt_time big-first) s, peak RSS $(fmt_rss big-first);" \
        "again with nothing changed $(fmt_time big-again) s, peak RSS $(fmt_rss big-again)."
      echo
    fi
  } >"$out"
  cat "$out"
}

# ----------------------------------------------------------------------------------------------- main
main() {
  mkdir -p "$BENCH"
  rm -rf "$BENCH/results" "$BENCH/logs" "$BENCH/tmp"
  mkdir -p "$BENCH/results" "$BENCH/logs" "$BENCH/tmp"
  LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
  ensure_tools
  install_plugin
  if [ -n "${BENCH_COMPARE_REF:-}" ]; then install_compare "$BENCH_COMPARE_REF"; fi
  start_registry
  set_registry_flags
  if wants w1 || wants shared || wants reactor || wants five || wants timings; then make_base; fi
  if wants floor && ! wants w1; then run_floor; fi   # W1 measures the floor in each of its runs
  if wants w1; then run_w1; fi
  if wants shared; then run_shared; fi
  if wants w2; then run_w2; fi
  if wants w3; then run_w3; fi
  if [ -n "${BENCH_COMPARE_REF:-}" ] && { wants w1 || wants gains; }; then run_gains; fi
  if wants supply; then run_supply; fi
  if wants reactor; then run_reactor; fi
  if wants five; then run_five; fi
  if wants timings; then run_timings; fi
  if wants big; then run_big; fi
  report
  log "logs: $BENCH/logs; raw figures (wall s, RSS KB, bytes up, bytes down, requests per run): $BENCH/results"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
