package io.github.multiarch.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Resolves paths inside an unpacked image root the way the kernel would inside the container, without ever
 * following a symbolic link out of the root: each component is looked at with {@code lstat}, a link's target
 * is resolved against the root (absolute targets) or against the directory holding the link (relative ones).
 */
public final class RootPath {
  private static final int MAX_LINKS = 40; // as Linux's MAXSYMLINKS

  /** What to do with a {@code ..} that would climb above the root. */
  public enum AboveRoot {
    /** Refuse: the path escapes the root (unpacking layers). */
    REFUSE,
    /** Stay at the root, as {@code ..} of {@code /} does in a container (finding the program to run). */
    CLAMP
  }

  /** A path that cannot be resolved safely inside the root. */
  public static final class EscapeException extends IOException {
    private static final long serialVersionUID = 1L;

    EscapeException(String message) {
      super(message);
    }
  }

  private final Path root;
  private final AboveRoot aboveRoot;

  /** @param root an existing directory, given as its real path (no symbolic link in it) */
  public RootPath(Path root, AboveRoot aboveRoot) {
    this.root = root;
    this.aboveRoot = aboveRoot;
  }

  public Path root() {
    return root;
  }

  /**
   * Resolves a directory path ({@code usr/local/bin}, relative to the root), following links inside the root;
   * with {@code create}, missing directories are made (mode 755). Returns a real directory under the root.
   *
   * @param what names the entry in errors
   */
  public Path directory(String path, boolean create, String what) throws IOException {
    Deque<String> todo = new ArrayDeque<>(split(path));
    Path current = root;
    int links = 0;
    String walked = "";
    while (!todo.isEmpty()) {
      String part = todo.pollFirst();
      if (part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (current.equals(root)) {
          if (aboveRoot == AboveRoot.REFUSE) {
            throw new EscapeException(what + ": the path climbs above the image root through '" + walked + "'");
          }
        } else {
          current = current.getParent();
        }
        continue;
      }
      Path next = current.resolve(part);
      walked = walked.isEmpty() ? part : walked + "/" + part;
      if (Files.isSymbolicLink(next)) {
        if (++links > MAX_LINKS) {
          throw new EscapeException(what + ": too many levels of symbolic links at /" + walked);
        }
        String target = Files.readSymbolicLink(next).toString();
        List<String> targetParts = split(target);
        for (int i = targetParts.size() - 1; i >= 0; i--) {
          todo.addFirst(targetParts.get(i));
        }
        if (target.startsWith("/")) {
          current = root;
        }
        continue;
      }
      if (Files.isDirectory(next, LinkOption.NOFOLLOW_LINKS)) {
        current = next;
      } else if (Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(what + ": /" + walked + " is not a directory");
      } else if (create) {
        Files.createDirectory(next);
        current = next;
      } else {
        throw new java.nio.file.NoSuchFileException("/" + walked);
      }
    }
    return current;
  }

  /**
   * Resolves a whole path, following links inside the root in every component including the last (as
   * {@code execve} does); the result may not exist.
   */
  public Path follow(String path, String what) throws IOException {
    String current = path;
    for (int i = 0; i < MAX_LINKS; i++) {
      EntryName name = EntryName.of(current);
      if (name.path().isEmpty()) {
        return root;
      }
      Path parent = directory(name.parent(), false, what);
      Path file = parent.resolve(name.fileName());
      if (name.fileName().equals("..")) {
        return directory(name.path(), false, what);
      }
      if (!Files.isSymbolicLink(file)) {
        return file;
      }
      String target = Files.readSymbolicLink(file).toString();
      String parentInRoot = root.relativize(parent).toString();
      current = target.startsWith("/") ? target : parentInRoot + "/" + target;
    }
    throw new EscapeException(what + ": too many levels of symbolic links in " + path);
  }

  /** The path of {@code file} as the container sees it: {@code /usr/bin/x}. */
  public String inContainer(Path file) {
    return "/" + root.relativize(file).toString();
  }

  private static List<String> split(String path) {
    return java.util.Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList();
  }
}
