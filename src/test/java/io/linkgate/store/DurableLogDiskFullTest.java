package io.linkgate.store;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.linkgate.store.LogTestSupport.await;
import static io.linkgate.store.LogTestSupport.open;
import static io.linkgate.store.LogTestSupport.payload;
import static io.linkgate.store.LogTestSupport.replayAll;
import static io.linkgate.store.LogTestSupport.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A full disk, for real: the log lives on a 256 KiB tmpfs (mounted by the test; needs root, else skipped) that a
 * filler file has nearly filled. Appends fail with the I/O error and an ERROR line, nothing crashes, and once the
 * filler is removed the same log takes appends again and replays exactly the records that succeeded.
 */
@Timeout(60)
class DurableLogDiskFullTest {

  @TempDir
  Path tmp;
  private Path mount;
  private boolean mounted;

  @BeforeEach
  void mountTmpfs() throws Exception {
    mount = tmp.resolve("tiny");
    Files.createDirectories(mount);
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.toString())
        .redirectErrorStream(true).start();
    mounted = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    assumeTrue(mounted, "cannot mount a tmpfs here (not root?)");
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void fullDiskFailsAppendsCleanlyAndTheLogRecovers() throws Exception {
    Path filler = mount.resolve("filler");
    Files.write(filler, new byte[200 * 1024]);
    Path dir = mount.resolve("links").resolve("peer");
    LogOptions opts = LogOptions.defaults().withFsyncInterval(Duration.ofMillis(5)).withSegmentBytes(16 * 1024);
    DurableLog log = open(dir, opts);
    List<Long> ok = new ArrayList<>();
    Throwable failure = null;
    try (LogCapture capture = new LogCapture(LogWriter.class)) {
      for (int i = 0; i < 1000 && failure == null; i++) {
        try {
          ok.add(await(log.append(payload(i, 200))));
        } catch (ExecutionException e) {
          failure = e.getCause();
        }
      }
      assertThat(failure).as("the disk never filled").isInstanceOf(IOException.class);
      assertThat(failure.getMessage()).containsIgnoringCase("space");
      assertThat(capture.lines(Level.ERROR)).anySatisfy(l -> assertThat(l).contains("write failed"));
    }
    LogStats full = await(log.stats());
    assertThat(full.writeErrors()).isPositive();
    assertThat(full.addsUp()).isTrue();
    assertThat(full.backlogMessages()).isEqualTo(ok.size());

    Files.delete(filler); // the space comes back
    for (int i = 0; i < 100; i++) {
      ok.add(await(log.append(payload(1000 + i, 200))));
    }
    assertThat(await(log.stats()).addsUp()).isTrue();
    await(log.close());

    DurableLog reopened = open(dir, opts);
    assertThat(seqs(replayAll(reopened))).isEqualTo(ok);
    await(reopened.close());
  }
}
