package dev.spool.cli.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The verdict of a campaign, from facts alone: lost jobs (failed, cancelled, or completed with an
 * output that is missing or does not verify), stuck jobs (not ended), outputs from a refused lease
 * (a commit marker that names another lease than the coordinator granted, or either missing),
 * pieces whose result was accepted more than once, the extra attempts spent, and each fault's
 * time to recover: until a task it caught in flight moved on (progress or completion), or for a
 * fault that caught none, until any task did.
 */
final class Audit {
    private Audit() {}

    static AuditReport of(List<JobFacts> jobs, List<FaultRecord> faults, List<TaskSample> samples) {
        List<String> lost = new ArrayList<>();
        List<String> stuck = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<String> duplicates = new ArrayList<>();
        int completed = 0;
        int verified = 0;
        int extraAttempts = 0;
        for (JobFacts j : jobs) {
            if (!j.terminal()) stuck.add(j.name() + " is still " + j.state());
            else if (!j.state().equals("COMPLETED")) lost.add(j.name() + " ended " + j.state() + (j.error() == null ? "" : ": " + j.error()));
            else {
                completed++;
                if (Boolean.TRUE.equals(j.verified())) verified++;
                else if (!j.outputPresent()) lost.add(j.name() + " is COMPLETED but its output is missing");
                else lost.add(j.name() + " is COMPLETED but its output does not verify: " + j.verifyProblem());
            }
            if (j.outputPresent()) {
                String why = refusal(j);
                if (why != null) refused.add(j.name() + ": " + why);
            }
            for (TaskFacts t : j.tasks()) {
                if (t.accepted() > 1) duplicates.add(j.name() + " " + t.describe() + ": result accepted " + t.accepted() + " times");
                extraAttempts += Math.max(0, t.leases() - 1);
            }
        }
        List<AuditReport.Recovery> recoveries = new ArrayList<>();
        for (FaultRecord f : faults) recoveries.add(new AuditReport.Recovery(f.index(), recovery(f, samples)));
        return new AuditReport(jobs.size(), completed, verified, lost, stuck, refused, duplicates,
                extraAttempts, recoveries);
    }

    /** Why a present output does not come from the lease the coordinator granted, or null when it does. */
    static String refusal(JobFacts j) {
        if (j.commitLeaseId() == null && j.markerLeaseId() == null) return "output present, but no commit was granted and it has no commit marker";
        if (j.commitLeaseId() == null) return "output committed by lease " + j.markerLeaseId() + ", but the coordinator granted no commit (job "
                + j.state() + ")";
        if (j.markerLeaseId() == null) return "output has no commit marker (granted lease " + j.commitLeaseId() + ")";
        if (!Objects.equals(j.commitLeaseId(), j.markerLeaseId()))
            return "output committed by lease " + j.markerLeaseId() + ", but the coordinator granted lease " + j.commitLeaseId();
        return null;
    }

    /** Milliseconds from the fault's start until a task it caught (or any, if none) moved on; null if none did. */
    static Long recovery(FaultRecord fault, List<TaskSample> samples) {
        Set<String> caught = new HashSet<>();
        for (TaskSample s : fault.inFlight()) caught.add(s.taskId());
        Map<String, TaskSample> last = new HashMap<>();   // each task's sample before the one looked at
        for (TaskSample s : samples.stream().sorted(java.util.Comparator.comparingLong(TaskSample::atMs)).toList()) {
            TaskSample before = last.put(s.taskId(), s);
            // progress the victim itself reports before it is back was sent before the fault: not a
            // recovery (a completion it sent then was accepted, though: that task did move on)
            boolean fromVictim = fault.kind().hitsWorker() && fault.target().equals(s.worker()) && s.atMs() <= fault.endMs() && !s.done();
            if (s.atMs() > fault.startMs() && !fromVictim && (caught.isEmpty() || caught.contains(s.taskId())) && s.advancesFrom(before))
                return s.atMs() - fault.startMs();
        }
        return null;
    }
}
