package dev.spool.coordinator.queue;

import dev.spool.model.job.JobRecord;

import java.util.List;
import java.util.Locale;

/**
 * The jobs list's text search: a job id prefix, or a substring of what a person knows a job by (its
 * input, its output, its label values). Those are kept lower-cased in {@code jobs.search}, a short
 * column, so a search that finds little reads a few bytes a job rather than every spec.
 */
final class JobSearch {
    private JobSearch() {}

    /** What {@code jobs.search} holds for a job: input, output and label values, lower-cased, one a line. */
    static String text(JobRecord spec) {
        StringBuilder s = new StringBuilder();
        s.append(spec.input() == null ? "" : spec.input()).append('\n').append(spec.output() == null ? "" : spec.output());
        for (String value : spec.labels().values()) s.append('\n').append(value);
        return s.toString().toLowerCase(Locale.ROOT);
    }

    /** Appends the condition for {@code text} and its arguments. Jobs from before V11 have no search text: their spec is searched. */
    static void where(String text, StringBuilder q, List<Object> args) {
        String t = escape(text.strip().toLowerCase(Locale.ROOT));
        q.append(" AND (id LIKE ? ESCAPE '\\' OR search LIKE ? ESCAPE '\\' OR (search IS NULL AND LOWER(spec) LIKE ? ESCAPE '\\'))");
        args.add(t + "%");
        args.add("%" + t + "%");
        args.add("%" + t + "%");
    }

    /** LIKE's own characters taken literally: a search for "50%" means those three characters. */
    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
