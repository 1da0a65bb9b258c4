package io.github.multiarch.build;

import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.Platform;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  /**
   * For a Windows platform without an os.version: one entry per os.version the index offers (the best match
   * of each, in index order), since a Windows container runs only on a host of its own build and an index
   * serves each build its own entry (https://learn.microsoft.com/virtualization/windowscontainers/deploy-containers/version-compatibility).
   * With {@code osVersions}, only the entries whose build (major.minor.build) is listed; each listed version
   * must be offered. For any other platform, or one with an os.version, the one entry {@link #select} chooses.
   *
   * @param osVersions versions to keep, e.g. {@code 10.0.20348} or {@code 10.0.20348.2582}; empty for all
   */
  public static List<Descriptor> selectPerOsVersion(ImageIndex index, Platform wanted, List<String> osVersions,
      String what, String parameter) {
    if (!wanted.os().equals("windows") || !wanted.osVersion().isEmpty()) {
      return List.of(select(index, wanted, what, parameter));
    }
    Map<String, Descriptor> byVersion = new LinkedHashMap<>();
    Map<String, Integer> ranks = new HashMap<>();
    for (Descriptor entry : index.manifests()) {
      Platform candidate = entry.platform();
      if (candidate == null || candidate.isUnknown() || !MediaTypes.isManifest(entry.mediaType())) {
        continue;
      }
      int rank = wanted.compatibilityRank(candidate);
      if (rank < 0) {
        continue;
      }
      Integer earlier = ranks.get(candidate.osVersion());
      if (earlier == null || rank < earlier) {
        ranks.put(candidate.osVersion(), rank);
        byVersion.put(candidate.osVersion(), entry);
      }
    }
    if (byVersion.isEmpty()) {
      throw new InvalidInputException(parameter, what + " has no image for " + wanted.describe()
          + "; it has: " + describeEntries(index));
    }
    if (osVersions.isEmpty()) {
      return List.copyOf(byVersion.values());
    }
    Set<String> kept = new LinkedHashSet<>();
    for (String asked : osVersions) {
      String match = byVersion.containsKey(asked) ? asked : byVersion.keySet().stream()
          .filter(v -> buildOf(v).equals(buildOf(asked))).findFirst().orElse(null);
      if (match == null) {
        throw new InvalidInputException(parameter, "osVersions of " + wanted + " lists " + asked + ", and " + what
            + " has no " + wanted + " image of that build; it has os.version " + byVersion.keySet().stream()
            .map(v -> v.isEmpty() ? "(none)" : v).collect(Collectors.joining(", ")));
      }
      kept.add(match);
    }
    List<Descriptor> chosen = new ArrayList<>();
    byVersion.forEach((version, entry) -> {
      if (kept.contains(version)) {
        chosen.add(entry);
      }
    });
    return chosen;
  }

  private static boolean osVersionFits(Platform wanted, Platform candidate) {
    if (wanted.osVersion().isEmpty()) {
      return true;
    }
    return buildOf(wanted.osVersion()).equals(buildOf(candidate.osVersion()));
  }

  /** major.minor.build of a Windows version (the revision does not matter for compatibility). */
  static String buildOf(String version) {
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
