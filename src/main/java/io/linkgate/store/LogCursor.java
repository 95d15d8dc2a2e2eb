package io.linkgate.store;

import io.vertx.core.Future;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link ReplayCursor}: its position (segment, file offset, next sequence number) lives on the writer thread, and
 * {@link #next} only queues a read there. It ends at the sequence number the log had when the cursor was made.
 */
final class LogCursor implements ReplayCursor {

  private final LogWriter writer;
  private final ByteBuffer header = ByteBuffer.allocate(Frame.HEADER);
  private long endSeq;
  private long seq;
  private long pos;
  private long segBase = -1;

  LogCursor(LogWriter writer) {
    this.writer = writer;
  }

  /** On the writer thread, before any {@link #next}. */
  void start() {
    endSeq = writer.nextSeq();
  }

  @Override
  public Future<List<LogRecord>> next(int max) {
    return writer.call(() -> read(max));
  }

  private List<LogRecord> read(int max) throws IOException {
    TreeMap<Long, Segment> segments = writer.segments();
    List<LogRecord> out = new ArrayList<>(Math.min(max, 1024));
    while (out.size() < max && seq < endSeq) {
      Segment seg = segBase < 0 ? null : segments.get(segBase);
      if (seg == null || pos >= seg.written) {
        // this segment is done (or was deleted meanwhile, fully acknowledged): on to the next one
        Map.Entry<Long, Segment> nextSeg = segBase < 0 ? segments.firstEntry() : segments.higherEntry(segBase);
        if (nextSeg == null || nextSeg.getKey() >= endSeq) {
          seq = endSeq;
          break;
        }
        segBase = nextSeg.getKey();
        pos = 0;
        continue;
      }
      ByteBuffer h = SegmentRecovery.readFully(seg.channel, pos, header, Frame.HEADER);
      int len = h.getInt(0);
      byte type = h.get(4);
      long s = h.getLong(5);
      if (type == Frame.DATA && s >= seq && s < endSeq && !seg.isAcked(s)) {
        ByteBuffer payload = ByteBuffer.allocate(len);
        SegmentRecovery.readFully(seg.channel, pos + Frame.HEADER, payload, len);
        out.add(new LogRecord(s, h.getLong(13), payload.array()));
        seq = s + 1;
      }
      pos += Frame.HEADER + len;
    }
    writer.countReplayed(out.size());
    return out;
  }
}
