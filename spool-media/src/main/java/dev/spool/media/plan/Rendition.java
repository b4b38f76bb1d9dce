package dev.spool.media.plan;

/**
 * One planned video output: its name (the rung; or, for a source kept at its own size that fills
 * neither side of the rung's box, its own short side, e.g. "180p" or "900p"), its even-sized
 * picture, and the bitrate cap of its capped-CRF encode.
 */
public record Rendition(String name, int width, int height, int maxrateKbps) {
    public Rendition {
        if (width < 2 || height < 2 || width % 2 != 0 || height % 2 != 0)
            throw new IllegalArgumentException("rendition size must be even and positive: " + width + "x" + height);
        if (maxrateKbps <= 0) throw new IllegalArgumentException("maxrateKbps must be positive: " + maxrateKbps);
    }

    /** VBV buffer: two seconds at the cap, the usual choice for segment-sized rate control. */
    public int bufsizeKbps() { return 2 * maxrateKbps; }
}
