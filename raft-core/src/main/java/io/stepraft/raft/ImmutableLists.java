package io.stepraft.raft;

import java.util.List;

/**
 * Immutable copies of short runs of a list. A Ready usually carries one entry or one or two
 * messages: {@code List.of} holds those in the list object itself, where {@code List.copyOf} of a
 * view also makes the view and two arrays.
 */
final class ImmutableLists {
  private ImmutableLists() {}

  /**
   * An immutable copy of {@code list[from, to)}: a {@code List.of} list, like {@code List.copyOf}
   * gives.
   *
   * @throws NullPointerException if an element is null
   */
  static <T> List<T> copyOf(List<T> list, int from, int to) {
    return switch (to - from) {
      case 0 -> List.of();
      case 1 -> List.of(list.get(from));
      case 2 -> List.of(list.get(from), list.get(from + 1));
      default -> List.copyOf(list.subList(from, to));
    };
  }

  /** An immutable copy of {@code list}. */
  static <T> List<T> copyOf(List<T> list) {
    return copyOf(list, 0, list.size());
  }
}
