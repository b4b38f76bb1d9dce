package dev.spool.cli.chaos;

/** What a fault does to the cluster, and how the campaign names it. */
enum FaultKind {
    /** kill -9 of a worker and its ffmpeg (the machine dies), then a restart under the same --id. */
    WORKER_KILL("kill -9 worker"),
    /** SIGSTOP of a worker and its ffmpeg past its lease, then SIGCONT: a hung or partitioned machine. */
    WORKER_STOP("SIGSTOP worker"),
    /** kill -9 of a coordinator, then a restart on the same port and database. */
    COORDINATOR_KILL("kill -9 coordinator"),
    /** As COORDINATOR_KILL, but only once some worker is mid-task (a task leased with progress). */
    COORDINATOR_KILL_MID_TASK("kill -9 coordinator mid-task");

    private final String label;

    FaultKind(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    boolean hitsWorker() {
        return this == WORKER_KILL || this == WORKER_STOP;
    }
}
