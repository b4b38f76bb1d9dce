package dev.spool.cli;

import dev.spool.ffmpeg.FfmpegTools;
import dev.spool.protocol.Wire;
import dev.spool.worker.Capabilities;
import dev.spool.worker.CapabilityProbe;
import dev.spool.worker.WorkerConfig;
import dev.spool.worker.WorkerLoop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code spool worker}: discovers what this machine can encode, then pulls and runs work. */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a worker: discover CPU, RAM and working encoders, register with the coordinator, run jobs.",
                "SIGTERM drains: no new work, running jobs finish, the worker deregisters and exits 0."})
final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--coordinator", paramLabel = "URL", description = "Coordinator URL (or SPOOL_COORDINATOR).")
    String coordinator;

    @Option(names = "--id", paramLabel = "NAME", description = "Worker name (default: the host name).")
    String id;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Worker join token (or SPOOL_JOIN_TOKEN).")
    String token;

    @Option(names = "--slots", defaultValue = "1", description = "Tasks run at once. Default: ${DEFAULT-VALUE}.")
    int slots;

    @Option(names = "--pools", split = ",", description = "Pools served (default: transcode).")
    List<String> pools;

    @Option(names = "--ffmpeg", paramLabel = "PATH", description = "ffmpeg to use instead of the bundled one.")
    Path ffmpeg;

    @Option(names = "--root", paramLabel = "DIR", description = "A directory jobs may read from and write to (repeatable; e.g. the NAS mount). Without one, any path this user can reach.")
    List<Path> roots = List.of();

    @Override
    public Integer call() throws Exception {
        String url = coordinator != null ? coordinator : System.getenv("SPOOL_COORDINATOR");
        String joinToken = token != null ? token : System.getenv("SPOOL_JOIN_TOKEN");
        String name = id != null ? id : InetAddress.getLocalHost().getHostName();
        FfmpegTools tools = FfmpegTools.locate(ffmpeg);
        Capabilities capabilities = new CapabilityProbe().discover(tools);
        System.out.println("worker " + name + " capabilities: " + Wire.JSON.writeValueAsString(capabilities));
        WorkerConfig config = new WorkerConfig(url, name, joinToken, slots, pools, ffmpeg,
                WorkerConfig.DEFAULT_PROGRESS_INTERVAL, WorkerConfig.DEFAULT_LONG_POLL, roots);
        if (roots.isEmpty())
            System.err.println("spool: warning: no --root given; jobs may read and write any path this user can (give the NAS mount with --root)");
        WorkerLoop loop = new WorkerLoop(config, capabilities, tools);
        // SIGTERM and Ctrl-C drain instead of killing (handled here so the JVM does not start
        // shutting down); a second one stops the running jobs too, which go back to the queue
        java.util.concurrent.atomic.AtomicInteger signals = new java.util.concurrent.atomic.AtomicInteger();
        sun.misc.SignalHandler stop = s -> {
            if (signals.incrementAndGet() == 1) {
                System.err.println("spool: draining: no new work; running jobs finish (signal again to stop them now)");
                loop.drain();
            } else {
                loop.abandonRunning();
            }
        };
        Signal.handle(new Signal("TERM"), stop);
        Signal.handle(new Signal("INT"), stop);
        return loop.run();
    }
}
