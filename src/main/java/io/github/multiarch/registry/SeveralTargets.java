package io.github.multiarch.registry;

import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MultiarchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * The same image pushed to several targets ({@code image} and {@code additionalImages}): the registries side by
 * side, the targets of one registry one after another, so that a later target mounts every blob from the
 * first one that completed and each blob goes to a registry once. Every target is pushed in the usual order
 * (blobs, children, attestations and signatures, tags last) and on its own: a failure at one target leaves
 * its tags as they were and does not stop the others, which end complete. Stopping them instead would leave
 * them half-pushed with nothing gained, and a tag moved at one registry cannot be taken back anyway; the
 * failure names every target that failed and every target that is complete, and pushing again sends only
 * what is missing.
 */
public final class SeveralTargets {
  private SeveralTargets() {}

  /** What became of one target: its result, or why it failed. */
  public record Outcome<R>(ImageName target, R result, RuntimeException failure) {
    public boolean ok() {
      return failure == null;
    }
  }

  /**
   * Runs {@code push} for every target; {@code push} gets the target and the repository of an earlier complete
   * target of the same registry to mount from (or null). The outcomes are in the targets' order.
   */
  public static <R> List<Outcome<R>> push(List<ImageName> targets, BiFunction<ImageName, String, R> push) {
    return push(targets, true, push);
  }

  /** As above; with {@code sideBySide} false, one target after another (for work that shares unsafe state). */
  public static <R> List<Outcome<R>> push(List<ImageName> targets, boolean sideBySide,
      BiFunction<ImageName, String, R> push) {
    Map<String, List<ImageName>> byRegistry = new LinkedHashMap<>();
    targets.forEach(t -> byRegistry.computeIfAbsent(t.registry(), r -> new ArrayList<>()).add(t));
    List<List<Outcome<R>>> groups = Parallel.map(List.copyOf(byRegistry.values()), sideBySide ? byRegistry.size() : 1,
        "multiarch-target", "push to several targets", group -> {
          List<Outcome<R>> outcomes = new ArrayList<>();
          String complete = null;
          for (ImageName target : group) {
            try {
              outcomes.add(new Outcome<>(target, push.apply(target, complete), null));
              complete = complete != null ? complete : target.repository();
            } catch (RuntimeException e) {
              outcomes.add(new Outcome<>(target, null, e));
            }
          }
          return outcomes;
        });
    Map<ImageName, Outcome<R>> byTarget = new LinkedHashMap<>();
    groups.forEach(g -> g.forEach(o -> byTarget.put(o.target(), o)));
    return targets.stream().map(byTarget::get).toList();
  }

  /**
   * Throws when a target failed, naming each failed target with its reason and the complete ones. With one
   * target, or when every target refused the same bad input (checked before the first request), that failure
   * as it is.
   */
  public static void requireAll(List<? extends Outcome<?>> outcomes, List<String> tags) {
    List<Outcome<?>> failed = new ArrayList<>();
    outcomes.stream().filter(o -> !o.ok()).forEach(failed::add);
    if (failed.isEmpty()) {
      return;
    }
    if (outcomes.size() == 1 || (failed.size() == outcomes.size()
        && failed.stream().allMatch(o -> o.failure() instanceof InvalidInputException))) {
      throw failed.get(0).failure(); // one target, or bad input every target refused alike: the error as it is
    }
    StringBuilder message = new StringBuilder("push failed at " + failed.size() + " of " + outcomes.size()
        + " targets");
    for (Outcome<?> o : failed) {
      message.append("; ").append(o.target().repositoryReference()).append(": ").append(o.failure().getMessage());
    }
    List<String> complete = outcomes.stream().filter(Outcome::ok).map(o -> o.target().repositoryReference())
        .toList();
    message.append(". The tags (").append(String.join(", ", tags)).append(") of the failed ")
        .append(failed.size() == 1 ? "target were" : "targets were").append(" not moved: tags are written last");
    if (!complete.isEmpty()) {
      message.append("; complete: ").append(String.join(", ", complete));
    }
    message.append(". Push again once the cause is fixed: what a registry has is not sent twice");
    throw new MultiarchException(message.toString(), failed.get(0).failure());
  }

  /**
   * The targets {@code texts} name besides {@code primary}, checked before anything is pushed: each a
   * repository (a tag only when it is one of {@code tags}: every target gets the same tags), none twice, none
   * the primary one.
   */
  public static List<ImageName> parse(String parameter, List<String> texts, ImageName primary, List<String> tags) {
    List<ImageName> targets = new ArrayList<>();
    List<String> seen = new ArrayList<>(List.of(primary.repositoryReference()));
    for (String text : texts == null ? List.<String>of() : texts) {
      if (text == null || text.isBlank()) {
        continue;
      }
      ImageName name = ImageName.parse(parameter, text.trim());
      if (name.digest() != null) {
        throw new InvalidInputException(parameter, "'" + text.trim() + "' holds a digest; name a repository, "
            + "e.g. registry.example.com/team/app (it gets the same tags as the image)");
      }
      if (name.tag() != null && !tags.contains(name.tag())) {
        throw new InvalidInputException(parameter, "'" + text.trim() + "' names the tag " + name.tag() + ", but "
            + "every target gets the same tags (" + String.join(", ", tags) + "); write the repository without "
            + "a tag, or add the tag to the tags");
      }
      if (seen.contains(name.repositoryReference())) {
        throw new InvalidInputException(parameter, "'" + text.trim() + "' names " + name.repositoryReference()
            + (name.repositoryReference().equals(primary.repositoryReference()) ? ", the image itself" : " twice")
            + "; list each further repository once, and not the image");
      }
      seen.add(name.repositoryReference());
      targets.add(name);
    }
    return targets;
  }

  /** Every blob of the layout as mountable from {@code repository}, besides what {@code known} says. */
  public static Map<Digest, String> mountAllFrom(Path layout, String repository, Map<Digest, String> known) {
    Map<Digest, String> sources = new LinkedHashMap<>();
    Path blobs = layout.resolve("blobs");
    if (repository != null && Files.isDirectory(blobs)) {
      try (Stream<Path> files = Files.walk(blobs, 2)) {
        files.filter(Files::isRegularFile)
            .map(f -> f.getParent().getFileName() + ":" + f.getFileName())
            .filter(Digest::isValid)
            .forEach(d -> sources.put(Digest.parse(d), repository));
      } catch (IOException e) {
        throw new MultiarchException("cannot list the blobs of " + layout + ": " + e.getMessage(), e);
      }
    }
    sources.putAll(known); // a base layer's own repository stays first choice
    return sources;
  }
}
