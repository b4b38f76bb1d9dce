package dev.spool.media.run;

import dev.spool.media.ffmpeg.ToolProcess;
import dev.spool.model.SpoolError;

import java.nio.file.Path;

/** Says why ffmpeg stopped, telling the output's problems (disk full, no permission) from the encoder's. */
final class EncodeFailure {
    private EncodeFailure() {}

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
