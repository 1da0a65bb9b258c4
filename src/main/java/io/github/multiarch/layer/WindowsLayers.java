package io.github.multiarch.layer;

import io.github.multiarch.oci.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * What makes a layer a Windows layer, for {@link LayerBuilder}.
 *
 * <p>A {@link LayerFormat#WINDOWS Windows} layer holds the container's entries below {@code Files/} (the
 * container's {@code C:\}), after a {@code Hives/} and a {@code Files/} directory, as Windows' own layers and the
 * tools that build Windows layers on Linux (ko, go-containerregistry's {@code mutate}) have them; every entry
 * carries the PAX records hcsshim turns into Windows file metadata when it imports the layer
 * (github.com/microsoft/go-winio, {@code backuptar/tar.go}, {@code FileInfoFromHeader} and
 * {@code WriteBackupStreamFromTarFile}):
 * <ul>
 *   <li>{@code MSWINDOWS.fileattr}: the Win32 file attributes in decimal, {@code 16}
 *       ({@code FILE_ATTRIBUTE_DIRECTORY}) for directories and {@code 32} ({@code FILE_ATTRIBUTE_ARCHIVE}, what
 *       Windows gives a newly written file) for files, as layers exported from Windows carry them;</li>
 *   <li>{@code MSWINDOWS.rawsd} (entries below {@code Files/}): a self-relative security descriptor, base64,
 *       whose owner and group are {@code BUILTIN\Users} ({@code S-1-5-32-545}, SDDL {@code O:BUG:BU}) and that
 *       has no DACL of its own, so access comes from the inheritable entries of the parent directories. It is
 *       the descriptor ko ({@code pkg/build/gobuild.go}, {@code userOwnerAndGroupSID}) and go-containerregistry
 *       ({@code internal/windows/windows.go}) write: without one, containerd on Windows (Kubernetes nodes)
 *       imports files that {@code ContainerUser} cannot run, while Docker does not mind
 *       (github.com/buildpacks/lifecycle/issues/343).</li>
 * </ul>
 * Windows ignores the tar modes; they stay as configured so that the bytes do not depend on anything else.
 */
public final class WindowsLayers {
  /** Where a Windows layer holds the container's files, and where its registry changes. */
  static final String FILES = "Files";
  static final String HIVES = "Hives";
  /** PAX keys of hcsshim's Windows metadata (go-winio backuptar). */
  public static final String PAX_FILE_ATTRIBUTES = "MSWINDOWS.fileattr";
  public static final String PAX_RAW_SECURITY_DESCRIPTOR = "MSWINDOWS.rawsd";
  /** {@code FILE_ATTRIBUTE_DIRECTORY} and {@code FILE_ATTRIBUTE_ARCHIVE} (winnt.h), in decimal as the records want. */
  static final String ATTRIBUTES_DIRECTORY = "16";
  static final String ATTRIBUTES_FILE = "32";
  /** The security descriptor of every entry below {@code Files/}; see the class comment. */
  public static final String SECURITY_DESCRIPTOR = Base64.getEncoder().encodeToString(usersOwnedDescriptor());
  /** {@code C:\app}, {@code c:/app}, {@code D:\x}: a target written with a drive letter. */
  private static final Pattern DRIVE = Pattern.compile("([A-Za-z]):([\\\\/].*)?");

  private WindowsLayers() {}

  /** The records of an entry below {@code Files/}. */
  static void addMetadata(TarArchiveEntry entry, boolean directory) {
    entry.addPaxHeader(PAX_FILE_ATTRIBUTES, directory ? ATTRIBUTES_DIRECTORY : ATTRIBUTES_FILE);
    entry.addPaxHeader(PAX_RAW_SECURITY_DESCRIPTOR, SECURITY_DESCRIPTOR);
  }

  /**
   * The records of {@code Hives/} or {@code Files/}: directories of the layer format rather than of the container,
   * so without a security descriptor (ko and go-containerregistry write none for them).
   */
  static void addRootMetadata(TarArchiveEntry entry) {
    entry.addPaxHeader(PAX_FILE_ATTRIBUTES, ATTRIBUTES_DIRECTORY);
  }

  /**
   * A target written {@code C:\app\lib} or {@code C:/app/lib} as {@code /app/lib} (a Windows container has only
   * drive C:, which is the layer's {@code Files/}), backslashes as slashes; other drives refused, and any drive
   * for a platform that is not Windows.
   */
  static String withoutDrive(String target, boolean windows, String layer, String parameter) {
    Matcher drive = target == null ? null : DRIVE.matcher(target);
    if (drive != null && drive.matches()) {
      if (!windows) {
        throw new InvalidInputException(parameter, "layer '" + layer + "': target '" + target + "' is a Windows "
            + "path, which only platforms with os windows take; give an absolute path in the image, such as /app");
      }
      if (!drive.group(1).equalsIgnoreCase("C")) {
        throw new InvalidInputException(parameter, "layer '" + layer + "': target '" + target + "' is on drive "
            + drive.group(1).toUpperCase(Locale.ROOT) + ":, but a Windows container's files are all on C:; "
            + "write C:\\app\\... or /app/...");
      }
      target = drive.group(2) == null ? "/" : drive.group(2);
    }
    return target != null && windows ? target.replace('\\', '/') : target;
  }

  /** NTFS names are case-insensitive: {@code /App/x} and {@code /app/x} would be one file in the container. */
  static void refuseCaseClashes(Collection<String> paths, String layer, String parameter) {
    Map<String, String> seen = new HashMap<>();
    for (String path : paths) {
      String other = seen.putIfAbsent(path.toLowerCase(Locale.ROOT), path);
      if (other != null) {
        throw new InvalidInputException(parameter, "layer '" + layer + "' for a Windows platform: /" + other
            + " and /" + path + " differ only in case, which Windows file names do not tell apart; give them "
            + "distinct names");
      }
    }
  }

  /**
   * A self-relative {@code SECURITY_DESCRIPTOR} (MS-DTYP 2.4.6) with owner and group {@code S-1-5-32-545}
   * ({@code BUILTIN\Users}) and neither SACL nor DACL: revision 1, control {@code SE_SELF_RELATIVE}, the owner
   * SID at offset 20 and the group SID at offset 36.
   */
  private static byte[] usersOwnedDescriptor() {
    byte[] users = { // SID (MS-DTYP 2.4.2.2): revision 1, 2 sub-authorities, authority NT (5), 32, 545
        1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x21, 0x02, 0, 0};
    ByteBuffer sd = ByteBuffer.allocate(20 + 2 * users.length).order(ByteOrder.LITTLE_ENDIAN);
    sd.put((byte) 1).put((byte) 0).putShort((short) 0x8000); // revision, Sbz1, control: SE_SELF_RELATIVE
    sd.putInt(20).putInt(20 + users.length).putInt(0).putInt(0); // owner, group, SACL, DACL offsets
    sd.put(users).put(users);
    return sd.array();
  }
}
