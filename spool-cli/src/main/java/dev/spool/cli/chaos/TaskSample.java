package dev.spool.cli.chaos;

/** A task as the coordinator showed it {@code atMs} after the campaign began; recorded when it changes. */
record TaskSample(long atMs, String jobId, String taskId, String kind, Integer piece, String state, String worker, double progress) {
    TaskSample {
        if (atMs < 0) throw new IllegalArgumentException("atMs must be 0 or more, not " + atMs);
        if (taskId == null || taskId.isBlank()) throw new IllegalArgumentException("taskId is required");
        if (state == null || state.isBlank()) throw new IllegalArgumentException("state is required");
    }

    boolean leased() {
        return state.equals("LEASED");
    }

    boolean done() {
        return state.equals("DONE");
    }

    /** Whether this sample shows the task moving on from {@code before} (null: first seen): progress or completion. */
    boolean advancesFrom(TaskSample before) {
        if (done()) return before == null || !before.done();
        if (!leased() || progress <= 0) return false;
        if (before == null || !before.leased()) return true;
        return !java.util.Objects.equals(worker, before.worker()) || progress > before.progress();
    }

    /** "job-03 piece 1" style, given the job's name. */
    String describe(String jobName) {
        return jobName + " " + (piece != null ? "piece " + piece : kind);
    }
}
