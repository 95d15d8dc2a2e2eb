package io.linkgate.lifecycle;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file a node started without {@code -c} runs on. The shipped {@code conf/linkgate.conf} is the commented
 * reference and stays as released; the node runs on a copy under {@code data/}, made at the first start, which the
 * operator edits and REST changes are written into. Blocking file I/O: call it before Vert.x starts.
 */
public final class RunningConfig {
  private static final Logger log = LoggerFactory.getLogger(RunningConfig.class);

  /** The shipped, git-tracked reference. */
  public static final Path REFERENCE = Path.of("conf", "linkgate.conf");
  /** The running copy, when no {@code -c} is given. */
  public static final Path DEFAULT = Path.of("data", "linkgate.conf");

  private RunningConfig() {
  }

  /**
   * {@code copy}, made from {@code reference} if it does not exist yet (owner-only: REST changes may write link
   * passwords into it). An existing copy is never touched.
   *
   * @throws IOException when there is no copy and no reference to make it from, or the copy cannot be written
   */
  public static Path ensure(Path reference, Path copy) throws IOException {
    if (Files.exists(copy)) {
      return copy;
    }
    if (!Files.isRegularFile(reference)) {
      throw new IOException("config file not found: neither " + copy.toAbsolutePath() + " nor the reference "
        + reference.toAbsolutePath() + " to make it from exists (run from Linkgate's directory, or give -c FILE)");
    }
    Path dir = copy.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".linkgate", ".conf"); // owner-only on POSIX
    try {
      Files.write(temp, Files.readAllBytes(reference));
      Files.move(temp, copy); // fails if another start made it meanwhile: theirs wins
    } catch (FileAlreadyExistsException raced) {
      return copy;
    } finally {
      Files.deleteIfExists(temp);
    }
    log.info("running config created [file: {}, from: {}] (edit {}; {} stays the shipped reference)", copy,
      reference, copy, reference);
    return copy;
  }
}
