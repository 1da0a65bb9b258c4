package io.github.multiarch.build;

import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Chooses the entry of an index that a runtime on a given platform would run: same os and architecture,
 * the exact variant first, then the newest compatible older one (arm/v7 takes v6 before v5); attestation
 * entries ({@code unknown/unknown}) and entries that are not images are never chosen. For Windows, whose
 * containers must match the host's build, an os.version asked for must match the entry's first three
 * components.
 */
public final class PlatformMatcher {
  private PlatformMatcher() {}

  /**
   * @param what names the index in errors (e.g. "base image oci-layout:base:1.0")
   * @param parameter the parameter that chose the platform or the base, named in errors
   */
  public static Descriptor select(ImageIndex index, Platform wanted, String what, String parameter) {
    List<Descriptor> best = new ArrayList<>();
    int bestRank = Integer.MAX_VALUE;
    for (Descriptor entry : index.manifests()) {
      Platform candidate = entry.platform();
      if (candidate == null || candidate.isUnknown() || !MediaTypes.isManifest(entry.mediaType())) {
        continue;
      }
      int rank = wanted.compatibilityRank(candidate);
      if (rank < 0 || !osVersionFits(wanted, candidate)) {
        continue;
      }
      if (!wanted.osVersion().isEmpty() && !wanted.osVersion().equals(candidate.osVersion())) {
        rank += 100; // same build, other revision: usable, but an exact os.version wins
      }
      if (rank < bestRank) {
        best.clear();
        bestRank = rank;
      }
      if (rank == bestRank) {
        best.add(entry);
      }
    }
    if (best.isEmpty()) {
      throw new InvalidInputException(parameter, what + " has no image for " + wanted.describe()
          + "; it has: " + describeEntries(index));
    }
    if (best.size() > 1 && wanted.os().equals("windows")
        && best.stream().map(d -> d.platform().osVersion()).distinct().count() > 1) {
      throw new InvalidInputException(parameter, what + " has several images for " + wanted
          + " with different os.version (" + best.stream().map(d -> d.platform().osVersion())
          .collect(Collectors.joining(", ")) + "); set osVersion on that platform to choose one");
    }
    return best.get(0);
  }

  private static boolean osVersionFits(Platform wanted, Platform candidate) {
    if (wanted.osVersion().isEmpty()) {
      return true;
    }
    return buildOf(wanted.osVersion()).equals(buildOf(candidate.osVersion()));
  }

  /** major.minor.build of a Windows version (the revision does not matter for compatibility). */
  private static String buildOf(String version) {
    String[] parts = version.split("\\.");
    return parts.length >= 3 ? parts[0] + "." + parts[1] + "." + parts[2] : version;
  }

  /** The platforms of an index for messages, e.g. "linux/amd64, linux/arm64/v8". */
  public static String describeEntries(ImageIndex index) {
    List<String> platforms = new ArrayList<>();
    for (Descriptor entry : index.manifests()) {
      if (entry.platform() != null && !entry.platform().isUnknown()) {
        platforms.add(entry.platform().describe());
      }
    }
    return platforms.isEmpty() ? "no platform entries" : String.join(", ", platforms);
  }
}
