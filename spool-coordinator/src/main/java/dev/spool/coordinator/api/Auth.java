package dev.spool.coordinator.api;

import dev.spool.coordinator.store.Store;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.util.Optional;

/**
 * Bearer-token checks before every route but health: the worker protocol takes a join token or a
 * worker's own credential, everything else a client token; neither kind may use the other's routes.
 */
final class Auth {
    /** Known tokens are remembered this long, sparing every request a lookup; a revocation takes effect within it. */
    static final long CACHE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

    private final Store store;
    private final java.util.Map<String, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();

    private record Cached(Store.TokenRecord token, long until) {}

    Auth(Store store) {
        this.store = store;
    }

    /** Forgets a worker's credentials at once on this node (revoked on re-registration or departure). */
    void forgetWorker(String workerId) {
        cache.values().removeIf(c -> workerId.equals(c.token().workerId()));
    }

    private Optional<Store.TokenRecord> lookup(String hash) {
        long now = System.nanoTime();
        Cached hit = cache.get(hash);
        if (hit != null && hit.until() - now > 0) return Optional.of(hit.token());
        Optional<Store.TokenRecord> found = store.token(hash);
        if (found.isPresent()) {
            if (cache.size() > 100_000) cache.clear();   // bound it; the store is the truth
            cache.put(hash, new Cached(found.get(), now + CACHE_NANOS));
        } else {
            cache.remove(hash);
        }
        return found;
    }

    void check(Context ctx) {
        String path = ctx.path();
        if (!path.startsWith("/api/") || path.equals("/api/v1/health")) return;
        boolean workerRoute = isWorkerRoute(ctx.method(), path);
        String header = Optional.ofNullable(ctx.header("Authorization")).orElse("");
        if (!header.startsWith("Bearer ")) {
            deny(ctx, 401, "a bearer token is required (Authorization: Bearer ...)");
            return;
        }
        Optional<Store.TokenRecord> token = lookup(Tokens.hash(header.substring(7).strip()));
        if (token.isEmpty()) {
            deny(ctx, 401, "the token is not valid");
            return;
        }
        Caller caller = new Caller(token.get().kind(), token.get().workerId());
        if (!FileRoutes.isFilesRoute(path) && workerRoute != caller.isWorker()) {   // files: both, checked per file
            deny(ctx, 403, workerRoute ? "this route is for workers; a client token cannot use it"
                    : "this route is for clients; a worker token cannot use it");
            return;
        }
        ctx.attribute(Caller.ATTRIBUTE, caller);
    }

    static boolean isWorkerRoute(HandlerType method, String path) {
        if (path.startsWith("/api/v1/workers/") && method == HandlerType.POST) return true;
        if (method == HandlerType.PATCH && path.matches("/api/v1/jobs/[^/]+")) return true;
        return method == HandlerType.POST && path.matches("/api/v1/jobs/[^/]+/(finalize|commit)");
    }

    private static void deny(Context ctx, int status, String message) {
        ApiErrors.render(ctx, status, status == 401 ? "UNAUTHORIZED" : "FORBIDDEN", message, null);
        ctx.skipRemainingHandlers();
    }
}
