package io.github.multiarch.supply;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes the SBOM of one platform's image as CycloneDX 1.5 JSON (https://cyclonedx.org/docs/1.5/json/): the image
 * as the BOM's subject, and as its components the files the plugin added, the application's libraries and the
 * base image. The same input gives the same bytes: components are sorted, the timestamp is the build's
 * reproducible one, and the serial number is derived from the content.
 */
public final class CycloneDxSbom {
  public static final String SPEC_VERSION = "1.5";
  public static final String MEDIA_TYPE = "application/vnd.cyclonedx+json";

  /** Property names this plugin adds, in a namespace of its own as the CycloneDX property taxonomy asks. */
  static final String PLATFORM_PROPERTY = "multiarch:platform";
  static final String TAG_PROPERTY = "multiarch:image:tag";
  static final String FILE_SIZE_PROPERTY = "multiarch:file:size";
  /** The OCI annotations for the base image (image-spec annotations.md), which tools already read. */
  static final String BASE_NAME_PROPERTY = "org.opencontainers.image.base.name";
  static final String BASE_DIGEST_PROPERTY = "org.opencontainers.image.base.digest";

  /** The namespace of the name-based serial numbers, fixed so the same BOM always gets the same one. */
  private static final UUID SERIAL_NAMESPACE = UUID.fromString("f75ad0bd-d998-4f16-a3ae-54a5404ce1d8");
  private static final List<String> TYPE_ORDER = List.of("container", "file", "library", "framework");

  private CycloneDxSbom() {}

  /**
   * Reads the library components of a BOM another tool wrote (cyclonedx-maven-plugin's {@code target/bom.json}),
   * for {@link SbomInput#withMergedLibraries}.
   *
   * @throws io.github.multiarch.oci.InvalidInputException ({@code sbomSource}) when it is not such a BOM
   */
  public static MergedLibraries readLibraryComponents(Path bomFile) {
    return MergedLibraries.read(bomFile);
  }

  public static byte[] write(SbomInput input) {
    ImageName image = ImageName.parse("image", input.imageName());
    Platform platform = input.platform();

    ObjectNode subject = OciJson.object();
    subject.put("type", "container");
    String imagePurl = input.manifestDigest() == null ? null
        : PackageUrls.oci(image, input.manifestDigest(), platform.architecture(), null);
    String imageRef = imagePurl != null ? imagePurl : "image:" + image.repositoryReference();
    subject.put("bom-ref", imageRef);
    subject.put("name", input.imageName());
    if (!input.tags().isEmpty()) {
      subject.put("version", input.tags().get(0));
    } else if (input.manifestDigest() != null) {
      subject.put("version", input.manifestDigest().toString());
    }
    if (imagePurl != null) {
      subject.put("purl", imagePurl);
    }
    ArrayNode subjectProperties = subject.putArray("properties");
    property(subjectProperties, PLATFORM_PROPERTY, platform.toString());
    property(subjectProperties, PLATFORM_PROPERTY + ":os", platform.os());
    property(subjectProperties, PLATFORM_PROPERTY + ":architecture", platform.architecture());
    if (!platform.variant().isEmpty()) {
      property(subjectProperties, PLATFORM_PROPERTY + ":variant", platform.variant());
    }
    if (!platform.osVersion().isEmpty()) {
      property(subjectProperties, PLATFORM_PROPERTY + ":os.version", platform.osVersion());
    }
    input.tags().forEach(tag -> property(subjectProperties, TAG_PROPERTY, tag));

    List<ObjectNode> components = new ArrayList<>();
    fileComponents(input.files()).forEach(components::add);
    if (input.mergedLibraries() != null) {
      for (ObjectNode merged : input.mergedLibraries().components()) {
        if (!merged.hasNonNull("bom-ref")) {
          // the dependencies section names components by bom-ref
          merged.put("bom-ref", MergedLibraries.key(merged));
        }
        components.add(merged);
      }
    } else {
      libraryComponents(input.libraries()).forEach(components::add);
    }
    if (input.baseImage() != null) {
      components.add(baseComponent(input.baseImage()));
    }
    components.sort(Comparator.comparingInt(CycloneDxSbom::typeRank)
        .thenComparing(c -> OciJson.text(c, "purl") != null ? OciJson.text(c, "purl") : "")
        .thenComparing(c -> c.path("name").asText(""))
        .thenComparing(c -> c.path("bom-ref").asText("")));

    ObjectNode body = OciJson.object();
    ObjectNode metadata = body.putObject("metadata");
    metadata.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(input.created().truncatedTo(ChronoUnit.SECONDS)));
    ObjectNode tool = metadata.putObject("tools").putArray("components").addObject();
    tool.put("type", "application");
    tool.put("name", input.tool().name());
    tool.put("version", input.tool().version());
    metadata.set("component", subject);
    ArrayNode componentList = body.putArray("components");
    components.forEach(componentList::add);
    ArrayNode dependencies = body.putArray("dependencies");
    ObjectNode imageDependencies = dependencies.addObject();
    imageDependencies.put("ref", imageRef);
    ArrayNode dependsOn = imageDependencies.putArray("dependsOn");
    components.forEach(c -> dependsOn.add(c.get("bom-ref").asText()));
    // a file has no dependencies, and CycloneDX asks that this be said (dependency, 1.5)
    components.stream().filter(c -> "file".equals(OciJson.text(c, "type")))
        .forEach(c -> dependencies.addObject().put("ref", c.get("bom-ref").asText()));

