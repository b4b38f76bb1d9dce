package dev.spool.coordinator.scale;

import java.util.List;

/**
 * What acts on a changed desired count, on the coordinator whose write of it landed (one per change).
 * KEDA needs none: it reads the count from the stats endpoint.
 */
public interface Actuator {
    /** Whether a scale-down should pick workers and drain them (false: the platform stops whom it chooses, and drains them by SIGTERM). */
    boolean drains();

    /** The pool's desired count went from {@code previous} to {@code desired}; {@code drained}: the workers told to drain for it. */
    void scaled(String pool, int previous, int desired, List<String> drained);

    Actuator NONE = new Actuator() {
        @Override
        public boolean drains() { return false; }

        @Override
        public void scaled(String pool, int previous, int desired, List<String> drained) { }
    };
}
