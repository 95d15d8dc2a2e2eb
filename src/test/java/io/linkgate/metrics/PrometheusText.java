package io.linkgate.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small reader of the Prometheus text format (0.0.4): {@code name{label="value",...} value [timestamp]}. */
final class PrometheusText {

  record Sample(String name, Map<String, String> labels, double value) {
    boolean has(Map<String, String> wanted) {
      return labels.entrySet().containsAll(wanted.entrySet());
    }
  }

  private final List<Sample> samples;

  private PrometheusText(List<Sample> samples) {
    this.samples = samples;
  }

  List<Sample> samples() {
    return samples;
  }

  static PrometheusText parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      out.add(parseLine(line));
    }
    return new PrometheusText(out);
  }

  private static Sample parseLine(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String label = line.substring(i, eq).trim();
        i = eq + 1;
        if (line.charAt(i) != '"') {
          throw new IllegalArgumentException("label value not quoted: " + line);
        }
        i++;
        StringBuilder value = new StringBuilder();
        while (line.charAt(i) != '"') {
          char c = line.charAt(i++);
          if (c == '\\') {
            char e = line.charAt(i++);
            value.append(e == 'n' ? '\n' : e);
          } else {
            value.append(c);
          }
        }
        i++;
        labels.put(label, value.toString());
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    String[] rest = line.substring(i).trim().split(" ");
    return new Sample(name, labels, number(rest[0]));
  }

  private static double number(String s) {
    return switch (s) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  /** Samples of that name carrying at least these labels ({@code "k", "v", ...}). */
  List<Sample> find(String name, String... labels) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    return samples.stream().filter(s -> s.name().equals(name) && s.has(wanted)).toList();
  }

  boolean has(String name, String... labels) {
    return !find(name, labels).isEmpty();
  }

  /** The value of the one sample of that name with these labels; fails if there is none or several. */
  double value(String name, String... labels) {
    List<Sample> found = find(name, labels);
    if (found.size() != 1) {
      throw new AssertionError("expected one sample " + name + " " + List.of(labels) + ", found " + found);
    }
    return found.get(0).value();
  }

  /** {@link #value}, or {@code NaN} when there is no such sample. */
  double valueOrNaN(String name, String... labels) {
    return has(name, labels) ? value(name, labels) : Double.NaN;
  }
}
