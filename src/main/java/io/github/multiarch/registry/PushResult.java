package io.github.multiarch.registry;

import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Platform;
import java.util.List;

/**
 * What a push did. Blob counts and bytes are attributed to the first platform that uses a blob, so that
 * a layer shared by every platform is counted once. {@code referrers} counts the attestations and signature
 * bundles pushed (not those the registry had), {@code signatures} the manifests signed.
 */
public record PushResult(String repository, Descriptor index, List<String> tags, List<PlatformPush> platforms,
    long bytesUploaded, int uploaded, int skipped, int mounted, int referrers, int signatures) {

  /** One platform's image as pushed. */
  public record PlatformPush(Platform platform, Descriptor manifest, List<String> tags, long bytesUploaded,
      int uploaded, int skipped, int mounted) {}
}
