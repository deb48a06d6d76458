package io.stepraft.raft.testing.interaction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed command line: a name, positional arguments and {@code key=value} arguments. A value is a
 * word, a {@code "quoted string"} (with {@code \"} and {@code \\} escapes) or a parenthesized list
 * {@code (a,b, c)}. Accessors check what they read and throw {@link IllegalArgumentException} with
 * a message for the script's author.
 */
final class Command {
  private final String name;
  private final List<String> positional;
  private final Map<String, List<String>> keyed;

  private Command(String name, List<String> positional, Map<String, List<String>> keyed) {
    this.name = name;
    this.positional = positional;
    this.keyed = keyed;
  }

  /**
   * Parses a command line.
   *
   * @throws IllegalArgumentException for an unclosed quote or parenthesis, or a repeated key
   */
  static Command parse(String line) {
    List<String> tokens = tokenize(line);
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    List<String> positional = new ArrayList<>();
    Map<String, List<String>> keyed = new LinkedHashMap<>();
    for (String token : tokens.subList(1, tokens.size())) {
      int eq = token.startsWith("\"") ? -1 : token.indexOf('=');
      if (eq <= 0) {
        positional.add(unquote(token));
        continue;
      }
      String key = token.substring(0, eq);
      if (keyed.put(key, values(token.substring(eq + 1))) != null) {
        throw new IllegalArgumentException("argument " + key + " given twice");
      }
    }
    return new Command(tokens.get(0), List.copyOf(positional), keyed);
  }

  private static List<String> values(String raw) {
    if (!raw.startsWith("(")) {
      return List.of(unquote(raw));
    }
    if (!raw.endsWith(")")) {
      throw new IllegalArgumentException("unclosed list: " + raw);
    }
    String inner = raw.substring(1, raw.length() - 1).strip();
    List<String> out = new ArrayList<>();
    if (!inner.isEmpty()) {
      for (String v : inner.split(",", -1)) {
        out.add(unquote(v.strip()));
      }
    }
    return List.copyOf(out);
  }

  /** Splits on whitespace outside quotes and parentheses. */
  private static List<String> tokenize(String line) {
    List<String> tokens = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inQuotes = false;
    int depth = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (inQuotes) {
        cur.append(c);
        if (c == '\\' && i + 1 < line.length()) {
          cur.append(line.charAt(++i));
        } else if (c == '"') {
          inQuotes = false;
        }
      } else if (c == '"') {
        inQuotes = true;
        cur.append(c);
      } else if (c == '(') {
        depth++;
        cur.append(c);
      } else if (c == ')') {
        depth--;
        cur.append(c);
      } else if (Character.isWhitespace(c) && depth == 0) {
        if (cur.length() > 0) {
          tokens.add(cur.toString());
          cur.setLength(0);
        }
      } else {
        cur.append(c);
      }
    }
    if (inQuotes) {
      throw new IllegalArgumentException("unclosed quote in: " + line);
    }
    if (depth != 0) {
      throw new IllegalArgumentException("unbalanced parentheses in: " + line);
    }
    if (cur.length() > 0) {
      tokens.add(cur.toString());
    }
    return tokens;
  }

  private static String unquote(String token) {
    if (token.length() < 2 || !token.startsWith("\"") || !token.endsWith("\"")) {
      return token;
    }
    StringBuilder sb = new StringBuilder(token.length());
    for (int i = 1; i < token.length() - 1; i++) {
      char c = token.charAt(i);
      if (c == '\\' && i + 1 < token.length() - 1) {
        c = token.charAt(++i);
      }
      sb.append(c);
    }
    return sb.toString();
  }

  String name() {
    return name;
  }

  /** The positional arguments, in order. */
  List<String> positional() {
    return positional;
  }

  /** Fails if the command has a key outside {@code allowed}. */
  void checkKeys(Set<String> allowed) {
    for (String key : keyed.keySet()) {
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException(
            "unknown argument " + key + "=...; " + name + " takes " + sorted(allowed));
      }
    }
  }

  private static String sorted(Set<String> keys) {
    return keys.isEmpty() ? "no key=value arguments" : new java.util.TreeSet<>(keys).toString();
  }

  /** Fails unless there are between {@code min} and {@code max} positional arguments. */
  void checkPositional(int min, int max) {
    int n = positional.size();
    if (n < min || n > max) {
      String wanted = min == max ? String.valueOf(min) : min + " to " + max;
      throw new IllegalArgumentException(
          name
              + " takes "
              + wanted
              + " positional argument"
              + (max == 1 ? "" : "s")
              + ", got "
              + n);
    }
  }

  boolean has(String key) {
    return keyed.containsKey(key);
  }

  /** The single value of {@code key}, or {@code fallback} when absent. */
  String string(String key, String fallback) {
    List<String> v = keyed.get(key);
    if (v == null) {
      return fallback;
    }
    if (v.size() != 1) {
      throw new IllegalArgumentException(key + " takes one value, got " + v);
    }
    return v.get(0);
  }

  boolean bool(String key, boolean fallback) {
    String v = string(key, null);
    if (v == null) {
      return fallback;
    }
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(key + " must be true or false, was " + v);
    }
    return Boolean.parseBoolean(v);
  }

  long number(String key, long fallback) {
    String v = string(key, null);
    return v == null ? fallback : parseNumber(key, v);
  }

  /** The values of {@code key} as numbers; empty when absent. */
  List<Long> numbers(String key) {
    List<Long> out = new ArrayList<>();
    for (String v : keyed.getOrDefault(key, List.of())) {
      out.add(parseNumber(key, v));
    }
    return out;
  }

  /** The positional argument at {@code index} as a number. */
  long number(int index) {
    return parseNumber("argument " + (index + 1), positional.get(index));
  }

  static long parseNumber(String what, String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a number, was " + v, e);
    }
  }
}
