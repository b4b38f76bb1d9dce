package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.media.ffmpeg.Progress;
import dev.spool.model.client.HttpApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code spool wait JOB_ID}: follow a job to its end with a progress bar. */
@Command(name = "wait", mixinStandardHelpOptions = true,
        description = "Follow a job until it ends: exit 0 when COMPLETED, 1 when FAILED or CANCELLED.")
final class WaitCommand implements Callable<Integer> {
    private static final long POLL_MS = 1000;

    @Mixin ClientOptions client;
    @Parameters(paramLabel = "JOB_ID") String id;

    @Override
    public Integer call() throws InterruptedException {
        return follow(client, id);
    }

    static int follow(ClientOptions client, String id) throws InterruptedException {
        HttpApi api = client.api();
        try (ProgressDisplay display = new ProgressDisplay(ProgressDisplay.choose(client.json), System.out)) {
            boolean clockSet = false;
            while (true) {
                JsonNode job = api.call("GET", ClientCommands.jobPath(id), null, ClientCommands.TIMEOUT);
                String state = job.path("state").asText();
                boolean ended = state.equals("COMPLETED") || state.equals("FAILED") || state.equals("CANCELLED");
                if (state.equals("RUNNING") || ended) {
                    if (!clockSet && job.hasNonNull("started_at")) {
                        display.startedAt(java.time.Instant.parse(job.path("started_at").asText()));
                        clockSet = true;
                    }
                    // the job's figures are its running tasks' together (a split job: all its pieces)
                    display.progress(new Progress(job.path("progress").asDouble(), job.path("fps").asDouble(),
                            job.path("speed").asDouble(0), ended ? -1 : job.path("eta_sec").asLong(-1), ended));
                }
                if (ended) {
                    display.close();
                    if (client.json) ClientCommands.print(job);
                    else System.out.println(ClientCommands.line(job));
                    return state.equals("COMPLETED") ? 0 : 1;
                }
                Thread.sleep(POLL_MS);
            }
        }
    }
}
