package io.github.multiarch.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitRevisionTest {
  static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  static final String OTHER = "fedcba9876543210fedcba9876543210fedcba98";

  @TempDir
  Path tmp;

  private Path repo() throws IOException {
    Path project = Files.createDirectories(tmp.resolve("project"));
    Files.createDirectories(project.resolve(".git/refs/heads"));
    return project;
  }

  @Test
  void readsTheBranchRefThatHeadNames() throws IOException {
    Path project = repo();
    Files.writeString(project.resolve(".git/HEAD"), "ref: refs/heads/x\n");
    Files.writeString(project.resolve(".git/refs/heads/x"), SHA + "\n");
    Files.writeString(project.resolve(".git/refs/heads/main"), OTHER + "\n");
    assertEquals(Optional.of(SHA), GitRevision.of(project));
  }

  @Test
  void findsTheRepositoryFromASubdirectory() throws IOException {
    Path project = repo();
    Files.writeString(project.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    Files.writeString(project.resolve(".git/refs/heads/main"), SHA + "\n");
    Path module = Files.createDirectories(project.resolve("modules/app"));
    assertEquals(Optional.of(SHA), GitRevision.of(module));
  }

  @Test
  void readsPackedRefs() throws IOException {
    Path project = repo();
    Files.writeString(project.resolve(".git/HEAD"), "ref: refs/heads/release/1.x\n");
    Files.writeString(project.resolve(".git/packed-refs"), """
        # pack-refs with: peeled fully-peeled sorted
        %s refs/heads/main
        %s refs/heads/release/1.x
        %s refs/tags/v1.0
        ^%s
        """.formatted(OTHER, SHA, OTHER, OTHER));
    assertEquals(Optional.of(SHA), GitRevision.of(project));
  }

  @Test
  void aLooseRefWinsOverPackedRefs() throws IOException {
    Path project = repo();
    Files.writeString(project.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    Files.writeString(project.resolve(".git/packed-refs"), OTHER + " refs/heads/main\n");
    Files.writeString(project.resolve(".git/refs/heads/main"), SHA + "\n");
    assertEquals(Optional.of(SHA), GitRevision.of(project));
  }

  @Test
  void readsADetachedHead() throws IOException {
    Path project = repo();
    Files.writeString(project.resolve(".git/HEAD"), SHA + "\n");
    assertEquals(Optional.of(SHA), GitRevision.of(project));
  }

  @Test
  void readsALinkedWorktree() throws IOException {
    Path main = repo();
    Files.writeString(main.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    Files.writeString(main.resolve(".git/refs/heads/main"), OTHER + "\n");
    Files.writeString(main.resolve(".git/refs/heads/feature"), SHA + "\n");
    Path worktreeGitDir = Files.createDirectories(main.resolve(".git/worktrees/wt"));
    Files.writeString(worktreeGitDir.resolve("HEAD"), "ref: refs/heads/feature\n");
    Files.writeString(worktreeGitDir.resolve("commondir"), "../..\n");
    Path worktree = Files.createDirectories(tmp.resolve("wt"));
    Files.writeString(worktree.resolve(".git"), "gitdir: " + worktreeGitDir + "\n");
    assertEquals(Optional.of(SHA), GitRevision.of(worktree));
  }

  @Test
  void readsAWorktreeFileWithARelativeGitdirAndADetachedHead() throws IOException {
    Path main = repo();
    Path worktreeGitDir = Files.createDirectories(main.resolve(".git/worktrees/wt2"));
    Files.writeString(worktreeGitDir.resolve("HEAD"), SHA + "\n");
    Path worktree = Files.createDirectories(tmp.resolve("wt2"));
    Files.writeString(worktree.resolve(".git"), "gitdir: ../project/.git/worktrees/wt2\n");
    assertEquals(Optional.of(SHA), GitRevision.of(worktree));
  }

  @Test
  void readsAWorktreeBranchFromPackedRefsOfTheCommonDirectory() throws IOException {
    Path main = repo();
    Files.writeString(main.resolve(".git/packed-refs"), SHA + " refs/heads/packed\n");
    Path worktreeGitDir = Files.createDirectories(main.resolve(".git/worktrees/wt3"));
    Files.writeString(worktreeGitDir.resolve("HEAD"), "ref: refs/heads/packed\n");
    Files.writeString(worktreeGitDir.resolve("commondir"), "../..\n");
    Path worktree = Files.createDirectories(tmp.resolve("wt3"));
    Files.writeString(worktree.resolve(".git"), "gitdir: " + worktreeGitDir + "\n");
    assertEquals(Optional.of(SHA), GitRevision.of(worktree));
  }

  @Test
  void sha256RepositoriesAreRead() throws IOException {
    Path project = repo();
    String sha256 = "a".repeat(64);
    Files.writeString(project.resolve(".git/HEAD"), sha256 + "\n");
    assertEquals(Optional.of(sha256), GitRevision.of(project));
  }

  @Test
  void emptyWithoutGit() throws IOException {
    Path plain = Files.createDirectories(tmp.resolve("plain/sub"));
    assertEquals(Optional.empty(), GitRevision.of(plain));
  }

  @Test
  void emptyForAnUnbornBranch() throws IOException {
    Path project = repo();
    Files.writeString(project.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    assertEquals(Optional.empty(), GitRevision.of(project));
  }

  @Test
  void emptyForGarbage() throws IOException {
    Path project = repo();
    Files.writeString(project.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    Files.writeString(project.resolve(".git/refs/heads/main"), "not a sha\n");
    assertEquals(Optional.empty(), GitRevision.of(project));
    Path other = Files.createDirectories(tmp.resolve("other"));
    Files.writeString(other.resolve(".git"), "something else\n");
    assertEquals(Optional.empty(), GitRevision.of(other));
  }
}
