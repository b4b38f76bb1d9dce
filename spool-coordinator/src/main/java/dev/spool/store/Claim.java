package dev.spool.store;

/** A task just leased to a worker, with its job. */
public record Claim(Task task, Job job) {}
