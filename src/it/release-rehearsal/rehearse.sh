#!/usr/bin/env bash
# Release rehearsal (docs/releasing.md): everything `./mvnw -B -Prelease deploy` does for a real release, except
# the upload, with a throwaway signing key, and the checks a release must pass:
#   1. a throwaway OpenPGP key in a private GNUPGHOME, handed to Maven the way a release job does it
#      (MAVEN_GPG_KEY / MAVEN_GPG_PASSPHRASE in the environment, nothing on the command line);
#   2. build A: the release profile on a copy of the project at version <version>-rehearsal, `deploy` with
#      -DskipUpload=true: central-publishing-maven-plugin stages the signed artifacts with their checksums into
#      a file repository (target/central-staging) and zips the bundle Central would get, and uploads nothing;
#   3. every file Central requires is staged (jar, pom, sources, javadoc, the CycloneDX SBOM; each with .asc, .md5
#      and .sha1 matching), every .asc passes `gpg --verify` with the throwaway key, the deployed POM carries
#      Central's metadata, and no log holds the passphrase or the key;
#   4. build B: the same sources in another directory, built from clean, compared byte for byte with what build A
#      staged by `artifact:compare` (jar with the plugin descriptor, pom, sources, javadoc), and the SBOMs compared
#      apart from the hashes of the tool that wrote them (see below);
#   5. a fresh consumer project with an empty local repository resolves the staged plugin and runs multiarch:help.
# Run by the IT src/it/release-rehearsal inside `./mvnw -B verify`; by hand: bash src/it/release-rehearsal/rehearse.sh
#
# Environment (all optional):
#   REHEARSAL_WORK     work directory, emptied first (default: target/release-rehearsal)
#   REHEARSAL_PROJECT  the project to rehearse (default: the clone this script is in)
#   REHEARSAL_MAVEN    the Maven to run (default: the project's ./mvnw)
#   REHEARSAL_LOCAL_REPO  the local repository of build A (default: ~/.m2/repository); build B and the consumer
#                      read third-party artifacts from it as maven.repo.local.tail and write into their own. It must
#                      not hold the rehearsed version (checked).
# Needs Maven 3.9.2+ (central-publishing-maven-plugin; maven.repo.local.tail).
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(cd "${REHEARSAL_PROJECT:-$script_dir/../../..}" && pwd)"
maven="${REHEARSAL_MAVEN:-$project/mvnw}"
work="${REHEARSAL_WORK:-$project/target/release-rehearsal}"
user_repo="${REHEARSAL_LOCAL_REPO:-$HOME/.m2/repository}"

# An SBOM without its metadata.tools (the one part that depends on the local repository's layout).
sbom_without_tools() {
  case "$1" in
    *.json) python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["metadata"].pop("tools", None); print(json.dumps(d, indent=1, sort_keys=True))' "$1" ;;
    *.xml) python3 -c 'import sys,xml.etree.ElementTree as E; t=E.parse(sys.argv[1]); m=t.getroot().find("{*}metadata"); [m.remove(x) for x in m.findall("{*}tools")]; sys.stdout.write(E.tostring(t.getroot(), encoding="unicode"))' "$1" ;;
  esac
}
fail() { echo "rehearsal: FAILED: $*" >&2; exit 1; }
step() { echo "rehearsal: $*"; }
passed() { echo "rehearsal: ok: $*"; }

command -v gpg >/dev/null || fail "gpg is not installed (Debian/Ubuntu: apt-get install gnupg; src/test/tools/ensure-test-tools.sh installs it)"
[ -x "$maven" ] || fail "no Maven at $maven"

rm -rf "$work"
mkdir -p "$work"
work="$(cd "$work" && pwd)"

# --- the version: the project's, with -rehearsal instead of -SNAPSHOT, so that it can never be mistaken for the
# SNAPSHOT a normal build installs into the local repository
snapshot="$(sed -n '0,/<version>/s:.*<version>\([^<]*\)</version>.*:\1:p' "$project/pom.xml")"
[ -n "$snapshot" ] || fail "no <version> in $project/pom.xml"
version="${snapshot%-SNAPSHOT}-rehearsal"
group_path=io/github/multiarch
artifact=multiarch-maven-plugin
step "rehearsing $artifact $version from $project"

