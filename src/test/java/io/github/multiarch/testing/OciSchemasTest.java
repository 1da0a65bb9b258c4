package io.github.multiarch.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schema validator itself must catch a bad document, or every schema check proves nothing. */
class OciSchemasTest {
  @Test
  void rejectsAnIndexWithABadDigestAndAcceptsAGoodOne() {
    OciSchemas schemas = OciSchemas.load();
    String good = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{"
        + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:"
        + "a".repeat(64) + "\",\"size\":10,\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"}}]}";
    List<String> none = schemas.validate("image-index-schema.json", good.getBytes(StandardCharsets.UTF_8));
    assertTrue(none.isEmpty(), none.toString());
    String bad = good.replace("sha256:" + "a".repeat(64), "sha256:nothex").replace("\"size\":10", "\"size\":\"ten\"");
    List<String> errors = schemas.validate("image-index-schema.json", bad.getBytes(StandardCharsets.UTF_8));
    assertFalse(errors.isEmpty(), "a bad digest and a string size must be reported");
  }
}
