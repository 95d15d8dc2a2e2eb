package io.linkgate;

import io.linkgate.authn.PasswordHash;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code java -jar linkgate.jar hash-password [--iterations N]}: prints the PBKDF2 hash of a password for
 * {@code authentication[].users[].password_hash} or a users file. The password is read without echo from the
 * terminal, or as the first line of standard input ({@code echo -n secret | java -jar linkgate.jar hash-password});
 * it is never taken as an argument, where other users of the machine could see it in the process list.
 */
final class HashPasswordCommand {
  static final String NAME = "hash-password";

  private HashPasswordCommand() {
  }

  static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    int iterations = PasswordHash.DEFAULT_ITERATIONS;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--iterations") && i + 1 < args.length && args[i + 1].matches("\\d{1,9}")) {
        iterations = Integer.parseInt(args[++i]);
      } else {
        err.println("error: usage: java -jar linkgate.jar " + NAME + " [--iterations N]");
        return Main.EXIT_USAGE;
      }
    }
    if (iterations < PasswordHash.MIN_ITERATIONS || iterations > PasswordHash.MAX_ITERATIONS) {
      err.println("error: --iterations must be between " + PasswordHash.MIN_ITERATIONS + " and "
        + PasswordHash.MAX_ITERATIONS);
      return Main.EXIT_USAGE;
    }
    String password;
    try {
      password = readPassword(in);
    } catch (IOException e) {
      err.println("error: cannot read the password: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    if (password == null || password.isEmpty()) {
      err.println("error: empty password (type it, or pipe it in on standard input)");
      return Main.EXIT_USAGE;
    }
    out.println(PasswordHash.hash(password, iterations));
    return 0;
  }

  private static String readPassword(InputStream in) throws IOException {
    Console console = System.console();
    if (console != null && in == System.in) {
      char[] typed = console.readPassword("Password: ");
      return typed == null ? null : new String(typed);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
  }
}