# --- 1. the throwaway key
export GNUPGHOME="$work/gnupg"
mkdir -m 700 "$GNUPGHOME"
# gpg starts an agent of its own for this GNUPGHOME (key generation needs one); stop it however the script ends.
# Maven itself signs without gpg or an agent (the bc signer).
trap 'gpgconf --kill gpg-agent >/dev/null 2>&1 || true' EXIT
passphrase_file="$GNUPGHOME/passphrase"
(umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$passphrase_file")
gpg_batch=(gpg --batch --quiet --pinentry-mode loopback --passphrase-file "$passphrase_file")
"${gpg_batch[@]}" --quick-gen-key 'multiarch-maven-plugin release rehearsal <rehearsal@example.invalid>' rsa3072 sign 1d \
  2>"$work/gpg-keygen.log" || { cat "$work/gpg-keygen.log" >&2; fail "gpg could not make a key"; }
fingerprint="$(gpg --batch --with-colons --list-secret-keys | awk -F: '$1 == "fpr" { print $10; exit }')"
[ -n "$fingerprint" ] || fail "no fingerprint for the generated key"
gpg --batch --armor --export "$fingerprint" > "$work/rehearsal-public-key.asc"
MAVEN_GPG_KEY="$("${gpg_batch[@]}" --armor --export-secret-keys "$fingerprint")"
MAVEN_GPG_PASSPHRASE="$(cat "$passphrase_file")"
export MAVEN_GPG_KEY MAVEN_GPG_PASSPHRASE
passed "throwaway key $fingerprint"

# --- copies of the project: what a release builds from (pom.xml and src/main), at the rehearsal version
copy_project() {
  local dest=$1
  mkdir -p "$dest/src"
  cp "$project/pom.xml" "$dest/"
  cp -R "$project/src/main" "$dest/src/"
  sed -i "0,/<version>[^<]*<\/version>/s//<version>$version<\/version>/" "$dest/pom.xml"
}
copy_project "$work/build-a"
copy_project "$work/build-b"

# Online mode even when the outer build is offline: cyclonedx-maven-plugin refuses to run offline
# (https://github.com/CycloneDX/cyclonedx-maven-plugin/issues/439); with a filled local repository nothing is
# downloaded.
release_build=(-B -Prelease -DskipTests -Dmaven.test.skip=true -Dinvoker.skip=true)
# Build A keeps what it downloads (the release profile's plugins) in the user's local repository but installs
# nothing there; build B and the consumer write into their own, reading the user's as a tail.
check_rehearsal_version_absent() {
  [ ! -e "$user_repo/$group_path/$artifact/$version" ] \
    || fail "$user_repo holds $artifact $version ($1): nothing may find the plugin there"
}
check_rehearsal_version_absent "before the rehearsal; delete that directory"

# --- 2. build A: the release, staged instead of uploaded
step "build A: -Prelease deploy -DskipUpload=true (log: $work/build-a.log)"
(cd "$work/build-a" && "$maven" "${release_build[@]}" -Dmaven.repo.local="$user_repo" -Dmaven.install.skip=true \
  -DskipUpload=true deploy) \
  > "$work/build-a.log" 2>&1 || { tail -50 "$work/build-a.log" >&2; fail "build A (see $work/build-a.log)"; }
staging="$work/build-a/target/central-staging"
bundle="$work/build-a/target/central-publishing/central-bundle.zip"
staged="$staging/$group_path/$artifact/$version"
[ -d "$staged" ] || fail "nothing staged under $staged"
[ -f "$bundle" ] || fail "no bundle at $bundle"
passed "staged into $staging, bundle $bundle"

# --- 3. what Central requires, signatures, checksums, metadata, no secret in a log
base="$staged/$artifact-$version"
required=("$base.pom" "$base.jar" "$base-sources.jar" "$base-javadoc.jar" "$base-cyclonedx.json" "$base-cyclonedx.xml")
for file in "${required[@]}"; do
  for suffix in "" .asc .md5 .sha1; do
    [ -s "$file$suffix" ] || fail "missing: ${file#"$staging"/}$suffix"
  done
  [ "$(cat "$file.md5")" = "$(md5sum < "$file" | cut -d' ' -f1)" ] || fail "wrong .md5 for ${file##*/}"
  [ "$(cat "$file.sha1")" = "$(sha1sum < "$file" | cut -d' ' -f1)" ] || fail "wrong .sha1 for ${file##*/}"
done
passed "jar, pom, sources, javadoc and SBOM (json, xml) staged, each with .asc, .md5 and .sha1"

signatures=0
while IFS= read -r -d '' signature; do
  signed="${signature%.asc}"
  status="$(gpg --batch --status-fd 1 --verify "$signature" "$signed" 2>/dev/null)" \
    || fail "gpg --verify refuses ${signature##*/}"
  grep -q "^\[GNUPG:\] VALIDSIG $fingerprint " <<<"$status" || fail "${signature##*/} is not signed by the rehearsal key"
  signatures=$((signatures + 1))
done < <(find "$staging" -name '*.asc' -print0)
[ "$signatures" -ge "${#required[@]}" ] || fail "only $signatures signatures"
passed "gpg --verify: $signatures signatures by $fingerprint"

# the bundle holds the same files
unzip -Z1 "$bundle" | sort > "$work/bundle-files.txt"
(cd "$staging" && find . -type f | sed 's:^\./::' | sort) > "$work/staged-files.txt"
cmp -s "$work/bundle-files.txt" "$work/staged-files.txt" || fail "the bundle and the staging directory differ (see $work/bundle-files.txt, $work/staged-files.txt)"
passed "central-bundle.zip holds the $(wc -l < "$work/bundle-files.txt") staged files"

for element in '<name>' '<description>' '<url>' '<licenses>' '<developers>' '<scm>' '<connection>' '<issueManagement>' "<version>$version</version>"; do
  grep -q "$element" "$base.pom" || fail "the deployed POM lacks $element"
done
passed "the deployed POM has name, description, url, licenses, developers, scm and issueManagement"

# (grep without -q reads the whole listing: with pipefail, an early exit would fail unzip with SIGPIPE)
unzip -Z1 "$base.jar" | grep -x 'META-INF/maven/plugin.xml' >/dev/null || fail "the jar has no plugin descriptor"

for log in "$work"/*.log; do
  ! grep -qF "$MAVEN_GPG_PASSPHRASE" "$log" || fail "$log holds the passphrase"
  ! grep -q 'PGP PRIVATE KEY' "$log" || fail "$log holds the secret key"
done
passed "no log holds the passphrase or the key"

# --- 4. build B from clean elsewhere, compared with what A staged
step "build B: clean verify artifact:compare against the staged release (log: $work/build-b.log)"
# The SBOM names the tool that wrote it, with the hashes of cyclonedx-maven-plugin's jar when that jar is in the
# head local repository, and without when it is only in the tail: build B's SBOM differs from A's there and only
# there, so artifact:compare leaves it out and the SBOMs are compared without metadata.tools below.
(cd "$work/build-b" && "$maven" "${release_build[@]}" -Dmaven.repo.local="$work/build-b-repo" \
  -Dmaven.repo.local.tail="$user_repo" -Dgpg.skip=true -Dbuildinfo.ignoreJavadoc=false \
  '-Dbuildinfo.ignore=*/*-cyclonedx.*' \
  "-Dreference.repo=rehearsal::file://$staging" clean verify artifact:compare) \
  > "$work/build-b.log" 2>&1 || { tail -50 "$work/build-b.log" >&2; fail "build B differs from build A or failed (see $work/build-b.log)"; }
compared="$work/build-b/target/$artifact-$version.buildcompare"
[ -f "$compared" ] || fail "artifact:compare wrote no $compared"
grep -q '^ko=0$' "$compared" || fail "artifact:compare found differences: $(cat "$compared")"
ok_count="$(sed -n 's/^ok=//p' "$compared")"
[ "${ok_count:-0}" -ge 4 ] || fail "artifact:compare compared only ${ok_count:-0} files: $(cat "$compared")"
passed "build B is byte-identical to build A ($ok_count files: $(sed -n 's/^okFiles=//p' "$compared"))"
for format in json xml; do
  sbom_without_tools "$base-cyclonedx.$format" > "$work/sbom-a.$format"
  sbom_without_tools "$work/build-b/target/bom.$format" > "$work/sbom-b.$format"
  cmp -s "$work/sbom-a.$format" "$work/sbom-b.$format" || fail "the SBOMs ($format) of builds A and B differ: diff $work/sbom-a.$format $work/sbom-b.$format"
done
passed "build B's SBOM (json, xml) is build A's, apart from the hashes of the tool that wrote it"

# --- 5. a consumer with an empty local repository, the plugin only in the staged repository
check_rehearsal_version_absent "after builds A and B"
consumer="$work/consumer"
mkdir -p "$consumer"
cat > "$consumer/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>rehearsal</groupId>
  <artifactId>consumer</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <pluginRepositories>
    <pluginRepository>
      <id>rehearsal-staging</id>
      <url>file://$staging</url>
    </pluginRepository>
  </pluginRepositories>
  <build>
    <plugins>
      <plugin>
        <groupId>io.github.multiarch</groupId>
        <artifactId>$artifact</artifactId>
        <version>$version</version>
      </plugin>
    </plugins>
  </build>
</project>
EOF
consumer_args=(-B -Dmaven.repo.local="$work/consumer-repo" -Dmaven.repo.local.tail="$user_repo")
step "consumer: multiarch:help with an empty local repository (log: $work/consumer.log)"
(cd "$consumer" && "$maven" "${consumer_args[@]}" multiarch:help) > "$work/consumer.log" 2>&1 \
  || { tail -50 "$work/consumer.log" >&2; fail "the consumer could not run multiarch:help (see $work/consumer.log)"; }
grep -q "multiarch:push" "$work/consumer.log" || fail "multiarch:help listed no goals"
resolved="$work/consumer-repo/$group_path/$artifact/$version"
[ -f "$resolved/$artifact-$version.jar" ] || fail "the consumer did not resolve the plugin into its own local repository"
grep -q "$artifact-$version.jar>rehearsal-staging=" "$resolved/_remote.repositories" \
  || fail "the consumer took the plugin from elsewhere than the staged repository: $(cat "$resolved/_remote.repositories")"
cmp -s "$resolved/$artifact-$version.jar" "$base.jar" || fail "the consumer's plugin jar is not the staged one"
passed "a fresh consumer resolved $artifact:$version from the staged repository and ran multiarch:help"

echo "rehearsal: PASSED ($version, key $fingerprint)"
