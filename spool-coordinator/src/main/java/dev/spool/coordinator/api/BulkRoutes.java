package dev.spool.coordinator.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spool.model.SpoolError;
import dev.spool.model.protocol.Api;
import dev.spool.model.protocol.DashboardMessages;
import dev.spool.model.protocol.Replies;
import dev.spool.model.protocol.Wire;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/v1/jobs/bulk}: cancel or retry many jobs in one request, each exactly as its own
 * request would (each id checked, each job in its own transaction); one job's refusal is its result,
 * not the request's.
 */
final class BulkRoutes {
    private final JobRoutes jobs;

    BulkRoutes(JobRoutes jobs) {
        this.jobs = jobs;
    }

    void register(Javalin app) {
        app.post(Api.JOBS_BULK, this::bulk, Role.SUBMIT);
    }

    private void bulk(Context ctx) {
        DashboardMessages.Bulk request = ApiErrors.parse(ctx, DashboardMessages.Bulk.class, BodyLimit.PROTOCOL);
        List<DashboardMessages.BulkResult> results = new ArrayList<>(request.jobIds().size());
        for (String id : request.jobIds()) {
            try {
                Replies.JobChanged changed = switch (request.action()) {
                    case cancel -> jobs.cancel(id);
                    case retry -> jobs.retry(id);
                };
                results.add(new DashboardMessages.BulkResult(changed.jobId(), true, changed.state(), null));
            } catch (SpoolError e) {
                if (e.code() == SpoolError.Code.STORAGE) throw e;   // the database, not this job: the whole request failed
                ObjectNode error = Wire.JSON.createObjectNode().put("code", e.code().name()).put("message", e.getMessage());
                if (e.field() != null) error.put("field", e.field());
                results.add(new DashboardMessages.BulkResult(id, false, null, error));
            }
        }
        ctx.json(new DashboardMessages.BulkResults(results));
    }
}
