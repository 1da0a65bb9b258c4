package io.github.multiarch.testing.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.testing.TestRegistry;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** What the Windows ITs read back from the registry: manifests by skopeo, layer tars entry by entry. */
public final class WindowsIt {
  private static final ObjectMapper JSON = new ObjectMapper();

  private WindowsIt() {}

  /** The manifest (or index) a tag or digest names, exact bytes by skopeo, parsed. */
  public static JsonNode manifest(TestRegistry registry, String repository, String reference) {
    try {
      if (Digest.isValid(reference)) {
        return JSON.readTree(PushIt.skopeo(List.of("inspect", "--raw", "--tls-verify=false",
            "docker://" + registry.host() + "/" + repository + "@" + reference)));
      }
      return JSON.readTree(PushIt.rawManifest(registry, repository, reference));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The entries of a gzipped layer in the registry, in tar order: name → [content: bytes (files), pax: the PAX
   * headers]. The blob is checked against its digest on the way.
   */
  public static Map<String, Map<String, Object>> layerEntries(TestRegistry registry, String repository,
      String digest, File workDir) {
    try {
      byte[] blob = SupplyChainIt.blob(registry, repository, digest, workDir);
      Map<String, Map<String, Object>> entries = new LinkedHashMap<>();
      try (InputStream in = new ByteArrayInputStream(blob);
          TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          Map<String, Object> e = new LinkedHashMap<>();
          e.put("pax", new LinkedHashMap<>(entry.getExtraPaxHeaders()));
          e.put("directory", entry.isDirectory());
          if (entry.isFile()) {
            e.put("content", tar.readAllBytes());
          }
          entries.put(entry.getName(), e);
        }
      }
      return entries;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the repository has the blob ({@code HEAD}). */
  public static boolean hasBlob(TestRegistry registry, String repository, String digest) {
    try (RegistryClient client = IndexIt.client(registry)) {
      return client.blobExists(repository, Digest.parse(digest));
    }
  }
}
