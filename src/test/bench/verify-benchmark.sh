#!/usr/bin/env bash
# Benchmark of multiarch:verify on a large image (not part of the test run; see docs/benchmarks.md).
#
# Builds, with the plugin itself, a two-platform image (linux/amd64, linux/arm64) whose layers hold ~560 MiB
# compressed: a shared layer of 256 MiB of random data (incompressible, so compressed size = content size), and
# per platform 150 MiB of random data, 2000 small text files and 200 copies of that platform's static hello
# binary. Then runs `multiarch:verify` on the layout (no smoke run) with /usr/bin/time -v, once with the default
# heap and then with smaller and smaller -Xmx, and prints wall time, max RSS and the smallest -Xmx that passed.
#
# Usage: src/test/bench/verify-benchmark.sh [WORK_DIR]   (default target/bench; needs ~2 GiB free)
# The plugin is installed into a private local repository under WORK_DIR (copied from ~/.m2, no network), so the
# user's ~/.m2 is not changed.
set -euo pipefail

project=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mkdir -p "${1:-$project/target/bench}" && cd "${1:-$project/target/bench}" && pwd)
repo="$work/repo"
settings="$work/settings.xml"
image="$work/image"
mvn=(mvn -B -Dstyle.color=never -s "$settings" -Dmaven.repo.local="$repo")

cat > "$settings" <<XML
<settings>
  <mirrors>
    <mirror><id>user-repository</id><mirrorOf>*</mirrorOf><url>file://$HOME/.m2/repository</url></mirror>
  </mirrors>
</settings>
XML

echo "== installing the plugin into $repo"
(cd "$project" && "${mvn[@]}" -q install -DskipTests)
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$project/pom.xml" | head -1)

echo "== writing the image content under $image"
rm -rf "$image"
mkdir -p "$image/shared" "$image/native"
for i in $(seq 1 64); do head -c $((4 * 1024 * 1024)) /dev/urandom > "$image/shared/blob-$i.bin"; done
for platform in linux-amd64 linux-arm64; do
  dir="$image/native/$platform"
  mkdir -p "$dir/data" "$dir/text" "$dir/bin"
  for i in $(seq 1 30); do head -c $((5 * 1024 * 1024)) /dev/urandom > "$dir/data/blob-$i.bin"; done
  for i in $(seq 1 2000); do echo "file $i of $platform" > "$dir/text/file-$i.txt"; done
  case $platform in
    linux-amd64) cc=gcc ;;
    linux-arm64) cc=aarch64-linux-gnu-gcc ;;
  esac
  "$cc" -static -O2 -o "$dir/hello" "$project/src/it/common/hello.c"
  for i in $(seq 1 200); do cp "$dir/hello" "$dir/bin/tool-$i"; done
done

cat > "$image/pom.xml" <<XML
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId>
  <artifactId>verify-benchmark</artifactId>
  <version>1.0</version>
  <packaging>pom</packaging>
  <properties><project.build.outputTimestamp>2026-01-01T00:00:00Z</project.build.outputTimestamp></properties>
  <build>
    <plugins>
      <plugin>
        <groupId>io.github.multiarch</groupId>
        <artifactId>multiarch-maven-plugin</artifactId>
        <version>$version</version>
        <configuration>
          <platforms><platform>linux/amd64</platform><platform>linux/arm64</platform></platforms>
          <container><entrypoint><arg>/hello</arg></entrypoint></container>
          <layers>
            <layer><name>shared</name><files><file><source>shared</source><target>/shared</target></file></files></layer>
            <layer><name>native</name><files><file><source>native/{platform}</source><target>/</target></file></files></layer>
          </layers>
        </configuration>
      </plugin>
    </plugins>
  </build>
</project>
XML

echo "== building the image"
(cd "$image" && "${mvn[@]}" -q multiarch:build)
du -sh "$image/target/multiarch/oci/blobs"
layers=$(du -sb "$image/target/multiarch/oci/blobs" | cut -f1)
echo "blobs: $layers bytes"

run() { # $1: a label, $2: MAVEN_OPTS; prints wall time and max RSS; returns the goal's exit code
  local out="$work/verify-$1.log"
  set +e
  (cd "$image" && MAVEN_OPTS="$2" /usr/bin/time -v "${mvn[@]}" -o multiarch:verify > "$out" 2>&1)
  local rc=$?
  set -e
  echo "MAVEN_OPTS='$2': exit $rc, $(grep -E 'Elapsed \(wall clock\)' "$out" | sed 's/.*: //') wall," \
       "max RSS $(grep 'Maximum resident set size' "$out" | sed 's/.*: //') KiB;" \
       "$(grep -E 'result: ' "$out" | sed 's/.*result: /result /');" \
       "$(grep -E 'verification took' "$out" | sed 's/.*multiarch: //')"
  return $rc
}

echo "== Maven alone (validate), for comparison"
set +e
(cd "$image" && /usr/bin/time -v "${mvn[@]}" -o -q validate > "$work/validate.log" 2>&1)
set -e
echo "mvn -o validate: $(grep -E 'Elapsed \(wall clock\)' "$work/validate.log" | sed 's/.*: //') wall," \
     "max RSS $(grep 'Maximum resident set size' "$work/validate.log" | sed 's/.*: //') KiB"

echo "== verifying (no smoke run)"
run default "" || true
grep -E '\[INFO\]   (PLATFORM|linux|index|result)' "$work/verify-default.log" || true
smallest=""
for heap in 256m 128m 64m 32m 16m 12m 8m; do
  if run "xmx$heap" "-Xmx$heap"; then smallest=$heap; else break; fi
done
echo "smallest -Xmx that passed: ${smallest:-none}"
