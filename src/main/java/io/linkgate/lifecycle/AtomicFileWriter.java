package io.linkgate.lifecycle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file so that a crash at any moment leaves either the old content or the new one, never a mix: the
 * new bytes go to a temporary file in the same directory, are forced to disk, and the temporary file is renamed
 * over the target (atomic on POSIX file systems); the directory is forced too so that the rename survives a power
 * loss. Blocking: call it from a worker thread. Used for the config file and for the API's user and key files.
 */
public final class AtomicFileWriter {
  static final String TEMP_SUFFIX = ".tmp";

  /** Runs between "temporary file on disk" and "rename"; tests throw here to simulate a crash at that point. */
  interface BeforeRename {
    void run(Path temp) throws IOException;
  }

  private final BeforeRename beforeRename;

  public AtomicFileWriter() {
    this(temp -> { });
  }

  AtomicFileWriter(BeforeRename beforeRename) {
    this.beforeRename = beforeRename;
  }

  public void write(Path file, byte[] content) throws IOException {
    write(file, content, false);
  }

  /** Like {@link #write}, for a file of secrets (hashes): readable by its owner only, from its first byte on. */
  public void writeOwnerOnly(Path file, byte[] content) throws IOException {
    write(file, content, true);
  }

  private void write(Path file, byte[] content, boolean ownerOnly) throws IOException {
    // a symlinked config (Kubernetes ConfigMap, stow) is replaced where it really lives, and stays a link
    Path target = Files.exists(file) ? file.toRealPath() : file.toAbsolutePath();
    Path dir = target.getParent();
    Path temp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + TEMP_SUFFIX);
    Files.deleteIfExists(temp); // a leftover of a crash: the new one is created with the permissions wanted
    try (FileChannel ch = open(temp, ownerOnly)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    if (!ownerOnly) {
      copyPermissions(target, temp);
    }
    beforeRename.run(temp);
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (java.nio.file.FileSystemException e) {
      Files.deleteIfExists(temp);
      throw new IOException("cannot replace " + target + " atomically (" + e.getMessage() + "); a file mounted on "
        + "its own (e.g. a Docker single-file bind mount) cannot be replaced: mount its directory instead", e);
    }
    forceDirectory(dir);
  }

  private static FileChannel open(Path temp, boolean ownerOnly) throws IOException {
    Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    if (ownerOnly) {
      try {
        return FileChannel.open(temp, options, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        // best effort on other file systems
      }
    }
    return FileChannel.open(temp, options);
  }

  /** The config may hold secrets: the new file keeps the old one's permissions rather than the umask's. */
  private static void copyPermissions(Path from, Path to) throws IOException {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(from);
      Files.setPosixFilePermissions(to, perms);
    } catch (UnsupportedOperationException | java.nio.file.NoSuchFileException e) {
      // not a POSIX file system, or a new file: the defaults apply
    }
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some file systems cannot open a directory for reading; the rename is still atomic, only its durability
      // across a power loss is left to the file system
    }
  }
}
