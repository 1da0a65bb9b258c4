package io.github.multiarch.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.multiarch.build.BuildResult;
import io.github.multiarch.image.LayoutStore;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.registry.LayoutPusher;
import io.github.multiarch.registry.PushRequest;
import io.github.multiarch.registry.PushResult;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.testing.CollectingLog;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * inspect lists what refers to each entry (OCI 1.1 referrers), under that entry and nowhere else, as a table and as
 * JSON: read from a layout (its index.json entries) and from a registry after a push (distribution 2.8 has no
 * referrers API: through the referrers tag).
 */
class InspectorReferrersTest {
  static final String SBOM = "application/vnd.cyclonedx+json";
  static final String PROVENANCE = "application/vnd.in-toto+json";
  /** Longer than the 40 characters the table's type column has at least. */
  static final String SIGNATURE = "application/vnd.dev.sigstore.bundle.v0.3+json";

  @TempDir
  static Path tmp;
  static TestRegistry registry;
  static BuildResult built;
  /** What was attached, by subject: the two children get an SBOM and a provenance, the index a signature. */
  static final Map<Digest, List<Artifact>> attached = new LinkedHashMap<>();
  /** The artifact type of each artifact attached, by its digest. */
  static final Map<Digest, String> types = new HashMap<>();

  @BeforeAll
  static void build() {
    built = TestImages.build(tmp.resolve("image"), "1.0", TestImages.THREE_PLATFORMS, "inspect-referrers", 0);
    OciLayout layout = OciLayout.open(built.layout());
    List<Descriptor> entries = new ArrayList<>(layout.readIndexJson().manifests());
    // the first two children get attestations, the third none; the index gets a signature
    for (BuildResult.PlatformImage image : built.images().subList(0, 2)) {
      attach(layout, entries, image.manifest(), SBOM, "{\"bomFormat\":\"CycloneDX\",\"for\":\"" + image.platform()
          + "\"}", Map.of("org.opencontainers.image.created", "2026-01-01T00:00:00Z"));
      attach(layout, entries, image.manifest(), PROVENANCE, "{\"_type\":\"statement of " + image.platform() + "\"}",
          Map.of("in-toto.io/predicate-type", "https://slsa.dev/provenance/v1"));
    }
    attach(layout, entries, built.index(), SIGNATURE, "signature of the index", Map.of());
    layout.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX, entries, Map.of()));
    registry = TestRegistry.builder("inspect-referrers").start();
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private static void attach(OciLayout layout, List<Descriptor> entries, Descriptor subject, String type,
      String content, Map<String, String> annotations) {
    Artifact artifact = Artifact.referrer(type, subject, List.of(new Artifact.Layer(type,
        content.getBytes(StandardCharsets.UTF_8), Map.of())), annotations);
    layout.writeArtifact(artifact);
    entries.add(OciLayout.referrerEntry(artifact, subject.digest()));
    attached.computeIfAbsent(subject.digest(), d -> new ArrayList<>()).add(artifact);
    types.put(artifact.descriptor().digest(), type);
  }

  private static List<Descriptor> expected(Digest subject) {
    return attached.getOrDefault(subject, List.of()).stream().map(Artifact::descriptor).toList();
  }

  /** A referrer's line as its words: "referrer", the artifact type, the digest, the size. */
  private static List<String> line(Descriptor referrer, String type) {
    return List.of("referrer", type, referrer.digest().toString(), Long.toString(referrer.size()));
  }

  private static List<String> words(String line) {
    return List.of(line.trim().split(" +"));
  }

  private static String typeOf(Descriptor descriptor) {
    String type = types.get(descriptor.digest());
    if (type == null) {
      throw new AssertionError("not attached here: " + descriptor.digest());
    }
    return type;
  }

  /** Checks inspect's view (table and JSON) of the image against what was attached. */
  private static void assertListsWhatWasAttached(Inspection inspection) {
    assertTrue(inspection.index());
    assertEquals(built.index().digest(), inspection.top().digest());
    assertEquals(3, inspection.entries().size());

    // the model: each entry exactly its own referrers, the index its own
    for (int i = 0; i < 3; i++) {
      Inspection.Entry entry = inspection.entries().get(i);
      Digest child = built.images().get(i).manifest().digest();
      assertEquals(child, entry.descriptor().digest());
      assertEquals(digestsOf(expected(child)), digestsOf(entry.referrers()), "referrers of " + entry.platform());
    }
    assertEquals(digestsOf(expected(built.index().digest())), digestsOf(inspection.referrers()));

    // the table: each referrer's line right under its entry's row (after the row's annotations, if any)
    List<String> table = Inspector.table(inspection);
    int indexSection = table.indexOf("  referrers of the index:");
    assertTrue(indexSection > 0, String.join("\n", table));
    for (int i = 0; i < 3; i++) {
      Digest child = built.images().get(i).manifest().digest();
      int row = indexOfContaining(table, " " + child + " ");
      List<String> below = new ArrayList<>();
      for (int j = row + 1; j < table.size() && table.get(j).startsWith("      "); j++) {
        below.add(table.get(j));
      }
      Set<List<String>> lines = below.stream().filter(l -> l.startsWith("      referrer ")).map(l -> words(l))
          .collect(Collectors.toSet());
      Set<List<String>> wanted = expected(child).stream().map(d -> line(d, typeOf(d))).collect(Collectors.toSet());
      assertEquals(wanted, lines, "the lines under " + child + ":\n" + String.join("\n", table));
    }
    Descriptor signature = expected(built.index().digest()).get(0);
    assertEquals(line(signature, SIGNATURE), words(table.get(indexSection + 1)));
    // every referrer line's digest in one column, the long bundle type's included
    Set<Integer> digestColumns = table.stream().filter(l -> l.startsWith("      referrer "))
        .map(l -> l.indexOf(" sha256:")).collect(Collectors.toSet());
    assertEquals(1, digestColumns.size(), "the referrer lines are not aligned:\n" + String.join("\n", table));
    assertEquals(indexSection + 2, table.size(), "the index's referrer is the last line:\n" + String.join("\n", table));

    // JSON: a "referrers" array on every manifest entry (empty for the third) and at the top
    JsonNode json = Inspector.json(inspection);
    for (int i = 0; i < 3; i++) {
      Digest child = built.images().get(i).manifest().digest();
      JsonNode entry = json.get("manifests").get(i);
      assertEquals(child.toString(), entry.get("digest").asText());
      assertTrue(entry.get("referrers").isArray(), entry.toString());
      Map<String, JsonNode> byDigest = new HashMap<>();
      entry.get("referrers").forEach(r -> byDigest.put(r.get("digest").asText(), r));
      assertEquals(expected(child).size(), entry.get("referrers").size(), entry.toString());
      for (Descriptor want : expected(child)) {
        JsonNode r = byDigest.get(want.digest().toString());
        assertTrue(r != null, "no " + want.digest() + " in " + entry);
        assertEquals(typeOf(want), r.get("artifactType").asText());
        assertEquals(MediaTypes.OCI_MANIFEST, r.get("mediaType").asText());
        assertEquals(want.size(), r.get("size").asLong());
        // the artifact's own annotations, and not the layout's bookkeeping one naming the subject
        Map<String, String> annotations = new HashMap<>();
        r.get("annotations").fields().forEachRemaining(f -> annotations.put(f.getKey(), f.getValue().asText()));
        assertEquals(want.annotations(), annotations, r.toString());
        assertFalse(annotations.containsKey(OciLayout.SUBJECT_ANNOTATION));
      }
    }
    JsonNode top = json.get("referrers");
    assertEquals(1, top.size(), json.toString());
    assertEquals(SIGNATURE, top.get(0).get("artifactType").asText());
    assertEquals(signature.digest().toString(), top.get(0).get("digest").asText());
    assertEquals(signature.size(), top.get(0).get("size").asLong());
  }

  private static List<String> digestsOf(List<Descriptor> descriptors) {
    return descriptors.stream().map(d -> d.digest().toString()).sorted().toList();
  }

  private static int indexOfContaining(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    throw new AssertionError("no line contains '" + text + "':\n" + String.join("\n", lines));
  }

  @Test
  void aLayoutsReferrersAreListedUnderTheirEntries() {
    ImageSource source = new ImageSource("image", "oci-layout:" + built.layout() + ":1.0",
        new LayoutStore(OciLayout.open(built.layout())), "1.0", "1.0");
    assertListsWhatWasAttached(Inspector.inspect(source));
  }

  @Test
  void aRegistrysReferrersAreListedUnderTheirEntriesAfterAPush() throws Exception {
    String repository = "multiarch-test/inspect-referrers";
    CollectingLog log = new CollectingLog();
    try (RegistryClient client = new RegistryClient(registry.host(), registry.credential("test"),
        registry.options(), log)) {
      PushResult result = new LayoutPusher(client, log).push(new PushRequest(built.layout(), "1.0",
          ImageName.parse("image", registry.host() + "/" + repository), List.of("1.0"), null, Map.of(), 2));
      assertEquals(5, result.referrers(), "four attestations and the index's signature pushed");
    }
    Path work = Files.createDirectories(tmp.resolve("work"));
    List<RegistryClient> clients = new ArrayList<>();
    try {
      ImageSource source = ImageSources.parse("image", registry.host() + "/" + repository + ":1.0", tmp, work,
          host -> {
            RegistryClient c = new RegistryClient(host, registry.credential("test"), registry.options(), log);
            clients.add(c);
            return c;
          });
      assertListsWhatWasAttached(Inspector.inspect(source));
    } finally {
      clients.forEach(RegistryClient::close);
    }
  }

  @Test
  void anImageWithoutReferrersHasEmptyListsAndNoIndexSection() {
    BuildResult plain = TestImages.build(tmp.resolve("plain"), "1.0", List.of("linux/amd64"), "plain", 0);
    Inspection inspection = Inspector.inspect(new ImageSource("image", "oci-layout:" + plain.layout() + ":1.0",
        new LayoutStore(OciLayout.open(plain.layout())), "1.0", "1.0"));
    List<String> table = Inspector.table(inspection);
    assertFalse(table.stream().anyMatch(l -> l.contains("referrer")), String.join("\n", table));
    JsonNode json = Inspector.json(inspection);
    assertEquals(0, json.get("referrers").size());
    assertEquals(0, json.get("manifests").get(0).get("referrers").size());
  }
}