    ObjectNode bom = OciJson.object();
    bom.put("bomFormat", "CycloneDX");
    bom.put("specVersion", SPEC_VERSION);
    bom.put("serialNumber", "urn:uuid:" + nameBasedUuid(OciJson.toBytes(body)));
    bom.put("version", 1);
    bom.setAll(body);
    return OciJson.toBytes(bom);
  }

  private static List<ObjectNode> fileComponents(List<ImageFile> files) {
    // one component per distinct file; a path written twice with different content keeps both
    Map<String, ImageFile> distinct = new LinkedHashMap<>();
    files.forEach(f -> distinct.putIfAbsent(f.path() + "\n" + f.sha256Hex(), f));
    List<ObjectNode> components = new ArrayList<>();
    for (ImageFile file : distinct.values()) {
      ObjectNode component = OciJson.object();
      component.put("type", "file");
      component.put("bom-ref", "file:" + file.path() + "@sha256:" + file.sha256Hex());
      component.put("name", file.path());
      sha256(component, file.sha256Hex());
      property(component.putArray("properties"), FILE_SIZE_PROPERTY, Long.toString(file.size()));
      components.add(component);
    }
    return components;
  }

  private static List<ObjectNode> libraryComponents(List<Library> libraries) {
    Map<String, ObjectNode> byPurl = new LinkedHashMap<>();
    for (Library library : libraries) {
      String purl = library.purl();
      if (byPurl.containsKey(purl)) {
        continue;
      }
      ObjectNode component = OciJson.object();
      component.put("type", "library");
      component.put("bom-ref", purl);
      component.put("group", library.groupId());
      component.put("name", library.artifactId());
      component.put("version", library.version());
      if (library.sha256Hex() != null) {
        sha256(component, library.sha256Hex());
      }
      if (!library.licenses().isEmpty()) {
        ArrayNode licenses = component.putArray("licenses");
        library.licenses().stream().distinct().sorted().forEach(text -> {
          ObjectNode license = licenses.addObject().putObject("license");
          Optional<String> id = SpdxLicenses.idOf(text);
          if (id.isPresent()) {
            license.put("id", id.get());
          } else {
            license.put("name", text);
          }
        });
      }
      component.put("purl", purl);
      byPurl.put(purl, component);
    }
    return new ArrayList<>(byPurl.values());
  }

  private static ObjectNode baseComponent(PinnedImage base) {
    // a local base (oci-layout:…, oci-archive:…) has no registry name, so no purl: the digest identifies it
    String purl = null;
    if (!base.name().startsWith("oci-layout:") && !base.name().startsWith("oci-archive:")) {
      ImageName name = ImageName.parse("from", base.name());
      purl = PackageUrls.oci(name, base.digest(), null, name.tag());
    }
    ObjectNode component = OciJson.object();
    component.put("type", "container");
    component.put("bom-ref", purl != null ? purl : "base-image:" + base.digest());
    component.put("name", base.name());
    component.put("version", base.digest().toString());
    if (purl != null) {
      component.put("purl", purl);
    }
    ArrayNode properties = component.putArray("properties");
    property(properties, BASE_NAME_PROPERTY, base.name());
    property(properties, BASE_DIGEST_PROPERTY, base.digest().toString());
    return component;
  }

  private static void sha256(ObjectNode component, String hex) {
    ObjectNode hash = component.putArray("hashes").addObject();
    hash.put("alg", "SHA-256");
    hash.put("content", hex);
  }

  private static void property(ArrayNode properties, String name, String value) {
    ObjectNode property = properties.addObject();
    property.put("name", name);
    property.put("value", value);
  }

  private static int typeRank(ObjectNode component) {
    int rank = TYPE_ORDER.indexOf(component.path("type").asText());
    return rank < 0 ? TYPE_ORDER.size() : rank;
  }

  /**
   * A name-based UUID (RFC 4122 section 4.3, version 5) of {@code content}: the serial number stays the same
   * for the same BOM, as a reproducible build needs, and differs for any other.
   */
  static UUID nameBasedUuid(byte[] content) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
    ByteBuffer namespace = ByteBuffer.allocate(16);
    namespace.putLong(SERIAL_NAMESPACE.getMostSignificantBits()).putLong(SERIAL_NAMESPACE.getLeastSignificantBits());
    sha1.update(namespace.array());
    byte[] hash = sha1.digest(content);
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
    ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(bits.getLong(), bits.getLong());
  }
}
