package io.github.multiarch.build;

import io.github.multiarch.EngineLog;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.registry.RegistryMirrors;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * How a build reaches registry base images.
 *
 * @param clients a client for a registry host (credentials and TLS settings already applied)
 * @param cacheDirectory where fetched manifests and blobs are kept between builds (an OCI layout)
 * @param offline when true, nothing is fetched: bases must be in the cache
 * @param log hears of cached blobs found corrupt, dropped and fetched again, and of mirrors passed over
 * @param mirrors where base images are read from before (or instead of) their registry
 * @param deferLayers base layers are not fetched: the layout lists where they are
 *     ({@link io.github.multiarch.layout.DeferredBlobs}), for a push to mount them; needs no network, so an
 *     offline build defers from the cached manifests and configs alone
 */
public record RegistryAccess(Function<String, RegistryClient> clients, Path cacheDirectory, boolean offline,
    EngineLog log, RegistryMirrors mirrors, boolean deferLayers) {

  public RegistryAccess {
    log = log == null ? EngineLog.NONE : log;
    mirrors = mirrors == null ? RegistryMirrors.none() : mirrors;
  }

  public RegistryAccess(Function<String, RegistryClient> clients, Path cacheDirectory, boolean offline,
      EngineLog log, RegistryMirrors mirrors) {
    this(clients, cacheDirectory, offline, log, mirrors, false);
  }

  public RegistryAccess(Function<String, RegistryClient> clients, Path cacheDirectory, boolean offline,
      EngineLog log, boolean deferLayers) {
    this(clients, cacheDirectory, offline, log, RegistryMirrors.none(), deferLayers);
  }

  public RegistryAccess(Function<String, RegistryClient> clients, Path cacheDirectory, boolean offline,
      EngineLog log) {
    this(clients, cacheDirectory, offline, log, RegistryMirrors.none(), false);
  }

  public RegistryAccess(Function<String, RegistryClient> clients, Path cacheDirectory, boolean offline) {
    this(clients, cacheDirectory, offline, EngineLog.NONE);
  }
}
