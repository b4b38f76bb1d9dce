package dev.spool.coordinator.api;

import dev.spool.model.protocol.TokenRole;
import io.javalin.security.RouteRole;

import java.util.Set;

/**
 * Who may call a route, declared where the route is registered ({@code app.get(path, handler,
 * Role.READ)}); {@link Auth} reads it from the route a request matched, so a variant of the path
 * (a trailing slash) is checked as the route itself. Client tokens carry a {@link TokenRole};
 * each route role names the token roles it admits, and whether workers may call it.
 */
enum Role implements RouteRole {
    /** Anyone, with no token: health. */
    OPEN(Set.of(), false, "no token"),
    /** Looking: jobs, workers, queue, the OpenAPI document. */
    READ(Set.of(TokenRole.READ, TokenRole.SUBMIT, TokenRole.ADMIN), false, "a read, submit or admin token"),
    /** Changing jobs: submit, cancel, retry. */
    SUBMIT(Set.of(TokenRole.SUBMIT, TokenRole.ADMIN), false, "a submit or admin token"),
    /** The tokens API. */
    ADMIN(Set.of(TokenRole.ADMIN), false, "an admin token"),
    /** The worker protocol: the join token or a worker's own credential. */
    WORKER(Set.of(), true, "the join token or a worker's own credential"),
    /** Reading the coordinator's files; a worker's reach is checked per file by {@link FileRoutes}. */
    FILES_READ(Set.of(TokenRole.READ, TokenRole.SUBMIT, TokenRole.ADMIN), true, "a read, submit or admin token, or a worker's own credential"),
    /** Writing and deleting the coordinator's files. */
    FILES_WRITE(Set.of(TokenRole.SUBMIT, TokenRole.ADMIN), true, "a submit or admin token, or a worker's own credential");

    private final Set<TokenRole> clients;
    private final boolean workers;
    private final String needs;

    Role(Set<TokenRole> clients, boolean workers, String needs) {
        this.clients = clients;
        this.workers = workers;
        this.needs = needs;
    }

    /**
     * Whether this caller may call the route. The join token is shared by every worker, so it
     * reaches only the worker protocol, never files; a client token with no role (none should
     * exist after the V9 migration) reaches nothing.
     */
    boolean admits(Caller caller) {
        return switch (caller.kind()) {
            case Tokens.CLIENT -> caller.role() != null && clients.contains(caller.role());
            case Tokens.WORKER -> workers;
            case Tokens.JOIN -> this == WORKER;
            default -> this == OPEN;
        };
    }

    /** Why this caller is refused here: what the route needs, and what the token is. */
    String refusal(Caller caller) {
        return "this route needs " + needs + "; " + caller.described();
    }
}
