package dev.spool.media.probe;

import dev.spool.model.encode.Ratio;

/**
 * The video stream Spool encodes, as ffprobe describes it.
 *
 * @param width             coded width in pixels (before aspect ratio and rotation)
 * @param height            coded height in pixels
 * @param rotation          display rotation in degrees clockwise: 0, 90, 180 or 270
 * @param sampleAspect      pixel shape (1:1 for square pixels; 32:27 for anamorphic NTSC widescreen)
 * @param frameRate         average frame rate
 * @param variableFrameRate true when frame timing is irregular (phone recordings, screen captures)
 * @param bitDepth          bits per sample (8, 10, 12)
 * @param colorTransfer     transfer characteristic (bt709, smpte2084, arib-std-b67...), or "unknown"
 * @param durationSec       the stream's own duration, or 0 when the container does not say
 */
public record VideoStream(int index, String codec, int width, int height, int rotation, Ratio sampleAspect,
                          Ratio frameRate, boolean variableFrameRate, String pixelFormat, int bitDepth,
                          String colorTransfer, double durationSec) {

    /** Width as shown on screen, in square pixels: pixel aspect ratio applied, then rotation. */
    public double displayWidthExact() { return rotated() ? height : scaledWidth(); }

    /** Height as shown on screen, in square pixels: pixel aspect ratio applied, then rotation. */
    public double displayHeightExact() { return rotated() ? scaledWidth() : height; }

    public int displayWidth() { return (int) Math.round(displayWidthExact()); }

    public int displayHeight() { return (int) Math.round(displayHeightExact()); }

    /** Display aspect ratio (width / height) after pixel shape and rotation. */
    public double displayAspect() { return displayWidthExact() / displayHeightExact(); }

    /** High dynamic range: PQ (HDR10, Dolby Vision base) or HLG transfer. */
    public boolean hdr() {
        return "smpte2084".equals(colorTransfer) || "arib-std-b67".equals(colorTransfer);
    }

    private boolean rotated() { return rotation == 90 || rotation == 270; }

    private double scaledWidth() {
        return sampleAspect.known() ? width * sampleAspect.value() : width;
    }
}
