package io.stepraft.raft.storage;

/** The type byte that begins a WAL record's body. */
enum RecordType {
  /** The host's metadata: second record of every segment. */
  METADATA(1),
  /** One log entry of a group. */
  ENTRY(2),
  /** A group's hard state (term, vote, commit). */
  STATE(3),
  /** The running checksum a segment starts from, with the segment's sequence and first index. */
  CRC(4),
  /** A snapshot taken or received by a group: index, term, configuration. */
  SNAPSHOT(5);

  final byte code;

  RecordType(int code) {
    this.code = (byte) code;
  }

  /** The type with this code, or null. */
  static RecordType of(byte code) {
    for (RecordType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
