package io.github.multiarch.check;

import io.github.multiarch.EngineLog;
import io.github.multiarch.image.LayoutStore;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.OciJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link VerifyContext} over a hand-written layout, read as far as {@link ConsistencyCheck} reads it (the
 * index's entries, each manifest and config): what every later check starts from, so that each check can be
 * run, and tested, on its own.
 */
final class CheckFixture implements AutoCloseable {
  final ImageContent source;
  final VerifyContext context;

  private CheckFixture(ImageContent source, VerifyContext context) {
    this.source = source;
    this.context = context;
  }

  /** The layout's only tag, read by the consistency check, with {@code request}. */
  static CheckFixture read(Path layout, VerifyRequest request) {
    ImageContent source = ImageContent.of(new LayoutStore(OciLayout.open(layout)));
    ImageContent.Root root = source.roots().get(0);
    VerifyReport report = new VerifyReport("test", "OCI image index", "index");
    VerifyContext context = new VerifyContext(source, root, request, report, EngineLog.NONE);
    try {
      byte[] bytes = source.manifest(root.descriptor());
      new ConsistencyCheck().readIndex(context, bytes, OciJson.parseObject(bytes, "index"), MediaTypes.OCI_INDEX);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    new ConsistencyCheck().readImages(context);
    return new CheckFixture(source, context);
  }

  static VerifyRequest request() {
    return new VerifyRequest(List.of(), null, BinaryCheck.FAIL, List.of(), null);
  }

  /** The row of the entry of {@code platform}. */
  VerifyReport.Row row(String platform) {
    return context.report.rows().stream().filter(r -> r.subject().equals(platform)).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + platform + " in " + context.report.rows().stream()
            .map(VerifyReport.Row::subject).toList()));
  }

  String failures() {
    return context.report.failures().toString();
  }

  @Override
  public void close() {
    source.close();
  }
}
