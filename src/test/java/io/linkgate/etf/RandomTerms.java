package io.linkgate.etf;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Seeded generator of random terms covering every encodable shape. */
final class RandomTerms {
  private static final String[] ATOMS = {"ok", "a", "$op", "User-Property", "end", "", "ä",
      "ジ", "it's", "back\\slash", "with space", "message", "Upper", "x@y", "\u0001ctl"};

  private final Random rnd;

  RandomTerms(long seed) {
    rnd = new Random(seed);
  }

  Object next(int depth) {
    int kinds = depth <= 0 ? 5 : 10;
    return switch (rnd.nextInt(kinds)) {
      case 0 -> integer();
      case 1 -> Atom.of(ATOMS[rnd.nextInt(ATOMS.length)]);
      case 2 -> binary();
      case 3 -> rnd.nextBoolean() ? (Object) (rnd.nextDouble() * Math.pow(10, rnd.nextInt(40) - 20))
          : (Object) (double) (rnd.nextInt(2000) - 1000);
      case 4 -> List.of();
      case 5 -> new Tuple(items(depth, rnd.nextInt(5)));
      case 6 -> items(depth, rnd.nextInt(6));
      case 7 -> byteString();
      case 8 -> new ImproperList(items(depth, 1 + rnd.nextInt(3)), integer());
      default -> map(depth, rnd.nextInt(10) == 0 ? 33 + rnd.nextInt(20) : rnd.nextInt(6));
    };
  }

  private Object integer() {
    return switch (rnd.nextInt(5)) {
      case 0 -> (long) rnd.nextInt(256);
      case 1 -> (long) rnd.nextInt();
      case 2 -> rnd.nextLong();
      case 3 -> new BigInteger(64 + rnd.nextInt(300), rnd).multiply(
          BigInteger.valueOf(rnd.nextBoolean() ? 1 : -1));
      default -> -(long) rnd.nextInt(300);
    };
  }

  private Binary binary() {
    byte[] b = new byte[rnd.nextInt(rnd.nextInt(10) == 0 ? 2000 : 12)];
    if (rnd.nextBoolean()) {
      rnd.nextBytes(b);
    } else {
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) ('a' + rnd.nextInt(3));
      }
    }
    return Binary.of(b);
  }

  private List<Object> byteString() {
    List<Object> l = new ArrayList<>();
    for (int i = 1 + rnd.nextInt(20); i > 0; i--) {
      l.add((long) rnd.nextInt(256));
    }
    return l;
  }

  private List<Object> items(int depth, int n) {
    List<Object> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(next(depth - 1));
    }
    return l;
  }

  private Map<Object, Object> map(int depth, int n) {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      Object key = rnd.nextInt(3) == 0 ? next(1) : (Object) (long) i;
      m.putIfAbsent(key, next(depth - 1));
    }
    return m;
  }
}
