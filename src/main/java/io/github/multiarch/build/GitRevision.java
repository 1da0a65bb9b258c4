package io.github.multiarch.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the commit a working tree is at straight from its {@code .git} directory (no git process), for
 * the {@code org.opencontainers.image.revision} annotation. Gives nothing when it cannot tell.
 */
public final class GitRevision {
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

  private GitRevision() {}

  public static Optional<String> of(Path directory) {
    try {
      for (Path dir = directory.toAbsolutePath(); dir != null; dir = dir.getParent()) {
        Path git = dir.resolve(".git");
        if (Files.isRegularFile(git)) {
          String line = Files.readString(git, StandardCharsets.UTF_8).trim();
          if (!line.startsWith("gitdir:")) {
            return Optional.empty();
          }
          return head(dir.resolve(line.substring(7).trim()).normalize());
        }
        if (Files.isDirectory(git)) {
          return head(git);
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static Optional<String> head(Path gitDir) throws IOException {
    Path headFile = gitDir.resolve("HEAD");
    if (!Files.isRegularFile(headFile)) {
      return Optional.empty();
    }
    String head = Files.readString(headFile, StandardCharsets.UTF_8).trim();
    if (SHA.matcher(head).matches()) {
      return Optional.of(head);
    }
    if (!head.startsWith("ref:")) {
      return Optional.empty();
    }
    String ref = head.substring(4).trim();
    // a linked worktree keeps its refs in the common directory
    Path common = gitDir;
    Path commonFile = gitDir.resolve("commondir");
    if (Files.isRegularFile(commonFile)) {
      common = gitDir.resolve(Files.readString(commonFile, StandardCharsets.UTF_8).trim()).normalize();
    }
    for (Path base : new Path[] {gitDir, common}) {
      Path refFile = base.resolve(ref);
      if (Files.isRegularFile(refFile)) {
        String sha = Files.readString(refFile, StandardCharsets.UTF_8).trim();
        return SHA.matcher(sha).matches() ? Optional.of(sha) : Optional.empty();
      }
    }
    Path packed = common.resolve("packed-refs");
    if (Files.isRegularFile(packed)) {
      for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
        String[] parts = line.trim().split(" ");
        if (parts.length == 2 && parts[1].equals(ref) && SHA.matcher(parts[0]).matches()) {
          return Optional.of(parts[0]);
        }
      }
    }
    return Optional.empty();
  }
}
