package dev.spool.model.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.SpoolError;
import dev.spool.model.job.JobState;

import java.util.List;

/**
 * What the dashboard asks of the coordinator besides the client API: signing in for a session
 * cookie ({@link Api#SESSION}), acting on many jobs at once ({@link Api#JOBS_BULK}) and the
 * throughput history ({@link Api#STATS_HISTORY}).
 */
public final class DashboardMessages {
    /** The most job ids one bulk request may name. */
    public static final int MAX_BULK = 500;

    private DashboardMessages() {}

    /** POST /api/v1/session: the client token to sign in with. */
    public record SignIn(String token) {
        public SignIn {
            if (token == null || token.isBlank()) throw SpoolError.invalid("token", "is required: a client token (spool_c_...)");
        }
    }

    /** Who is signed in: the token's name and role, the session's CSRF token (cookie sessions only) and expiry. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Session(String name, TokenRole role, String csrfToken, String expiresAt) {}

    /** What a bulk request does to each job. */
    public enum BulkAction { cancel, retry }

    /** POST /api/v1/jobs/bulk: one action on up to {@value #MAX_BULK} jobs. */
    public record Bulk(BulkAction action, List<String> jobIds) {
        public Bulk {
            if (action == null) throw SpoolError.invalid("action", "is required: cancel or retry");
            if (jobIds == null || jobIds.isEmpty()) throw SpoolError.invalid("job_ids", "needs one or more job ids");
            if (jobIds.size() > MAX_BULK) throw SpoolError.invalid("job_ids", "may name at most " + MAX_BULK + " jobs, not " + jobIds.size());
            jobIds = List.copyOf(jobIds.stream().map(id -> id == null ? "" : id).toList());
        }
    }

    /** One job's outcome in a bulk request: its new state, or the error body a single request would have had. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BulkResult(String jobId, boolean ok, JobState state, JsonNode error) {}

    /** The outcomes, in the order the ids were given. */
    public record BulkResults(List<BulkResult> results) {}

    /** GET /api/v1/stats/history: jobs completed and failed per bucket, oldest first. */
    public record StatsHistory(int bucketSeconds, List<Bucket> buckets) {}

    /** The jobs that ended in one bucket, which starts at {@code start}. */
    public record Bucket(String start, long completed, long failed) {}
}
