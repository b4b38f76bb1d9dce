package dev.spool.model.ffmpeg;

import dev.spool.model.SpoolError;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a caller's ffmpeg command into words the way a POSIX shell would ('…', "…", backslash),
 * but it is never a shell: anything a shell would act on (pipes, redirects, substitutions, globs,
 * several commands) is refused, so a caller cannot believe they got one.
 */
final class Tokenizer {
    private static final String SHELL = "commands are not run by a shell; pipes, redirects and substitutions are refused";

    private Tokenizer() {}

    static List<String> split(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        int i = 0;
        int n = command.length();
        while (i < n) {
            char c = command.charAt(i);
            if (c == '\n' || c == '\r') {
                throw refuse("a newline", i);
            }
            if (c == ' ' || c == '\t') {
                if (word != null) { words.add(word.toString()); word = null; }
                i++;
                continue;
            }
            if (word == null) word = new StringBuilder();
            if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                if (end < 0) throw SpoolError.invalid("command", "has an unclosed ' at position " + (i + 1));
                word.append(command, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = command.charAt(i);
                    if (d == '"') { closed = true; i++; break; }
                    // Inside double quotes a shell would still expand these; we refuse rather than guess.
                    if (d == '$' || d == '`') throw refuse("'" + d + "'", i);
                    if (d == '\\' && i + 1 < n && "\"\\$`".indexOf(command.charAt(i + 1)) >= 0) {
                        word.append(command.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    word.append(d);
                    i++;
                }
                if (!closed) throw SpoolError.invalid("command", "has an unclosed \" somewhere before the end");
            } else if (c == '\\') {
                if (i + 1 >= n) throw SpoolError.invalid("command", "ends with a lone backslash");
                char next = command.charAt(i + 1);
                if (next == '\n') throw refuse("a newline", i + 1);
                word.append(next);
                i += 2;
            } else if (";|&><`".indexOf(c) >= 0) {
                throw refuse("'" + c + "'", i);
            } else if (c == '$' && i + 1 < n && (command.charAt(i + 1) == '(' || command.charAt(i + 1) == '{')) {
                throw refuse("'$" + command.charAt(i + 1) + "'", i);
            } else if ("*?[".indexOf(c) >= 0) {
                throw SpoolError.invalid("command", "'" + c + "' at position " + (i + 1)
                        + ": globs are not expanded (commands are not run by a shell); quote it if it is part of a value");
            } else {
                word.append(c);
                i++;
            }
        }
        if (word != null) words.add(word.toString());
        return words;
    }

    private static SpoolError refuse(String what, int index) {
        return SpoolError.invalid("command", what + " at position " + (index + 1) + ": " + SHELL);
    }
}
