package dev.spool.coordinator.api;

import io.javalin.security.RouteRole;

/**
 * Who may call a route, declared where the route is registered ({@code app.get(path, handler,
 * Role.CLIENT)}); {@link Auth} reads it from the route a request matched, so a variant of the path
 * (a trailing slash) is checked as the route itself.
 */
enum Role implements RouteRole {
    /** Anyone, with no token: health. */
    OPEN,
    /** A client token. */
    CLIENT,
    /** The worker protocol: the join token or a worker's own credential. */
    WORKER,
    /** The coordinator's files: a client token or a worker's own credential, each file checked by {@link FileRoutes}. */
    FILES;

    /** Whether a token of this kind ({@link Tokens#CLIENT}, {@link Tokens#JOIN}, {@link Tokens#WORKER}) may call the route. */
    boolean admits(String kind) {
        return switch (this) {
            case OPEN -> true;
            case CLIENT -> kind.equals(Tokens.CLIENT);
            case WORKER -> kind.equals(Tokens.JOIN) || kind.equals(Tokens.WORKER);
            case FILES -> kind.equals(Tokens.CLIENT) || kind.equals(Tokens.WORKER);
        };
    }

    /** Why a token of {@code kind} is refused here. */
    String refusal(String kind) {
        return switch (this) {
            case WORKER -> "this route is for workers; a client token cannot use it";
            case FILES -> "files need a worker's own credential, not the join token";
            default -> "this route is for clients; a worker token cannot use it";
        };
    }
}
