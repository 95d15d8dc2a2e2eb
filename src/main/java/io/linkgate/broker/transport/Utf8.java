package io.linkgate.broker.transport;

import io.netty.buffer.ByteBuf;

/** Strict UTF-8 checks for MQTT strings ([MQTT-1.5.4-1], [MQTT-1.5.4-2]). */
final class Utf8 {

  private Utf8() {
  }

  /**
   * True for well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF) without U+0000.
   */
  static boolean isValidMqttString(ByteBuf buf, int from, int length) {
    int i = from;
    int end = from + length;
    while (i < end) {
      int b = buf.getUnsignedByte(i);
      if (b == 0) {
        return false;
      }
      if (b < 0x80) {
        i++;
        continue;
      }
      int extra;
      int min;
      int cp;
      if ((b & 0xE0) == 0xC0) {
        extra = 1;
        min = 0x80;
        cp = b & 0x1F;
      } else if ((b & 0xF0) == 0xE0) {
        extra = 2;
        min = 0x800;
        cp = b & 0x0F;
      } else if ((b & 0xF8) == 0xF0) {
        extra = 3;
        min = 0x10000;
        cp = b & 0x07;
      } else {
        return false;
      }
      if (i + extra >= end) {
        return false; // truncated sequence
      }
      for (int k = 1; k <= extra; k++) {
        int c = buf.getUnsignedByte(i + k);
        if ((c & 0xC0) != 0x80) {
          return false;
        }
        cp = (cp << 6) | (c & 0x3F);
      }
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return false;
      }
      i += extra + 1;
    }
    return true;
  }
}
