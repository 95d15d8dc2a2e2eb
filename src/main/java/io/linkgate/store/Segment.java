package io.linkgate.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;

/**
 * One segment file and the in-memory index of its records (sequence numbers {@code base .. base + count - 1}):
 * payload length, timestamp and acknowledgement bit per record, 12 bytes and a bit each. Owned by the writer thread.
 */
final class Segment {

  final long base;
  final Path file;
  final FileChannel channel;
  /** Bytes of whole frames (written or in the write buffer when this is the active segment). */
  long size;
  /** Bytes handed to the kernel; {@code size - written} are still in the write buffer. */
  long written;
  /** Written since the last fsync. */
  boolean dirty;
  private int count;
  private int ackedCount;
  private int[] lengths;
  private long[] timestamps;
  private final BitSet acked = new BitSet();
  /** No record below this index is unacknowledged (a hint that makes finding the oldest cheap). */
  private int lowUnacked;

  Segment(long base, Path file, FileChannel channel, long size) {
    this.base = base;
    this.file = file;
    this.channel = channel;
    this.size = size;
    this.written = size;
    this.lengths = new int[256];
    this.timestamps = new long[256];
  }

  static String fileName(long base) {
    return String.format("%020d.seg", base);
  }

  /** The base sequence number encoded in a segment file name, or -1 if the name is not one of ours. */
  static long baseOf(String fileName) {
    if (fileName.length() != 24 || !fileName.endsWith(".seg")) {
      return -1;
    }
    try {
      return Long.parseLong(fileName.substring(0, 20));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  int count() {
    return count;
  }

  long nextSeq() {
    return base + count;
  }

  boolean contains(long seq) {
    return seq >= base && seq < base + count;
  }

  boolean fullyAcked() {
    return ackedCount == count;
  }

  int unacked() {
    return count - ackedCount;
  }

  void add(int length, long timestamp) {
    if (count == lengths.length) {
      lengths = Arrays.copyOf(lengths, count * 2);
      timestamps = Arrays.copyOf(timestamps, count * 2);
    }
    lengths[count] = length;
    timestamps[count] = timestamp;
    count++;
  }

  /** Forgets the records from index {@code newCount} on (their write failed); none of them may be acknowledged. */
  void truncateIndex(int newCount) {
    count = newCount;
  }

  boolean isAcked(long seq) {
    return acked.get((int) (seq - base));
  }

  /** Marks {@code seq} acknowledged; returns its payload length, or -1 if it already was. */
  int markAcked(long seq) {
    int i = (int) (seq - base);
    if (acked.get(i)) {
      return -1;
    }
    acked.set(i);
    ackedCount++;
    return lengths[i];
  }

  /** The lowest unacknowledged sequence number, or -1 if every record is acknowledged. */
  long oldestUnacked() {
    if (ackedCount == count) {
      return -1;
    }
    lowUnacked = acked.nextClearBit(lowUnacked);
    return base + lowUnacked;
  }

  int lengthOf(long seq) {
    return lengths[(int) (seq - base)];
  }

  long timestampOf(long seq) {
    return timestamps[(int) (seq - base)];
  }

  void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing a channel we are about to forget: nothing to recover
    }
  }
}
