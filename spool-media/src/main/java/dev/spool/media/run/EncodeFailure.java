package dev.spool.media.run;

import dev.spool.media.ffmpeg.InputSandbox;
import dev.spool.media.ffmpeg.ToolProcess;
import dev.spool.model.SpoolError;

import java.nio.file.Path;

/** Says why ffmpeg stopped, telling the output's problems (disk full, no permission) from the encoder's. */
final class EncodeFailure {
    private EncodeFailure() {}

    /** For a command that read a job's input: a format the sandbox refused is the input's problem, not a retryable one. */
    static SpoolError explain(ToolProcess.Result result, Path input, Path stagingDir) {
        return InputSandbox.refusal(result.stderrTail())
                .map(why -> SpoolError.input(input.toString(), why))
                .orElseGet(() -> explain(result, stagingDir));
    }

    static SpoolError explain(ToolProcess.Result result, Path stagingDir) {
        String all = String.join("\n", result.stderrTail());
        String where = stagingDir.getParent().toString();
        if (all.contains("No space left on device"))
            return SpoolError.output(where, "disk full: no space left on device while writing the ladder");
        if (all.contains("Permission denied"))
            return SpoolError.output(where, "permission denied while writing the ladder");
        if (all.contains("Read-only file system"))
            return SpoolError.output(where, "read-only file system");
        return SpoolError.encoder("ffmpeg failed (exit " + result.exitCode() + "): " + result.lastError());
    }
}
