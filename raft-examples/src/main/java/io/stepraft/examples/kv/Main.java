package io.stepraft.examples.kv;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar stepraft-kv.jar --id 1 --peers ... --http ... --data-dir ...}: one node. */
@Command(
    name = "stepraft-kv",
    mixinStandardHelpOptions = true,
    version = "stepraft-kv 0.1.0-SNAPSHOT",
    sortOptions = false,
    description = {
      "One node of a replicated key-value store built on stepraft.",
      "",
      "Start every founding member with the same --peers; a node added later with",
      "POST /cluster/members starts with --join and the current members in --peers."
    })
final class Main implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  @Option(
      names = "--id",
      required = true,
      paramLabel = "ID",
      description = "This node's id (a positive integer).")
  long id;

  @Option(
      names = "--peers",
      required = true,
      paramLabel = "ID=HOST:PORT[,...]",
      description = "Every member's peer address, this node's included.")
  String peers;

  @Option(
      names = "--http",
      required = true,
      paramLabel = "HOST:PORT",
      description = "Address of the HTTP API.")
  String http;

  @Option(
      names = "--data-dir",
      required = true,
      paramLabel = "DIR",
      description = "Directory of this node's storage.")
  Path dataDir;

  @Option(names = "--join", description = "Join a running cluster instead of founding one.")
  boolean join;

  @Option(
      names = "--tick-ms",
      defaultValue = "100",
      paramLabel = "MS",
      description = "Raft tick (default: ${DEFAULT-VALUE}).")
  int tickMs;

  @Option(
      names = "--election-ticks",
      defaultValue = "10",
      paramLabel = "TICKS",
      description = "Election timeout in ticks (default: ${DEFAULT-VALUE}).")
  int electionTicks;

  @Option(
      names = "--heartbeat-ticks",
      defaultValue = "1",
      paramLabel = "TICKS",
      description = "Heartbeat interval in ticks (default: ${DEFAULT-VALUE}).")
  int heartbeatTicks;

  @Option(
      names = "--snapshot-entries",
      defaultValue = "10000",
      paramLabel = "N",
      description = "Applied entries between snapshots (default: ${DEFAULT-VALUE}).")
  long snapshotEntries;

  @Option(
      names = "--catch-up-entries",
      defaultValue = "5000",
      paramLabel = "N",
      description = "Entries kept below a snapshot for slow followers (default: ${DEFAULT-VALUE}).")
  long catchUpEntries;

  @Option(
      names = "--max-key-bytes",
      defaultValue = "1024",
      paramLabel = "BYTES",
      description = "Largest key, in bytes (default: ${DEFAULT-VALUE}).")
  int maxKeyBytes;

  @Option(
      names = "--max-value-bytes",
      defaultValue = "1048576",
      paramLabel = "BYTES",
      description = "Largest value, in bytes (default: ${DEFAULT-VALUE}).")
  int maxValueBytes;

  @Option(
      names = "--request-timeout-ms",
      defaultValue = "5000",
      paramLabel = "MS",
      description = "How long a request may wait for raft (default: ${DEFAULT-VALUE}).")
  int requestTimeoutMs;

  @Option(
      names = "--max-frame-bytes",
      defaultValue = "268435456",
      paramLabel = "BYTES",
      description = "Largest peer message, snapshots included (default: ${DEFAULT-VALUE}).")
  int maxFrameBytes;

  @Option(
      names = "--no-fsync",
      description = "Do not fsync the log (faster, loses writes on a machine crash; tests only).")
  boolean noFsync;

  @Option(
      names = "--quota-bytes",
      defaultValue = "0",
      paramLabel = "BYTES",
      description =
          "Bytes of keys and values past which writes get 507 and an alarm is raised (default:"
              + " 0, no quota).")
  long quotaBytes;

  @Option(
      names = "--restore",
      paramLabel = "FILE",
      description =
          "Found a new cluster from a backup (POST /snapshot). Give every founding member the"
              + " same file and an empty --data-dir.")
  Path restore;

  @Option(
      names = "--peer-cert",
      paramLabel = "PEM",
      description = "Certificate for peer links (mutual TLS).")
  Path peerCert;

  @Option(
      names = "--peer-key",
      paramLabel = "PEM",
      description = "PKCS#8 private key of --peer-cert.")
  Path peerKey;

  @Option(
      names = "--peer-trusted-ca",
      paramLabel = "PEM",
      description = "CA that signs the other side's certificates (required with --peer-cert).")
  Path peerTrustedCa;

  @Option(
      names = "--peer-allowed-cn",
      paramLabel = "CN",
      description = "Only accept peer certificates with this common name.")
  String peerAllowedCn;

  @Option(
      names = "--client-cert",
      paramLabel = "PEM",
      description = "Certificate for the HTTP port.")
  Path clientCert;

  @Option(
      names = "--client-key",
      paramLabel = "PEM",
      description = "PKCS#8 private key of --client-cert.")
  Path clientKey;

  @Option(
      names = "--client-trusted-ca",
      paramLabel = "PEM",
      description = "CA that signs the other side's certificates (makes client TLS mutual).")
  Path clientTrustedCa;

  @Option(
      names = "--client-allowed-cn",
      paramLabel = "CN",
      description = "Only accept client certificates with this common name.")
  String clientAllowedCn;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with its error handlers: usage errors exit 2 with one line and a hint. */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("stepraft-kv: " + e.getMessage());
          return 2;
        });
    cl.setParameterExceptionHandler(
        (e, a) -> {
          e.getCommandLine().getErr().println("stepraft-kv: " + e.getMessage());
          e.getCommandLine().getErr().println("Try 'stepraft-kv --help' for the options.");
          return 2;
        });
    return cl;
  }

  /** Validates the flags; a bad one is a usage error with its message. */
  NodeSettings settings(CommandLine.Model.CommandSpec spec) {
    try {
      return new NodeSettings(
          id,
          Addresses.parsePeers(peers),
          Addresses.parse("--http", http),
          dataDir,
          join,
          tickMs,
          electionTicks,
          heartbeatTicks,
          snapshotEntries,
          catchUpEntries,
          maxKeyBytes,
          maxValueBytes,
          requestTimeoutMs,
          maxFrameBytes,
          !noFsync,
          quotaBytes,
          restore == null ? null : readBackup(restore),
          TlsSettings.of("--peer", peerCert, peerKey, peerTrustedCa, peerAllowedCn, true),
          TlsSettings.of(
              "--client", clientCert, clientKey, clientTrustedCa, clientAllowedCn, false));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static BackupFile readBackup(Path file) {
    try {
      return BackupFile.read(file);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("--restore: cannot read " + file + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--restore " + file + ": " + e.getMessage());
    }
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    NodeSettings settings = settings(spec);
    KvServer server = KvServer.start(settings, e -> {});
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                NodeThreads.withNodeId(settings.id(), server::close),
                "kv-" + settings.id() + "-shutdown"));
    Throwable failure = server.awaitFailure();
    if (failure != null) {
      log.error("node {} failed and stops: {}", settings.id(), failure.toString());
      server.close();
      return 1;
    }
    return 0;
  }
}
