package io.linkgate.link.client;

/** Readable names of MQTT 5 reason codes, for link status and alarms (EMQX words where EMQX has them). */
public final class DisconnectReasons {

  private DisconnectReasons() {
  }

  public static String name(int code) {
    return switch (code) {
      case 0x00 -> "normal_disconnection";
      case 0x80 -> "unspecified_error";
      case 0x81 -> "malformed_packet";
      case 0x82 -> "protocol_error";
      case 0x83 -> "implementation_specific_error";
      case 0x84 -> "unsupported_protocol_version";
      case 0x85 -> "client_identifier_not_valid";
      case 0x86 -> "bad_username_or_password";
      case 0x87 -> "not_authorized";
      case 0x88 -> "server_unavailable";
      case 0x89 -> "server_busy";
      case 0x8B -> "server_shutting_down";
      case 0x8D -> "keepalive_timeout";
      case 0x8E -> "session_taken_over";
      case 0x97 -> "quota_exceeded";
      case 0x98 -> "administrative_action";
      case 0x9F -> "connection_rate_exceeded";
      default -> "reason_0x" + Integer.toHexString(code);
    };
  }
}
