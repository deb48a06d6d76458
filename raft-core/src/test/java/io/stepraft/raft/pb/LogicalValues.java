package io.stepraft.raft.pb;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MessageOrBuilder;
import java.util.List;

/**
 * Compares two protobuf values field by field as etcd's Go structs would see them: an unset field
 * reads as its default, so "absent" and "present with the default" are the same value. Generated
 * {@code equals} does not do this in proto2, where presence is part of the value.
 */
final class LogicalValues {

  private LogicalValues() {}

  /**
   * Where {@code a} and {@code b} first differ, as a field path with both values; null if equal.
   */
  static String firstDifference(MessageOrBuilder a, MessageOrBuilder b) {
    String aType = a.getDescriptorForType().getFullName();
    String bType = b.getDescriptorForType().getFullName();
    if (!aType.equals(bType)) {
      return "type " + aType + " vs " + bType;
    }
    for (FieldDescriptor field : a.getDescriptorForType().getFields()) {
      String difference = fieldDifference(field, a.getField(field), b.getField(field));
      if (difference != null) {
        return field.getName() + difference;
      }
    }
    return null;
  }

  private static String fieldDifference(FieldDescriptor field, Object a, Object b) {
    if (!field.isRepeated()) {
      return valueDifference(a, b);
    }
    List<?> as = (List<?>) a;
    List<?> bs = (List<?>) b;
    if (as.size() != bs.size()) {
      return ": " + as.size() + " elements vs " + bs.size();
    }
    for (int i = 0; i < as.size(); i++) {
      String difference = valueDifference(as.get(i), bs.get(i));
      if (difference != null) {
        return "[" + i + "]" + difference;
      }
    }
    return null;
  }

  private static String valueDifference(Object a, Object b) {
    if (a instanceof MessageOrBuilder && b instanceof MessageOrBuilder) {
      String nested = firstDifference((MessageOrBuilder) a, (MessageOrBuilder) b);
      return nested == null ? null : "." + nested;
    }
    return a.equals(b) ? null : ": " + a + " vs " + b;
  }
}
