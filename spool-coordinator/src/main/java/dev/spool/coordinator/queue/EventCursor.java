package dev.spool.coordinator.queue;

import dev.spool.model.SpoolError;

/**
 * Where a reader of the outbox stands: after the event {@code id} of the transaction {@code tx}
 * (see {@link JobQueue#eventsAfter}). Written as "tx.id", so it can be handed out and read back.
 */
public record EventCursor(long tx, long id) {
    /** Before every event. */
    public static final EventCursor START = new EventCursor(-1, 0);

    public static EventCursor parse(String text) {
        String[] parts = text == null ? new String[0] : text.split("\\.", -1);
        try {
            if (parts.length == 2) return new EventCursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (NumberFormatException e) {
            // refused below
        }
        throw SpoolError.invalid("cursor", "is not an event cursor this store returned: " + text);
    }

    @Override
    public String toString() { return tx + "." + id; }
}
