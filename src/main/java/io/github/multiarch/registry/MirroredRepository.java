package io.github.multiarch.registry;

import io.github.multiarch.EngineLog;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.MultiarchException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reads of one repository through its {@link PullSource}s: each mirror in order, then the registry itself (unless
 * blocked). A source that cannot be reached, answers an error or lacks what is asked for is passed over, said at
 * info; the first that answers serves the image, and is asked first for everything after (its other manifests
 * and its blobs), as containers/image keeps the source that served the manifest. Once it has, its "not found" for a
 * tag (a signature tag) or for referrers is the answer: only content by digest it lacks, or a failure, is looked for
 * further. Every byte is checked against
 * its digest by {@link RegistryClient}, so a mirror can be wrong only by failing.
 */
public final class MirroredRepository {
  private final ImageName name;
  private final List<PullSource> sources;
  private final Function<String, RegistryClient> clients;
  private final EngineLog log;
  private final String originBlockedBy;
  private volatile PullSource served;
  /** One client per host contacted, made when it is first contacted. */
  private final Map<String, RegistryClient> made = new ConcurrentHashMap<>();
  /** One referrers reader per host, so that whether it has the referrers API is asked once. */
  private final Map<String, Referrers> referrers = new ConcurrentHashMap<>();

  /**
   * @param clients a client for a host (its credentials and TLS settings applied), asked for only when that host
   *     is contacted
   */
  public MirroredRepository(ImageName name, RegistryMirrors mirrors, Function<String, RegistryClient> clients,
      EngineLog log) {
    this.name = name;
    this.sources = mirrors.sourcesFor(name);
    this.clients = clients;
    this.log = log;
    this.originBlockedBy = mirrors.originBlockedBy(name);
    if (sources.size() > 1 || sources.get(0).mirror()) {
      log.debug("multiarch: " + name + " is read from " + String.join(", then ",
          sources.stream().map(this::label).toList()));
    }
  }

  /** Reads straight from the registry the name names: no mirror. */
  public static MirroredRepository direct(ImageName name, RegistryClient client) {
    return new MirroredRepository(name, RegistryMirrors.none(), host -> client, EngineLog.NONE);
  }

  /** The source that served the image so far (the registry itself or a mirror), or null before anything was read. */
  public PullSource servedBy() {
    return served;
  }

  /** The places tried, in order. */
  public List<PullSource> sources() {
    return sources;
  }

  /** The registry the name names, for writes: pushes never go to a mirror. */
  public RegistryClient origin() {
    return made.computeIfAbsent(name.registry(), clients);
  }

  /** The referrers of {@code subject} (see {@link Referrers#list}), from the first source that answers. */
  public List<Descriptor> referrers(Digest subject) {
    return attempt("referrers of " + subject, true, source -> Optional.of(referrers.computeIfAbsent(source.registry(),
        host -> new Referrers(client(source), EngineLog.NONE)).list(source.repository(), subject))).orElse(List.of());
  }

  /** A manifest or index by tag or digest; empty when no source has it. */
  public Optional<RegistryClient.Manifest> getManifest(String reference) {
    // a tag the serving source lacks (a .sig tag) is not looked for elsewhere; content by digest may be
    return attempt("manifest " + reference, !Digest.isValid(reference),
        source -> client(source).getManifest(source.repository(), reference));
  }

  /** A blob into {@code target}, checked against its digest. */
  public void fetchBlob(Digest digest, Path target) {
    Optional<Boolean> fetched = attempt("blob " + digest, false, source -> {
      client(source).fetchBlob(source.repository(), digest, target);
      log.debug("multiarch: blob " + digest + " of " + name.repositoryReference() + " from " + source.describe());
      return Optional.of(Boolean.TRUE);
    });
    if (fetched.isEmpty()) {
      throw RegistryException.answered("blob " + digest + " is not in " + name.repositoryReference(), 404);
    }
  }

  private interface Read<T> {
    Optional<T> from(PullSource source);
  }

  /** @param servedAnswers whether the source that served the image answers "not found" for good */
  private <T> Optional<T> attempt(String what, boolean servedAnswers, Read<T> read) {
    List<PullSource> order = new ArrayList<>();
    PullSource first = served;
    if (first != null) {
      order.add(first);
    }
    sources.stream().filter(s -> !s.equals(first)).forEach(order::add);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      PullSource source = order.get(i);
      String next = i + 1 < order.size() ? "trying " + label(order.get(i + 1)) : "no other source is left";
      try {
        Optional<T> result = read.from(source);
        if (result.isPresent()) {
          if (served == null || !served.equals(source)) {
            served = source;
            if (source.mirror()) {
              log.info("multiarch: " + name.repositoryReference() + " is read through mirror " + source.describe());
            }
          }
          return result;
        }
        if (!source.mirror() || servedAnswers && source.equals(first)) {
          return Optional.empty();
        }
        log.info("multiarch: mirror " + source.describe() + " does not have " + what + "; " + next);
        failures.add(source.describe() + ": not found");
      } catch (RegistryException e) {
        if ((!source.mirror() && failures.isEmpty()) || e.kind() == RegistryException.Kind.INTERRUPTED) {
          throw e; // a stopped read is not a mirror that failed: the next source is not asked
        }
        if (e.kind() == RegistryException.Kind.NOT_FOUND && servedAnswers && source.equals(first)) {
          throw e;
        }
        if (e.kind() == RegistryException.Kind.NOT_FOUND && source.mirror()) {
          log.info("multiarch: mirror " + source.describe() + " does not have " + what + "; " + next);
        } else if (source.mirror()) {
          log.info("multiarch: mirror " + source.describe() + " unavailable (" + e.getMessage() + "); " + next);
        }
        if (!source.mirror()) {
          throw e.withMessage(e.getMessage() + " (mirrors failed first: " + String.join("; ", failures) + ")");
        }
        failures.add(source.describe() + ": " + e.getMessage());
      } catch (MultiarchException e) {
        if (!source.mirror()) {
          throw e;
        }
        // content that does not match its digest: refused, and read elsewhere
        log.warn("multiarch: mirror " + source.describe() + ": " + e.getMessage() + "; " + next);
        failures.add(source.describe() + ": " + e.getMessage());
      }
    }
    if (originBlockedBy != null) {
      throw new MultiarchException("cannot read " + what + " of " + name.repositoryReference() + ": every mirror "
          + "failed (" + String.join("; ", failures) + ") and its registry is blocked (" + originBlockedBy + ")");
    }
    return Optional.empty();
  }

  private RegistryClient client(PullSource source) {
    return made.computeIfAbsent(source.registry(), clients);
  }

  private String label(PullSource source) {
    return (source.mirror() ? "mirror " : "") + source.describe();
  }
}
