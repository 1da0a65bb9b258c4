package io.github.multiarch.maven;

import io.github.multiarch.Timings;
import io.github.multiarch.build.Attestor;
import io.github.multiarch.oci.Artifact;
import io.github.multiarch.registry.Parallel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * An attestor made on a thread of its own while the build resolves its bases and builds its layers: for a Java
 * application it reads the licenses of every library's POM and its parents (a third of a second and more for
 * 60 libraries), and nothing needs it before the first platform's image is written. A failure while making it
 * (an unreadable {@code sbomSource}) surfaces, unchanged, at that first use.
 */
final class BackgroundAttestor implements Attestor {
  private final CompletableFuture<Attestor> made;

  private BackgroundAttestor(CompletableFuture<Attestor> made) {
    this.made = made;
  }

  /** Starts making the attestor; null when {@code maker} gives none (attestations off). */
  static Attestor start(boolean wanted, Supplier<Attestor> maker, Timings timings) {
    if (!wanted) {
      return null;
    }
    CompletableFuture<Attestor> made = Parallel.start("multiarch-attestations", () -> {
      try (Timings.Running phase = timings.start("attestations prepared (licenses, git revision)")) {
        return maker.get();
      }
    });
    return new BackgroundAttestor(made);
  }

  @Override
  public List<Artifact> attest(PlatformBuild build) {
    Attestor attestor = Parallel.await(made);
    return attestor.attest(build);
  }
}
