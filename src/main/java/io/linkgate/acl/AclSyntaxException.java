package io.linkgate.acl;

/** A problem in an ACL file, at a line (1-based). The message is written for an operator. */
public final class AclSyntaxException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int line;

  AclSyntaxException(int line, String message) {
    super(message);
    this.line = line;
  }

  public int line() {
    return line;
  }
}
