package io.linkgate.etf;

/** ETF tag bytes (erts external term format documentation). */
final class Tags {
  static final int VERSION = 131;
  static final int COMPRESSED = 80;
  static final int NEW_FLOAT = 70;
  static final int SMALL_INTEGER = 97;
  static final int INTEGER = 98;
  static final int ATOM = 100;
  static final int SMALL_TUPLE = 104;
  static final int LARGE_TUPLE = 105;
  static final int NIL = 106;
  static final int STRING = 107;
  static final int LIST = 108;
  static final int BINARY = 109;
  static final int SMALL_BIG = 110;
  static final int LARGE_BIG = 111;
  static final int SMALL_ATOM = 115;
  static final int MAP = 116;
  static final int ATOM_UTF8 = 118;
  static final int SMALL_ATOM_UTF8 = 119;
  static final int NEW_PID = 88;
  static final int NEW_PORT = 89;
  static final int NEWER_REFERENCE = 90;
  static final int V4_PORT = 120;
  static final int NEW_FUN = 112;
  static final int EXPORT = 113;
  static final int BIT_BINARY = 77;

  private Tags() {
  }

  /** Name of a tag we do not decode, for error messages. */
  static String unsupportedName(int tag) {
    return switch (tag) {
      case 67 -> "LOCAL_EXT";
      case 82 -> "ATOM_CACHE_REF";
      case 99 -> "FLOAT_EXT";
      case 101 -> "REFERENCE_EXT";
      case 102 -> "PORT_EXT";
      case 103 -> "PID_EXT";
      case 114 -> "NEW_REFERENCE_EXT";
      case 117 -> "FUN_EXT";
      case COMPRESSED -> "COMPRESSED (only allowed right after the version byte)";
      case VERSION -> "VERSION (nested version byte)";
      default -> "unknown";
    };
  }
}
