package io.github.multiarch.check;

import io.github.multiarch.EngineLog;
import io.github.multiarch.check.VerifyReport.Check;
import io.github.multiarch.check.VerifyReport.Row;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.MediaTypes;
import java.util.ArrayList;
import java.util.List;

/** What the checks of one verification share: where the image is read from, the request, the report, the entries. */
final class VerifyContext {
  final ImageContent source;
  final ImageContent.Root root;
  final VerifyRequest request;
  final VerifyReport report;
  final EngineLog log;
  final List<VerifiedImage> images = new ArrayList<>();

  VerifyContext(ImageContent source, ImageContent.Root root, VerifyRequest request, VerifyReport report,
      EngineLog log) {
    this.source = source;
    this.root = root;
    this.request = request;
    this.report = report;
    this.log = log;
  }

  /** A failure of {@code check} on the image's row (the index row when the image has none yet). */
  void fail(VerifiedImage image, Check check, String message) {
    Row row = image.row != null ? image.row : report.indexRow();
    report.add(row, CheckStatus.FAIL, check, message);
  }

  static String describe(Exception e) {
    String message = e.getMessage();
    return message != null ? message : e.getClass().getSimpleName();
  }

  static String describeType(String mediaType) {
    if (mediaType == null) {
      return "image";
    }
    return switch (mediaType) {
      case MediaTypes.OCI_INDEX -> "OCI image index";
      case MediaTypes.DOCKER_LIST -> "Docker manifest list";
      case MediaTypes.OCI_MANIFEST -> "OCI image manifest";
      case MediaTypes.DOCKER_MANIFEST -> "Docker image manifest";
      default -> mediaType;
    };
  }

  static String shortDigest(Digest digest) {
    return digest.algorithm() + ":" + digest.shortHex();
  }
}
