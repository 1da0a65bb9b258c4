package io.github.multiarch.check;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.multiarch.EngineLog;
import io.github.multiarch.check.VerifyReport.Check;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks behind {@code multiarch:verify}, run on an image or index from an {@link ImageContent}:
 *
 * <ol>
 *   <li><b>required platforms</b> are all in the index, matched as runtimes match them; every entry is a
 *       well-formed platform;</li>
 *   <li><b>consistency</b>: each entry's platform is its config's; manifests, configs and layers exist with the
 *       digests and sizes their descriptors claim (verified while streaming), layers with the diff IDs their
 *       config lists; media types stay in one family; no platform twice;</li>
 *   <li><b>binaries</b>: every executable and shared library of a platform's file system (after whiteouts) is
 *       built for that platform's CPU, read from the ELF or PE header while each layer is streamed once;</li>
 *   <li><b>smoke run</b> (optional): each Linux platform's entrypoint runs, natively or under QEMU;</li>
 *   <li><b>supply chain</b> (optional): each platform has an SBOM and a provenance statement about it, and the
 *       index and each platform a signature the given key verifies.</li>
 * </ol>
 *
 * <p>Every check runs to its end and all findings are reported together in a {@link VerifyReport}. Each check
 * is a class of its own ({@link ConsistencyCheck}, {@link RequiredPlatformsCheck}, {@link LayersCheck},
 * {@link SmokeCheck}, {@link SupplyChainCheck}) working on a shared {@link VerifyContext}; a new check is one
 * more class, called here.
 */
public final class ImageVerifier {
  /** The most mismatching binaries listed one by one per platform; the rest are counted. */
  static final int MAX_LISTED = LayersCheck.MAX_LISTED;

  private final EngineLog log;
  private final SmokeRunner runner;

  public ImageVerifier(EngineLog log, SmokeRunner runner) {
    this.log = log;
    this.runner = runner;
  }

  /** Verifies every image or index the source names. */
  public List<VerifyReport> verify(ImageContent source, VerifyRequest request) {
    List<ImageContent.Root> roots = source.roots();
    if (roots.isEmpty()) {
      throw new MultiarchException(source.describe() + " names no image (its index.json is empty)");
    }
    List<VerifyReport> reports = new ArrayList<>();
    for (ImageContent.Root root : roots) {
      reports.add(verify(source, root, request));
    }
    return reports;
  }

  private VerifyReport verify(ImageContent source, ImageContent.Root root, VerifyRequest request) {
    String name = source.describe().endsWith(root.name()) ? source.describe()
        : source.describe() + " (" + root.name() + ")";
    Descriptor top = root.descriptor();
    byte[] bytes;
    ObjectNode json;
    try {
      bytes = source.manifest(top);
      json = OciJson.parseObject(bytes, "the top-level manifest " + top.digest());
    } catch (IOException | MultiarchException e) {
      VerifyReport report = new VerifyReport(name, "unreadable " + top.digest(), "index");
      report.add(report.indexRow(), CheckStatus.FAIL, Check.CONSISTENCY, e.getMessage());
      return report;
    }
    String ownType = OciJson.text(json, "mediaType");
    String type = ownType != null ? ownType : top.mediaType() != null ? top.mediaType()
        : json.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    boolean isIndex = MediaTypes.isIndex(type);
    VerifyReport report = new VerifyReport(name, VerifyContext.describeType(type) + " " + top.digest(),
        isIndex ? "index" : "image");
    VerifyContext context = new VerifyContext(source, root, request, report, log);
    if (ownType != null && top.mediaType() != null && !ownType.equals(top.mediaType())) {
      report.add(report.indexRow(), CheckStatus.FAIL, Check.CONSISTENCY, "its descriptor says media type "
          + top.mediaType() + ", the content says " + ownType);
    }
    ConsistencyCheck consistency = new ConsistencyCheck();
    if (isIndex) {
      consistency.readIndex(context, bytes, json, type);
    } else if (MediaTypes.isManifest(type)) {
      context.images.add(new VerifiedImage(-1, new Descriptor(type, top.digest(), top.size())));
    } else {
      report.add(report.indexRow(), CheckStatus.FAIL, Check.CONSISTENCY, "media type " + type
          + " is neither an image index nor an image manifest");
      return report;
    }
    consistency.readImages(context);
    new RequiredPlatformsCheck().check(context);
    consistency.checkDuplicates(context);
    new LayersCheck(context).check();
    if (request.smoke() != null) {
      new SmokeCheck(runner).check(context);
    }
    if (request.supplyChain() != null && request.supplyChain().any()) {
      new SupplyChainCheck().check(context);
    }
    if (report.indexRow().result(Check.CONSISTENCY) == null) {
      report.add(report.indexRow(), CheckStatus.PASS, Check.CONSISTENCY, null);
    }
    return report;
  }

  static String shortDigest(Digest digest) {
    return VerifyContext.shortDigest(digest);
  }
}
