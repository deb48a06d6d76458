package io.stepraft.examples.kv;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The little JSON the API needs: writing strings, and reading flat objects of strings, integers and
 * booleans (request bodies such as {@code {"id":4,"peer":"127.0.0.1:42379"}}).
 */
final class Json {
  /** Nesting or length beyond what a request body needs. */
  static final int BODY_CHARS_MAX = 4096;

  private Json() {}

  /** {@code s} as a JSON string literal. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /**
   * Parses a flat JSON object; values are String, Long or Boolean (null for JSON null).
   *
   * @throws IllegalArgumentException with a message saying what is wrong and where
   */
  static Map<String, Object> parseObject(String text) {
    if (text.length() > BODY_CHARS_MAX) {
      throw new IllegalArgumentException("body longer than " + BODY_CHARS_MAX + " characters");
    }
    Parser p = new Parser(text);
    p.skipSpace();
    Map<String, Object> out = p.object();
    p.skipSpace();
    if (!p.atEnd()) {
      throw p.error("unexpected text after the object");
    }
    return out;
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    Map<String, Object> object() {
      Map<String, Object> out = new LinkedHashMap<>();
      expect('{');
      skipSpace();
      if (peek() == '}') {
        pos++;
        return out;
      }
      while (true) {
        skipSpace();
        String key = string();
        skipSpace();
        expect(':');
        skipSpace();
        out.put(key, value());
        skipSpace();
        char c = next();
        if (c == '}') {
          return out;
        }
        if (c != ',') {
          throw error("expected ',' or '}'");
        }
      }
    }

    Object value() {
      char c = peek();
      if (c == '"') {
        return string();
      }
      if (c == '-' || (c >= '0' && c <= '9')) {
        int start = pos;
        pos++;
        while (!atEnd() && Character.isDigit(peek())) {
          pos++;
        }
        try {
          return Long.parseLong(s.substring(start, pos));
        } catch (NumberFormatException e) {
          throw error("not an integer: " + s.substring(start, pos));
        }
      }
      for (String word : new String[] {"true", "false", "null"}) {
        if (s.startsWith(word, pos)) {
          pos += word.length();
          return word.equals("null") ? null : Boolean.valueOf(word);
        }
      }
      throw error("expected a string, an integer, true, false or null");
    }

    String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return b.toString();
        }
        if (c == '\\') {
          char e = next();
          switch (e) {
            case '"', '\\', '/' -> b.append(e);
            case 'n' -> b.append('\n');
            case 't' -> b.append('\t');
            case 'r' -> b.append('\r');
            case 'b' -> b.append('\b');
            case 'f' -> b.append('\f');
            case 'u' -> {
              if (pos + 4 > s.length()) {
                throw error("truncated \\u escape");
              }
              try {
                b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
              } catch (NumberFormatException ex) {
                throw error("bad \\u escape");
              }
              pos += 4;
            }
            default -> throw error("bad escape \\" + e);
          }
        } else {
          b.append(c);
        }
      }
    }

    void skipSpace() {
      while (!atEnd() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    boolean atEnd() {
      return pos >= s.length();
    }

    char peek() {
      if (atEnd()) {
        throw error("unexpected end of input");
      }
      return s.charAt(pos);
    }

    char next() {
      char c = peek();
      pos++;
      return c;
    }

    void expect(char c) {
      if (next() != c) {
        pos--;
        throw error("expected '" + c + "'");
      }
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("malformed JSON at character " + pos + ": " + what);
    }
  }
}
