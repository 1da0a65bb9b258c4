package io.github.multiarch.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The part of TOML (https://toml.io/en/v1.0.0) that {@code registries.conf} uses, read strictly: comments, bare and
 * quoted keys, basic and literal strings, booleans, integers, arrays of those (over several lines too), tables
 * ({@code [aliases]}) and arrays of tables ({@code [[registry]]}, {@code [[registry.mirror]]}). Anything else
 * (inline tables, dotted keys, dates, floats, multi-line strings) is refused with the file and line, never guessed
 * at: a mirror configuration read wrong would send pulls to the wrong host.
 */
final class TomlSubset {
  /** A table: its keys in file order, and the line it starts on (0 for the root). */
  record Table(int line, Map<String, Value> entries) {
    Value get(String key) {
      return entries.get(key);
    }
  }

  /** A value and the line it was written on: a String, Boolean, Long, List of values, or List of Tables. */
  record Value(Object value, int line) {}

  /** Malformed input, with the file and line. */
  static final class TomlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TomlException(String source, int line, String message) {
      super(source + (line > 0 ? ", line " + line : "") + ": " + message);
    }
  }

  private final String source;
  private final String[] lines;
  private int index;

  private TomlSubset(String source, String text) {
    this.source = source;
    this.lines = text.split("\r?\n", -1);
  }

  /**
   * The root table of {@code text}.
   *
   * @param source names the text in messages (a file path)
   */
  static Table parse(String source, String text) {
    return new TomlSubset(source, text).document();
  }

  private Table document() {
    Table root = new Table(0, new LinkedHashMap<>());
    Table current = root;
    for (index = 0; index < lines.length; index++) {
      String line = stripComment(lines[index]).strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("[[")) {
        if (!line.endsWith("]]")) {
          throw error("an array of tables is written [[name]]");
        }
        current = appendTable(root, keyPath(line.substring(2, line.length() - 2)));
      } else if (line.startsWith("[")) {
        if (!line.endsWith("]")) {
          throw error("a table is written [name]");
        }
        current = defineTable(root, keyPath(line.substring(1, line.length() - 1)));
      } else {
        keyValue(current, line);
      }
    }
    return root;
  }

  private void keyValue(Table table, String line) {
    int equals = keyEnd(line);
    if (equals < 0) {
      throw error("expected key = value, a [table] or a [[table]]");
    }
    List<String> path = keyPath(line.substring(0, equals));
    if (path.size() != 1) {
      throw error("dotted keys are not supported here; write the key inside its [table]");
    }
    String key = path.get(0);
    if (table.entries().containsKey(key)) {
      throw error("'" + key + "' is defined twice in the same table");
    }
    int line0 = index + 1;
    Cursor cursor = new Cursor(line.substring(equals + 1));
    Object value = value(cursor);
    cursor.skipSpace();
    if (!cursor.atEnd()) {
      throw error("unexpected text after the value of '" + key + "': " + cursor.rest());
    }
    table.entries().put(key, new Value(value, line0));
  }

  /** The '=' that ends the key (not one inside a quoted key), or -1. */
  private static int keyEnd(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '=') {
        return i;
      }
    }
    return -1;
  }

  private Table appendTable(Table root, List<String> path) {
    Table parent = parentOf(root, path);
    String last = path.get(path.size() - 1);
    Value existing = parent.entries().get(last);
    List<Table> tables;
    if (existing == null) {
      tables = new ArrayList<>();
      parent.entries().put(last, new Value(tables, index + 1));
    } else if (existing.value() instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Table) {
      @SuppressWarnings("unchecked")
      List<Table> known = (List<Table>) list;
      tables = known;
    } else {
      throw error("'" + String.join(".", path) + "' is already defined as something other than an array of tables");
    }
    Table table = new Table(index + 1, new LinkedHashMap<>());
    tables.add(table);
    return table;
  }

  private Table defineTable(Table root, List<String> path) {
    Table parent = parentOf(root, path);
    String last = path.get(path.size() - 1);
    if (parent.entries().containsKey(last)) {
      throw error("table [" + String.join(".", path) + "] is defined twice");
    }
    Table table = new Table(index + 1, new LinkedHashMap<>());
    parent.entries().put(last, new Value(table, index + 1));
    return table;
  }

  /** The table that holds the last key of {@code path}: through tables, and the last table of arrays of tables. */
  private Table parentOf(Table root, List<String> path) {
    Table table = root;
    for (String key : path.subList(0, path.size() - 1)) {
      Value value = table.entries().get(key);
      if (value == null) {
        Table made = new Table(index + 1, new LinkedHashMap<>());
        table.entries().put(key, new Value(made, index + 1));
        table = made;
      } else if (value.value() instanceof Table t) {
        table = t;
      } else if (value.value() instanceof List<?> list && !list.isEmpty() && list.get(list.size() - 1) instanceof Table t) {
        table = t;
      } else {
        throw error("'" + key + "' is not a table");
      }
    }
    return table;
  }

  private List<String> keyPath(String text) {
    List<String> keys = new ArrayList<>();
    Cursor cursor = new Cursor(text);
    while (true) {
      cursor.skipSpace();
      if (cursor.peek() == '"') {
        keys.add(basicString(cursor));
      } else if (cursor.peek() == '\'') {
        keys.add(literalString(cursor));
      } else {
        String bare = cursor.takeWhile(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_');
        if (bare.isEmpty()) {
          throw error("invalid key '" + text.strip() + "' (a key is letters, digits, '-' and '_', or quoted)");
        }
        keys.add(bare);
      }
      cursor.skipSpace();
      if (cursor.atEnd()) {
        return keys;
      }
      if (cursor.next() != '.') {
        throw error("invalid key '" + text.strip() + "'");
      }
    }
  }

  private Object value(Cursor cursor) {
    cursor.skipSpace();
    if (cursor.atEnd()) {
      throw error("a value is missing after '='");
    }
    char c = cursor.peek();
    if (c == '"') {
      if (cursor.rest().startsWith("\"\"\"")) {
        throw error("multi-line strings are not supported here");
      }
      return basicString(cursor);
    }
    if (c == '\'') {
      if (cursor.rest().startsWith("'''")) {
        throw error("multi-line strings are not supported here");
      }
      return literalString(cursor);
    }
    if (c == '[') {
      return array(cursor);
    }
    if (c == '{') {
      throw error("inline tables are not supported here; write a [table] or [[table]] instead");
    }
    String word = cursor.takeWhile(ch -> ch != ',' && ch != ']' && !Character.isWhitespace(ch));
    if (word.equals("true") || word.equals("false")) {
      return Boolean.valueOf(word);
    }
    if (word.matches("[+-]?(0|[1-9](_?[0-9])*)")) {
      return Long.valueOf(word.replace("_", ""));
    }
    throw error("unsupported value '" + word + "': expected a quoted string, true, false, an integer or an array");
  }

  /** An array; it may go on over the following lines (comments and line ends allowed between elements). */
  private List<Value> array(Cursor cursor) {
    cursor.next(); // '['
    List<Value> elements = new ArrayList<>();
    while (true) {
      skipSpaceAcrossLines(cursor);
      if (cursor.peek() == ']') {
        cursor.next();
        return elements;
      }
      elements.add(new Value(value(cursor), index + 1));
      skipSpaceAcrossLines(cursor);
      char c = cursor.next();
      if (c == ']') {
        return elements;
      }
      if (c != ',') {
        throw error("expected ',' or ']' in an array");
      }
    }
  }

  private void skipSpaceAcrossLines(Cursor cursor) {
    while (true) {
      cursor.skipSpace();
      if (!cursor.atEnd() && cursor.peek() != '#') {
        return;
      }
      if (index + 1 >= lines.length) {
        throw error("the array is not closed with ']'");
      }
      index++;
      cursor.reset(lines[index]);
    }
  }

  private String basicString(Cursor cursor) {
    cursor.next(); // '"'
    StringBuilder out = new StringBuilder();
    while (true) {
      if (cursor.atEnd()) {
        throw error("a string is not closed with '\"'");
      }
      char c = cursor.next();
      if (c == '"') {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (cursor.atEnd()) {
        throw error("a string ends with a lone '\\'");
      }
      char escaped = cursor.next();
      switch (escaped) {
        case '"' -> out.append('"');
        case '\\' -> out.append('\\');
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u', 'U' -> {
          int digits = escaped == 'u' ? 4 : 8;
          String hex = cursor.take(digits);
          if (!hex.matches("[0-9a-fA-F]{" + digits + "}")) {
            throw error("invalid unicode escape \\" + escaped + hex);
          }
          out.appendCodePoint(Integer.parseInt(hex, 16));
        }
        default -> throw error("invalid escape \\" + escaped + " in a string");
      }
    }
  }

  private String literalString(Cursor cursor) {
    cursor.next(); // '\''
    String text = cursor.takeWhile(c -> c != '\'');
    if (cursor.atEnd()) {
      throw error("a string is not closed with \"'\"");
    }
    cursor.next();
    return text;
  }

  /** The line without its comment ('#' outside strings). */
  private static String stripComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote == '"') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#') {
        return line.substring(0, i);
      }
    }
    return line;
  }

  private TomlException error(String message) {
    return new TomlException(source, index + 1, message);
  }

  /** A position in one line. */
  private final class Cursor {
    private String text;
    private int at;

    Cursor(String text) {
      reset(text);
    }

    void reset(String line) {
      this.text = line;
      this.at = 0;
    }

    boolean atEnd() {
      return at >= text.length();
    }

    char peek() {
      return atEnd() ? 0 : text.charAt(at);
    }

    char next() {
      if (atEnd()) {
        throw error("the line ends too early");
      }
      return text.charAt(at++);
    }

    String take(int count) {
      String part = text.substring(at, Math.min(text.length(), at + count));
      at += part.length();
      return part;
    }

    String takeWhile(IntPredicate accept) {
      int start = at;
      while (!atEnd() && accept.test(text.charAt(at))) {
        at++;
      }
      return text.substring(start, at);
    }

    void skipSpace() {
      takeWhile(c -> c == ' ' || c == '\t');
    }

    String rest() {
      return text.substring(at);
    }
  }
}
