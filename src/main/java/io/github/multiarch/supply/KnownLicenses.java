package io.github.multiarch.supply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.multiarch.oci.OciJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The licenses of library POMs read by an earlier build, so that a build whose libraries did not change does not
 * parse sixty POMs and their parents again (a quarter of a second on a cold JVM). An answer is reused only when
 * every POM it was read from has the same size and modification time, and every parent it looked for resolves to
 * the same file (or to none) as it did: what {@link PomLicenses#of} would read is then what it read. The record is
 * one JSON file in the cache directory, replaced whole; a damaged or unreadable record is read as empty, and two
 * builds writing it at once each leave a complete file (the one written last).
 */
public final class KnownLicenses {
  private static final String FILE = "pom-licenses.json";
  private static final int FORMAT = 1;
  /** POMs modified more recently than this are read every time (see {@link #of}). */
  private static final long SETTLE_SECONDS = 2;

  /** A POM as the file system describes it: an equal stamp means an unchanged file. */
  private record Stamp(String path, long size, long modifiedNanos) {
    static Optional<Stamp> of(Path file) {
      try {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return a.isRegularFile()
            ? Optional.of(new Stamp(file.toString(), a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS)))
            : Optional.empty();
      } catch (IOException e) {
        return Optional.empty();
      }
    }
  }

  /** A parent looked for while reading a POM's licenses, and the file it was found in (null: not found). */
  private record Lookup(String coordinates, Stamp found) {}

  private record Known(Stamp pom, List<Lookup> lookups, List<String> licenses) {}

  private final Path record;
  private final Map<String, Known> known = new ConcurrentHashMap<>();
  private volatile boolean changed;

  private KnownLicenses(Path record) {
    this.record = record;
  }

  /** Nothing remembered, nothing written: every POM is read. */
  public static KnownLicenses none() {
    return new KnownLicenses(null);
  }

  /** The record kept in {@code directory}, read now. */
  public static KnownLicenses in(Path directory) {
    KnownLicenses licenses = new KnownLicenses(directory.resolve(FILE));
    licenses.read();
    return licenses;
  }

  /**
   * The licenses {@link PomLicenses#of} gives for {@code pom}: remembered when nothing it would read has changed,
   * else read and remembered.
   */
  public List<String> of(Path pom, Function<String, Optional<Path>> pomOfCoordinates) {
    Optional<Stamp> stamp = Stamp.of(pom);
    if (record == null || stamp.isEmpty()) {
      return PomLicenses.of(pom, pomOfCoordinates);
    }
    Known earlier = known.get(stamp.get().path());
    if (earlier != null && earlier.pom().equals(stamp.get()) && unchanged(earlier.lookups(), pomOfCoordinates)) {
      return earlier.licenses();
    }
    List<Lookup> lookups = new ArrayList<>();
    List<String> licenses = PomLicenses.of(pom, coordinates -> {
      Optional<Path> found = pomOfCoordinates.apply(coordinates);
      Optional<Path> present = found == null ? Optional.empty() : found;
      lookups.add(new Lookup(coordinates, present.flatMap(Stamp::of).orElse(null)));
      return present;
    });
    // stamped again after the read: a POM that changed meanwhile is not remembered; nor one changed in the last
    // seconds, whose next change might keep its size and time stamp on a file system with coarse times
    Instant now = Instant.now(); // to the microsecond, as KnownDigests compares with file times
    long settled = now.getEpochSecond() * 1_000_000_000L + now.getNano() - TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
    boolean settledAll = stamp.get().modifiedNanos() < settled
        && lookups.stream().allMatch(l -> l.found() == null || l.found().modifiedNanos() < settled);
    if (settledAll && Stamp.of(pom).equals(stamp)) {
      known.put(stamp.get().path(), new Known(stamp.get(), List.copyOf(lookups), List.copyOf(licenses)));
      changed = true;
    }
    return licenses;
  }

  private static boolean unchanged(List<Lookup> lookups, Function<String, Optional<Path>> pomOfCoordinates) {
    for (Lookup lookup : lookups) {
      Optional<Path> found = pomOfCoordinates.apply(lookup.coordinates());
      Stamp now = found == null ? null : found.flatMap(Stamp::of).orElse(null);
      if (now == null ? lookup.found() != null : !now.equals(lookup.found())) {
        return false;
      }
    }
    return true;
  }

  /** Writes the record when this build read a POM it did not hold; a failure to write only costs a later read. */
  public void save() {
    if (record == null || !changed) {
      return;
    }
    ObjectNode root = OciJson.object();
    root.put("format", FORMAT);
    ArrayNode poms = root.putArray("poms");
    known.values().stream().sorted((a, b) -> a.pom().path().compareTo(b.pom().path())).forEach(k -> {
      ObjectNode entry = poms.addObject();
      stamp(entry.putObject("pom"), k.pom());
      ArrayNode lookups = entry.putArray("parents");
      for (Lookup lookup : k.lookups()) {
        ObjectNode l = lookups.addObject().put("coordinates", lookup.coordinates());
        if (lookup.found() != null) {
          stamp(l.putObject("found"), lookup.found());
        }
      }
      k.licenses().forEach(entry.putArray("licenses")::add);
    });
    try {
      Files.createDirectories(record.getParent());
      Path temp = Files.createTempFile(record.getParent(), FILE, ".tmp");
      try {
        Files.write(temp, OciJson.toBytes(root));
        Files.move(temp, record, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      // the next build reads the POMs again
    }
  }

  private void read() {
    if (!Files.isRegularFile(record)) {
      return;
    }
    try {
      JsonNode root = OciJson.parse(Files.readAllBytes(record), record.toString());
      if (root.path("format").asInt() != FORMAT) {
        return;
      }
      for (JsonNode entry : root.path("poms")) {
        Stamp pom = stamp(entry.path("pom"));
        List<Lookup> lookups = new ArrayList<>();
        for (JsonNode l : entry.path("parents")) {
          lookups.add(new Lookup(l.path("coordinates").asText(), l.has("found") ? stamp(l.path("found")) : null));
        }
        List<String> licenses = new ArrayList<>();
        entry.path("licenses").forEach(license -> licenses.add(license.asText()));
        known.put(pom.path(), new Known(pom, List.copyOf(lookups), List.copyOf(licenses)));
      }
    } catch (IOException | RuntimeException e) {
      known.clear(); // a damaged record: read the POMs again, and write a good one
    }
  }

  private static void stamp(ObjectNode node, Stamp stamp) {
    node.put("path", stamp.path()).put("size", stamp.size()).put("modifiedNanos", stamp.modifiedNanos());
  }

  private static Stamp stamp(JsonNode node) {
    if (!node.path("path").isTextual() || !node.path("size").canConvertToLong()
        || !node.path("modifiedNanos").canConvertToLong()) {
      throw new IllegalArgumentException("not a POM stamp: " + node);
    }
    return new Stamp(node.path("path").asText(), node.path("size").asLong(), node.path("modifiedNanos").asLong());
  }
}
