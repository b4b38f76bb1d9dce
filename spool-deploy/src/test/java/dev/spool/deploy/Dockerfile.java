package dev.spool.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile read as Docker reads it: backslash continuations joined, comment lines dropped,
 * each instruction a keyword and its arguments, grouped into build stages by FROM.
 */
record Dockerfile(List<Stage> stages) {
    record Instruction(int line, String keyword, String arguments) {}

    record Stage(String image, String name, List<Instruction> instructions) {
        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }
    }

    static Dockerfile parse(String text) {
        List<Instruction> instructions = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].stripTrailing();
            if (line.stripLeading().startsWith("#")) continue;   // a comment, also inside a continuation
            if (current == null) {
                if (line.isBlank()) continue;
                current = new StringBuilder();
                start = i + 1;
            }
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continues) {
                instructions.add(instruction(start, current.toString().strip()));
                current = null;
            }
        }
        if (current != null) instructions.add(instruction(start, current.toString().strip()));
        List<Stage> stages = new ArrayList<>();
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                String[] words = instruction.arguments().split("\\s+");
                List<String> plain = List.of(words).stream().filter(w -> !w.startsWith("--")).toList();
                String name = plain.size() >= 3 && plain.get(1).equalsIgnoreCase("AS") ? plain.get(2) : null;
                stages.add(new Stage(plain.getFirst(), name, new ArrayList<>()));
            } else if (stages.isEmpty()) {
                if (!instruction.keyword().equals("ARG"))
                    throw new IllegalArgumentException("line " + instruction.line() + ": " + instruction.keyword() + " before the first FROM");
            } else {
                stages.getLast().instructions().add(instruction);
            }
        }
        return new Dockerfile(List.copyOf(stages));
    }

    private static Instruction instruction(int line, String text) {
        int space = text.indexOf(' ');
        String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        return new Instruction(line, keyword, space < 0 ? "" : text.substring(space + 1).strip());
    }

    Stage runtime() {
        return stages.getLast();
    }
}
