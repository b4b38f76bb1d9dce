package dev.spool.media.hls;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class CodecStringTest {

    private static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    @Test
    void anAvcCRecordGivesProfileConstraintsAndLevel() {
        // avcC: version 1, High profile, no constraints, level 3.1, then one SPS and one PPS
        byte[] avcC = hex("01 64 00 1F FF E1 00 0B 67 64 00 1F AC D9 40 50 05 BB 01 01 00 04 68 EB E3 CB");

        assertThat(CodecString.video("h264", avcC)).contains("avc1.64001F");
    }

    @Test
    void anAnnexBStreamGivesTheCodecStringOfItsSps() {
        // MPEG-TS carries H.264 as Annex B: start codes, an SPS (type 7) and a PPS (type 8)
        byte[] annexB = hex("00 00 00 01 67 42 C0 1E 95 A0 50 1E D0 80 00 00 00 01 68 CE 3C 80");

        assertThat(CodecString.video("h264", annexB)).contains("avc1.42C01E");
    }

    @Test
    void anAnnexBStreamWhoseSpsFollowsOtherNalUnitsIsStillFound() {
        // an access unit delimiter (type 9) and SEI (type 6) before the SPS, three-byte start codes
        byte[] annexB = hex("00 00 01 09 F0 00 00 01 06 05 01 AA 80 00 00 01 67 4D 40 28 95 A0 1E 00 89 F9 50");

        assertThat(CodecString.video("h264", annexB)).contains("avc1.4D4028");
    }

    @Test
    void anHvcCRecordForMainProfileLevelFourGivesTheHvc1String() {
        // hvcC: version 1, profile space 0, Main tier, profile 1, compatibility flags 1 and 2,
        // progressive + frame-only constraint flags (0x90), level 4.0 (120), then the rest of the header
        byte[] hvcC = hex("01 01 60 00 00 00 90 00 00 00 00 00 78 F0 00 FC FD F8 F8 00 00 0F 00");

        assertThat(CodecString.video("hevc", hvcC)).contains("hvc1.1.6.L120.90");
    }

    @Test
    void anHvcCRecordForMainTenGivesTheReversedCompatibilityFlags() {
        // Main 10 (profile 2) sets compatibility flag 2 only: 0x20000000 reversed is 0x4
        byte[] hvcC = hex("01 02 20 00 00 00 90 00 00 00 00 00 99 F0 00 FC FD FA FA 00 00 0F 00");

        assertThat(CodecString.video("hevc", hvcC)).contains("hvc1.2.4.L153.90");
    }

    @Test
    void anHevcAnnexBSpsIsUnescapedBeforeItsProfileIsRead() {
        // VPS (type 32) then SPS (type 33); the SPS's profile_tier_level holds 00 00 03 emulation prevention
        byte[] annexB = hex("00 00 00 01 40 01 0C 01 FF FF 01 60 00 00 03 00 90 00 00 03 00 00 03 00 78 95 98 09"
                + "00 00 00 01 42 01 01 01 60 00 00 03 00 90 00 00 03 00 00 03 00 78 A0 03 C0 80 10 E5 96 66 69 24");

        assertThat(CodecString.video("hevc", annexB)).contains("hvc1.1.6.L120.90");
    }

    @Test
    void anAv1CRecordGivesProfileLevelTierAndBitDepth() {
        // av1C: marker + version 1, Main profile level 8 (4.0), Main tier, 8-bit 4:2:0
        byte[] av1C = hex("81 08 0C 00");

        assertThat(CodecString.video("av1", av1C)).contains("av01.0.08M.08");
    }

    @Test
    void aTenBitAv1StreamSaysTen() {
        byte[] av1C = hex("81 09 4C 00");

        assertThat(CodecString.video("av1", av1C)).contains("av01.0.09M.10");
    }

    @Test
    void aCodecWithoutAStringOrWithoutExtradataGivesNone() {
        assertThat(CodecString.video("vp9", hex("01 00 0A 08"))).isEmpty();
        assertThat(CodecString.video("h264", null)).isEmpty();
        assertThat(CodecString.video("h264", hex("01 64"))).isEmpty();
        assertThat(CodecString.video("av1", hex("0A 0B 00 00"))).as("no av1C marker").isEmpty();
    }

    @Test
    void aacProfilesMapToTheirAudioObjectTypes() {
        assertThat(CodecString.audio("aac", "LC")).contains("mp4a.40.2");
        assertThat(CodecString.audio("aac", "HE-AAC")).contains("mp4a.40.5");
        assertThat(CodecString.audio("aac", "HE-AACv2")).contains("mp4a.40.29");
        assertThat(CodecString.audio("aac", null)).contains("mp4a.40.2");
        assertThat(CodecString.audio("mp3", null)).contains("mp4a.40.34");
        assertThat(CodecString.audio("vorbis", null)).isEmpty();
    }

    @Test
    void opusIsNamedAsItsMp4SampleEntryIsRegistered() {
        assertThat(CodecString.audio("opus", "")).contains("opus");
    }

    @Test
    void ffprobesHexdumpOfExtradataDecodesToItsBytes() {
        String dump = "\n00000000: 0164 000d ffe1 001a 6764 000d acd9 4141  .d......gd....AA\n"
                + "00000010: 9f9f 0110 0000 0300 1000 0003 03c0 f142  ...............B\n"
                + "00000020: 9960 0100 0468 ef8f cbfd f8f8 00         .`...h.......\n";

        byte[] bytes = CodecString.fromHexdump(dump);

        assertThat(bytes).hasSize(45);
        assertThat(bytes).startsWith(hex("01 64 00 0d"));
        assertThat(bytes).endsWith(hex("f8 f8 00"));
        assertThat(bytes).containsSequence(hex("67 64 00 0d ac d9 41 41 9f 9f 01 10"));
        assertThat(CodecString.video("h264", bytes)).contains("avc1.64000D");
    }
}
