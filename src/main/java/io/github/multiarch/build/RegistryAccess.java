package io.github.multiarch.build;

import io.github.multiarch.registry.RegistryClient;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * How a build reaches registry base images.
 *
 * @param clients a client for a registry host (credentials and TLS settings already applied)
 * @param cacheDirectory where fetched manifests and blobs are kept between builds (an OCI layout)
 * @param offline when true, nothing is fetched: bases must be in the cache
 */
public record RegistryAccess(Function<String, RegistryClient> clients, Path cacheDirectory, boolean offline) {}
