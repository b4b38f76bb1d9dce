package dev.spool.storage;

/**
 * Hears about transfers worth recording: each failed attempt and its retry, each resume. A worker
 * turns these into events of the job, so a job's history shows every transfer attempt. Notes may
 * come from several threads at once (the parts of one upload).
 */
@FunctionalInterface
public interface TransferLog {
    TransferLog NONE = note -> { };

    void note(String note);
}
